// Baseline for `sparse_batchnorm2d` (training mode): per channel, mean and biased variance over
// the visible positions (mask nearest-upsampled from F x F), normalise visible positions, write 0
// elsewhere, update the running statistics (unbiased variance n/(n-1)). Two passes in double.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EPS 1e-5        // attr eps
#define MOMENTUM 0.1    // attr momentum

int sparse_batchnorm2d(const float* x, const uint8_t* active, const float* gamma, const float* beta,
                       const float* running_mean, const float* running_var,
                       float* y, float* new_running_mean, float* new_running_var,
                       int64_t B, int64_t C, int64_t H, int64_t W, int64_t F) {
    const int64_t plane = H * W, sh = H / F, sw = W / F;
    uint8_t* act = (uint8_t*)malloc((size_t)(B * plane));
    if (!act) return 1;
    int64_t n = 0;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < H; ++h)
            for (int64_t w = 0; w < W; ++w) {
                const uint8_t a = active[(b * F + h / sh) * F + w / sw] != 0;
                act[b * plane + h * W + w] = a;
                n += a;
            }
    for (int64_t c = 0; c < C; ++c) {
        double s = 0.0;
        for (int64_t b = 0; b < B; ++b) {
            const float* xc = x + (b * C + c) * plane;
            const uint8_t* ab = act + b * plane;
            for (int64_t p = 0; p < plane; ++p)
                if (ab[p]) s += xc[p];
        }
        const double mu = s / (double)n;
        double v = 0.0;
        for (int64_t b = 0; b < B; ++b) {
            const float* xc = x + (b * C + c) * plane;
            const uint8_t* ab = act + b * plane;
            for (int64_t p = 0; p < plane; ++p)
                if (ab[p]) {
                    const double d = (double)xc[p] - mu;
                    v += d * d;
                }
        }
        const double var = v / (double)n;
        const double inv_std = 1.0 / sqrt(var + EPS);
        const float scale = (float)(gamma[c] * inv_std);
        const float shift = (float)(beta[c] - mu * gamma[c] * inv_std);
        for (int64_t b = 0; b < B; ++b) {
            const float* xc = x + (b * C + c) * plane;
            float* yc = y + (b * C + c) * plane;
            const uint8_t* ab = act + b * plane;
            for (int64_t p = 0; p < plane; ++p) yc[p] = ab[p] ? xc[p] * scale + shift : 0.0f;
        }
        new_running_mean[c] = (float)((1.0 - MOMENTUM) * running_mean[c] + MOMENTUM * mu);
        new_running_var[c] = (float)((1.0 - MOMENTUM) * running_var[c] + MOMENTUM * var * (double)n / (double)(n - 1));
    }
    free(act);
    return 0;
}
