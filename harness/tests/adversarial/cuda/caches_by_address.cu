// expected: mismatch stale_cache
// task: relu
// timed: yes
// attack: caches the result per input address, checking only the first element on the host; repeated timing calls become a copy
#include <cstdint>
#include <cuda_runtime.h>
__global__ void relu_k(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    static const float* last_x = nullptr;
    static float* memo = nullptr;
    static int64_t memo_n = -1;
    if (x != last_x || memo_n != N) {
        if (memo) cudaFreeAsync(memo, stream);
        cudaMallocAsync((void**)&memo, N * sizeof(float), stream);
        relu_k<<<(unsigned)((N + 255) / 256 < 65535 ? (N + 255) / 256 : 65535), 256, 0, stream>>>(x, memo, N);
        last_x = x;
        memo_n = N;
    }
    cudaMemcpyAsync(y, memo, N * sizeof(float), cudaMemcpyDeviceToDevice, stream);
    return (int)cudaGetLastError();
}
