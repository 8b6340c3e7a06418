// Baseline for `hornet_global_local_filter` (HorNet GlobalLocalFilter), NCHW f32, Ch = C/2:
//   u  = LN_c(x; g1, b1)                      (per pixel over the C channels, eps 1e-6)
//   a  = dwconv3x3(u[:, :Ch], W_dw)           (zero padding 1, no bias)
//   bo = irfft2(rfft2(u[:, Ch:], ortho) * F, s=(H, W), ortho)
//        F = Wc resized to (H, W/2+1) by bilinear align_corners=True (identity at 14 x 8)
//   v[:, 2c] = a[:, c],  v[:, 2c+1] = bo[:, c]  (interleaved);   y = LN_c(v; g2, b2)
// Plain CUDA in five launches; the DFTs are direct separable sums, as in baseline.c:
//   1. layernorm_kernel: one thread per pixel, statistics over the channels in double -> u;
//   2. filter_kernel: one thread per (c, k1, k2): the resized complex filter F;
//   3. dwconv_kernel: one thread per (n, c < Ch, i, j) -> the even channels of v;
//   4. global_filter_kernel: one block per (n, c < Ch) plane, everything in shared memory (the
//      planes are small, 14 x 14 at HorNet's stage 3): rfft along W, DFT along H times F, inverse
//      along H, C2R along W (imaginary parts of the DC / Nyquist columns dropped), scaled by
//      1/(H*W) (the two ortho factors) -> the odd channels of v;
//   5. layernorm_kernel again -> y.
// Twiddles are tabulated per block in double (exact integer angle reduction) and stored as
// float; the DFT sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define FH 14             // attr fh
#define FW 8              // attr fw
#define LN_EPS 1e-6
#define THREADS 256
#define MAX_BLOCKS 65535
#define TWO_PI 6.283185307179586476925286766559

static unsigned grid_for(int64_t work) {
    int64_t blocks = (work + THREADS - 1) / THREADS;
    if (blocks < 1) blocks = 1;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

// out[n, :, p] = LN over the C channels of in[n, :, p], one thread per pixel (n, p).
__global__ void layernorm_kernel(const float* __restrict__ in, const float* __restrict__ g,
                                 const float* __restrict__ b, float* __restrict__ out, int64_t N,
                                 int64_t C, int64_t hw) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < N * hw;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t n = idx / hw;
        const int64_t p = idx % hw;
        const float* ip = in + n * C * hw + p;
        float* op = out + n * C * hw + p;
        double s = 0.0;
        for (int64_t c = 0; c < C; ++c) s += (double)ip[c * hw];
        const double mu = s / (double)C;
        double v = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const double d = (double)ip[c * hw] - mu;
            v += d * d;
        }
        const double rs = 1.0 / sqrt(v / (double)C + LN_EPS);
        for (int64_t c = 0; c < C; ++c)
            op[c * hw] = (float)(((double)ip[c * hw] - mu) * rs * (double)g[c] + (double)b[c]);
    }
}

// align_corners=True linear taps of output index t along an axis of Li -> Lo samples.
__device__ void axis_interp(int64_t t, int64_t Li, int64_t Lo, int64_t* t0, int64_t* t1,
                            float* lam) {
    const double src = Lo > 1 ? (double)t * (double)(Li - 1) / (double)(Lo - 1) : 0.0;
    int64_t i0 = (int64_t)floor(src);
    if (i0 > Li - 1) i0 = Li - 1;
    *t0 = i0;
    *t1 = i0 + 1 < Li ? i0 + 1 : Li - 1;
    *lam = (float)(src - (double)i0);
}

