// Baseline for `wiener_deconvolution_fft` (grad_prior = false), NCHW f32:
//   K = psf2otf(k[b], H, W) = fft2 of k placed at the top-left of an H x W zero plane and rolled
//       by (-(KH/2), -(KW/2));  Y = fft2(y[b, c]);  X = conj(K) Y / (|K|^2 + lam[b]);
//   x[b, c] = Re(ifft2(X))  (1/(H*W)).
// Plain CUDA with the algorithm of baseline.c: separable 2-D FFTs (rows, then columns) by a
// mixed-radix FFT that handles any length. Launches:
//   1. memset + psf_kernel: the rolled kernels, one zero-padded [H, W] plane per image;
//   2. fft_lines over rows then columns, forward, for the B kernel planes and the B*C image
//      planes (split-complex scratch, the column pass in place);
//   3. wiener_kernel: X = conj(K) Y / (|K|^2 + lam), element-wise;
//   4. fft_lines over columns then rows, inverse; the row pass stores only the real part,
//      scaled by 1/(H*W), straight into x.
// Sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define FFT_BLOCKS 2048   // cap for the FFT grid: each block tabulates its twiddles once
#define TWO_PI 6.283185307179586476925286766559

// ---- mixed-radix FFT of many lines, one line per block ---------------------------------------
// Stockham autosort FFT in shared memory, any length L: for each prime factor R of L (smallest
// first; a prime L is one direct R-point stage), with Ns = product of the radices already applied,
//   out[(j / Ns) * Ns * R + k] = sum_{r<R} in[j + r*L/R] * w^(r*k*L/(Ns*R)),  k < Ns*R,
//   j = (j/Ns)*Ns + k % Ns,  w = exp(sign*2*pi*i/L).
// Each stage reads one shared buffer and writes the other. The twiddles exp(2*pi*i*t/L), t < L,
// are tabulated once per block in double and stored as float. Lines are addressed by
// (plane, index in plane, element) strides, so one kernel walks rows (element stride 1) and
// columns (element stride = row length) of every plane.
struct Lines {             // where the lines of a batch of planes live
    int64_t per_plane;     // lines per plane
    int64_t plane_stride;  // elements between planes
    int64_t line_stride;   // elements between neighbouring lines of a plane
    int64_t elem_stride;   // elements between neighbouring entries of a line
};

__device__ int64_t line_base(const Lines& g, int64_t line) {
    return (line / g.per_plane) * g.plane_stride + (line % g.per_plane) * g.line_stride;
}

// Unnormalised DFT (sign -1 forward, +1 inverse) of nlines lines of length L.
// Input: in_im == nullptr means a real line; hermitian != 0 means the line holds only bins
// 0 .. L/2 of a Hermitian spectrum, extended as Z[L - v] = conj(Z[v]) after dropping the
// imaginary parts of the DC and (L even) Nyquist bins (the C2R rule of pocketfft / PyTorch).
// Output: entries 0 .. nout-1, multiplied by scale; out_im == nullptr stores the real part only.
// In-place use (same buffers and layout) is safe: a block reads its whole line before writing.
// Dynamic shared memory: 6*L floats.
__global__ void fft_lines_kernel(const float* in_re, const float* in_im, Lines gin, int hermitian,
                                 float* out_re, float* out_im, Lines gout, int64_t nout,
                                 int64_t nlines, int64_t L, float sign, float scale) {
    extern __shared__ float sh[];
    float* c = sh;      // cos(2*pi*t/L)
    float* s = sh + L;  // sin(2*pi*t/L)
    for (int64_t t = threadIdx.x; t < L; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)L;
        c[t] = (float)cos(a);
        s[t] = (float)sin(a);
    }
    for (int64_t line = blockIdx.x; line < nlines; line += gridDim.x) {
        float* ar = sh + 2 * L;
        float* ai = sh + 3 * L;
        float* br = sh + 4 * L;
        float* bi = sh + 5 * L;
        const int64_t ib = line_base(gin, line);
        for (int64_t e = threadIdx.x; e < L; e += blockDim.x) {
            if (hermitian) {
                const int64_t v = e <= L / 2 ? e : L - e;  // stored bin
                const bool real_bin = (v == 0 || 2 * v == L);
                const float im = real_bin ? 0.0f : in_im[ib + v * gin.elem_stride];
                ar[e] = in_re[ib + v * gin.elem_stride];
                ai[e] = e <= L / 2 ? im : -im;
            } else {
                ar[e] = in_re[ib + e * gin.elem_stride];
                ai[e] = in_im ? in_im[ib + e * gin.elem_stride] : 0.0f;
            }
        }
        __syncthreads();  // also covers the twiddles on the first line

        for (int64_t Ns = 1; Ns < L;) {
            const int64_t rem = L / Ns;
            int64_t R = 2;  // smallest prime factor of rem
            while (R * R <= rem && rem % R) ++R;
            if (rem % R) R = rem;
            const int64_t NsR = Ns * R;
            const int64_t span = L / R;  // distance between the R inputs of a butterfly
            for (int64_t d = threadIdx.x; d < L; d += blockDim.x) {
                const int64_t k = d % NsR;
                const int64_t j = (d / NsR) * Ns + k % Ns;
                const int64_t step = k * (L / NsR);  // twiddle index advance per r, < L
                float accr = 0.0f, acci = 0.0f;
                int64_t t = 0;
                for (int64_t r = 0; r < R; ++r) {
                    const float wr = c[t], wi = sign * s[t];
                    const float vr = ar[j + r * span], vi = ai[j + r * span];
                    accr += vr * wr - vi * wi;
                    acci += vr * wi + vi * wr;
                    t += step;
                    if (t >= L) t -= L;
                }
                br[d] = accr;
                bi[d] = acci;
            }
            __syncthreads();
            float* tr = ar; ar = br; br = tr;
            float* ti = ai; ai = bi; bi = ti;
            Ns = NsR;
        }

        const int64_t ob = line_base(gout, line);
        for (int64_t e = threadIdx.x; e < nout; e += blockDim.x) {
            out_re[ob + e * gout.elem_stride] = ar[e] * scale;
            if (out_im) out_im[ob + e * gout.elem_stride] = ai[e] * scale;
        }
        __syncthreads();  // the buffers are overwritten by this block's next line
    }
}

