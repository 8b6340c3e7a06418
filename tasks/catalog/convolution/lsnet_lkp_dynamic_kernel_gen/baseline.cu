// Baseline for `lsnet_lkp_dynamic_kernel_gen` (LSNet LKP), NCHW f32, Ch = C/2, G = C/GROUPS:
//   a1 = relu(b1 + w1 . x)            1x1, C -> Ch
//   a2 = b2 + dwconv_7x7(a1)          depthwise, zero pad 3
//   a3 = relu(b3 + w3 . a2)           1x1, Ch -> Ch
//   z  = b4 + w4 . a3                 1x1, Ch -> G*9, written straight into Wdyn [N, G*9, H, W]
//   Wdyn = GroupNorm(G groups of 9 channels, eps 1e-5, biased variance)(z) * gn_w + gn_b
// Plain CUDA, one launch per layer as eager PyTorch would run it: pointwise_kernel (1x1 conv as a
// 16x16 shared-memory tiled matrix product per image, bias and optional ReLU in the epilogue),
// dwconv7_kernel (one thread per output), and groupnorm_kernel (one block per (n, g): mean and
// variance as double tree reductions, then the affine normalisation in place).
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int GROUPS = 8;        // attr groups
constexpr int LKS = 7;           // attr lks
constexpr int KK = 9;            // sks * sks
constexpr double GN_EPS = 1e-5;  // attr eps
constexpr int THREADS = 256;     // power of two (tree reductions)
constexpr int TILE = 16;

// out[n,o,p] = act(bias[o] + sum_c w[o,c] * in[n,c,p]), act = ReLU if relu != 0.
// Block (TILE, TILE): threadIdx.y = output channel within the tile, threadIdx.x = pixel;
// gridDim.y covers Cout, gridDim.z the images, x strides over the pixel tiles.
__global__ void pointwise_kernel(const float* __restrict__ w, const float* __restrict__ bias,
                                 const float* __restrict__ in, float* __restrict__ out, int64_t Cin,
                                 int64_t Cout, int64_t P, int relu) {
    __shared__ float ws[TILE][TILE + 1];  // w[o0 + ty, c0 + tx]
    __shared__ float xs[TILE][TILE];      // in[n, c0 + ty, p0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t n = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const float* inn = in + n * Cin * P;
    const int64_t ptiles = (P + TILE - 1) / TILE;
    for (int64_t pt = blockIdx.x; pt < ptiles; pt += gridDim.x) {
        const int64_t p = pt * TILE + tx;
        float acc = 0.0f;
        for (int64_t c0 = 0; c0 < Cin; c0 += TILE) {
            ws[ty][tx] = (o < Cout && c0 + tx < Cin) ? w[o * Cin + c0 + tx] : 0.0f;
            xs[ty][tx] = (c0 + ty < Cin && p < P) ? inn[(c0 + ty) * P + p] : 0.0f;
            __syncthreads();
            for (int k = 0; k < TILE; ++k) acc += ws[ty][k] * xs[k][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < Cout && p < P) {
            float v = bias[o] + acc;
            if (relu) v = v > 0.0f ? v : 0.0f;
            out[(n * Cout + o) * P + p] = v;
        }
    }
}

// a2[n,o,i,j] = b2[o] + sum_{u,v<7} w2[o,u,v] * a1[n,o,i+u-3,j+v-3]
__global__ void dwconv7_kernel(const float* __restrict__ a1, const float* __restrict__ w2,
                               const float* __restrict__ b2, float* __restrict__ a2, int64_t NC,
                               int64_t Ch, int64_t H, int64_t W) {
    const int64_t total = NC * H * W;
    const int R = LKS / 2;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t nc = idx / (W * H);
        const int64_t o = nc % Ch;
        const float* src = a1 + nc * H * W;
        const float* k = w2 + o * LKS * LKS;
        float s = b2[o];
        for (int u = 0; u < LKS; ++u) {
            const int64_t ii = i + u - R;
            if (ii < 0 || ii >= H) continue;
            for (int v = 0; v < LKS; ++v) {
                const int64_t jj = j + v - R;
                if (jj < 0 || jj >= W) continue;
                s += k[u * LKS + v] * src[ii * W + jj];
            }
        }
        a2[idx] = s;
    }
}

