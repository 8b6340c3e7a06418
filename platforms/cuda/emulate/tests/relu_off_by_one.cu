// Emulator test (task relu, must FAIL): the bounds check is off by one (`<=`), so the last thread
// reads x[N] and writes y[N]. The emulator must report the write past the end of `y`.
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void relu_kernel(const float* x, float* y, int64_t n) {
    const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    if (i <= n) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}

extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    relu_kernel<<<(unsigned)((N + 1 + 255) / 256), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
