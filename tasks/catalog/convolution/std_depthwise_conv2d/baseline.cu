// Baseline for `std_depthwise_conv2d`: depthwise 2-D convolution (PyTorch nn.Conv2d with
// groups = C, weight [C, 1, K, K], bias, zero "same" padding PAD = DIL*(K-1)/2), NCHW f32:
//   y[n,c,i,j] = b[c] + sum_{u,v < K} w[c,0,u,v] * x[n, c, i*STRIDE - PAD + u*DIL, j*STRIDE - PAD + v*DIL]
// Out-of-image taps contribute 0.
// Plain CUDA: one thread per output element, grid-stride loop over the flat NCHW output index
// (j fastest: a warp reads contiguous input rows and broadcasts the channel's K*K weights).
// The operation is memory-bound (9 multiply-adds per output).
#include <cstdint>
#include <cuda_runtime.h>

constexpr int K = 3;       // attr k
constexpr int STRIDE = 1;  // attr stride
constexpr int DIL = 1;     // attr dilation
constexpr int PAD = DIL * (K - 1) / 2;

__global__ void dwconv_kernel(const float* __restrict__ x, const float* __restrict__ w,
                              const float* __restrict__ b, float* __restrict__ y, int64_t NC,
                              int64_t C, int64_t H, int64_t W, int64_t Ho, int64_t Wo) {
    const int64_t total = NC * Ho * Wo;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % Wo;
        const int64_t i = (idx / Wo) % Ho;
        const int64_t nc = idx / (Wo * Ho);
        const int64_t c = nc % C;
        const float* xc = x + nc * H * W;
        const float* wc = w + c * K * K;
        float acc = b[c];
        for (int u = 0; u < K; ++u) {
            const int64_t ii = i * STRIDE - PAD + u * DIL;
            if (ii < 0 || ii >= H) continue;
            for (int v = 0; v < K; ++v) {
                const int64_t jj = j * STRIDE - PAD + v * DIL;
                if (jj < 0 || jj >= W) continue;
                acc += wc[u * K + v] * xc[ii * W + jj];
            }
        }
        y[idx] = acc;
    }
}

extern "C" int std_depthwise_conv2d(const float* x, const float* w, const float* b, float* y, int64_t N,
                                    int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t Ho = (H + 2 * PAD - DIL * (K - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - DIL * (K - 1) - 1) / STRIDE + 1;
    const int64_t total = N * C * Ho * Wo;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    dwconv_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(x, w, b, y, N * C,
                                                                                      C, H, W, Ho, Wo);
    return (int)cudaGetLastError();
}
