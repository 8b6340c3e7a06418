// Baseline for `yolov13_dsconv_bn_silu` (YOLOv13 DSConv), NCHW f32:
//   t = depthwise KxK (stride S, dilation D, zero pad P = D*(K-1)/2, no bias)
//   z = pointwise 1x1 (no bias);  a = (z - mean)/sqrt(var + EPS)*gamma + beta;  y = silu(a)
// Plain CUDA in two launches: dw_kernel (one thread per element of t, kept in scratch) and
// pw_kernel, the 1x1 conv as a shared-memory tiled matrix product per image (16x16 tiles of w_pw
// and of t per step) with the BatchNorm and SiLU in the epilogue.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int K = 3;          // attr k
constexpr int S = 2;          // attr stride
constexpr int D = 1;          // attr dilation
constexpr float EPS = 1e-3f;  // attr eps
constexpr int P = (D * (K - 1)) / 2;
constexpr int TILE = 16;

// t[n,c,i,j] = sum_{u,v<K} w_dw[c,u,v] * x[n,c,i*S-P+u*D,j*S-P+v*D]
__global__ void dw_kernel(const float* __restrict__ x, const float* __restrict__ w_dw,
                          float* __restrict__ t, int64_t NC, int64_t Cin, int64_t H, int64_t W,
                          int64_t ho, int64_t wo) {
    const int64_t total = NC * ho * wo;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % wo;
        const int64_t i = (idx / wo) % ho;
        const int64_t nc = idx / (wo * ho);
        const int64_t c = nc % Cin;
        const float* xc = x + nc * H * W;
        const float* wk = w_dw + c * K * K;
        float s = 0.0f;
        for (int u = 0; u < K; ++u) {
            const int64_t ii = i * S - P + u * D;
            if (ii < 0 || ii >= H) continue;
            for (int v = 0; v < K; ++v) {
                const int64_t jj = j * S - P + v * D;
                if (jj < 0 || jj >= W) continue;
                s += wk[u * K + v] * xc[ii * W + jj];
            }
        }
        t[idx] = s;
    }
}

// y[n,o,q] = silu((sum_c w_pw[o,c] * t[n,c,q] - mean[o]) * gamma[o]/sqrt(var[o]+EPS) + beta[o]).
// Block (TILE, TILE): threadIdx.y = output channel within the tile, threadIdx.x = pixel;
// gridDim.y covers Cout, gridDim.z the images, x strides over the pixel tiles.
__global__ void pw_kernel(const float* __restrict__ w_pw, const float* __restrict__ gamma,
                          const float* __restrict__ beta, const float* __restrict__ mean,
                          const float* __restrict__ var, const float* __restrict__ t,
                          float* __restrict__ y, int64_t Cin, int64_t Cout, int64_t Q) {
    __shared__ float ws[TILE][TILE + 1];  // w_pw[o0 + ty, c0 + tx]
    __shared__ float ts[TILE][TILE];      // t[n, c0 + ty, q0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t n = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const float* tn = t + n * Cin * Q;
    const int64_t qtiles = (Q + TILE - 1) / TILE;
    for (int64_t qt = blockIdx.x; qt < qtiles; qt += gridDim.x) {
        const int64_t q = qt * TILE + tx;
        float acc = 0.0f;
        for (int64_t c0 = 0; c0 < Cin; c0 += TILE) {
            ws[ty][tx] = (o < Cout && c0 + tx < Cin) ? w_pw[o * Cin + c0 + tx] : 0.0f;
            ts[ty][tx] = (c0 + ty < Cin && q < Q) ? tn[(c0 + ty) * Q + q] : 0.0f;
            __syncthreads();
            for (int k = 0; k < TILE; ++k) acc += ws[ty][k] * ts[k][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < Cout && q < Q) {
            const float scale = gamma[o] / sqrtf(var[o] + EPS);
            const float a = (acc - mean[o]) * scale + beta[o];
            y[(n * Cout + o) * Q + q] = a / (1.0f + expf(-a));  // -> -0 when expf overflows
        }
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int yolov13_dsconv_bn_silu(const float* x, const float* w_dw, const float* w_pw,
                                      const float* gamma, const float* beta, const float* mean,
                                      const float* var, float* y, int64_t N, int64_t Cin, int64_t Cout,
                                      int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t ho = (H + 2 * P - D * (K - 1) - 1) / S + 1;
    const int64_t wo = (W + 2 * P - D * (K - 1) - 1) / S + 1;
    const int64_t Q = ho * wo;
    float* t = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&t, sizeof(float) * (size_t)(N * Cin * Q), stream);
    if (err != cudaSuccess) return (int)err;

    const int threads = 256;
    dw_kernel<<<capped((N * Cin * Q + threads - 1) / threads), threads, 0, stream>>>(x, w_dw, t, N * Cin,
                                                                                    Cin, H, W, ho, wo);
    const dim3 block(TILE, TILE);
    const dim3 grid(capped((Q + TILE - 1) / TILE), (unsigned)((Cout + TILE - 1) / TILE), (unsigned)N);
    pw_kernel<<<grid, block, 0, stream>>>(w_pw, gamma, beta, mean, var, t, y, Cin, Cout, Q);
    err = cudaGetLastError();

    cudaFreeAsync(t, stream);
    return (int)err;
}
