// Baseline for `sparse_masked_layernorm` (SparK, channels_first): at each visible (b, h, w)
// normalise the C-vector (two passes in double, biased variance), elsewhere write 0.
#include <math.h>
#include <stdint.h>

#define EPS 1e-6  // attr eps

int sparse_masked_layernorm(const float* x, const uint8_t* active, const float* gamma, const float* beta,
                            float* y, int64_t B, int64_t C, int64_t H, int64_t W, int64_t F) {
    const int64_t plane = H * W, sh = H / F, sw = W / F;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < H; ++h)
            for (int64_t w = 0; w < W; ++w) {
                const int64_t p = h * W + w;
                const float* xp = x + b * C * plane + p;
                float* yp = y + b * C * plane + p;
                if (!active[(b * F + h / sh) * F + w / sw]) {
                    for (int64_t c = 0; c < C; ++c) yp[c * plane] = 0.0f;
                    continue;
                }
                double s = 0.0;
                for (int64_t c = 0; c < C; ++c) s += xp[c * plane];
                const double mu = s / (double)C;
                double v = 0.0;
                for (int64_t c = 0; c < C; ++c) {
                    const double d = xp[c * plane] - mu;
                    v += d * d;
                }
                const double inv = 1.0 / sqrt(v / (double)C + EPS);
                for (int64_t c = 0; c < C; ++c) yp[c * plane] = (float)(gamma[c] * (xp[c * plane] - mu) * inv + beta[c]);
            }
    return 0;
}
