// Baseline for `masked_average_pooling` (PANet/PFENet-style MAP), f32 in, double accumulation:
//   m[s] = bilinear_resize(mask[s], (H, W)), align_corners = False
//   proto[c] = mean_s ( sum_hw feat[s,c]*m[s] / (sum_hw m[s] + EPS) )
// Plain CUDA in three launches, all arithmetic in double like the reference:
//   resize_kernel (one thread per resized mask pixel, into scratch), mask_sum_kernel (one block
//   per shot: the denominator sum_hw m[s] + EPS, tree reduction) and proto_kernel (one block per
//   channel: for each shot a tree-reduced dot product of the feature plane with m[s]).
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr double EPS = 1e-5;  // attr eps
constexpr int THREADS = 256;  // power of two (tree reductions)

// Source taps of output index d along an axis resized from n_in to n_out samples.
__device__ void taps(int64_t d, int64_t n_in, int64_t n_out, int64_t* i0, int64_t* i1, double* lam) {
    double src = ((double)d + 0.5) * ((double)n_in / (double)n_out) - 0.5;
    if (src < 0.0) src = 0.0;
    int64_t a = (int64_t)floor(src);
    if (a > n_in - 1) a = n_in - 1;
    *i0 = a;
    *i1 = a + 1 < n_in ? a + 1 : n_in - 1;
    *lam = src - (double)a;
}

// m[s, i, j]: rows interpolated first, then columns (the product of the two weights).
__global__ void resize_kernel(const float* __restrict__ mask, double* __restrict__ m, int64_t S,
                              int64_t H, int64_t W, int64_t H0, int64_t W0) {
    const int64_t total = S * H * W;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t s = idx / (W * H);
        int64_t r0, r1, c0, c1;
        double ly, lx;
        taps(i, H0, H, &r0, &r1, &ly);
        taps(j, W0, W, &c0, &c1, &lx);
        const float* ms = mask + s * H0 * W0;
        // Row-interpolated values at source columns c0 and c1, then blended along the columns.
        const double left = (1.0 - ly) * (double)ms[r0 * W0 + c0] + ly * (double)ms[r1 * W0 + c0];
        const double right = (1.0 - ly) * (double)ms[r0 * W0 + c1] + ly * (double)ms[r1 * W0 + c1];
        m[idx] = (1.0 - lx) * left + lx * right;
    }
}

// Sum of v over the block, returned to every thread (all threads must call it).
__device__ double block_sum(double v, double* buf) {
    const int t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] += buf[t + s];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

// denom[s] = sum_hw m[s] + EPS; one block per shot.
__global__ void mask_sum_kernel(const double* __restrict__ m, double* __restrict__ denom, int64_t S,
                                int64_t plane) {
    __shared__ double buf[THREADS];
    for (int64_t s = blockIdx.x; s < S; s += gridDim.x) {
        double part = 0.0;
        for (int64_t q = threadIdx.x; q < plane; q += THREADS) part += m[s * plane + q];
        const double total = block_sum(part, buf);
        if (threadIdx.x == 0) denom[s] = total + EPS;
    }
}

// proto[c] = (1/S) sum_s (sum_q feat[s,c,q] * m[s,q]) / denom[s]; one block per channel.
__global__ void proto_kernel(const float* __restrict__ feat, const double* __restrict__ m,
                             const double* __restrict__ denom, float* __restrict__ proto, int64_t S,
                             int64_t C, int64_t plane) {
    __shared__ double buf[THREADS];
    for (int64_t c = blockIdx.x; c < C; c += gridDim.x) {
        double acc = 0.0;  // identical in every thread (block_sum broadcasts)
        for (int64_t s = 0; s < S; ++s) {
            const float* f = feat + (s * C + c) * plane;
            const double* ms = m + s * plane;
            double part = 0.0;
            for (int64_t q = threadIdx.x; q < plane; q += THREADS) part += (double)f[q] * ms[q];
            acc += block_sum(part, buf) / denom[s];
        }
        if (threadIdx.x == 0) proto[c] = (float)(acc / (double)S);
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int masked_average_pooling(const float* feat, const float* mask, float* proto, int64_t S,
                                      int64_t C, int64_t H, int64_t W, int64_t H0, int64_t W0,
                                      cudaStream_t stream) {
    const int64_t plane = H * W;
    double* m = nullptr;  // resized masks [S, H, W], then denom [S]
    cudaError_t err = cudaMallocAsync((void**)&m, sizeof(double) * (size_t)(S * plane + S), stream);
    if (err != cudaSuccess) return (int)err;
    double* denom = m + S * plane;

    resize_kernel<<<capped((S * plane + THREADS - 1) / THREADS), THREADS, 0, stream>>>(mask, m, S, H, W,
                                                                                      H0, W0);
    mask_sum_kernel<<<capped(S), THREADS, 0, stream>>>(m, denom, S, plane);
    proto_kernel<<<capped(C), THREADS, 0, stream>>>(feat, m, denom, proto, S, C, plane);
    err = cudaGetLastError();

    cudaFreeAsync(m, stream);
    return (int)err;
}
