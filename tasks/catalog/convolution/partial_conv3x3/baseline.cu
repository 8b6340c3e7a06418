// Baseline for `partial_conv3x3` (FasterNet/PATNet PConv), NCHW f32, Cp = C / N_DIV:
//   y[:, :Cp] = conv3x3(x[:, :Cp], w), stride 1, zero pad 1, no bias
//   y[:, Cp:] = x[:, Cp:]                                      (exact copies)
// Plain CUDA: one thread per output element (grid-stride, j fastest). Channels below Cp run a
// direct 3x3 convolution over the first Cp input channels (float accumulation of Cp*9
// products; warps share o, so w loads are broadcasts), the others copy their input element.
#include <cstdint>
#include <cuda_runtime.h>

constexpr int N_DIV = 4;  // attr n_div

__global__ void pconv_kernel(const float* __restrict__ x, const float* __restrict__ w,
                             float* __restrict__ y, int64_t B, int64_t C, int64_t H, int64_t W,
                             int64_t cp) {
    const int64_t plane = H * W;
    const int64_t total = B * C * plane;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t o = (idx / plane) % C;
        if (o >= cp) {
            y[idx] = x[idx];  // untouched channel
            continue;
        }
        const int64_t p = idx % plane;
        const int64_t i = p / W, j = p % W;
        const int64_t b = idx / (plane * C);
        const float* xb = x + b * C * plane;
        float acc = 0.0f;
        for (int64_t c = 0; c < cp; ++c) {
            const float* xc = xb + c * plane;
            const float* wk = w + (o * cp + c) * 9;
            for (int u = 0; u < 3; ++u) {
                const int64_t ii = i + u - 1;
                if (ii < 0 || ii >= H) continue;
                for (int v = 0; v < 3; ++v) {
                    const int64_t jj = j + v - 1;
                    if (jj < 0 || jj >= W) continue;
                    acc += wk[u * 3 + v] * xc[ii * W + jj];
                }
            }
        }
        y[idx] = acc;
    }
}

extern "C" int partial_conv3x3(const float* x, const float* w, float* y, int64_t B, int64_t C,
                               int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t cp = C / N_DIV;
    const int64_t total = B * C * H * W;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    pconv_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(x, w, y, B, C, H,
                                                                                     W, cp);
    return (int)cudaGetLastError();
}