// Sum of v over the block, returned to every thread (all threads must call it).
__device__ double block_sum(double v, double* buf) {
    const int t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] += buf[t + s];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

// In place on z [N, G, 9, P]: one block per (n, g), whose 9*P values are contiguous.
__global__ void groupnorm_kernel(float* __restrict__ z, const float* __restrict__ gn_w,
                                 const float* __restrict__ gn_b, int64_t NG, int64_t G, int64_t P) {
    __shared__ double buf[THREADS];
    const int64_t cnt = KK * P;
    for (int64_t ng = blockIdx.x; ng < NG; ng += gridDim.x) {
        float* zg = z + ng * cnt;
        const int64_t g = ng % G;
        double s = 0.0;
        for (int64_t q = threadIdx.x; q < cnt; q += THREADS) s += (double)zg[q];
        const double mean = block_sum(s, buf) / (double)cnt;
        double sq = 0.0;
        for (int64_t q = threadIdx.x; q < cnt; q += THREADS) {
            const double e = (double)zg[q] - mean;
            sq += e * e;
        }
        const double inv = 1.0 / sqrt(block_sum(sq, buf) / (double)cnt + GN_EPS);
        // block_sum ended with __syncthreads(): every thread has finished reading zg.
        for (int64_t q = threadIdx.x; q < cnt; q += THREADS) {
            const int64_t ch = g * KK + q / P;  // channel g*9 + t
            zg[q] = (float)(((double)zg[q] - mean) * inv * (double)gn_w[ch] + (double)gn_b[ch]);
        }
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int lsnet_lkp_dynamic_kernel_gen(const float* x, const float* w1, const float* b1,
                                            const float* w2, const float* b2, const float* w3,
                                            const float* b3, const float* w4, const float* b4,
                                            const float* gn_w, const float* gn_b, float* Wdyn,
                                            int64_t N, int64_t C, int64_t H, int64_t W,
                                            cudaStream_t stream) {
    const int64_t Ch = C / 2, G = C / GROUPS, P = H * W;
    const int64_t act = N * Ch * P;
    float* a1 = nullptr;  // a1, later a3
    float* a2 = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&a1, sizeof(float) * (size_t)act, stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync((void**)&a2, sizeof(float) * (size_t)act, stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(a1, stream);
        return (int)err;
    }

    const dim3 block(TILE, TILE);
    const unsigned ptiles = capped((P + TILE - 1) / TILE);
    const dim3 grid_ch(ptiles, (unsigned)((Ch + TILE - 1) / TILE), (unsigned)N);
    const dim3 grid_z(ptiles, (unsigned)((G * KK + TILE - 1) / TILE), (unsigned)N);

    pointwise_kernel<<<grid_ch, block, 0, stream>>>(w1, b1, x, a1, C, Ch, P, 1);
    dwconv7_kernel<<<capped((act + THREADS - 1) / THREADS), THREADS, 0, stream>>>(a1, w2, b2, a2, N * Ch,
                                                                                  Ch, H, W);
    pointwise_kernel<<<grid_ch, block, 0, stream>>>(w3, b3, a2, a1, Ch, Ch, P, 1);  // a3 into a1
    pointwise_kernel<<<grid_z, block, 0, stream>>>(w4, b4, a1, Wdyn, Ch, G * KK, P, 0);
    groupnorm_kernel<<<capped(N * G), THREADS, 0, stream>>>(Wdyn, gn_w, gn_b, N * G, G, P);
    err = cudaGetLastError();

    cudaFreeAsync(a1, stream);
    cudaFreeAsync(a2, stream);
    return (int)err;
}
