// Baseline for `kmeans_cross_attention` (kMaX-DeepLab / PolyMaX), f32:
//   logits[b,k,n] = <centers[b,k,:], pix_k[b,n,:]>
//   a[b,n]        = argmax_k logits[b,k,n]           (first index on ties)
//   update[b,k,e] = sum_{n : a[b,n] == k} pix_v[b,n,e]
// Plain CUDA in two launches:
//   1. assign_kernel: a shared-memory tiled GEMM of pixel keys against the centres, fused with the
//      argmax. A TILE x TILE block owns TILE pixels (ty); thread tx scores the clusters k = tx,
//      tx + TILE, ... and keeps its best (strict >, clusters visited in increasing order). The
//      TILE candidates of each pixel are then reduced in shared memory, again keeping the smaller
//      k on ties. The logits are small integers, exact in float in any order, so the assignment is
//      exact.
//   2. update_kernel: one thread per update[b,k,e] gathers the values of the pixels assigned to k
//      in pixel order (deterministic, no atomics; reads of pix_v are coalesced along e).
// The assignment a[B, N] lives in an int32 scratch buffer allocated on the caller's stream.
#include <cstdint>
#include <cuda_runtime.h>

#define TILE 16
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void assign_kernel(const float* __restrict__ centers, const float* __restrict__ pix_k,
                              int32_t* __restrict__ assign, int64_t B, int64_t K, int64_t N,
                              int64_t D) {
    __shared__ float ps[TILE][TILE];      // ps[ty][tx] = pix_k[b, n0 + ty, d0 + tx]
    __shared__ float cs[TILE][TILE + 1];  // cs[dd][kk] = centers[b, k0 + kk, d0 + dd]
    __shared__ float best_val[TILE][TILE];
    __shared__ int best_idx[TILE][TILE];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t pixel_tiles = (N + TILE - 1) / TILE;

    for (int64_t t = blockIdx.x; t < B * pixel_tiles; t += gridDim.x) {
        const int64_t b = t / pixel_tiles;
        const int64_t n = (t % pixel_tiles) * TILE + ty;  // pixel of this thread's row
        const float* cb = centers + b * K * D;
        const float* pb = pix_k + b * N * D;
        float best = -INFINITY;
        int best_k = -1;

        for (int64_t k0 = 0; k0 < K; k0 += TILE) {
            float acc = 0.0f;
            for (int64_t d0 = 0; d0 < D; d0 += TILE) {
                const int64_t d = d0 + tx;
                const int64_t kl = k0 + ty;  // centre row this thread stages
                ps[ty][tx] = (n < N && d < D) ? pb[n * D + d] : 0.0f;
                cs[tx][ty] = (kl < K && d < D) ? cb[kl * D + d] : 0.0f;
                __syncthreads();
                for (int dd = 0; dd < TILE; ++dd) acc += ps[ty][dd] * cs[dd][tx];
                __syncthreads();
            }
            const int64_t kk = k0 + tx;  // cluster scored by this thread
            if (kk < K && (best_k < 0 || acc > best)) {
                best = acc;
                best_k = (int)kk;
            }
        }

        // Reduce the TILE candidates of each pixel row; ties keep the smaller cluster index.
        best_val[ty][tx] = best;
        best_idx[ty][tx] = best_k;
        __syncthreads();
        if (tx == 0 && n < N) {
            float bv = best_val[ty][0];
            int bk = best_idx[ty][0];
            for (int c = 1; c < TILE; ++c) {
                const int ck = best_idx[ty][c];
                if (ck < 0) continue;  // this column saw no cluster (K < TILE)
                const float cv = best_val[ty][c];
                if (cv > bv || (cv == bv && ck < bk)) {
                    bv = cv;
                    bk = ck;
                }
            }
            assign[b * N + n] = bk;
        }
        __syncthreads();  // best_val / best_idx are reused by the next pixel tile
    }
}

__global__ void update_kernel(const float* __restrict__ pix_v, const int32_t* __restrict__ assign,
                              float* __restrict__ update, int64_t B, int64_t K, int64_t N,
                              int64_t Dv) {
    const int64_t total = B * K * Dv;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t f = e % Dv;
        const int64_t k = (e / Dv) % K;
        const int64_t b = e / (Dv * K);
        const int32_t* ab = assign + b * N;
        const float* vb = pix_v + b * N * Dv + f;
        float s = 0.0f;
        for (int64_t n = 0; n < N; ++n)
            if (ab[n] == k) s += vb[n * Dv];
        update[e] = s;
    }
}

extern "C" int kmeans_cross_attention(const float* centers, const float* pix_k, const float* pix_v,
                                      float* update, int64_t B, int64_t K, int64_t N, int64_t D,
                                      int64_t Dv, cudaStream_t stream) {
    if (B * K * Dv == 0) return 0;
    if (N == 0) return (int)cudaMemsetAsync(update, 0, (size_t)(B * K * Dv) * sizeof(float), stream);
    int32_t* assign = nullptr;
    cudaError_t err = cudaMallocAsync(&assign, (size_t)(B * N) * sizeof(int32_t), stream);
    if (err != cudaSuccess) return (int)err;

    const int64_t tiles = B * ((N + TILE - 1) / TILE);
    assign_kernel<<<(unsigned)(tiles < MAX_BLOCKS ? tiles : MAX_BLOCKS), dim3(TILE, TILE), 0,
                    stream>>>(centers, pix_k, assign, B, K, N, D);
    const int64_t total = B * K * Dv;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    update_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        pix_v, assign, update, B, K, N, Dv);

    cudaFreeAsync(assign, stream);
    return (int)cudaGetLastError();
}
