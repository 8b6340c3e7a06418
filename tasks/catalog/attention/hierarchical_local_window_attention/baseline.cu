// Baseline for `hierarchical_local_window_attention` (Scale-DiT), q/k/v/o [B, nh, T = G+N, dh] f32:
// global queries (i < G) attend to the G global keys; local queries (i >= G) attend to the G
// global keys plus their own window of Lw = l*l consecutive tokens, win(i) = (i - G) / Lw.
// Scores are scaled by 1/sqrt(dh); max-subtracted softmax over the allowed keys.
// Plain CUDA: a small tiled attention kernel with an online softmax (queries see up to G + Lw keys,
// thousands at the gpu size, so the keys are streamed through shared memory once per query tile
// instead of once per query). One block owns QT consecutive queries of one (b, h):
//   - its queries, their output accumulators and per-row running max / sum live in shared memory;
//   - keys are visited in two segments, the G global keys and then the union of the local windows
//     of the block's queries, KT keys at a time: the block stages the K and V tiles, each of the
//     QT*KT threads computes one masked score, QT threads update the running softmax of their row
//     (rescaling factor exp(m_old - m_new)), and all threads add P . V into the accumulators;
//   - finally the accumulators are divided by the row sums.
// Shared rows are padded to dh + 1 floats so the score loop reads distinct banks. Float
// accumulation throughout.
#include <cstdint>
#include <cuda_runtime.h>

#define QT 16              // queries per block
#define KT 16              // keys per staged tile
#define THREADS (QT * KT)  // one score per thread per key tile
#define MAX_SMEM_BYTES (48 * 1024)
#define MAX_BLOCKS 65535

