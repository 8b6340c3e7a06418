// Generic exemplar (vector_scale_add): y[i] = a * x[i] + b[i] for i < N, a = 2.0.
// ABI: extern "C" int vector_scale_add(const float* x, const float* b, float* y, int64_t N,
//                                      cudaStream_t stream);
// All pointers are device pointers; the kernel is launched on `stream` and the launch status is
// returned (0 = success).
#include <cstdint>
#include <cuda_runtime.h>

#define A 2.0f

// Grid-stride loop: any N is covered exactly once, whatever grid size is launched.
__global__ void vector_scale_add_kernel(const float* __restrict__ x, const float* __restrict__ b,
                                        float* __restrict__ y, int64_t n) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < n;
         i += (int64_t)gridDim.x * blockDim.x) {
        y[i] = A * x[i] + b[i];
    }
}

extern "C" int vector_scale_add(const float* x, const float* b, float* y, int64_t N, cudaStream_t stream) {
    const int threads = 256;
    const int64_t blocks = (N + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    if (grid > 0) {
        vector_scale_add_kernel<<<grid, threads, 0, stream>>>(x, b, y, N);
    }
    return (int)cudaGetLastError();
}
