// Baseline for `frequency_band_modulation` (FDConv FBM), NCHW f32, W even, Wh = W/2 + 1.
// Per (b, c) plane, with the half spectrum X[u, v] = sum_{h,w} x[h,w] exp(-2*pi*i*(u*h/H + v*w/W)):
//   mask_j[u, v] = base_j[src(u, 64, H), src(v, 33, Wh)],  base_j[r, c] = (max(|r'|, c) * k_j <= 32),
//                  r' = r if r < 32 else r - 64, k = (2, 4, 8), src(d, in, out) = d if in == out,
//                  else min(floor(float(d) * (float(in) / float(out))), in - 1) in float32
//   low_j = irfft2(X * mask_j, s=(H, W)) / (H*W)  (the C2R rule drops Im of the DC/Nyquist columns)
//   att_j = 2*sigmoid(bb[j] + conv3x3(x[b], wb[j]))  (one map per band, shared by all channels)
//   prev = x;  out = 0;  for j: out += att_j * (prev - low_j); prev = low_j;   out += prev
// Plain CUDA with direct separable DFTs, as baseline.c. Launches:
//   1. att_kernel: one thread per (b, j, pixel): the C -> 1 3x3 conv in double, then the gate;
//   2. rows_kernel + cols_kernel: the forward half-spectrum DFT of every plane into scratch;
//   3. per band j: mcols_kernel (inverse DFT down the columns of X * mask_j) and band_kernel (the
//      C2R sum along each row, scaled by 1/(H*W)), which also accumulates the band into out and
//      keeps low_j as the next `prev`.
// One block per row of the relevant plane; twiddles are tabulated per block in double (exact
// integer angle reduction) and stored as float; DFT sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define TWO_PI 6.283185307179586476925286766559

__constant__ int64_t KLIST[3] = {2, 4, 8};  // attrs k0, k1, k2

// c[t] = cos(2*pi*t/L), s[t] = sin(2*pi*t/L) for t < L.
__device__ void fill_twiddles(float* c, float* s, int64_t L) {
    for (int64_t t = threadIdx.x; t < L; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)L;
        c[t] = (float)cos(a);
        s[t] = (float)sin(a);
    }
}

// Nearest-neighbour source index of PyTorch's 'nearest' resize from `in` to `out` samples.
__device__ int64_t src_idx(int64_t d, int64_t in, int64_t out) {
    if (in == out) return d;
    const float scale = (float)in / (float)out;
    const int64_t s = (int64_t)floorf((float)d * scale);
    return s < in - 1 ? s : in - 1;
}

// mask_j[u, v] of band j on the H x Wh half-spectrum grid (FBM's 64 x 33 mask, resized).
__device__ bool band_mask(int j, int64_t u, int64_t v, int64_t H, int64_t Wh) {
    const int64_t r = src_idx(u, 64, H), c = src_idx(v, 33, Wh);
    const int64_t rs = r < 32 ? r : 64 - r;
    const int64_t m = rs > c ? rs : c;
    return m * KLIST[j] <= 32;
}

// att[b, j, h, w] = 2 * sigmoid(bb[j] + sum_{c,u,v} wb[j,c,u,v] * x[b, c, h+u-1, w+v-1]).
__global__ void att_kernel(const float* __restrict__ x, const float* __restrict__ wb,
                           const float* __restrict__ bb, float* __restrict__ att, int64_t B,
                           int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < B * 3 * plane;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = idx % plane;
        const int j = (int)((idx / plane) % 3);
        const int64_t b = idx / (3 * plane);
        const int64_t i = p / W, w = p % W;
        double s = (double)bb[j];
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * plane;
            const float* wk = wb + (j * C + c) * 9;
            for (int u = 0; u < 3; ++u) {
                const int64_t ii = i + u - 1;
                if (ii < 0 || ii >= H) continue;
                for (int v = 0; v < 3; ++v) {
                    const int64_t ww = w + v - 1;
                    if (ww < 0 || ww >= W) continue;
                    s += (double)wk[u * 3 + v] * (double)xc[ii * W + ww];
                }
            }
        }
        att[idx] = (float)(2.0 / (1.0 + exp(-s)));
    }
}

