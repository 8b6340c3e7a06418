// Baseline for `hyperzzw_global_product` (Terminator global branch), f32:
//   Y[b,c] = (x[b,c] .* Hk[c]) @ V[b,c]      (B*C independent S x S matmuls, Hk broadcast over b)
// Plain CUDA: a batched shared-memory tiled GEMM. Each TILE x TILE block computes one tile of one
// (b, c) slice; blockIdx.z walks the slices (grid-stride). The Hadamard product with Hk is fused
// into the staging of the left operand. Out-of-range tile elements load as zero and are not
// stored, so any S works. Float accumulation.
#include <cstdint>
#include <cuda_runtime.h>

#define TILE 16
#define MAX_GRID_Z 65535

__global__ void hyperzzw_kernel(const float* __restrict__ x, const float* __restrict__ V,
                                const float* __restrict__ Hk, float* __restrict__ Y, int64_t B,
                                int64_t C, int64_t S) {
    __shared__ float zs[TILE][TILE];  // zs[ty][tx] = x[b,c,i,t0+tx] * Hk[c,i,t0+tx]
    __shared__ float vs[TILE][TILE];  // vs[ty][tx] = V[b,c,t0+ty,j]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t i = (int64_t)blockIdx.y * TILE + ty;
    const int64_t j = (int64_t)blockIdx.x * TILE + tx;
    const int64_t SS = S * S;

    for (int64_t slice = blockIdx.z; slice < B * C; slice += gridDim.z) {
        const int64_t c = slice % C;
        const float* xs = x + slice * SS;
        const float* vsl = V + slice * SS;
        const float* hs = Hk + c * SS;
        float acc = 0.0f;
        for (int64_t t0 = 0; t0 < S; t0 += TILE) {
            const int64_t tz = t0 + tx;
            const int64_t tv = t0 + ty;
            zs[ty][tx] = (i < S && tz < S) ? xs[i * S + tz] * hs[i * S + tz] : 0.0f;
            vs[ty][tx] = (tv < S && j < S) ? vsl[tv * S + j] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += zs[ty][kk] * vs[kk][tx];
            __syncthreads();
        }
        if (i < S && j < S) Y[slice * SS + i * S + j] = acc;
    }
}

extern "C" int hyperzzw_global_product(const float* x, const float* V, const float* Hk, float* Y,
                                       int64_t B, int64_t C, int64_t S, cudaStream_t stream) {
    const int64_t slices = B * C;
    if (slices == 0 || S == 0) return 0;
    const dim3 block(TILE, TILE);
    const unsigned tiles = (unsigned)((S + TILE - 1) / TILE);
    const dim3 grid(tiles, tiles, (unsigned)(slices < MAX_GRID_Z ? slices : MAX_GRID_Z));
    hyperzzw_kernel<<<grid, block, 0, stream>>>(x, V, Hk, Y, B, C, S);
    return (int)cudaGetLastError();
}
