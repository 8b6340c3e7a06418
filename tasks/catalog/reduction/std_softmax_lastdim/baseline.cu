// Baseline for `std_softmax_lastdim`: numerically stable softmax over the last axis of a
// row-major [R, D] tensor:
//   m[r]   = max_d x[r, d]
//   y[r,d] = exp(x[r,d] - m[r]) / sum_{d'} exp(x[r,d'] - m[r])
// Plain CUDA, one launch, one block per row (grid-stride over rows). Three passes over the row,
// as in baseline.c:
//   1. row maximum: per-thread strided max, then a shared-memory tree reduction;
//   2. e = expf(x - m) is written to y and summed in double (per thread, then a tree reduction);
//   3. y *= 1 / sum.
// Subtracting the row maximum keeps expf from overflowing (every e is in (0, 1]); -inf inputs
// give exactly 0. Each thread rescales in pass 3 exactly the elements it wrote in pass 2, so the
// block needs no barrier between those two passes beyond the one inside the reduction.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256       // threads per block; a power of two for the tree reductions
#define MAX_BLOCKS 65535  // grid cap; the row loop is grid-stride

__global__ void softmax_kernel(const float* __restrict__ x, float* __restrict__ y,
                               int64_t R, int64_t D) {
    __shared__ float red_max[THREADS];
    __shared__ double red_sum[THREADS];
    for (int64_t r = blockIdx.x; r < R; r += gridDim.x) {
        const float* xr = x + r * D;
        float* yr = y + r * D;

        // Pass 1: row maximum.
        float m = -INFINITY;
        for (int64_t d = threadIdx.x; d < D; d += THREADS) m = fmaxf(m, xr[d]);
        red_max[threadIdx.x] = m;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride)
                red_max[threadIdx.x] = fmaxf(red_max[threadIdx.x], red_max[threadIdx.x + stride]);
            __syncthreads();
        }
        m = red_max[0];

        // Pass 2: shifted exponentials (kept in y) and their sum in double.
        double s = 0.0;
        for (int64_t d = threadIdx.x; d < D; d += THREADS) {
            const float e = expf(xr[d] - m);
            yr[d] = e;
            s += (double)e;
        }
        red_sum[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) red_sum[threadIdx.x] += red_sum[threadIdx.x + stride];
            __syncthreads();
        }

        // Pass 3: normalise.
        const float inv = (float)(1.0 / red_sum[0]);
        for (int64_t d = threadIdx.x; d < D; d += THREADS) yr[d] *= inv;
        __syncthreads();  // red_max/red_sum are reused by this block's next row
    }
}

extern "C" int std_softmax_lastdim(const float* x, float* y, int64_t R, int64_t D,
                                   cudaStream_t stream) {
    if (R == 0 || D == 0) return 0;
    const unsigned blocks = (unsigned)(R < MAX_BLOCKS ? R : MAX_BLOCKS);
    softmax_kernel<<<blocks, THREADS, 0, stream>>>(x, y, R, D);
    return (int)cudaGetLastError();
}
