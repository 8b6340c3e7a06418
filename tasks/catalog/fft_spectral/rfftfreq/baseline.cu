// Baseline for `rfftfreq` batched over sample spacings d[B]: row b is numpy.fft.rfftfreq(N, d[b]),
//   f[b, j] = j / (N * d[b]),  j = 0 .. N/2   (Nh = N/2 + 1 values per row).
// Plain CUDA, one launch, one thread per output element (grid-stride). As numpy and the
// reference, the value is j * (1 / (N * d)) in double, rounded once to float.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void rfftfreq_kernel(const float* __restrict__ d, float* __restrict__ f, int64_t B,
                                int64_t N) {
    const int64_t Nh = N / 2 + 1;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < B * Nh;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = i / Nh;
        const int64_t j = i % Nh;
        const double val = 1.0 / ((double)N * (double)d[b]);
        f[i] = (float)((double)j * val);
    }
}

extern "C" int rfftfreq(const float* d, float* f, int64_t B, int64_t N, cudaStream_t stream) {
    const int64_t total = B * (N / 2 + 1);
    if (total == 0) return 0;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    rfftfreq_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        d, f, B, N);
    return (int)cudaGetLastError();
}
