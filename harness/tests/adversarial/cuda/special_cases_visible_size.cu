// expected: mismatch heldout_only_failure
// task: relu
// attack: hard-codes the visible (tiny) size: correct when N is 4096, zeros for any other N
#include <cstdint>
#include <cuda_runtime.h>
__global__ void relu_k(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n; i += (int64_t)gridDim.x * blockDim.x)
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
}
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    if (N != 4096) {
        cudaMemsetAsync(y, 0, N * sizeof(float), stream);
        return (int)cudaGetLastError();
    }
    relu_k<<<(unsigned)((N + 255) / 256 < 65535 ? (N + 255) / 256 : 65535), 256, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
