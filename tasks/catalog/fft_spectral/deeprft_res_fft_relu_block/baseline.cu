// Baseline for `deeprft_res_fft_relu_block` (DeepRFT ResBlock_fft_bench, norm="backward"), NCHW f32:
//   y = x + conv3x3(relu(conv3x3(x, Ws1)), Ws2) + irfft2(F, s=(H, W))
//   Z = [Re rfft2(x); Im rfft2(x)] (2C channels per bin),  Q = Wf2 relu(Wf1 Z),
//   F = Q[:C] + i Q[C:]      (1x1 convs applied per frequency bin)
// Plain CUDA with the algorithm of baseline.c: direct 3x3 convolutions and separable 2-D FFTs by
// a mixed-radix FFT that handles any length. Launches:
//   1. conv3x3_kernel twice: t = relu(conv(x, Ws1)), s = conv(t, Ws2); one thread per output
//      element, zero padding 1, no bias;
//   2. rfft2(x): fft_lines over rows (real input, the Wh = W/2+1 non-negative bins are kept),
//      then over the Wh columns of the half spectrum, in place;
//   3. mix_kernel twice, one thread per (image, output channel, bin): P = relu(Wf1 Z), then
//      Q = Wf2 P, whose halves are written as the real and imaginary planes of F;
//   4. irfft2(F): fft_lines over the columns (inverse, in place), then over the rows with the
//      C2R rule (the imaginary parts of the DC / Nyquist bins are dropped, the row is extended
//      Hermitian-symmetrically), storing the real part scaled by 1/(H*W);
//   5. sum_kernel: y = x + s + f.
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

// out[n, o, i, j] = act(sum_{c, du, dv} w[o, c, du, dv] * in[n, c, i+du-1, j+dv-1]), zero padding.
__global__ void conv3x3_kernel(const float* __restrict__ in, const float* __restrict__ w,
                               float* __restrict__ out, int64_t N, int64_t C, int64_t H, int64_t W,
                               int relu) {
    const int64_t plane = H * W;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < N * C * plane;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = idx % plane;
        const int64_t o = (idx / plane) % C;
        const int64_t n = idx / (plane * C);
        const int64_t i = p / W, j = p % W;
        float acc = 0.0f;
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = in + (n * C + c) * plane;
            const float* wk = w + (o * C + c) * 9;
            for (int du = 0; du < 3; ++du) {
                const int64_t ii = i + du - 1;
                if (ii < 0 || ii >= H) continue;
                for (int dv = 0; dv < 3; ++dv) {
                    const int64_t jj = j + dv - 1;
                    if (jj < 0 || jj >= W) continue;
                    acc += wk[du * 3 + dv] * xc[ii * W + jj];
                }
            }
        }
        out[idx] = relu ? fmaxf(acc, 0.0f) : acc;
    }
}

// 1x1 conv over 2C channels per bin. Channel c < C of the input is in_lo[n, c], channel C + c is
// in_hi[n, c] (each [N, C, bins]); likewise for the output. out = act(sum_c wt[o, c] * in[c]).
__global__ void mix_kernel(const float* __restrict__ in_lo, const float* __restrict__ in_hi,
                           const float* __restrict__ wt, float* __restrict__ out_lo,
                           float* __restrict__ out_hi, int64_t N, int64_t C, int64_t bins,
                           int relu) {
    const int64_t C2 = 2 * C;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < N * C2 * bins;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t k = idx % bins;
        const int64_t o = (idx / bins) % C2;
        const int64_t n = idx / (bins * C2);
        const float* wo = wt + o * C2;
        float acc = 0.0f;
        for (int64_t c = 0; c < C; ++c) acc += wo[c] * in_lo[(n * C + c) * bins + k];
        for (int64_t c = 0; c < C; ++c) acc += wo[C + c] * in_hi[(n * C + c) * bins + k];
        if (relu) acc = fmaxf(acc, 0.0f);
        if (o < C)
            out_lo[(n * C + o) * bins + k] = acc;
        else
            out_hi[(n * C + o - C) * bins + k] = acc;
    }
}

__global__ void sum_kernel(const float* __restrict__ x, const float* __restrict__ s,
                           const float* __restrict__ f, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] + s[i] + f[i];
}

extern "C" int deeprft_res_fft_relu_block(const float* x, const float* Ws1, const float* Ws2,
                                          const float* Wf1, const float* Wf2, float* y, int64_t N,
                                          int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t plane = H * W, Wh = W / 2 + 1, bins = H * Wh;
    const int64_t n = N * C * plane;   // elements of x
    const int64_t nb = N * C * bins;   // bins of one half-spectrum plane set
    if (n == 0) return 0;
    // scratch: t, s [N, C, H, W]; Xr, Xi, Fr, Fi, Pr, Pi [N, C, H, Wh]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * (2 * (size_t)n + 6 * (size_t)nb), stream);
    float* t = buf;        // relu(conv1), later reused for f = irfft2(F)
    float* s = t + n;      // conv2
    float* Xr = s + n;     // rfft2(x)
    float* Xi = Xr + nb;
    float* Pr = Xi + nb;   // P channels 0..C-1
    float* Pi = Pr + nb;   // P channels C..2C-1
    float* Fr = Pi + nb;   // F = Q[:C] + i Q[C:]
    float* Fi = Fr + nb;
    const Lines rows = {H, plane, W, 1};    // rows of the [H, W] planes
    const Lines hrows = {H, bins, Wh, 1};   // rows of the [H, Wh] half spectra
    const Lines hcols = {Wh, bins, 1, Wh};  // columns of the [H, Wh] half spectra

    // spatial branch
    conv3x3_kernel<<<grid_for(n, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(x, Ws1, t, N, C, H, W, 1);
    conv3x3_kernel<<<grid_for(n, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(t, Ws2, s, N, C, H, W, 0);

    // frequency branch: X = rfft2(x)
    fft_lines(x, nullptr, rows, 0, Xr, Xi, hrows, Wh, N * C * H, W, -1.0f, 1.0f, stream);
    fft_lines(Xr, Xi, hcols, 0, Xr, Xi, hcols, H, N * C * Wh, H, -1.0f, 1.0f, stream);
    // P = relu(Wf1 Z), Q = Wf2 P -> F
    mix_kernel<<<grid_for(2 * nb, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(Xr, Xi, Wf1, Pr, Pi, N,
                                                                               C, bins, 1);
    mix_kernel<<<grid_for(2 * nb, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(Pr, Pi, Wf2, Fr, Fi, N,
                                                                               C, bins, 0);
    // f = irfft2(F, s=(H, W)) into t
    fft_lines(Fr, Fi, hcols, 0, Fr, Fi, hcols, H, N * C * Wh, H, 1.0f, 1.0f, stream);
    fft_lines(Fr, Fi, hrows, 1, t, nullptr, rows, W, N * C * H, W, 1.0f,
              (float)(1.0 / (double)plane), stream);

    sum_kernel<<<grid_for(n, THREADS, MAX_BLOCKS), THREADS, 0, stream>>>(x, s, t, y, n);
    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
