// Emulator test (task relu, must FAIL to compile): warp shuffles are not emulated, and the
// message must say so instead of producing a wrong result.
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void relu_kernel(const float* x, float* y, int64_t n) {
    const int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    float v = i < n ? x[i] : 0.0f;
    v = __shfl_down_sync(0xffffffffu, v, 0);
    if (i < n) y[i] = fmaxf(v, 0.0f);
}

extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    relu_kernel<<<(unsigned)((N + 255) / 256), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