__global__ void local_window_attention_kernel(const float* __restrict__ q,
                                              const float* __restrict__ k,
                                              const float* __restrict__ v, float* __restrict__ o,
                                              int64_t BH, int64_t T, int64_t G, int64_t Lw,
                                              int64_t dh, float scale) {
    extern __shared__ float smem[];
    const int64_t ld = dh + 1;     // padded row stride
    float* Qs = smem;              // [QT][ld]  queries of the tile
    float* Os = Qs + QT * ld;      // [QT][ld]  unnormalised outputs
    float* Ks = Os + QT * ld;      // [KT][ld]  staged keys
    float* Vs = Ks + KT * ld;      // [KT][ld]  staged values
    float* Ps = Vs + KT * ld;      // [QT][KT]  scores, then probabilities
    float* row_m = Ps + QT * KT;   // [QT] running max
    float* row_l = row_m + QT;     // [QT] running sum of exp
    float* row_c = row_l + QT;     // [QT] rescale factor of the current key tile

    const int tid = threadIdx.x;
    const int64_t q_tiles = (T + QT - 1) / QT;
    for (int64_t tile = blockIdx.x; tile < BH * q_tiles; tile += gridDim.x) {
        const int64_t bh = tile / q_tiles;
        const int64_t i0 = (tile % q_tiles) * QT;
        const int64_t nq = T - i0 < QT ? T - i0 : QT;
        const float* qb = q + bh * T * dh;
        const float* kb = k + bh * T * dh;
        const float* vb = v + bh * T * dh;

        for (int64_t e = tid; e < QT * dh; e += THREADS) {
            const int64_t qi = e / dh, d = e % dh;
            Qs[qi * ld + d] = qi < nq ? qb[(i0 + qi) * dh + d] : 0.0f;
            Os[qi * ld + d] = 0.0f;
        }
        if (tid < QT) {
            row_m[tid] = -INFINITY;
            row_l[tid] = 0.0f;
        }

        // Segment 0: the global keys [0, G). Segment 1: the windows of the tile's local queries.
        const int64_t last = i0 + nq - 1;
        int64_t seg_lo[2] = {0, 0}, seg_hi[2] = {G, 0};
        if (last >= G) {
            const int64_t first_local = i0 > G ? i0 : G;
            seg_lo[1] = G + (first_local - G) / Lw * Lw;
            seg_hi[1] = G + ((last - G) / Lw + 1) * Lw;
        }
        __syncthreads();

        for (int seg = 0; seg < 2; ++seg) {
            for (int64_t j0 = seg_lo[seg]; j0 < seg_hi[seg]; j0 += KT) {
                const int64_t nk = seg_hi[seg] - j0 < KT ? seg_hi[seg] - j0 : KT;
                for (int64_t e = tid; e < KT * dh; e += THREADS) {
                    const int64_t kj = e / dh, d = e % dh;
                    Ks[kj * ld + d] = kj < nk ? kb[(j0 + kj) * dh + d] : 0.0f;
                    Vs[kj * ld + d] = kj < nk ? vb[(j0 + kj) * dh + d] : 0.0f;
                }
                __syncthreads();

                // One masked score per thread: row qi, key kj of the tile.
                {
                    const int qi = tid / KT, kj = tid % KT;
                    const int64_t i = i0 + qi, j = j0 + kj;
                    bool allowed = qi < nq && kj < nk;
                    if (allowed && j >= G) allowed = i >= G && (i - G) / Lw == (j - G) / Lw;
                    float s = -INFINITY;
                    if (allowed) {
                        float dot = 0.0f;
                        for (int64_t d = 0; d < dh; ++d) dot += Qs[qi * ld + d] * Ks[kj * ld + d];
                        s = dot * scale;
                    }
                    Ps[qi * KT + kj] = s;
                }
                __syncthreads();

                // Online softmax update, one thread per query row.
                if (tid < QT) {
                    const float m_old = row_m[tid];
                    float m_new = m_old;
                    for (int kj = 0; kj < KT; ++kj) m_new = fmaxf(m_new, Ps[tid * KT + kj]);
                    float corr = 1.0f, sum = 0.0f;
                    if (m_new != -INFINITY) {  // some key of this row has been allowed so far
                        corr = m_old == -INFINITY ? 0.0f : expf(m_old - m_new);
                        for (int kj = 0; kj < KT; ++kj) {
                            const float s = Ps[tid * KT + kj];
                            const float p = s == -INFINITY ? 0.0f : expf(s - m_new);
                            Ps[tid * KT + kj] = p;
                            sum += p;
                        }
                    } else {
                        for (int kj = 0; kj < KT; ++kj) Ps[tid * KT + kj] = 0.0f;
                    }
                    row_m[tid] = m_new;
                    row_l[tid] = row_l[tid] * corr + sum;
                    row_c[tid] = corr;
                }
                __syncthreads();

                // Os = Os * corr + P . V
                for (int64_t e = tid; e < QT * dh; e += THREADS) {
                    const int64_t qi = e / dh, d = e % dh;
                    float acc = Os[qi * ld + d] * row_c[qi];
                    for (int kj = 0; kj < KT; ++kj) acc += Ps[qi * KT + kj] * Vs[kj * ld + d];
                    Os[qi * ld + d] = acc;
                }
                __syncthreads();
            }
        }

        for (int64_t e = tid; e < QT * dh; e += THREADS) {
            const int64_t qi = e / dh, d = e % dh;
            if (qi < nq) o[bh * T * dh + (i0 + qi) * dh + d] = Os[qi * ld + d] / row_l[qi];
        }
        __syncthreads();  // shared memory is reused by the next query tile
    }
}

extern "C" int hierarchical_local_window_attention(const float* q, const float* k, const float* v,
                                                   float* o, int64_t B, int64_t nh, int64_t G,
                                                   int64_t N, int64_t dh, int64_t l,
                                                   cudaStream_t stream) {
    const int64_t T = G + N;
    const int64_t BH = B * nh;
    if (BH == 0 || T == 0 || dh == 0) return 0;
    const int64_t ld = dh + 1;
    const size_t smem = (size_t)(2 * QT * ld + 2 * KT * ld + QT * KT + 3 * QT) * sizeof(float);
    if (smem > MAX_SMEM_BYTES) return (int)cudaErrorInvalidValue;  // dh too large for one tile
    const float scale = 1.0f / sqrtf((float)dh);
    const int64_t blocks = BH * ((T + QT - 1) / QT);
    local_window_attention_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS,
                                    smem, stream>>>(q, k, v, o, BH, T, G, l * l, dh, scale);
    return (int)cudaGetLastError();
}
