// Baseline for `inception_dwconv2d` (InceptionNeXt token mixer), NCHW f32, output size = input size.
// Channels are split in this order, with gc = int(C * BRANCH_RATIO) and C_id = C - 3*gc:
//   [0, C_id)            identity copy
//   [C_id, C_id+gc)      depthwise SQ x SQ conv, pad (SQ/2, SQ/2),  weights w_hw [gc,1,SQ,SQ], b_hw
//   [C_id+gc, C_id+2gc)  depthwise 1 x BAND conv, pad (0, BAND/2),  weights w_w  [gc,1,1,BAND], b_w
//   [C_id+2gc, C)        depthwise BAND x 1 conv, pad (BAND/2, 0),  weights w_h  [gc,1,BAND,1], b_h
// All branches: stride 1, zero padding, cross-correlation, bias added.
// Plain CUDA: one thread per output element (grid-stride); the channel picks the branch, which
// then runs a small depthwise loop with float accumulation (at most 11 products).
#include <cstdint>
#include <cuda_runtime.h>

constexpr int SQ = 3;                  // attr square_kernel
constexpr int BAND = 11;               // attr band_kernel
constexpr double BRANCH_RATIO = 0.125; // attr branch_ratio

// bias + sum_{u<kh, v<kw} w[u*kw + v] * xc[i - ph + u, j - pw + v] (zero outside the image).
__device__ float dw_tap_sum(const float* xc, const float* w, float bias, int64_t i, int64_t j,
                           int64_t H, int64_t W, int kh, int kw, int ph, int pw) {
    float acc = bias;
    for (int u = 0; u < kh; ++u) {
        const int64_t ii = i - ph + u;
        if (ii < 0 || ii >= H) continue;
        for (int v = 0; v < kw; ++v) {
            const int64_t jj = j - pw + v;
            if (jj < 0 || jj >= W) continue;
            acc += w[u * kw + v] * xc[ii * W + jj];
        }
    }
    return acc;
}

__global__ void inception_dw_kernel(const float* __restrict__ x, const float* __restrict__ w_hw,
                                    const float* __restrict__ b_hw, const float* __restrict__ w_w,
                                    const float* __restrict__ b_w, const float* __restrict__ w_h,
                                    const float* __restrict__ b_h, float* __restrict__ y, int64_t N,
                                    int64_t C, int64_t H, int64_t W, int64_t gc) {
    const int64_t total = N * C * H * W;
    const int64_t cid = C - 3 * gc;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % W;
        const int64_t i = (idx / W) % H;
        const int64_t c = (idx / (W * H)) % C;
        const float* xc = x + (idx / (W * H)) * H * W;  // this (n, c) plane
        float out;
        if (c < cid) {
            out = xc[i * W + j];  // identity channels
        } else if (c < cid + gc) {
            const int64_t g = c - cid;
            out = dw_tap_sum(xc, w_hw + g * SQ * SQ, b_hw[g], i, j, H, W, SQ, SQ, SQ / 2, SQ / 2);
        } else if (c < cid + 2 * gc) {
            const int64_t g = c - cid - gc;
            out = dw_tap_sum(xc, w_w + g * BAND, b_w[g], i, j, H, W, 1, BAND, 0, BAND / 2);
        } else {
            const int64_t g = c - cid - 2 * gc;
            out = dw_tap_sum(xc, w_h + g * BAND, b_h[g], i, j, H, W, BAND, 1, BAND / 2, 0);
        }
        y[idx] = out;
    }
}

extern "C" int inception_dwconv2d(const float* x, const float* w_hw, const float* b_hw, const float* w_w,
                                  const float* b_w, const float* w_h, const float* b_h, float* y,
                                  int64_t N, int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t gc = (int64_t)((double)C * BRANCH_RATIO);
    const int64_t total = N * C * H * W;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    inception_dw_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(
        x, w_hw, b_hw, w_w, b_w, w_h, b_h, y, N, C, H, W, gc);
    return (int)cudaGetLastError();
}