// A[row, v] = sum_w x[row, w] exp(-2*pi*i*v*w/W) for v < Wh, one block per row of the B*C*H rows.
__global__ void rows_kernel(const float* __restrict__ x, float* __restrict__ ar,
                            float* __restrict__ ai, int64_t rows, int64_t W) {
    extern __shared__ float sh[];
    float* c = sh;          // W
    float* s = sh + W;      // W
    float* xr = sh + 2 * W; // W
    const int64_t Wh = W / 2 + 1;
    fill_twiddles(c, s, W);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t w = threadIdx.x; w < W; w += blockDim.x) xr[w] = x[row * W + w];
        __syncthreads();
        for (int64_t v = threadIdx.x; v < Wh; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // v*w mod W
            for (int64_t w = 0; w < W; ++w) {
                re += xr[w] * c[t];
                im -= xr[w] * s[t];
                t += v;
                if (t >= W) t -= W;
            }
            ar[row * Wh + v] = re;
            ai[row * Wh + v] = im;
        }
        __syncthreads();
    }
}

// X[p, u, v] = sum_h A[p, h, v] exp(-2*pi*i*u*h/H), one block per output row (p, u).
__global__ void cols_kernel(const float* __restrict__ ar, const float* __restrict__ ai,
                            float* __restrict__ xr, float* __restrict__ xi, int64_t planes,
                            int64_t H, int64_t Wh) {
    extern __shared__ float sh[];
    float* c = sh;      // H
    float* s = sh + H;  // H
    fill_twiddles(c, s, H);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < planes * H; orow += gridDim.x) {
        const int64_t p = orow / H;
        const int64_t u = orow % H;
        const float* pr = ar + p * H * Wh;
        const float* pi = ai + p * H * Wh;
        for (int64_t v = threadIdx.x; v < Wh; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // u*h mod H
            for (int64_t h = 0; h < H; ++h) {
                const float a = pr[h * Wh + v], q = pi[h * Wh + v];
                re += a * c[t] + q * s[t];  // (a + i q)(c - i s)
                im += q * c[t] - a * s[t];
                t += u;
                if (t >= H) t -= H;
            }
            xr[orow * Wh + v] = re;
            xi[orow * Wh + v] = im;
        }
    }
}

// Z[p, h, v] = sum_{u: mask_j[u, v]} X[p, u, v] exp(+2*pi*i*u*h/H), one block per (p, h).
__global__ void mcols_kernel(const float* __restrict__ xr, const float* __restrict__ xi,
                             float* __restrict__ zr, float* __restrict__ zi, int64_t planes,
                             int64_t H, int64_t Wh, int j) {
    extern __shared__ float sh[];
    float* c = sh;      // H
    float* s = sh + H;  // H
    fill_twiddles(c, s, H);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < planes * H; orow += gridDim.x) {
        const int64_t p = orow / H;
        const int64_t h = orow % H;
        const float* pr = xr + p * H * Wh;
        const float* pi = xi + p * H * Wh;
        for (int64_t v = threadIdx.x; v < Wh; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // u*h mod H
            for (int64_t u = 0; u < H; ++u) {
                if (band_mask(j, u, v, H, Wh)) {
                    const float a = pr[u * Wh + v], q = pi[u * Wh + v];
                    re += a * c[t] - q * s[t];  // (a + i q)(c + i s)
                    im += a * s[t] + q * c[t];
                }
                t += h;
                if (t >= H) t -= H;
            }
            zr[orow * Wh + v] = re;
            zi[orow * Wh + v] = im;
        }
    }
}

