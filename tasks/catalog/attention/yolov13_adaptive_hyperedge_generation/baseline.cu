// Baseline for `yolov13_adaptive_hyperedge_generation` (YOLOv13 AdaHyperedgeGen, eval mode), f32:
//   ctx[b]       = concat(mean_v X[b,v,:], max_v X[b,v,:])
//   P[b,m,e]     = P0[m,e] + bc[m*D+e] + sum_f Wc[m*D+e, f] ctx[b,f]       (per-sample prototypes)
//   Xp[b,v,e]    = bp[e] + sum_f Wp[e,f] X[b,v,f]
//   logit[b,v,m] = <Xp[b,v,:], P[b,m,:]> / (nh * sqrt(DH)),   nh = D / DH  (mean of head scores)
//   A[b,v,m]     = softmax over the VERTICES v of logit[b,:,m]
// Plain CUDA in five launches over scratch buffers ctx, P, Xp, logit:
//   1. context_kernel:    one thread per (b, f): mean (double accumulator) and max over v.
//   2. prototype_kernel:  one thread per P[b,m,e] (a 2D-long dot product).
//   3. linear_kernel:     Xp as a shared-memory tiled GEMM against Wp^T.
//   4. logit_kernel:      one thread per logit[b,v,m] (a D-long dot product).
//   5. softmax_kernel:    one block per (b, m) column: shared-memory tree reductions for the max
//                         and the sum of exponentials over the Nv vertices, then the normalised A.
#include <cstdint>
#include <cuda_runtime.h>

#define DH 16  // attr dh (head width)
#define THREADS 256
#define TILE 16
#define MAX_BLOCKS 65535
#define MAX_GRID_Y 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

// ctx[b, f] = mean_v X[b,v,f],  ctx[b, D + f] = max_v X[b,v,f]
__global__ void context_kernel(const float* __restrict__ X, float* __restrict__ ctx, int64_t B,
                               int64_t Nv, int64_t D) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * D;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t f = e % D;
        const int64_t b = e / D;
        const float* xb = X + b * Nv * D + f;
        double s = 0.0;
        float mx = -INFINITY;
        for (int64_t v = 0; v < Nv; ++v) {
            const float t = xb[v * D];
            s += t;
            mx = fmaxf(mx, t);
        }
        ctx[b * 2 * D + f] = (float)(s / (double)Nv);
        ctx[b * 2 * D + D + f] = mx;
    }
}

// P[b, r] = P0[r] + bc[r] + sum_f Wc[r, f] ctx[b, f],   r = m*D + e
__global__ void prototype_kernel(const float* __restrict__ ctx, const float* __restrict__ P0,
                                 const float* __restrict__ Wc, const float* __restrict__ bc,
                                 float* __restrict__ P, int64_t B, int64_t D, int64_t M) {
    const int64_t MD = M * D;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * MD;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t r = e % MD;
        const int64_t b = e / MD;
        const float* w = Wc + r * 2 * D;
        const float* c = ctx + b * 2 * D;
        float s = bc[r];
        for (int64_t f = 0; f < 2 * D; ++f) s += w[f] * c[f];
        P[e] = P0[r] + s;
    }
}

// y[r, o] = b[o] + sum_t x[r, t] * w[o, t]  (x [R, In], w [Out, In]); weight tile stored transposed.
__global__ void linear_kernel(const float* __restrict__ x, const float* __restrict__ w,
                              const float* __restrict__ b, float* __restrict__ y, int64_t R,
                              int64_t In, int64_t Out) {
    __shared__ float xs[TILE][TILE];      // xs[ty][tx] = x[r0 + ty, t0 + tx]
    __shared__ float ws[TILE][TILE + 1];  // ws[tt][oo] = w[o0 + oo, t0 + tt]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t o_load = (int64_t)blockIdx.x * TILE + ty;
    const int64_t col = (int64_t)blockIdx.x * TILE + tx;
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

// logit[b, v, m] = scale * <Xp[b, v, :], P[b, m, :]>
__global__ void logit_kernel(const float* __restrict__ Xp, const float* __restrict__ P,
                             float* __restrict__ logit, int64_t B, int64_t Nv, int64_t D,
                             int64_t M, float scale) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * Nv * M;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t m = e % M;
        const int64_t bv = e / M;  // b * Nv + v
        const int64_t b = bv / Nv;
        const float* xr = Xp + bv * D;
        const float* pr = P + (b * M + m) * D;
        float s = 0.0f;
        for (int64_t f = 0; f < D; ++f) s += xr[f] * pr[f];
        logit[e] = s * scale;
    }
}

