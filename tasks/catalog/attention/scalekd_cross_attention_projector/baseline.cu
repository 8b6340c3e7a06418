// Baseline for `scalekd_cross_attention_projector` (ScaleKD cross-attention projector), f32,
// channels last, NH heads of width dh = Ct / NH:
//   Q = qe wq^T + bq,  K = xs wk^T + bk,  V = xs wv^T + bv          (PyTorch Linear [out, in])
//   P = softmax_n(SOFTMAX_SCALE / sqrt(dh) * Q_h . K_h),  O_h = P V_h,  out = O wo^T + bo
// Plain CUDA in five launches over scratch Q, K, V, O:
//   - linear_kernel (x4): a shared-memory tiled GEMM y[R, O] = x[R, In] w[O, In]^T + b; the
//     weight tile is stored transposed in shared memory (padded against bank conflicts).
//   - attention_kernel: one block per (b, head, query). Its threads compute the N scores into
//     dynamic shared memory, reduce the max and the sum of exponentials with shared-memory tree
//     reductions, then threads d < dh form O[b, q, head*dh + d] = sum_n p_n V[b, n, head*dh + d].
// Float accumulation, as in the C baseline.
#include <cstdint>
#include <cuda_runtime.h>

#define NH 16               // attr nh
#define SOFTMAX_SCALE 5.0f  // attr softmax_scale
#define TILE 16
#define ATTN_THREADS 128    // power of two for the tree reductions
#define MAX_BLOCKS 65535
#define MAX_GRID_Y 65535

// y[r, o] = b[o] + sum_t x[r, t] * w[o, t]
__global__ void linear_kernel(const float* __restrict__ x, const float* __restrict__ w,
                              const float* __restrict__ b, float* __restrict__ y, int64_t R,
                              int64_t In, int64_t Out) {
    __shared__ float xs[TILE][TILE];      // xs[ty][tx] = x[r0 + ty, t0 + tx]
    __shared__ float ws[TILE][TILE + 1];  // ws[tt][oo] = w[o0 + oo, t0 + tt]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t o_load = (int64_t)blockIdx.x * TILE + ty;  // weight row this thread stages
    const int64_t col = (int64_t)blockIdx.x * TILE + tx;     // output feature of this thread

    for (int64_t r0 = (int64_t)blockIdx.y * TILE; r0 < R; r0 += (int64_t)gridDim.y * TILE) {
        const int64_t row = r0 + ty;
        float acc = 0.0f;
        for (int64_t t0 = 0; t0 < In; t0 += TILE) {
            const int64_t t = t0 + tx;
            xs[ty][tx] = (row < R && t < In) ? x[row * In + t] : 0.0f;
            ws[tx][ty] = (o_load < Out && t < In) ? w[o_load * In + t] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += xs[ty][kk] * ws[kk][tx];
            __syncthreads();
        }
        if (row < R && col < Out) y[row * Out + col] = b[col] + acc;
    }
}

