// Baseline for `fadc_freq_select` (FADC FreqSelect), NCHW f32. Per (b, c) plane, with the 2-D DFT
// X = fft2(x, norm="ortho") and the box masks keep_j = kh_j (x) kw_j of the fftshift-ed spectrum
// (kh_j[u]: lo <= (u + H/2) mod H < hi, lo/hi = rint(H/2 -/+ H/(2 k_j)), k = 2, 4, 8; same for W):
//   low_j = Re(ifft2(X * keep_j, norm="ortho")),  att_j = 2*sigmoid(bb[j] + conv3x3(x[b], wb[j]))
//   prev = x;  y = 0;  for j: y += att_j * (prev - low_j); prev = low_j;   y += prev
// Plain CUDA with direct separable DFTs (as baseline.c, whose DFTs are also direct). Launches:
//   1. att_kernel: one thread per (b, j, pixel): the C -> 1 3x3 conv in double, then the gate;
//   2. rows_kernel + cols_kernel: the forward 2-D DFT (unscaled) of every plane into scratch;
//   3. per box j: mcols_kernel (inverse DFT down the columns over the kept rows u, only for the
//      kept columns v) and band_kernel (inverse DFT along each row over the kept columns, real
//      part, scaled by 1/(H*W) = the two ortho factors), which also accumulates the band into y
//      and keeps low_j as the next `prev`.
// One block per row of the relevant plane; twiddles are tabulated per block in double (exact
// integer angle reduction) and stored as float; DFT sums are in float.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define TWO_PI 6.283185307179586476925286766559

__constant__ double KF[3] = {2.0, 4.0, 8.0};  // attrs k1, k2, k3

// c[t] = cos(2*pi*t/L), s[t] = sin(2*pi*t/L) for t < L.
__device__ void fill_twiddles(float* c, float* s, int64_t L) {
    for (int64_t t = threadIdx.x; t < L; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)L;
        c[t] = (float)cos(a);
        s[t] = (float)sin(a);
    }
}

// Is frequency index u of an axis of length n inside box j (taken in the fftshift-ed spectrum)?
__device__ bool keep(int64_t n, int j, int64_t u) {
    const double lo = rint((double)n / 2.0 - (double)n / (2.0 * KF[j]));  // round half to even
    const double hi = rint((double)n / 2.0 + (double)n / (2.0 * KF[j]));
    const double s = (double)((u + n / 2) % n);
    return s >= lo && s < hi;
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

// A[row, v] = sum_w x[row, w] exp(-2*pi*i*v*w/W), one block per row of the B*C*H rows.
__global__ void rows_kernel(const float* __restrict__ x, float* __restrict__ ar,
                            float* __restrict__ ai, int64_t rows, int64_t W) {
    extern __shared__ float sh[];
    float* c = sh;          // W
    float* s = sh + W;      // W
    float* xr = sh + 2 * W; // W
    fill_twiddles(c, s, W);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t w = threadIdx.x; w < W; w += blockDim.x) xr[w] = x[row * W + w];
        __syncthreads();
        for (int64_t v = threadIdx.x; v < W; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // v*w mod W
            for (int64_t w = 0; w < W; ++w) {
                re += xr[w] * c[t];
                im -= xr[w] * s[t];
                t += v;
                if (t >= W) t -= W;
            }
            ar[row * W + v] = re;
            ai[row * W + v] = im;
        }
        __syncthreads();
    }
}

// X[p, u, v] = sum_h A[p, h, v] exp(-2*pi*i*u*h/H), one block per output row (p, u).
__global__ void cols_kernel(const float* __restrict__ ar, const float* __restrict__ ai,
                            float* __restrict__ xr, float* __restrict__ xi, int64_t planes,
                            int64_t H, int64_t W) {
    extern __shared__ float sh[];
    float* c = sh;      // H
    float* s = sh + H;  // H
    fill_twiddles(c, s, H);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < planes * H; orow += gridDim.x) {
        const int64_t p = orow / H;
        const int64_t u = orow % H;
        const float* pr = ar + p * H * W;
        const float* pi = ai + p * H * W;
        for (int64_t v = threadIdx.x; v < W; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // u*h mod H
            for (int64_t h = 0; h < H; ++h) {
                const float a = pr[h * W + v], q = pi[h * W + v];
                re += a * c[t] + q * s[t];  // (a + i q)(c - i s)
                im += q * c[t] - a * s[t];
                t += u;
                if (t >= H) t -= H;
            }
            xr[orow * W + v] = re;
            xi[orow * W + v] = im;
        }
    }
}

