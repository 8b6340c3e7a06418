// Baseline for `deeprftv2_fourier_kernel_feature_conv` (DeepRFTv2 Fourier kernel estimator),
// NCHW f32, norm="backward", per sample b and frequency bin (u, v) of the rfft2 half spectrum:
//   Zx = [Re rfft2(x); Im rfft2(x)] (2Cw channels),  E = We Zx (Cw channels, no bias),
//   G = LayerNorm over the Cw channels (biased variance, eps 1e-6) * ln_w + ln_b,
//   O = Wk G + bk (2Cd channels),  K = O[:Cd] + i O[Cd:],  z = irfft2(rfft2(y) * K, s=(H, W)).
// Plain CUDA with the algorithm of baseline.c: separable 2-D FFTs by a mixed-radix FFT that
// handles any length, and the per-bin channel mixing as loops over channels. Launches:
//   1. rfft2(x): fft_lines over rows (real input, the Wh = W/2+1 non-negative bins are kept),
//      then over the Wh columns of the half spectrum, in place;
//   2. estimate_kernel: one thread per (sample, bin): E = We Zx, then the channel LayerNorm
//      (statistics in double, two passes), G written to scratch;
//   3. otf_kernel: one thread per (sample, output channel, bin): O = Wk G + bk -> K;
//   4. rfft2(y) the same way, product_kernel: Y *= K per bin;
//   5. irfft2: fft_lines over the columns (inverse, in place), then over the rows with the C2R
//      rule (imaginary parts of the DC / Nyquist bins dropped, Hermitian extension), storing the
//      real part scaled by 1/(H*W) straight into z.
// Sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define LN_EPS 1e-6       // NAFNet LayerNorm2d eps
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

// G[b, o, k] = LayerNorm_o(E[b, :, k])[o] with E[b, o, k] = sum_c We[o, c] Zx[b, c, k];
// Zx channel c < Cw is Xr[b, c], channel Cw + c is Xi[b, c] (each [B, Cw, bins]).
__global__ void estimate_kernel(const float* __restrict__ Xr, const float* __restrict__ Xi,
                                const float* __restrict__ We, const float* __restrict__ ln_w,
                                const float* __restrict__ ln_b, float* __restrict__ G, int64_t B,
                                int64_t Cw, int64_t bins) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < B * bins;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = idx / bins;
        const int64_t k = idx % bins;
        const float* xr = Xr + b * Cw * bins + k;
        const float* xi = Xi + b * Cw * bins + k;
        float* g = G + b * Cw * bins + k;
        double sum = 0.0;
        for (int64_t o = 0; o < Cw; ++o) {
            const float* wo = We + o * 2 * Cw;
            float e = 0.0f;
            for (int64_t c = 0; c < Cw; ++c) e += wo[c] * xr[c * bins];
            for (int64_t c = 0; c < Cw; ++c) e += wo[Cw + c] * xi[c * bins];
            g[o * bins] = e;
            sum += (double)e;
        }
        const double mu = sum / (double)Cw;
        double var = 0.0;
        for (int64_t o = 0; o < Cw; ++o) {
            const double d = (double)g[o * bins] - mu;
            var += d * d;
        }
        const double inv = 1.0 / sqrt(var / (double)Cw + LN_EPS);
        for (int64_t o = 0; o < Cw; ++o)
            g[o * bins] = (float)(((double)g[o * bins] - mu) * inv * (double)ln_w[o] + (double)ln_b[o]);
    }
}

