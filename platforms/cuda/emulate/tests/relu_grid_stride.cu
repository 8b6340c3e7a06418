// Emulator test (task relu, must pass): a grid-stride loop over a fixed, small grid, so every
// thread handles several elements; a barrier-free kernel (run without an OpenMP team).
#include <cuda_runtime.h>
#include <stdint.h>

__global__ void relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = fmaxf(__ldg(&x[i]), 0.0f);
}

extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    relu_kernel<<<7, 128, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
