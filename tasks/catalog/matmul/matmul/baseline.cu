// Baseline for `matmul`: c[M, N] = a[M, K] @ b[K, N], all row-major f32.
// Plain CUDA: the classic shared-memory tiled GEMM. Each TILE x TILE thread block computes one
// TILE x TILE tile of c, one thread per output element. The K dimension is walked in steps of
// TILE: the block cooperatively stages a TILE x TILE tile of a and one of b in shared memory
// (each thread loads one element of each, coalesced along rows), synchronises, and every thread
// accumulates TILE products from shared memory. Each element of a is therefore read from global
// memory N/TILE times (once per block column) instead of N times, and each element of b M/TILE
// times instead of M.
// Tiles that hang over the edge of a, b or c load zeros and skip the store, so M, K and N can be
// any positive sizes. Accumulation is in float, in k order (FMA-contracted by nvcc).
#include <cstdint>
#include <cuda_runtime.h>

#define TILE 16  // tile edge: TILE*TILE = 256 threads per block

__global__ void matmul_tiled_kernel(const float* __restrict__ a, const float* __restrict__ b,
                                    float* __restrict__ c, int64_t M, int64_t K, int64_t N) {
    __shared__ float as[TILE][TILE];  // as[ty][tx] = a[row, k0 + tx]
    __shared__ float bs[TILE][TILE];  // bs[ty][tx] = b[k0 + ty, col]

    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t row = (int64_t)blockIdx.y * TILE + ty;  // output row this thread computes
    const int64_t col = (int64_t)blockIdx.x * TILE + tx;  // output column this thread computes

    float acc = 0.0f;
    for (int64_t k0 = 0; k0 < K; k0 += TILE) {
        // Stage one tile of a and one tile of b; out-of-range elements read as 0.
        const int64_t ka = k0 + tx;
        const int64_t kb = k0 + ty;
        as[ty][tx] = (row < M && ka < K) ? a[row * K + ka] : 0.0f;
        bs[ty][tx] = (kb < K && col < N) ? b[kb * N + col] : 0.0f;
        __syncthreads();

        for (int kk = 0; kk < TILE; ++kk) acc += as[ty][kk] * bs[kk][tx];
        __syncthreads();  // the tiles are overwritten in the next step
    }
    if (row < M && col < N) c[row * N + col] = acc;
}

extern "C" int matmul(const float* a, const float* b, float* c, int64_t M, int64_t K, int64_t N,
                      cudaStream_t stream) {
    if (M == 0 || N == 0) return 0;
    const dim3 block(TILE, TILE);
    const dim3 grid((unsigned)((N + TILE - 1) / TILE), (unsigned)((M + TILE - 1) / TILE));
    matmul_tiled_kernel<<<grid, block, 0, stream>>>(a, b, c, M, K, N);
    return (int)cudaGetLastError();
}