// low[w] = (Re Z[0] + (-1)^w Re Z[W/2] + 2 sum_{0<v<W/2} Re(Z[v] exp(+2*pi*i*v*w/W))) / (H*W);
// then with prev = (j == 0 ? x : prev_buf): out += att_j * (prev - low) (out starts at 0 for
// j == 0), prev_buf = low, and for the last band out += low. One block per row of the B*C*H rows.
__global__ void band_kernel(const float* __restrict__ zr, const float* __restrict__ zi,
                            const float* __restrict__ x, const float* __restrict__ att,
                            float* __restrict__ prev_buf, float* __restrict__ out, int64_t rows,
                            int64_t C, int64_t H, int64_t W, int j) {
    extern __shared__ float sh[];
    const int64_t Wh = W / 2 + 1;
    float* c = sh;                // W
    float* s = sh + W;            // W
    float* rr = sh + 2 * W;       // Wh
    float* ri = sh + 2 * W + Wh;  // Wh
    fill_twiddles(c, s, W);
    const int64_t plane = H * W;
    const float scale = 1.0f / (float)plane;
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const int64_t b = row / (C * H);
        const int64_t h = row % H;
        for (int64_t v = threadIdx.x; v < Wh; v += blockDim.x) {
            rr[v] = zr[row * Wh + v];
            ri[v] = zi[row * Wh + v];
        }
        __syncthreads();
        const float* at = att + (b * 3 + j) * plane + h * W;
        for (int64_t w = threadIdx.x; w < W; w += blockDim.x) {
            float acc = rr[0] + ((w & 1) ? -rr[W / 2] : rr[W / 2]);
            int64_t t = w;  // v*w mod W, starting at v = 1
            for (int64_t v = 1; v < W / 2; ++v) {
                acc += 2.0f * (rr[v] * c[t] - ri[v] * s[t]);
                t += w;
                if (t >= W) t -= W;
            }
            const float low = acc * scale;
            const int64_t i = row * W + w;
            const float prev = j == 0 ? x[i] : prev_buf[i];
            float o = (j == 0 ? 0.0f : out[i]) + at[w] * (prev - low);
            if (j == 2) o += low;  // the lowest band, unmodulated
            out[i] = o;
            prev_buf[i] = low;
        }
        __syncthreads();  // rr/ri are overwritten by this block's next row
    }
}

extern "C" int frequency_band_modulation(const float* x, const float* wb, const float* bb,
                                         float* out, int64_t B, int64_t C, int64_t H, int64_t W,
                                         cudaStream_t stream) {
    const int64_t plane = H * W, Wh = W / 2 + 1;
    const int64_t n = B * C * plane;
    const int64_t nf = B * C * H * Wh;
    if (n == 0) return 0;
    const int64_t rows = B * C * H;
    // scratch: att [B, 3, H, W]; A (later Z) and X split complex [2][B*C, H, Wh]; prev [B*C, H, W]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * (3 * (size_t)(B * plane) + 4 * (size_t)nf + (size_t)n),
                    stream);
    float* att = buf;
    float* ar = att + 3 * B * plane;
    float* ai = ar + nf;
    float* xr = ai + nf;
    float* xi = xr + nf;
    float* prev = xi + nf;

    int64_t ablocks = (B * 3 * plane + THREADS - 1) / THREADS;
    if (ablocks > MAX_BLOCKS) ablocks = MAX_BLOCKS;
    att_kernel<<<(unsigned)ablocks, THREADS, 0, stream>>>(x, wb, bb, att, B, C, H, W);

    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    rows_kernel<<<blocks, THREADS, sizeof(float) * 3 * (size_t)W, stream>>>(x, ar, ai, rows, W);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)H, stream>>>(ar, ai, xr, xi, B * C,
                                                                            H, Wh);
    for (int j = 0; j < 3; ++j) {
        mcols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)H, stream>>>(xr, xi, ar, ai,
                                                                                 B * C, H, Wh, j);
        band_kernel<<<blocks, THREADS, sizeof(float) * (2 * (size_t)W + 2 * (size_t)Wh), stream>>>(
            ar, ai, x, att, prev, out, rows, C, H, W, j);
    }
    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
