// Emulator test (task sum_reduce, must FAIL with a mismatch): 512 threads per row, but only the
// first min(D, 512) store their partial sum, and the tree reduction then adds all 512 slots. On a
// GPU the unwritten slots hold whatever the previous block left; here they are NaN, so the rows
// with D < 512 come out wrong.
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void row_sum(const float* x, float* y, int64_t D) {
    __shared__ float s[512];
    const int64_t row = blockIdx.x;
    if (threadIdx.x < D) {
        float acc = 0.0f;
        for (int64_t d = threadIdx.x; d < D; d += 512) acc += x[row * D + d];
        s[threadIdx.x] = acc;
    }
    __syncthreads();
    for (int stride = 256; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) s[threadIdx.x] += s[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) y[row] = s[0];
}

extern "C" int sum_reduce(const float* x, float* y, int64_t R, int64_t D, cudaStream_t stream) {
    row_sum<<<(unsigned)R, 512, 0, stream>>>(x, y, D);
    return (int)cudaGetLastError();
}