// Z[p, h, v] = kw_j[v] ? sum_{u: kh_j[u]} X[p, u, v] exp(+2*pi*i*u*h/H) : 0, one block per (p, h).
__global__ void mcols_kernel(const float* __restrict__ xr, const float* __restrict__ xi,
                             float* __restrict__ zr, float* __restrict__ zi, int64_t planes,
                             int64_t H, int64_t W, int j) {
    extern __shared__ float sh[];
    float* c = sh;      // H
    float* s = sh + H;  // H
    fill_twiddles(c, s, H);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < planes * H; orow += gridDim.x) {
        const int64_t p = orow / H;
        const int64_t h = orow % H;
        const float* pr = xr + p * H * W;
        const float* pi = xi + p * H * W;
        for (int64_t v = threadIdx.x; v < W; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            if (keep(W, j, v)) {
                int64_t t = 0;  // u*h mod H
                for (int64_t u = 0; u < H; ++u) {
                    if (keep(H, j, u)) {
                        const float a = pr[u * W + v], q = pi[u * W + v];
                        re += a * c[t] - q * s[t];  // (a + i q)(c + i s)
                        im += a * s[t] + q * c[t];
                    }
                    t += h;
                    if (t >= H) t -= H;
                }
            }
            zr[orow * W + v] = re;
            zi[orow * W + v] = im;
        }
    }
}

// low = Re(sum_v Z[p, h, v] exp(+2*pi*i*v*w/W)) / (H*W); then with prev = (j == 0 ? x : prev_buf):
// y += att_j * (prev - low) (y starts at 0 for j == 0), prev_buf = low, and for the last box
// y += low. One block per row (p, h) of the B*C*H rows.
__global__ void band_kernel(const float* __restrict__ zr, const float* __restrict__ zi,
                            const float* __restrict__ x, const float* __restrict__ att,
                            float* __restrict__ prev_buf, float* __restrict__ y, int64_t rows,
                            int64_t C, int64_t H, int64_t W, int j) {
    extern __shared__ float sh[];
    float* c = sh;           // W
    float* s = sh + W;       // W
    float* rr = sh + 2 * W;  // W
    float* ri = sh + 3 * W;  // W
    fill_twiddles(c, s, W);
    const int64_t plane = H * W;
    const float scale = (float)(1.0 / (double)plane);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const int64_t b = row / (C * H);
        const int64_t h = row % H;
        for (int64_t v = threadIdx.x; v < W; v += blockDim.x) {
            rr[v] = zr[row * W + v];
            ri[v] = zi[row * W + v];
        }
        __syncthreads();
        const float* at = att + (b * 3 + j) * plane + h * W;
        for (int64_t w = threadIdx.x; w < W; w += blockDim.x) {
            float acc = 0.0f;
            int64_t t = 0;  // v*w mod W
            for (int64_t v = 0; v < W; ++v) {
                acc += rr[v] * c[t] - ri[v] * s[t];
                t += w;
                if (t >= W) t -= W;
            }
            const float low = acc * scale;
            const int64_t i = row * W + w;
            const float prev = j == 0 ? x[i] : prev_buf[i];
            float out = (j == 0 ? 0.0f : y[i]) + at[w] * (prev - low);
            if (j == 2) out += low;  // the lowest band, unweighted
            y[i] = out;
            prev_buf[i] = low;
        }
        __syncthreads();  // rr/ri are overwritten by this block's next row
    }
}

extern "C" int fadc_freq_select(const float* x, const float* wb, const float* bb, float* y,
                                int64_t B, int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t plane = H * W;
    const int64_t n = B * C * plane;
    if (n == 0) return 0;
    const int64_t rows = B * C * H;
    // scratch: att [B, 3, H, W]; A (later Z) and X split complex [2][B*C, H, W]; prev [B*C, H, W]
    float* buf = nullptr;
    cudaMallocAsync((void**)&buf, sizeof(float) * (3 * (size_t)(B * plane) + 5 * (size_t)n), stream);
    float* att = buf;
    float* ar = att + 3 * B * plane;
    float* ai = ar + n;
    float* xr = ai + n;
    float* xi = xr + n;
    float* prev = xi + n;

    int64_t ablocks = (B * 3 * plane + THREADS - 1) / THREADS;
    if (ablocks > MAX_BLOCKS) ablocks = MAX_BLOCKS;
    att_kernel<<<(unsigned)ablocks, THREADS, 0, stream>>>(x, wb, bb, att, B, C, H, W);

    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    rows_kernel<<<blocks, THREADS, sizeof(float) * 3 * (size_t)W, stream>>>(x, ar, ai, rows, W);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)H, stream>>>(ar, ai, xr, xi, B * C,
                                                                            H, W);
    for (int j = 0; j < 3; ++j) {
        mcols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)H, stream>>>(xr, xi, ar, ai,
                                                                                 B * C, H, W, j);
        band_kernel<<<blocks, THREADS, sizeof(float) * 4 * (size_t)W, stream>>>(
            ar, ai, x, att, prev, y, rows, C, H, W, j);
    }
    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
