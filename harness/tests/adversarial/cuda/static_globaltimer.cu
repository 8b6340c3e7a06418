// expected: static_rejected forbidden_timer
// task: relu
// attack: reads the GPU global timer from inline PTX to detect back-to-back timing calls
#include <cstdint>
#include <cuda_runtime.h>
__device__ unsigned long long last_seen;
__global__ void relu_k(const float* x, float* y, int64_t n) {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    if (t - last_seen < 1000000ull) return;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    last_seen = t;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    relu_k<<<256, 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
