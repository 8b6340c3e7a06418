// Baseline for `std_group_norm`, NCHW f32, GROUPS groups of Cg = C/GROUPS consecutive channels:
//   mean, var (biased) over the Cg*H*W contiguous values of each (b, group)
//   y[b,c,h,w] = (x - mean) / sqrt(var + EPS) * gamma[c] + beta[c]
// Plain CUDA, one launch, one block per (b, group) (grid-stride). The group is one contiguous
// span of Cg*H*W floats, so the block makes three coalesced passes over it, as in baseline.c:
//   1. sum in double (per thread, then a shared-memory tree reduction) -> mean;
//   2. sum of squared deviations in double -> var (two-pass, not E[x^2] - E[x]^2);
//   3. y = x * scale[c] + shift[c] with the per-channel affine folded in.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define GROUPS 8          // attr groups
#define EPS 1e-5          // attr eps
#define THREADS 256       // a power of two for the tree reduction
#define MAX_BLOCKS 65535

// Sum of v over the block, returned to every thread (buf: THREADS doubles, reusable on return).
__device__ double block_sum(double v, double* buf) {
    buf[threadIdx.x] = v;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) buf[threadIdx.x] += buf[threadIdx.x + stride];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

__global__ void group_norm_kernel(const float* __restrict__ x, const float* __restrict__ gamma,
                                  const float* __restrict__ beta, float* __restrict__ y,
                                  int64_t B, int64_t C, int64_t plane) {
    __shared__ double buf[THREADS];
    const int64_t cg = C / GROUPS;
    const int64_t count = cg * plane;
    for (int64_t bg = blockIdx.x; bg < B * GROUPS; bg += gridDim.x) {
        const int64_t g = bg % GROUPS;
        const int64_t start = bg * count;  // = (b*C + g*cg) * plane
        const float* xs = x + start;
        float* ys = y + start;

        double s = 0.0;
        for (int64_t i = threadIdx.x; i < count; i += THREADS) s += (double)xs[i];
        const double mean = block_sum(s, buf) / (double)count;

        double v = 0.0;
        for (int64_t i = threadIdx.x; i < count; i += THREADS) {
            const double d = (double)xs[i] - mean;
            v += d * d;
        }
        const double inv_std = 1.0 / sqrt(block_sum(v, buf) / (double)count + EPS);

        for (int64_t ci = 0; ci < cg; ++ci) {
            const int64_t c = g * cg + ci;
            const double sc = inv_std * (double)gamma[c];
            const double sh = (double)beta[c] - mean * sc;
            const float* xc = xs + ci * plane;
            float* yc = ys + ci * plane;
            for (int64_t p = threadIdx.x; p < plane; p += THREADS)
                yc[p] = (float)((double)xc[p] * sc + sh);
        }
    }
}

extern "C" int std_group_norm(const float* x, const float* gamma, const float* beta, float* y,
                              int64_t B, int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t blocks = B * GROUPS;
    if (blocks == 0 || C == 0 || H * W == 0) return 0;
    group_norm_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        x, gamma, beta, y, B, C, H * W);
    return (int)cudaGetLastError();
}