// fr/fi[c, k1, k2] = bilinear (align_corners) resize of Wc[c, :, :, 0/1] from (FH, FW) to (H, Wf).
__global__ void filter_kernel(const float* __restrict__ Wc, float* __restrict__ fr,
                              float* __restrict__ fi, int64_t Ch, int64_t H, int64_t Wf) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < Ch * H * Wf;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t k2 = idx % Wf;
        const int64_t k1 = (idx / Wf) % H;
        const int64_t c = idx / (Wf * H);
        int64_t r0, r1, c0, c1;
        float lr, lc;
        axis_interp(k1, FH, H, &r0, &r1, &lr);
        axis_interp(k2, FW, Wf, &c0, &c1, &lc);
        for (int part = 0; part < 2; ++part) {
            const float* wp = Wc + c * FH * FW * 2 + part;
            const float val = (1 - lr) * (1 - lc) * wp[(r0 * FW + c0) * 2] +
                              (1 - lr) * lc * wp[(r0 * FW + c1) * 2] +
                              lr * (1 - lc) * wp[(r1 * FW + c0) * 2] + lr * lc * wp[(r1 * FW + c1) * 2];
            (part == 0 ? fr : fi)[idx] = val;
        }
    }
}

// v[n, 2c, i, j] = sum_{p,q<3} W_dw[c, 0, p, q] * u[n, c, i+p-1, j+q-1] for c < Ch.
__global__ void dwconv_kernel(const float* __restrict__ u, const float* __restrict__ W_dw,
                              float* __restrict__ v, int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ch = C / 2, hw = H * W;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < N * Ch * hw;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = idx % hw;
        const int64_t c = (idx / hw) % Ch;
        const int64_t n = idx / (hw * Ch);
        const int64_t i = p / W, j = p % W;
        const float* uc = u + (n * C + c) * hw;
        const float* k = W_dw + c * 9;
        float s = 0.0f;
        for (int pp = 0; pp < 3; ++pp) {
            const int64_t ii = i + pp - 1;
            if (ii < 0 || ii >= H) continue;
            for (int q = 0; q < 3; ++q) {
                const int64_t jj = j + q - 1;
                if (jj < 0 || jj >= W) continue;
                s += k[pp * 3 + q] * uc[ii * W + jj];
            }
        }
        v[(n * C + 2 * c) * hw + p] = s;
    }
}

