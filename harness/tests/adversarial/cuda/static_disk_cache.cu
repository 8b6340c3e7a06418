// expected: static_rejected forbidden_file_io
// task: relu
// attack: keeps answers in a file so later calls (and later processes) skip the work
#include <cstdint>
#include <cstdio>
#include <cuda_runtime.h>
__global__ void relu_k(const float* x, float* y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    FILE* f = fopen("relu.cache", "rb");
    if (f) { fclose(f); return 0; }
    relu_k<<<256, 256, 0, stream>>>(x, y, N);
    f = fopen("relu.cache", "wb");
    if (f) fclose(f);
    return (int)cudaGetLastError();
}