__global__ void attention_kernel(const float* __restrict__ Q, const float* __restrict__ K,
                                 const float* __restrict__ V, float* __restrict__ O, int64_t B,
                                 int64_t N, int64_t Nq, int64_t Ct, float mul) {
    extern __shared__ float scores[];  // [N]
    __shared__ float red[ATTN_THREADS];
    const int tid = threadIdx.x;
    const int64_t dh = Ct / NH;
    for (int64_t r = blockIdx.x; r < B * NH * Nq; r += gridDim.x) {
        const int64_t q = r % Nq;
        const int64_t hd = (r / Nq) % NH;
        const int64_t b = r / (Nq * NH);
        const float* qr = Q + (b * Nq + q) * Ct + hd * dh;
        const float* kb = K + b * N * Ct + hd * dh;
        const float* vb = V + b * N * Ct + hd * dh;

        // Scores and the thread-local max.
        float m = -INFINITY;
        for (int64_t n = tid; n < N; n += ATTN_THREADS) {
            const float* kr = kb + n * Ct;
            float acc = 0.0f;
            for (int64_t d = 0; d < dh; ++d) acc += qr[d] * kr[d];
            scores[n] = acc * mul;
            m = fmaxf(m, scores[n]);
        }
        red[tid] = m;
        __syncthreads();
        for (int s = ATTN_THREADS / 2; s > 0; s /= 2) {
            if (tid < s) red[tid] = fmaxf(red[tid], red[tid + s]);
            __syncthreads();
        }
        m = red[0];
        __syncthreads();

        // Exponentials and their sum.
        float z = 0.0f;
        for (int64_t n = tid; n < N; n += ATTN_THREADS) {
            scores[n] = expf(scores[n] - m);
            z += scores[n];
        }
        red[tid] = z;
        __syncthreads();
        for (int s = ATTN_THREADS / 2; s > 0; s /= 2) {
            if (tid < s) red[tid] += red[tid + s];
            __syncthreads();
        }
        const float inv = 1.0f / red[0];

        // O = P V for this head's dh lanes.
        float* orow = O + (b * Nq + q) * Ct + hd * dh;
        for (int64_t d = tid; d < dh; d += ATTN_THREADS) {
            float acc = 0.0f;
            for (int64_t n = 0; n < N; ++n) acc += scores[n] * vb[n * Ct + d];
            orow[d] = acc * inv;
        }
        __syncthreads();  // scores and red are reused by the next row
    }
}

static dim3 linear_grid(int64_t R, int64_t Out) {
    const int64_t row_tiles = (R + TILE - 1) / TILE;
    return dim3((unsigned)((Out + TILE - 1) / TILE),
                (unsigned)(row_tiles < MAX_GRID_Y ? row_tiles : MAX_GRID_Y));
}

extern "C" int scalekd_cross_attention_projector(const float* xs, const float* qe, const float* wq,
                                                 const float* bq, const float* wk, const float* bk,
                                                 const float* wv, const float* bv, const float* wo,
                                                 const float* bo, float* out, int64_t B, int64_t N,
                                                 int64_t Nq, int64_t Cs, int64_t Ct, int64_t Dp,
                                                 cudaStream_t stream) {
    if (B * Nq * Ct == 0) return 0;
    const size_t smem = (size_t)N * sizeof(float);
    if (smem > 48 * 1024) return (int)cudaErrorInvalidValue;  // scores of one row must fit
    const int64_t q_elems = B * Nq * Ct;
    const int64_t kv_elems = B * N * Ct;
    float* scratch = nullptr;  // Q, O [B, Nq, Ct]; K, V [B, N, Ct]
    cudaError_t err =
        cudaMallocAsync(&scratch, (size_t)(2 * q_elems + 2 * kv_elems) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;
    float* Q = scratch;
    float* O = Q + q_elems;
    float* K = O + q_elems;
    float* V = K + kv_elems;

    const dim3 block(TILE, TILE);
    linear_kernel<<<linear_grid(B * Nq, Ct), block, 0, stream>>>(qe, wq, bq, Q, B * Nq, Dp, Ct);
    linear_kernel<<<linear_grid(B * N, Ct), block, 0, stream>>>(xs, wk, bk, K, B * N, Cs, Ct);
    linear_kernel<<<linear_grid(B * N, Ct), block, 0, stream>>>(xs, wv, bv, V, B * N, Cs, Ct);
    const float mul = SOFTMAX_SCALE / sqrtf((float)(Ct / NH));
    const int64_t rows = B * NH * Nq;
    attention_kernel<<<(unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS), ATTN_THREADS, smem,
                       stream>>>(Q, K, V, O, B, N, Nq, Ct, mul);
    linear_kernel<<<linear_grid(B * Nq, Ct), block, 0, stream>>>(O, wo, bo, out, B * Nq, Ct, Ct);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
