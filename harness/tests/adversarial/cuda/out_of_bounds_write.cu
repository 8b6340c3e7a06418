// expected: runtime_error -
// task: relu
// attack: writes far past the end of its output (an illegal address), which must become a recorded runtime error (sticky CUDA error), not a harness crash
#include <cstdint>
#include <cuda_runtime.h>
__global__ void relu_k(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        if (i == 0) y[n + (int64_t)1 << 40] = 1.0f;
    }
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    relu_k<<<(unsigned)((N + 255) / 256 < 65535 ? (N + 255) / 256 : 65535), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
