// Baseline for `fftfreq` batched over sample spacings d[B]: row b is numpy.fft.fftfreq(N, d[b]),
//   f[b, j] = k / (N * d[b]),  k = j for j < ceil(N/2), k = j - N otherwise.
// Plain CUDA, one launch, one thread per output element (grid-stride). As numpy and the
// reference, the value is (signed index) * (1 / (N * d)) in double, rounded once to float.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void fftfreq_kernel(const float* __restrict__ d, float* __restrict__ f, int64_t B,
                               int64_t N) {
    const int64_t half = (N + 1) / 2;  // number of non-negative frequencies
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < B * N;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = i / N;
        const int64_t j = i % N;
        const int64_t k = j < half ? j : j - N;
        const double val = 1.0 / ((double)N * (double)d[b]);
        f[i] = (float)((double)k * val);
    }
}

extern "C" int fftfreq(const float* d, float* f, int64_t B, int64_t N, cudaStream_t stream) {
    const int64_t total = B * N;
    if (total == 0) return 0;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    fftfreq_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        d, f, B, N);
    return (int)cudaGetLastError();
}
