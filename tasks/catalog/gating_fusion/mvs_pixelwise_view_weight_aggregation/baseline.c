// Baseline for `mvs_pixelwise_view_weight_aggregation` (GBi-Net PixelwiseNet): per view and voxel
// a G->16->8->1 MLP (folded BN + ReLU, then sigmoid), max over depth gives the view weight, then
// the view-weighted mean of the similarity volumes.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int mvs_pixelwise_view_weight_aggregation(const float* sims, const float* w0, const float* s0, const float* t0,
                                          const float* w1, const float* s1, const float* t1, const float* w2,
                                          const float* b2, float* out,
                                          int64_t V, int64_t B, int64_t G, int64_t D, int64_t H, int64_t W) {
    const int64_t plane = H * W, vol = G * D * plane;
    float* wv = malloc(sizeof(float) * V * B * plane);
    for (int64_t v = 0; v < V; ++v)
        for (int64_t b = 0; b < B; ++b) {
            const float* s = sims + (v * B + b) * vol;
            float* wvb = wv + (v * B + b) * plane;
            for (int64_t p = 0; p < plane; ++p) wvb[p] = 0.0f;  // sigmoid > 0
            for (int64_t d = 0; d < D; ++d)
                for (int64_t p = 0; p < plane; ++p) {
                    float a0[16], a1[8];
                    for (int k = 0; k < 16; ++k) {
                        float acc = 0.0f;
                        for (int64_t g = 0; g < G; ++g) acc += w0[k * G + g] * s[(g * D + d) * plane + p];
                        const float t = s0[k] * acc + t0[k];
                        a0[k] = t > 0.0f ? t : 0.0f;
                    }
                    for (int k = 0; k < 8; ++k) {
                        float acc = 0.0f;
                        for (int j = 0; j < 16; ++j) acc += w1[k * 16 + j] * a0[j];
                        const float t = s1[k] * acc + t1[k];
                        a1[k] = t > 0.0f ? t : 0.0f;
                    }
                    float logit = b2[0];
                    for (int k = 0; k < 8; ++k) logit += w2[k] * a1[k];
                    const float q = 1.0f / (1.0f + expf(-logit));
                    if (q > wvb[p]) wvb[p] = q;
                }
        }
    for (int64_t b = 0; b < B; ++b)
        for (int64_t g = 0; g < G; ++g)
            for (int64_t d = 0; d < D; ++d)
                for (int64_t p = 0; p < plane; ++p) {
                    float num = 0.0f, den = 0.0f;
                    for (int64_t v = 0; v < V; ++v) {
                        const float wt = wv[(v * B + b) * plane + p];
                        num += sims[(v * B + b) * vol + (g * D + d) * plane + p] * wt;
                        den += wt;
                    }
                    out[b * vol + (g * D + d) * plane + p] = num / den;
                }
    free(wv);
    return 0;
}
