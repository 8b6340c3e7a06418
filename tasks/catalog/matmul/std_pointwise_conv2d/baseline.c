// Baseline for `std_pointwise_conv2d`: 1x1 convolution, NCHW f32, with bias.
//   y[b,o,p] = bias[o] + sum_c w[o,c] * x[b,c,p]      (p = h*W + w, one GEMM per image)
// Loop order b, o, c, p: the innermost loop is a contiguous axpy over the H*W pixels.
#include <stdint.h>

int std_pointwise_conv2d(const float* x, const float* w, const float* bias, float* y,
                         int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * Cin * plane;
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (b * Cout + o) * plane;
            const float bo = bias[o];
            for (int64_t p = 0; p < plane; ++p) yo[p] = bo;
            for (int64_t c = 0; c < Cin; ++c) {
                const float wv = w[o * Cin + c];
                const float* xc = xb + c * plane;
                for (int64_t p = 0; p < plane; ++p) yo[p] += wv * xc[p];
            }
        }
    }
    return 0;
}
