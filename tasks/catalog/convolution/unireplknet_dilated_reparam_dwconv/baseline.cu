// Baseline for `unireplknet_dilated_reparam_dwconv` (UniRepLKNet DilatedReparamBlock, K = 13),
// NCHW f32: six depthwise branches (k, r) = (13,1) (5,1) (7,2) (3,3) (3,4) (3,5), zero padding
// p = (r*(k-1) + 1)/2 (every branch keeps H x W), each folded-BN'd and summed:
//   y[n,c,i,j] = sum_br ( s[br,c] * sum_{u,v<k} w_br[c,u,v] * x[n,c,i+r*u-p,j+r*v-p] + t[br,c] )
// Plain CUDA: one thread per output element runs the six branches in turn (float accumulation,
// 270 taps in all), exactly as the training-time form defines them.
#include <cstdint>
#include <cuda_runtime.h>

// One branch: s * sum_{u,v<k} wk[u*k + v] * xc[i + r*u - p, j + r*v - p] + t (zero outside).
__device__ float branch(const float* xc, const float* wk, float s, float t, int64_t i, int64_t j,
                        int64_t H, int64_t W, int k, int r) {
    const int p = (r * (k - 1) + 1) / 2;
    float acc = 0.0f;
    for (int u = 0; u < k; ++u) {
        const int64_t ii = i + (int64_t)r * u - p;
        if (ii < 0 || ii >= H) continue;
        for (int v = 0; v < k; ++v) {
            const int64_t jj = j + (int64_t)r * v - p;
            if (jj < 0 || jj >= W) continue;
            acc += wk[u * k + v] * xc[ii * W + jj];
        }
    }
    return s * acc + t;
}

__global__ void reparam_dw_kernel(const float* __restrict__ x, const float* __restrict__ w0,
                                  const float* __restrict__ w1, const float* __restrict__ w2,
                                  const float* __restrict__ w3, const float* __restrict__ w4,
                                  const float* __restrict__ w5, const float* __restrict__ s,
                                  const float* __restrict__ t, float* __restrict__ y, int64_t N,
                                  int64_t C, int64_t H, int64_t W) {
    const int64_t total = N * C * H * W;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t nc = idx / (W * H);
        const int64_t c = nc % C;
        const float* xc = x + nc * H * W;
        float acc = 0.0f;
        acc += branch(xc, w0 + c * 169, s[0 * C + c], t[0 * C + c], i, j, H, W, 13, 1);
        acc += branch(xc, w1 + c * 25, s[1 * C + c], t[1 * C + c], i, j, H, W, 5, 1);
        acc += branch(xc, w2 + c * 49, s[2 * C + c], t[2 * C + c], i, j, H, W, 7, 2);
        acc += branch(xc, w3 + c * 9, s[3 * C + c], t[3 * C + c], i, j, H, W, 3, 3);
        acc += branch(xc, w4 + c * 9, s[4 * C + c], t[4 * C + c], i, j, H, W, 3, 4);
        acc += branch(xc, w5 + c * 9, s[5 * C + c], t[5 * C + c], i, j, H, W, 3, 5);
        y[idx] = acc;
    }
}

extern "C" int unireplknet_dilated_reparam_dwconv(const float* x, const float* w0, const float* w1,
                                                  const float* w2, const float* w3, const float* w4,
                                                  const float* w5, const float* s, const float* t,
                                                  float* y, int64_t N, int64_t C, int64_t H, int64_t W,
                                                  cudaStream_t stream) {
    const int64_t total = N * C * H * W;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    reparam_dw_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(
        x, w0, w1, w2, w3, w4, w5, s, t, y, N, C, H, W);
    return (int)cudaGetLastError();
}
