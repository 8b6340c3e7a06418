// Baseline for `hyperzzw_local_context_conv` (Terminator LocalConv + biasN), NCHW f32:
//   t = dwconv_KxK(x, Hk) (zero pad (K-1)/2);  u = bm + Wm . t  (1x1 channel mixer)
//   y = gelu((u - mu[o]) / sqrt(var[o] + 1e-5)) + fast_bias   with mu, var (biased) of channel o
//   over all B*H*W positions of the batch (BatchNorm2d without affine, batch statistics)
// Plain CUDA in four launches: dwconv_kernel (one thread per element of t, in scratch),
// mix_kernel (the 1x1 conv as a 16x16 shared-memory tiled matrix product per image, u written
// into y), stats_kernel (one block per channel: mean, then squared deviations, both in double
// with tree reductions) and norm_gelu_kernel (elementwise, in place on y).
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int THREADS = 256;  // power of two (tree reductions)
constexpr int TILE = 16;

// t[b,c,i,j] = sum_{u,v<K} Hk[c,u,v] * x[b,c,i+u-pad,j+v-pad]
__global__ void dwconv_kernel(const float* __restrict__ x, const float* __restrict__ Hk,
                              float* __restrict__ t, int64_t BC, int64_t C, int64_t H, int64_t W,
                              int64_t K) {
    const int64_t total = BC * H * W;
    const int64_t pad = (K - 1) / 2;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t bc = idx / (W * H);
        const int64_t c = bc % C;
        const float* xc = x + bc * H * W;
        const float* kc = Hk + c * K * K;
        float acc = 0.0f;
        for (int64_t u = 0; u < K; ++u) {
            const int64_t ii = i + u - pad;
            if (ii < 0 || ii >= H) continue;
            for (int64_t v = 0; v < K; ++v) {
                const int64_t jj = j + v - pad;
                if (jj < 0 || jj >= W) continue;
                acc += kc[u * K + v] * xc[ii * W + jj];
            }
        }
        t[idx] = acc;
    }
}

// u[b,o,p] = bm[o] + sum_c Wm[o,c] * t[b,c,p]. Block (TILE, TILE): threadIdx.y = output channel
// within the tile, threadIdx.x = pixel; gridDim.y covers C, gridDim.z the images.
__global__ void mix_kernel(const float* __restrict__ Wm, const float* __restrict__ bm,
                           const float* __restrict__ t, float* __restrict__ u, int64_t C, int64_t P) {
    __shared__ float ws[TILE][TILE + 1];  // Wm[o0 + ty, c0 + tx]
    __shared__ float ts[TILE][TILE];      // t[b, c0 + ty, p0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t b = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const float* tb = t + b * C * P;
    const int64_t ptiles = (P + TILE - 1) / TILE;
    for (int64_t pt = blockIdx.x; pt < ptiles; pt += gridDim.x) {
        const int64_t p = pt * TILE + tx;
        float acc = 0.0f;
        for (int64_t c0 = 0; c0 < C; c0 += TILE) {
            ws[ty][tx] = (o < C && c0 + tx < C) ? Wm[o * C + c0 + tx] : 0.0f;
            ts[ty][tx] = (c0 + ty < C && p < P) ? tb[(c0 + ty) * P + p] : 0.0f;
            __syncthreads();
            for (int k = 0; k < TILE; ++k) acc += ws[ty][k] * ts[k][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < C && p < P) u[(b * C + o) * P + p] = bm[o] + acc;
    }
}

// Sum of v over the block, returned to every thread (all threads must call it).
__device__ double block_sum(double v, double* buf) {
    const int tid = threadIdx.x;
    buf[tid] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (tid < s) buf[tid] += buf[tid + s];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

// mean[o] and inv_std[o] = 1/sqrt(var[o] + 1e-5) of channel o over (b, p); one block per channel.
__global__ void stats_kernel(const float* __restrict__ u, float* __restrict__ mean,
                             float* __restrict__ inv_std, int64_t B, int64_t C, int64_t P) {
    __shared__ double buf[THREADS];
    const int64_t cnt = B * P;
    for (int64_t o = blockIdx.x; o < C; o += gridDim.x) {
        double s = 0.0;
        for (int64_t q = threadIdx.x; q < cnt; q += THREADS) s += (double)u[((q / P) * C + o) * P + q % P];
        const double mu = block_sum(s, buf) / (double)cnt;
        double sq = 0.0;
        for (int64_t q = threadIdx.x; q < cnt; q += THREADS) {
            const double e = (double)u[((q / P) * C + o) * P + q % P] - mu;
            sq += e * e;
        }
        const double var = block_sum(sq, buf) / (double)cnt;
        if (threadIdx.x == 0) {
            mean[o] = (float)mu;
            inv_std[o] = (float)(1.0 / sqrt(var + 1e-5));
        }
    }
}

// y = gelu((y - mean[o]) * inv_std[o]) + fast_bias, exact erf GELU.
__global__ void norm_gelu_kernel(float* __restrict__ y, const float* __restrict__ mean,
                                 const float* __restrict__ inv_std, const float* __restrict__ fast_bias,
                                 int64_t total, int64_t C, int64_t P) {
    const float fb = fast_bias[0];
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t o = (idx / P) % C;
        const float z = (y[idx] - mean[o]) * inv_std[o];
        y[idx] = 0.5f * z * erfcf(-z * 0.70710678118654752f) + fb;  // 1 + erf(a) = erfc(-a)
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int hyperzzw_local_context_conv(const float* x, const float* Hk, const float* Wm,
                                           const float* bm, const float* fast_bias, float* y,
                                           int64_t B, int64_t C, int64_t H, int64_t W, int64_t K,
                                           cudaStream_t stream) {
    const int64_t P = H * W;
    const int64_t total = B * C * P;
    float* t = nullptr;
    float* stats = nullptr;  // mean [C] then inv_std [C]
    cudaError_t err = cudaMallocAsync((void**)&t, sizeof(float) * (size_t)total, stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync((void**)&stats, sizeof(float) * (size_t)(2 * C), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(t, stream);
        return (int)err;
    }

    const unsigned grid = capped((total + THREADS - 1) / THREADS);
    dwconv_kernel<<<grid, THREADS, 0, stream>>>(x, Hk, t, B * C, C, H, W, K);
    const dim3 block(TILE, TILE);
    const dim3 tiles(capped((P + TILE - 1) / TILE), (unsigned)((C + TILE - 1) / TILE), (unsigned)B);
    mix_kernel<<<tiles, block, 0, stream>>>(Wm, bm, t, y, C, P);
    stats_kernel<<<capped(C), THREADS, 0, stream>>>(y, stats, stats + C, B, C, P);
    norm_gelu_kernel<<<grid, THREADS, 0, stream>>>(y, stats, stats + C, fast_bias, total, C, P);
    err = cudaGetLastError();

    cudaFreeAsync(t, stream);
    cudaFreeAsync(stats, stream);
    return (int)err;
}
