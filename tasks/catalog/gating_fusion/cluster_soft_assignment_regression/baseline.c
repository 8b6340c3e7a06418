// Baseline for `cluster_soft_assignment_regression` (PolyMaX head, normals variant):
//   logit = memb . pix (per pixel), p = softmax over K, o = sum_k p_k vals[k], out = o / max(|o|, 1e-12)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define NORMALIZE 1

int cluster_soft_assignment_regression(const float* pix, const float* memb, const float* vals, float* out,
                                       int64_t B, int64_t D, int64_t K, int64_t H, int64_t W, int64_t Co) {
    const int64_t plane = H * W;
    float* logit = (float*)malloc((size_t)K * sizeof(float));
    float* acc = (float*)malloc((size_t)Co * sizeof(float));
    if (!logit || !acc) { free(logit); free(acc); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t p = 0; p < plane; ++p) {
            float m = -INFINITY;
            for (int64_t k = 0; k < K; ++k) {
                float s = 0.0f;
                for (int64_t d = 0; d < D; ++d) s += memb[(b * K + k) * D + d] * pix[(b * D + d) * plane + p];
                logit[k] = s;
                if (s > m) m = s;
            }
            float den = 0.0f;
            for (int64_t k = 0; k < K; ++k) { logit[k] = expf(logit[k] - m); den += logit[k]; }
            for (int64_t c = 0; c < Co; ++c) {
                float s = 0.0f;
                for (int64_t k = 0; k < K; ++k) s += logit[k] * vals[(b * K + k) * Co + c];
                acc[c] = s / den;
            }
            if (NORMALIZE) {
                float n2 = 0.0f;
                for (int64_t c = 0; c < Co; ++c) n2 += acc[c] * acc[c];
                float nrm = sqrtf(n2);
                if (nrm < 1e-12f) nrm = 1e-12f;
                for (int64_t c = 0; c < Co; ++c) acc[c] /= nrm;
            }
            for (int64_t c = 0; c < Co; ++c) out[(b * Co + c) * plane + p] = acc[c];
        }
    }
    free(logit);
    free(acc);
    return 0;
}
