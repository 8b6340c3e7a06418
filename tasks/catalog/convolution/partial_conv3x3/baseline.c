// Baseline for `partial_conv3x3` (FasterNet/PATNet PConv), NCHW f32, Cp = C / N_DIV:
//   y[:, :Cp] = conv3x3(x[:, :Cp], w), stride 1, zero pad 1, no bias
//   y[:, Cp:] = x[:, Cp:]
#include <stdint.h>
#include <string.h>

#define N_DIV 4  // attr n_div

int partial_conv3x3(const float* x, const float* w, float* y,
                    int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t cp = C / N_DIV;
    const int64_t plane = H * W;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;
        // untouched channels: straight copy
        memcpy(yb + cp * plane, xb + cp * plane, (size_t)((C - cp) * plane) * sizeof(float));
        for (int64_t o = 0; o < cp; ++o) {
            float* yo = yb + o * plane;
            for (int64_t i = 0; i < plane; ++i) yo[i] = 0.0f;
            for (int64_t c = 0; c < cp; ++c) {
                const float* xc = xb + c * plane;
                const float* wk = w + (o * cp + c) * 9;
                for (int64_t u = 0; u < 3; ++u) {
                    for (int64_t v = 0; v < 3; ++v) {
                        const float k = wk[u * 3 + v];
                        const int64_t i0 = (u == 0) ? 1 : 0, i1 = (u == 2) ? H - 1 : H;
                        const int64_t j0 = (v == 0) ? 1 : 0, j1 = (v == 2) ? W - 1 : W;
                        for (int64_t i = i0; i < i1; ++i) {
                            const float* xr = xc + (i + u - 1) * W + (v - 1);
                            float* yr = yo + i * W;
                            for (int64_t j = j0; j < j1; ++j) yr[j] += k * xr[j];
                        }
                    }
                }
            }
        }
    }
    return 0;
}