// v[n, 2c+1] = irfft2(rfft2(u[n, Ch + c]) * F[c]) / (H*W), one block per (n, c) plane.
__global__ void global_filter_kernel(const float* __restrict__ u, const float* __restrict__ fr,
                                     const float* __restrict__ fi, float* __restrict__ v,
                                     int64_t N, int64_t C, int64_t H, int64_t W) {
    extern __shared__ float sh[];
    const int64_t Ch = C / 2, hw = H * W, Wf = W / 2 + 1, nf = H * Wf;
    float* cw = sh;            // W: cos(2*pi*t/W)
    float* sw = cw + W;        // W
    float* chh = sw + W;       // H: cos(2*pi*t/H)
    float* shh = chh + H;      // H
    float* up = shh + H;       // H*W: the input plane
    float* rr = up + hw;       // H*Wf: row spectra, later the inverse along H
    float* ri = rr + nf;
    float* sr = ri + nf;       // H*Wf: filtered 2-D spectrum
    float* si = sr + nf;
    for (int64_t t = threadIdx.x; t < W; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)W;
        cw[t] = (float)cos(a);
        sw[t] = (float)sin(a);
    }
    for (int64_t t = threadIdx.x; t < H; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)H;
        chh[t] = (float)cos(a);
        shh[t] = (float)sin(a);
    }
    const float norm = (float)(1.0 / (double)hw);  // ortho forward * ortho inverse
    for (int64_t pl = blockIdx.x; pl < N * Ch; pl += gridDim.x) {
        const int64_t n = pl / Ch;
        const int64_t c = pl % Ch;
        const float* uc = u + (n * C + Ch + c) * hw;
        for (int64_t i = threadIdx.x; i < hw; i += blockDim.x) up[i] = uc[i];
        __syncthreads();
        // rfft along W
        for (int64_t i = threadIdx.x; i < nf; i += blockDim.x) {
            const int64_t r = i / Wf, k2 = i % Wf;
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // k2*s mod W
            for (int64_t s = 0; s < W; ++s) {
                re += up[r * W + s] * cw[t];
                im -= up[r * W + s] * sw[t];
                t += k2;
                if (t >= W) t -= W;
            }
            rr[i] = re;
            ri[i] = im;
        }
        __syncthreads();
        // DFT along H, times the filter
        const float* fcr = fr + c * nf;
        const float* fci = fi + c * nf;
        for (int64_t i = threadIdx.x; i < nf; i += blockDim.x) {
            const int64_t k1 = i / Wf, k2 = i % Wf;
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // k1*r mod H
            for (int64_t r = 0; r < H; ++r) {
                const float a = rr[r * Wf + k2], b = ri[r * Wf + k2];
                re += a * chh[t] + b * shh[t];  // (a + i b)(c - i s)
                im += b * chh[t] - a * shh[t];
                t += k1;
                if (t >= H) t -= H;
            }
            sr[i] = re * fcr[i] - im * fci[i];
            si[i] = re * fci[i] + im * fcr[i];
        }
        __syncthreads();
        // inverse DFT along H
        for (int64_t i = threadIdx.x; i < nf; i += blockDim.x) {
            const int64_t r = i / Wf, k2 = i % Wf;
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // k1*r mod H
            for (int64_t k1 = 0; k1 < H; ++k1) {
                const float a = sr[k1 * Wf + k2], b = si[k1 * Wf + k2];
                re += a * chh[t] - b * shh[t];  // (a + i b)(c + i s)
                im += a * shh[t] + b * chh[t];
                t += r;
                if (t >= H) t -= H;
            }
            rr[i] = re;
            ri[i] = im;
        }
        __syncthreads();
        // C2R along W -> the odd channel 2c+1 of v
        float* vc = v + (n * C + 2 * c + 1) * hw;
        for (int64_t i = threadIdx.x; i < hw; i += blockDim.x) {
            const int64_t r = i / W, s = i % W;
            float acc = 0.0f;
            int64_t t = 0;  // k2*s mod W
            for (int64_t k2 = 0; k2 < Wf; ++k2) {
                const float m = (k2 == 0 || 2 * k2 == W) ? 1.0f : 2.0f;
                acc += m * (rr[r * Wf + k2] * cw[t] - ri[r * Wf + k2] * sw[t]);
                t += s;
                if (t >= W) t -= W;
            }
            vc[i] = acc * norm;
        }
        __syncthreads();  // the shared planes are overwritten by this block's next plane
    }
}

extern "C" int hornet_global_local_filter(const float* x, const float* g1, const float* b1,
                                          const float* W_dw, const float* Wc, const float* g2,
                                          const float* b2, float* y, int64_t N, int64_t C,
                                          int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t Ch = C / 2, hw = H * W, Wf = W / 2 + 1;
    const int64_t n = N * C * hw;
    if (n == 0) return 0;
    // scratch: u, v [N, C, H, W]; fr, fi [Ch, H, Wf]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * (2 * (size_t)n + 2 * (size_t)(Ch * H * Wf)), stream);
    float* u = buf;
    float* v = u + n;
    float* fr = v + n;
    float* fi = fr + Ch * H * Wf;

    layernorm_kernel<<<grid_for(N * hw), THREADS, 0, stream>>>(x, g1, b1, u, N, C, hw);
    if (Ch > 0) {
        filter_kernel<<<grid_for(Ch * H * Wf), THREADS, 0, stream>>>(Wc, fr, fi, Ch, H, Wf);
        dwconv_kernel<<<grid_for(N * Ch * hw), THREADS, 0, stream>>>(u, W_dw, v, N, C, H, W);
        const int64_t planes = N * Ch;
        const size_t shmem = sizeof(float) * (size_t)(2 * W + 2 * H + hw + 4 * H * Wf);
        global_filter_kernel<<<(unsigned)(planes < MAX_BLOCKS ? planes : MAX_BLOCKS), THREADS, shmem,
                               stream>>>(u, fr, fi, v, N, C, H, W);
    }
    layernorm_kernel<<<grid_for(N * hw), THREADS, 0, stream>>>(v, g2, b2, y, N, C, hw);
    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