static unsigned grid_for(int64_t work, int64_t per_block, int64_t cap) {
    int64_t blocks = (work + per_block - 1) / per_block;
    if (blocks < 1) blocks = 1;
    return (unsigned)(blocks < cap ? blocks : cap);
}

// Launch fft_lines_kernel (one block per line, at most FFT_BLOCKS blocks).
static void fft_lines(const float* in_re, const float* in_im, Lines gin, int hermitian,
                      float* out_re, float* out_im, Lines gout, int64_t nout, int64_t nlines,
                      int64_t L, float sign, float scale, cudaStream_t stream) {
    fft_lines_kernel<<<grid_for(nlines, 1, FFT_BLOCKS), THREADS, sizeof(float) * 6 * (size_t)L,
                       stream>>>(in_re, in_im, gin, hermitian, out_re, out_im, gout, nout, nlines,
                                 L, sign, scale);
}
// ----------------------------------------------------------------------------------------------

// kr[b, (p - KH/2) mod H, (q - KW/2) mod W] = k[b, p, q] (the rest of kr is zeroed beforehand;
// KH <= H and KW <= W, so no two taps land on the same position).
__global__ void psf_kernel(const float* __restrict__ k, float* __restrict__ kr, int64_t B,
                           int64_t H, int64_t W, int64_t KH, int64_t KW) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < B * KH * KW;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t q = i % KW;
        const int64_t p = (i / KW) % KH;
        const int64_t b = i / (KW * KH);
        kr[(b * H + (p - KH / 2 + H) % H) * W + (q - KW / 2 + W) % W] = k[i];
    }
}

// (zr + i zi) <- conj(K) (zr + i zi) / (|K|^2 + lam[b]) for every bin of every image plane.
__global__ void wiener_kernel(const float* __restrict__ kr, const float* __restrict__ ki,
                              const float* __restrict__ lam, float* __restrict__ zr,
                              float* __restrict__ zi, int64_t B, int64_t C, int64_t plane) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < B * C * plane;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = i / (C * plane);
        const int64_t p = i % plane;
        const float a = kr[b * plane + p], q = ki[b * plane + p];
        const float yr = zr[i], yi = zi[i];
        const float den = a * a + q * q + lam[b];
        zr[i] = (a * yr + q * yi) / den;
        zi[i] = (a * yi - q * yr) / den;
    }
}

extern "C" int wiener_deconvolution_fft(const float* y, const float* k, const float* lam, float* x,
                                        int64_t B, int64_t C, int64_t H, int64_t W, int64_t KH,
                                        int64_t KW, cudaStream_t stream) {
    const int64_t plane = H * W;
    const int64_t n = B * C * plane;
    if (n == 0) return 0;
    // scratch: K spectra [2][B, H, W], image spectra [2][B*C, H, W]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * 2 * (size_t)(B * plane + n), stream);
    float* kr = buf;
    float* ki = kr + B * plane;
    float* zr = ki + B * plane;
    float* zi = zr + n;
    const Lines rows = {H, plane, W, 1};  // line = row of a plane
    const Lines cols = {W, plane, 1, W};  // line = column of a plane

    // K = psf2otf(k): rolled kernel planes, then rows and columns forward
    cudaMemsetAsync(kr, 0, sizeof(float) * (size_t)(B * plane), stream);
    psf_kernel<<<grid_for(B * KH * KW, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(k, kr, B, H, W,
                                                                                  KH, KW);
    fft_lines(kr, nullptr, rows, 0, kr, ki, rows, W, B * H, W, -1.0f, 1.0f, stream);
    fft_lines(kr, ki, cols, 0, kr, ki, cols, H, B * W, H, -1.0f, 1.0f, stream);

    // Y = fft2(y), then X = conj(K) Y / (|K|^2 + lam) in place
    fft_lines(y, nullptr, rows, 0, zr, zi, rows, W, B * C * H, W, -1.0f, 1.0f, stream);
    fft_lines(zr, zi, cols, 0, zr, zi, cols, H, B * C * W, H, -1.0f, 1.0f, stream);
    wiener_kernel<<<grid_for(n, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(kr, ki, lam, zr, zi, B,
                                                                            C, plane);

    // x = Re(ifft2(X)): columns in place, then rows storing the scaled real part into x
    fft_lines(zr, zi, cols, 0, zr, zi, cols, H, B * C * W, H, 1.0f, 1.0f, stream);
    fft_lines(zr, zi, rows, 0, x, nullptr, rows, W, B * C * H, W, 1.0f,
              (float)(1.0 / (double)plane), stream);

    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
