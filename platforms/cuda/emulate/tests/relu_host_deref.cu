// Emulator test (task relu, must FAIL): host code reads a device pointer (`x[0]`), which crashes
// on a GPU machine; the emulator must name the buffer instead of quietly reading it.
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void relu_kernel(const float* x, float* y, int64_t n) {
    const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    if (i < n) y[i] = fmaxf(x[i], 0.0f);
}

extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    if (x[0] != x[0]) return 1;  // the bug: x is a device pointer
    relu_kernel<<<(unsigned)((N + 255) / 256), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