// O[b, j, k] = bk[j] + sum_o Wk[j, o] G[b, o, k]; j < Cd goes to Kr[b, j], j >= Cd to Ki[b, j - Cd].
__global__ void otf_kernel(const float* __restrict__ G, const float* __restrict__ Wk,
                           const float* __restrict__ bk, float* __restrict__ Kr,
                           float* __restrict__ Ki, int64_t B, int64_t Cw, int64_t Cd,
                           int64_t bins) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < B * 2 * Cd * bins;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t k = idx % bins;
        const int64_t j = (idx / bins) % (2 * Cd);
        const int64_t b = idx / (bins * 2 * Cd);
        const float* g = G + b * Cw * bins + k;
        float acc = bk[j];
        for (int64_t o = 0; o < Cw; ++o) acc += Wk[j * Cw + o] * g[o * bins];
        if (j < Cd)
            Kr[(b * Cd + j) * bins + k] = acc;
        else
            Ki[(b * Cd + j - Cd) * bins + k] = acc;
    }
}

// (yr + i yi) <- (yr + i yi) * (kr + i ki), element-wise.
__global__ void product_kernel(float* __restrict__ yr, float* __restrict__ yi,
                               const float* __restrict__ kr, const float* __restrict__ ki,
                               int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        const float a = yr[i], q = yi[i];
        yr[i] = a * kr[i] - q * ki[i];
        yi[i] = a * ki[i] + q * kr[i];
    }
}

extern "C" int deeprftv2_fourier_kernel_feature_conv(const float* x, const float* y,
                                                     const float* We, const float* ln_w,
                                                     const float* ln_b, const float* Wk,
                                                     const float* bk, float* z, int64_t B,
                                                     int64_t Cw, int64_t Cd, int64_t H, int64_t W,
                                                     cudaStream_t stream) {
    const int64_t plane = H * W, Wh = W / 2 + 1, bins = H * Wh;
    const int64_t nw = B * Cw * bins;  // bins of the x spectra
    const int64_t nd = B * Cd * bins;  // bins of the y spectra
    if (B * H * W == 0) return 0;
    // scratch: Xr, Xi, G [B, Cw, H, Wh]; Yr, Yi, Kr, Ki [B, Cd, H, Wh]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * (3 * (size_t)nw + 4 * (size_t)nd), stream);
    float* Xr = buf;
    float* Xi = Xr + nw;
    float* G = Xi + nw;
    float* Yr = G + nw;
    float* Yi = Yr + nd;
    float* Kr = Yi + nd;
    float* Ki = Kr + nd;
    const Lines rows = {H, plane, W, 1};    // rows of the [H, W] planes
    const Lines hrows = {H, bins, Wh, 1};   // rows of the [H, Wh] half spectra
    const Lines hcols = {Wh, bins, 1, Wh};  // columns of the [H, Wh] half spectra

    // predicted OTF K from the spectrum of x
    fft_lines(x, nullptr, rows, 0, Xr, Xi, hrows, Wh, B * Cw * H, W, -1.0f, 1.0f, stream);
    fft_lines(Xr, Xi, hcols, 0, Xr, Xi, hcols, H, B * Cw * Wh, H, -1.0f, 1.0f, stream);
    estimate_kernel<<<grid_for(B * bins, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(
        Xr, Xi, We, ln_w, ln_b, G, B, Cw, bins);
    otf_kernel<<<grid_for(2 * nd, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(G, Wk, bk, Kr, Ki, B,
                                                                               Cw, Cd, bins);

    // z = irfft2(rfft2(y) * K)
    fft_lines(y, nullptr, rows, 0, Yr, Yi, hrows, Wh, B * Cd * H, W, -1.0f, 1.0f, stream);
    fft_lines(Yr, Yi, hcols, 0, Yr, Yi, hcols, H, B * Cd * Wh, H, -1.0f, 1.0f, stream);
    product_kernel<<<grid_for(nd, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(Yr, Yi, Kr, Ki, nd);
    fft_lines(Yr, Yi, hcols, 0, Yr, Yi, hcols, H, B * Cd * Wh, H, 1.0f, 1.0f, stream);
    fft_lines(Yr, Yi, hrows, 1, z, nullptr, rows, W, B * Cd * H, W, 1.0f,
              (float)(1.0 / (double)plane), stream);

    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
