// Baseline for `yolov13_dsconv_bn_silu` (YOLOv13 DSConv), NCHW f32:
//   t = depthwise KxK (stride S, dilation D, zero pad P = D*(K-1)/2, no bias)
//   z = pointwise 1x1 (no bias);  a = (z - mean)/sqrt(var + EPS)*gamma + beta;  y = silu(a)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define K 3        // attr k
#define S 2        // attr stride
#define D 1        // attr dilation
#define EPS 1e-3f  // attr eps

int yolov13_dsconv_bn_silu(const float* x, const float* w_dw, const float* w_pw,
                           const float* gamma, const float* beta, const float* mean,
                           const float* var, float* y,
                           int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t p = (D * (K - 1)) / 2;
    const int64_t ho = (H + 2 * p - D * (K - 1) - 1) / S + 1;
    const int64_t wo = (W + 2 * p - D * (K - 1) - 1) / S + 1;
    const int64_t oplane = ho * wo;
    float* t = malloc((size_t)(Cin * oplane) * sizeof(float));
    float* acc = malloc((size_t)oplane * sizeof(float));
    if (t == NULL || acc == NULL) { free(t); free(acc); return 1; }
    for (int64_t n = 0; n < N; ++n) {
        for (int64_t c = 0; c < Cin; ++c) {
            const float* xc = x + (n * Cin + c) * H * W;
            const float* wk = w_dw + c * K * K;
            float* tc = t + c * oplane;
            for (int64_t i = 0; i < ho; ++i) {
                for (int64_t j = 0; j < wo; ++j) {
                    float s = 0.0f;
                    for (int64_t u = 0; u < K; ++u) {
                        const int64_t ii = i * S - p + u * D;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t v = 0; v < K; ++v) {
                            const int64_t jj = j * S - p + v * D;
                            if (jj < 0 || jj >= W) continue;
                            s += wk[u * K + v] * xc[ii * W + jj];
                        }
                    }
                    tc[i * wo + j] = s;
                }
            }
        }
        for (int64_t o = 0; o < Cout; ++o) {
            for (int64_t q = 0; q < oplane; ++q) acc[q] = 0.0f;
            for (int64_t c = 0; c < Cin; ++c) {
                const float wv = w_pw[o * Cin + c];
                const float* tc = t + c * oplane;
                for (int64_t q = 0; q < oplane; ++q) acc[q] += wv * tc[q];
            }
            const float scale = gamma[o] / sqrtf(var[o] + EPS);
            const float shift = beta[o] - mean[o] * scale;
            float* yo = y + (n * Cout + o) * oplane;
            for (int64_t q = 0; q < oplane; ++q) {
                const float a = acc[q] * scale + shift;
                yo[q] = a / (1.0f + expf(-a));
            }
        }
    }
    free(t);
    free(acc);
    return 0;
}
