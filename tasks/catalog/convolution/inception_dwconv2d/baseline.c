// Baseline for `inception_dwconv2d` (InceptionNeXt token mixer), NCHW f32, output size = input size.
// Channels are split in this order, with gc = int(C * BRANCH_RATIO) and C_id = C - 3*gc:
//   [0, C_id)            identity copy
//   [C_id, C_id+gc)      depthwise SQ x SQ conv, pad (SQ/2, SQ/2),  weights w_hw [gc,1,SQ,SQ], b_hw
//   [C_id+gc, C_id+2gc)  depthwise 1 x BAND conv, pad (0, BAND/2),  weights w_w  [gc,1,1,BAND], b_w
//   [C_id+2gc, C)        depthwise BAND x 1 conv, pad (BAND/2, 0),  weights w_h  [gc,1,BAND,1], b_h
// All branches: stride 1, zero padding, cross-correlation, bias added.
#include <stdint.h>

#define SQ 3              // attr square_kernel
#define BAND 11           // attr band_kernel
#define BRANCH_RATIO 0.125

// One depthwise plane: y = bias + sum_{u<kh, v<kw} w[u,v] * x[i - ph + u, j - pw + v] (zero outside).
static void dw_plane(const float* x, const float* w, float bias, float* y,
                     int64_t H, int64_t W, int64_t kh, int64_t kw, int64_t ph, int64_t pw) {
    for (int64_t p = 0; p < H * W; ++p) y[p] = bias;
    for (int64_t u = 0; u < kh; ++u) {
        // rows i with 0 <= i - ph + u < H
        const int64_t i0 = ph - u > 0 ? ph - u : 0;
        const int64_t i1 = H + ph - u < H ? H + ph - u : H;
        for (int64_t v = 0; v < kw; ++v) {
            const float wv = w[u * kw + v];
            const int64_t j0 = pw - v > 0 ? pw - v : 0;
            const int64_t j1 = W + pw - v < W ? W + pw - v : W;
            for (int64_t i = i0; i < i1; ++i) {
                const float* xrow = x + (i - ph + u) * W;
                float* yrow = y + i * W;
                for (int64_t j = j0; j < j1; ++j) {
                    yrow[j] += wv * xrow[j - pw + v];
                }
            }
        }
    }
}

int inception_dwconv2d(const float* x, const float* w_hw, const float* b_hw,
                       const float* w_w, const float* b_w, const float* w_h, const float* b_h,
                       float* y, int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t gc = (int64_t)((double)C * BRANCH_RATIO);
    const int64_t cid = C - 3 * gc;
    const int64_t plane = H * W;

    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * C * plane;
        float* yn = y + n * C * plane;

        for (int64_t p = 0; p < cid * plane; ++p) yn[p] = xn[p];

        for (int64_t c = 0; c < gc; ++c) {
            const int64_t c_sq = cid + c, c_w = cid + gc + c, c_h = cid + 2 * gc + c;
            dw_plane(xn + c_sq * plane, w_hw + c * SQ * SQ, b_hw[c], yn + c_sq * plane,
                     H, W, SQ, SQ, SQ / 2, SQ / 2);
            dw_plane(xn + c_w * plane, w_w + c * BAND, b_w[c], yn + c_w * plane,
                     H, W, 1, BAND, 0, BAND / 2);
            dw_plane(xn + c_h * plane, w_h + c * BAND, b_h[c], yn + c_h * plane,
                     H, W, BAND, 1, BAND / 2, 0);
        }
    }
    return 0;
}
