// Baseline for `kmeans_cross_attention` (kMaX-DeepLab / PolyMaX): hard argmax assignment of each
// pixel to a cluster (first index on ties), then per-cluster sums of the pixel values.
#include <math.h>
#include <stdint.h>
#include <string.h>

int kmeans_cross_attention(const float* centers, const float* pix_k, const float* pix_v, float* update,
                           int64_t B, int64_t K, int64_t N, int64_t D, int64_t Dv) {
    memset(update, 0, (size_t)(B * K * Dv) * sizeof(float));
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t n = 0; n < N; ++n) {
            const float* key = pix_k + (b * N + n) * D;
            int64_t best = 0;
            float best_logit = -INFINITY;
            for (int64_t k = 0; k < K; ++k) {
                const float* c = centers + (b * K + k) * D;
                float logit = 0.0f;
                for (int64_t d = 0; d < D; ++d) logit += c[d] * key[d];
                if (logit > best_logit) { best_logit = logit; best = k; }
            }
            const float* val = pix_v + (b * N + n) * Dv;
            float* dst = update + (b * K + best) * Dv;
            for (int64_t e = 0; e < Dv; ++e) dst[e] += val[e];
        }
    }
    return 0;
}
