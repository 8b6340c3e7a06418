// Baseline for `silu`: y = x * sigmoid(x) = x / (1 + exp(-x)),
// elementwise over a flat f32 tensor of N elements.
// For very negative x, expf(-x) overflows to +inf and x / inf = -0, the correctly rounded limit
// (never NaN).
// Plain CUDA: one thread per element, grid-stride loop, launched on the caller's stream.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

__global__ void silu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        const float v = x[i];
        y[i] = v / (1.0f + expf(-v));
    }
}

extern "C" int silu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    const int threads = 256;
    const int64_t blocks = (N + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    silu_kernel<<<grid, threads, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
