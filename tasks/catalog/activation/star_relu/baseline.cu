// Baseline for `star_relu`: y = s * relu(x)^2 + b with s = 0.8944, b = -0.4472,
// elementwise over a flat f32 tensor of N elements.
// The attributes s and b are the MetaFormer defaults rounded to four decimals, used as given;
// for x <= 0 the result is exactly b.
// Plain CUDA: one thread per element, grid-stride loop, launched on the caller's stream.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr float STAR_S = 0.8944f;   // attr s
constexpr float STAR_B = -0.4472f;  // attr b

__global__ void star_relu_kernel(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        const float r = fmaxf(x[i], 0.0f);
        y[i] = STAR_S * r * r + STAR_B;
    }
}

extern "C" int star_relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    const int threads = 256;
    const int64_t blocks = (N + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    star_relu_kernel<<<grid, threads, 0, stream>>>(x, y, N);
    return (int)cudaGetLastError();
}