// A[b, :, m] = softmax over v of logit[b, :, m]; one block per (b, m).
__global__ void softmax_kernel(const float* __restrict__ logit, float* __restrict__ A, int64_t B,
                               int64_t Nv, int64_t M) {
    __shared__ float red[THREADS];
    const int tid = threadIdx.x;
    for (int64_t col = blockIdx.x; col < B * M; col += gridDim.x) {
        const int64_t m = col % M;
        const int64_t b = col / M;
        const float* lc = logit + b * Nv * M + m;  // column stride M
        float* ac = A + b * Nv * M + m;

        float mx = -INFINITY;
        for (int64_t v = tid; v < Nv; v += THREADS) mx = fmaxf(mx, lc[v * M]);
        red[tid] = mx;
        __syncthreads();
        for (int s = THREADS / 2; s > 0; s /= 2) {
            if (tid < s) red[tid] = fmaxf(red[tid], red[tid + s]);
            __syncthreads();
        }
        mx = red[0];
        __syncthreads();

        float z = 0.0f;
        for (int64_t v = tid; v < Nv; v += THREADS) z += expf(lc[v * M] - mx);
        red[tid] = z;
        __syncthreads();
        for (int s = THREADS / 2; s > 0; s /= 2) {
            if (tid < s) red[tid] += red[tid + s];
            __syncthreads();
        }
        const float inv = 1.0f / red[0];
        for (int64_t v = tid; v < Nv; v += THREADS) ac[v * M] = expf(lc[v * M] - mx) * inv;
        __syncthreads();  // red is reused by the next column
    }
}

extern "C" int yolov13_adaptive_hyperedge_generation(const float* X, const float* P0, const float* Wc,
                                                     const float* bc, const float* Wp,
                                                     const float* bp, float* A, int64_t B,
                                                     int64_t Nv, int64_t D, int64_t M,
                                                     cudaStream_t stream) {
    if (B * Nv * M == 0) return 0;
    const int64_t nh = D / DH;
    const float scale = 1.0f / (sqrtf((float)DH) * (float)nh);
    const int64_t ctx_n = B * 2 * D, p_n = B * M * D, xp_n = B * Nv * D, logit_n = B * Nv * M;
    float* scratch = nullptr;  // ctx [B, 2D], P [B, M, D], Xp [B, Nv, D], logit [B, Nv, M]
    cudaError_t err = cudaMallocAsync(&scratch, (size_t)(ctx_n + p_n + xp_n + logit_n) * sizeof(float),
                                      stream);
    if (err != cudaSuccess) return (int)err;
    float* ctx = scratch;
    float* P = ctx + ctx_n;
    float* Xp = P + p_n;
    float* logit = Xp + xp_n;

    context_kernel<<<grid_for(B * D), THREADS, 0, stream>>>(X, ctx, B, Nv, D);
    prototype_kernel<<<grid_for(p_n), THREADS, 0, stream>>>(ctx, P0, Wc, bc, P, B, D, M);
    const int64_t row_tiles = (B * Nv + TILE - 1) / TILE;
    const dim3 lgrid((unsigned)((D + TILE - 1) / TILE),
                     (unsigned)(row_tiles < MAX_GRID_Y ? row_tiles : MAX_GRID_Y));
    linear_kernel<<<lgrid, dim3(TILE, TILE), 0, stream>>>(X, Wp, bp, Xp, B * Nv, D, D);
    logit_kernel<<<grid_for(logit_n), THREADS, 0, stream>>>(Xp, P, logit, B, Nv, D, M, scale);
    softmax_kernel<<<(unsigned)(B * M < MAX_BLOCKS ? B * M : MAX_BLOCKS), THREADS, 0, stream>>>(
        logit, A, B, Nv, M);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
