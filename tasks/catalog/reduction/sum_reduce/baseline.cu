// Baseline for `sum_reduce`: y[r] = sum_d x[r, d] over a row-major [R, D] f32 tensor.
// Plain CUDA, one launch, one block per row (grid-stride over rows): each thread sums a strided
// slice of the row in double (coalesced loads), a shared-memory tree reduction adds the THREADS
// partial sums, and the row total is rounded once to float, as the reference does.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256       // a power of two for the tree reduction
#define MAX_BLOCKS 65535

__global__ void sum_reduce_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t R,
                                  int64_t D) {
    __shared__ double red[THREADS];
    for (int64_t r = blockIdx.x; r < R; r += gridDim.x) {
        const float* xr = x + r * D;
        double s = 0.0;
        for (int64_t d = threadIdx.x; d < D; d += THREADS) s += (double)xr[d];
        red[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) red[threadIdx.x] += red[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) y[r] = (float)red[0];
        __syncthreads();  // red[] is reused by this block's next row
    }
}

extern "C" int sum_reduce(const float* x, float* y, int64_t R, int64_t D, cudaStream_t stream) {
    if (R == 0) return 0;
    const unsigned blocks = (unsigned)(R < MAX_BLOCKS ? R : MAX_BLOCKS);
    sum_reduce_kernel<<<blocks, THREADS, 0, stream>>>(x, y, R, D);
    return (int)cudaGetLastError();
}
