// Baseline for `cluster_soft_assignment_regression` (PolyMaX head, surface-normal variant), f32:
//   logit[b,k,p] = sum_d memb[b,k,d] pix[b,d,p]
//   prob = softmax over k,  o[b,c,p] = sum_k prob[b,k,p] vals[b,k,c]
//   out[b,c,p] = o[b,c,p] / max(||o[b,:,p]||_2, 1e-12)         (NORMALIZE)
// Plain CUDA in two launches over a scratch logit buffer [B, K, H*W]:
//   1. logit_kernel: per image the GEMM memb_b[K, D] . pix_b[D, P] as a shared-memory tiled GEMM
//      (blockIdx.z walks the images).
//   2. mix_kernel:   one thread per pixel: max-subtracted softmax over k, the Co mixtures and the
//      L2 normalisation. The Co mixtures are formed twice (once for the norm, once to store) so
//      that no per-thread array is needed; each is only K multiply-adds.
#include <cstdint>
#include <cuda_runtime.h>

#define NORMALIZE 1  // attr normalize_output
#define NORM_EPS 1e-12f
#define TILE 16
#define THREADS 256
#define MAX_BLOCKS 65535
#define MAX_GRID_Z 65535

// logit[b,k,p] = sum_d memb[b,k,d] pix[b,d,p]
__global__ void logit_kernel(const float* __restrict__ pix, const float* __restrict__ memb,
                             float* __restrict__ logit, int64_t B, int64_t D, int64_t K,
                             int64_t P) {
    __shared__ float ms[TILE][TILE];  // ms[ty][tx] = memb[b, k, d0 + tx]
    __shared__ float ps[TILE][TILE];  // ps[ty][tx] = pix[b, d0 + ty, p]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t k = (int64_t)blockIdx.y * TILE + ty;
    const int64_t p = (int64_t)blockIdx.x * TILE + tx;
    for (int64_t b = blockIdx.z; b < B; b += gridDim.z) {
        const float* mb = memb + b * K * D;
        const float* pb = pix + b * D * P;
        float acc = 0.0f;
        for (int64_t d0 = 0; d0 < D; d0 += TILE) {
            const int64_t dm = d0 + tx;
            const int64_t dp = d0 + ty;
            ms[ty][tx] = (k < K && dm < D) ? mb[k * D + dm] : 0.0f;
            ps[ty][tx] = (dp < D && p < P) ? pb[dp * P + p] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += ms[ty][kk] * ps[kk][tx];
            __syncthreads();
        }
        if (k < K && p < P) logit[(b * K + k) * P + p] = acc;
    }
}

__global__ void mix_kernel(const float* __restrict__ logit, const float* __restrict__ vals,
                           float* __restrict__ out, int64_t B, int64_t K, int64_t P, int64_t Co) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % P;
        const int64_t b = e / P;
        const float* lb = logit + b * K * P + p;  // logit of cluster k at lb[k * P]
        const float* vb = vals + b * K * Co;

        float m = -INFINITY;
        for (int64_t k = 0; k < K; ++k) m = fmaxf(m, lb[k * P]);
        float den = 0.0f;
        for (int64_t k = 0; k < K; ++k) den += expf(lb[k * P] - m);
        const float inv_den = 1.0f / den;

        float scale = 1.0f;
        if (NORMALIZE) {
            float n2 = 0.0f;
            for (int64_t c = 0; c < Co; ++c) {
                float o = 0.0f;
                for (int64_t k = 0; k < K; ++k) o += expf(lb[k * P] - m) * vb[k * Co + c];
                o *= inv_den;
                n2 += o * o;
            }
            scale = 1.0f / fmaxf(sqrtf(n2), NORM_EPS);
        }
        for (int64_t c = 0; c < Co; ++c) {
            float o = 0.0f;
            for (int64_t k = 0; k < K; ++k) o += expf(lb[k * P] - m) * vb[k * Co + c];
            out[(b * Co + c) * P + p] = o * inv_den * scale;
        }
    }
}

extern "C" int cluster_soft_assignment_regression(const float* pix, const float* memb,
                                                  const float* vals, float* out, int64_t B,
                                                  int64_t D, int64_t K, int64_t H, int64_t W,
                                                  int64_t Co, cudaStream_t stream) {
    const int64_t P = H * W;
    if (B * P * Co == 0) return 0;
    float* logit = nullptr;  // [B, K, P]
    cudaError_t err = cudaMallocAsync(&logit, (size_t)(B * K * P) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;

    const dim3 grid((unsigned)((P + TILE - 1) / TILE), (unsigned)((K + TILE - 1) / TILE),
                    (unsigned)(B < MAX_GRID_Z ? B : MAX_GRID_Z));
    logit_kernel<<<grid, dim3(TILE, TILE), 0, stream>>>(pix, memb, logit, B, D, K, P);
    const int64_t blocks = (B * P + THREADS - 1) / THREADS;
    mix_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        logit, vals, out, B, K, P, Co);

    cudaFreeAsync(logit, stream);
    return (int)cudaGetLastError();
}
