// Baseline for `hardswish`: y = x * min(max(x + 3, 0), 6) / 6,
// elementwise over a flat f32 tensor of N elements.
// Piecewise: 0 for x <= -3, x for x >= 3, x * (x + 3) / 6 in between.
// Plain CUDA: one thread per element, grid-stride loop, launched on the caller's stream.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

__global__ void hardswish_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        const float v = x[i];
        const float r = fminf(fmaxf(v + 3.0f, 0.0f), 6.0f);
        y[i] = v * r / 6.0f;
    }
}

extern "C" int hardswish(const float* x, float* y, int64_t N, cudaStream_t stream) {
    const int threads = 256;
    const int64_t blocks = (N + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    hardswish_kernel<<<grid, threads, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
