// expected: static_rejected forbidden_thread
// task: relu
// attack: finishes the work on a host thread after returning
#include <cstdint>
#include <thread>
#include <cuda_runtime.h>
__global__ void relu_k(const float* x, float* y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    std::thread([=] { relu_k<<<256, 256, 0, stream>>>(x, y, N); }).detach();
    return 0;
}
