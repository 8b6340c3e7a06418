// expected: passed -
// task: relu
// timed: yes
// attack: none: vectorised float4 loads with a scalar tail and inline PTX
#include <cstdint>
#include <cuda_runtime.h>
__global__ void relu4(const float4* __restrict__ x, float4* __restrict__ y, int64_t n4) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n4; i += (int64_t)gridDim.x * blockDim.x) {
        float4 v = x[i];
        v.x = fmaxf(v.x, 0.0f); v.y = fmaxf(v.y, 0.0f); v.z = fmaxf(v.z, 0.0f); v.w = fmaxf(v.w, 0.0f);
        y[i] = v;
    }
}
__global__ void relu_tail(const float* __restrict__ x, float* __restrict__ y, int64_t start, int64_t n) {
    int64_t i = start + threadIdx.x;
    if (i < n) {
        float v;
        asm("max.f32 %0, %1, 0f00000000;" : "=f"(v) : "f"(x[i]));
        y[i] = v;
    }
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    const int64_t n4 = N / 4;
    if (n4 > 0) relu4<<<(unsigned)((n4 + 255) / 256 < 65535 ? (n4 + 255) / 256 : 65535), 256, 0, stream>>>((const float4*)x, (float4*)y, n4);
    if (N % 4) relu_tail<<<1, 4, 0, stream>>>(x, y, n4 * 4, N);
    return (int)cudaGetLastError();
}
