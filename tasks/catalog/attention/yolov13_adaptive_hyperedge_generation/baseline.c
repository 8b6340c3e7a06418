// Baseline for `yolov13_adaptive_hyperedge_generation` (YOLOv13 AdaHyperedgeGen, eval mode):
// context (mean, max over vertices) -> per-sample prototypes; projected vertices; multi-head
// scaled dot products averaged over heads; softmax over the VERTICES for each hyperedge.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define DH 16  // attr dh (head width)

int yolov13_adaptive_hyperedge_generation(const float* X, const float* P0, const float* Wc, const float* bc,
                                          const float* Wp, const float* bp, float* A,
                                          int64_t B, int64_t Nv, int64_t D, int64_t M) {
    const int64_t nh = D / DH;
    const float scale = 1.0f / (sqrtf((float)DH) * (float)nh);
    float* ctx = malloc(sizeof(float) * 2 * D);
    float* P = malloc(sizeof(float) * M * D);
    float* xp = malloc(sizeof(float) * D);
    float* logit = malloc(sizeof(float) * Nv * M);
    if (!ctx || !P || !xp || !logit) { free(ctx); free(P); free(xp); free(logit); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = X + b * Nv * D;
        for (int64_t f = 0; f < D; ++f) {
            float s = 0.0f, mx = -INFINITY;
            for (int64_t v = 0; v < Nv; ++v) {
                float t = xb[v * D + f];
                s += t;
                if (t > mx) mx = t;
            }
            ctx[f] = s / (float)Nv;
            ctx[D + f] = mx;
        }
        for (int64_t r = 0; r < M * D; ++r) {
            float s = bc[r];
            const float* w = Wc + r * 2 * D;
            for (int64_t f = 0; f < 2 * D; ++f) s += w[f] * ctx[f];
            P[r] = P0[r] + s;
        }
        for (int64_t v = 0; v < Nv; ++v) {
            const float* xv = xb + v * D;
            for (int64_t e = 0; e < D; ++e) {
                float s = bp[e];
                const float* w = Wp + e * D;
                for (int64_t f = 0; f < D; ++f) s += w[f] * xv[f];
                xp[e] = s;
            }
            for (int64_t m = 0; m < M; ++m) {
                float s = 0.0f;
                for (int64_t e = 0; e < D; ++e) s += xp[e] * P[m * D + e];
                logit[v * M + m] = s * scale;
            }
        }
        for (int64_t m = 0; m < M; ++m) {
            float mx = -INFINITY;
            for (int64_t v = 0; v < Nv; ++v) if (logit[v * M + m] > mx) mx = logit[v * M + m];
            float z = 0.0f;
            for (int64_t v = 0; v < Nv; ++v) z += expf(logit[v * M + m] - mx);
            for (int64_t v = 0; v < Nv; ++v) A[(b * Nv + v) * M + m] = expf(logit[v * M + m] - mx) / z;
        }
    }
    free(ctx); free(P); free(xp); free(logit);
    return 0;
}
