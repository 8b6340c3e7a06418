// Baseline for `fftshift`: y[b,i,j] = x[b, (i - M/2) mod M, (j - N/2) mod N] (floor division),
// i.e. every M x N plane of x[B, M, N] is rolled by (+M/2, +N/2), as torch.fft.fftshift(dim=(-2,-1)).
// Plain CUDA, one launch: each block copies whole output rows (grid-stride over the B*M rows) and
// its threads walk the N columns of a row, so both the loads (one rolled source row, contiguous
// apart from the single wrap-around point) and the stores are coalesced. The output is an exact
// permutation of the input: values are copied bit for bit.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256       // threads per block, striding over the columns of a row
#define MAX_BLOCKS 65535  // grid cap; the row loop is grid-stride

__global__ void fftshift_kernel(const float* __restrict__ x, float* __restrict__ y,
                                int64_t B, int64_t M, int64_t N) {
    const int64_t sm = M / 2;  // row shift
    const int64_t sn = N / 2;  // column shift
    const int64_t rows = B * M;
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const int64_t b = row / M;
        const int64_t i = row % M;
        // Source row (i - sm) mod M, written with + M so the operand of % is never negative.
        const float* src = x + (b * M + (i - sm + M) % M) * N;
        float* dst = y + row * N;
        for (int64_t j = threadIdx.x; j < N; j += blockDim.x) {
            dst[j] = src[(j - sn + N) % N];
        }
    }
}

extern "C" int fftshift(const float* x, float* y, int64_t B, int64_t M, int64_t N,
                        cudaStream_t stream) {
    const int64_t rows = B * M;
    if (rows == 0 || N == 0) return 0;
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    fftshift_kernel<<<blocks, THREADS, 0, stream>>>(x, y, B, M, N);
    return (int)cudaGetLastError();
}
