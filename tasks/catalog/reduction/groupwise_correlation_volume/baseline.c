// Baseline for `groupwise_correlation_volume` (GBi-Net / GwcNet): per group of Cg = C/G
// contiguous channels, the channel-mean of warped * ref (ref broadcast over D).
#include <stdint.h>

#define G 4  // attr G

int groupwise_correlation_volume(const float* ref, const float* warped, float* sim,
                                 int64_t B, int64_t C, int64_t D, int64_t H, int64_t W) {
    const int64_t plane = H * W, cg = C / G;
    const float inv = 1.0f / (float)cg;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t g = 0; g < G; ++g)
            for (int64_t d = 0; d < D; ++d) {
                float* out = sim + ((b * G + g) * D + d) * plane;
                for (int64_t p = 0; p < plane; ++p) out[p] = 0.0f;
                for (int64_t c = g * cg; c < (g + 1) * cg; ++c) {
                    const float* wv = warped + ((b * C + c) * D + d) * plane;
                    const float* rv = ref + (b * C + c) * plane;
                    for (int64_t p = 0; p < plane; ++p) out[p] += wv[p] * rv[p];
                }
                for (int64_t p = 0; p < plane; ++p) out[p] *= inv;
            }
    return 0;
}
