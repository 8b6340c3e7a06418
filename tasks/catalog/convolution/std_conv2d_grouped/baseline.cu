// Baseline for `std_conv2d_grouped`: PyTorch nn.Conv2d forward (cross-correlation, zero padding)
// on NCHW f32 tensors:
//   y[n,o,i,j] = b[o] + sum_{c < Cin/G} sum_{u < KH} sum_{v < KW}
//                w[o,c,u,v] * x[n, g*(Cin/G) + c, i*STRIDE - PAD + u*DIL, j*STRIDE - PAD + v*DIL]
// with g = o / (Cout/G); taps that fall outside the image contribute 0.
// Plain CUDA direct convolution: one thread per output element, grid-stride loop over the flat
// NCHW output index (j fastest). Neighbouring threads of a warp share (n, o) and differ in j, so
// their x loads are coalesced and their w loads hit the same address (a broadcast). Each thread
// accumulates its (Cin/G)*KH*KW products in float, enough for the 1e-4 tolerance.
#include <cstdint>
#include <cuda_runtime.h>

// Attributes of the task, baked in as compile-time constants (the loops below are written for
// the general nn.Conv2d case, so changing them here is all another configuration needs).
constexpr int KH = 3;
constexpr int KW = 3;
constexpr int STRIDE = 1;
constexpr int PAD = 1;
constexpr int DIL = 1;
constexpr int GROUPS = 1;

__global__ void conv2d_kernel(const float* __restrict__ x, const float* __restrict__ w,
                              const float* __restrict__ b, float* __restrict__ y,
                              int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W,
                              int64_t Ho, int64_t Wo) {
    const int64_t cin_g = Cin / GROUPS;   // input channels seen by one output channel
    const int64_t cout_g = Cout / GROUPS; // output channels per group
    const int64_t total = N * Cout * Ho * Wo;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        // Flat output index -> (n, o, i, j).
        const int64_t j = idx % Wo;
        const int64_t i = (idx / Wo) % Ho;
        const int64_t o = (idx / (Wo * Ho)) % Cout;
        const int64_t n = idx / (Wo * Ho * Cout);

        const int64_t c0 = (o / cout_g) * cin_g;  // first input channel of o's group
        const int64_t ih0 = i * STRIDE - PAD;     // input row of tap u = 0
        const int64_t iw0 = j * STRIDE - PAD;     // input column of tap v = 0

        float acc = b[o];
        for (int64_t c = 0; c < cin_g; ++c) {
            const float* xc = x + (n * Cin + c0 + c) * H * W;  // input plane
            const float* wc = w + (o * cin_g + c) * KH * KW;    // KH x KW filter slice
            for (int u = 0; u < KH; ++u) {
                const int64_t ih = ih0 + u * DIL;
                if (ih < 0 || ih >= H) continue;  // zero padding: the tap adds nothing
                for (int v = 0; v < KW; ++v) {
                    const int64_t iw = iw0 + v * DIL;
                    if (iw < 0 || iw >= W) continue;
                    acc += wc[u * KW + v] * xc[ih * W + iw];
                }
            }
        }
        y[idx] = acc;  // idx == ((n*Cout + o)*Ho + i)*Wo + j
    }
}

extern "C" int std_conv2d_grouped(const float* x, const float* w, const float* b, float* y,
                                  int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W,
                                  cudaStream_t stream) {
    const int64_t Ho = (H + 2 * PAD - DIL * (KH - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - DIL * (KW - 1) - 1) / STRIDE + 1;
    const int64_t total = N * Cout * Ho * Wo;

    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    const unsigned grid = (unsigned)(blocks < 65535 ? blocks : 65535);
    conv2d_kernel<<<grid, threads, 0, stream>>>(x, w, b, y, N, Cin, Cout, H, W, Ho, Wo);
    return (int)cudaGetLastError();
}
