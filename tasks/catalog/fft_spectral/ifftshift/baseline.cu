// Baseline for `ifftshift`: y[b,i,j] = x[b, (i + M/2) mod M, (j + N/2) mod N] (floor division),
// i.e. every M x N plane of x[B, M, N] is rolled by (-M/2, -N/2), as torch.fft.ifftshift(dim=(-2,-1)).
// Plain CUDA, one launch: each block copies whole output rows (grid-stride over the B*M rows) and
// its threads walk the N columns of a row, so the loads (one rolled source row) and the stores
// are coalesced. Values are copied bit for bit.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void ifftshift_kernel(const float* __restrict__ x, float* __restrict__ y,
                                 int64_t B, int64_t M, int64_t N) {
    const int64_t sm = M / 2;  // row shift
    const int64_t sn = N / 2;  // column shift
    const int64_t rows = B * M;
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const int64_t b = row / M;
        const int64_t i = row % M;
        const float* src = x + (b * M + (i + sm) % M) * N;
        float* dst = y + row * N;
        for (int64_t j = threadIdx.x; j < N; j += blockDim.x) dst[j] = src[(j + sn) % N];
    }
}

extern "C" int ifftshift(const float* x, float* y, int64_t B, int64_t M, int64_t N,
                         cudaStream_t stream) {
    const int64_t rows = B * M;
    if (rows == 0 || N == 0) return 0;
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    ifftshift_kernel<<<blocks, THREADS, 0, stream>>>(x, y, B, M, N);
    return (int)cudaGetLastError();
}
