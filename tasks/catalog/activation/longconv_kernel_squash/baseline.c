// Baseline for `longconv_kernel_squash`: moving-average smoothing (AvgPool1d, window 7, zero
// padding 3, count_include_pad) along the kernel length, then soft threshold with lam = 0.003.
#include <stdint.h>

#define LAM 0.003f  // attr lam
#define WIN 7       // attr window (smooth = true)

int longconv_kernel_squash(const float* k, float* k_out, int64_t C, int64_t H, int64_t Lk) {
    const int64_t half = WIN / 2;
    for (int64_t r = 0; r < C * H; ++r) {
        const float* kr = k + r * Lk;
        float* o = k_out + r * Lk;
        for (int64_t l = 0; l < Lk; ++l) {
            float s = 0.0f;
            for (int64_t t = -half; t <= half; ++t) {
                const int64_t i = l + t;
                if (i >= 0 && i < Lk) s += kr[i];
            }
            s /= (float)WIN;
            const float mag = (s > 0.0f ? s : -s) - LAM;
            o[l] = mag > 0.0f ? (s > 0.0f ? mag : -mag) : 0.0f;
        }
    }
    return 0;
}
