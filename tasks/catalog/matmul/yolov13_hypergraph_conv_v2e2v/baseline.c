// Baseline for `yolov13_hypergraph_conv_v2e2v` (YOLOv13 AdaHGConv): vertex -> hyperedge
// aggregation through A, Linear + exact GELU, hyperedge -> vertex, Linear + exact GELU, residual.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline float gelu(float t) { return 0.5f * t * (1.0f + erff(t * 0.70710678118654752f)); }

int yolov13_hypergraph_conv_v2e2v(const float* X, const float* A, const float* We, const float* be,
                                  const float* Wn, const float* bn, float* Y,
                                  int64_t B, int64_t Nv, int64_t D, int64_t M) {
    float* E = malloc(sizeof(float) * M * D);
    float* He = malloc(sizeof(float) * M * D);
    float* G = malloc(sizeof(float) * D);
    if (!E || !He || !G) { free(E); free(He); free(G); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = X + b * Nv * D;
        const float* ab = A + b * Nv * M;
        memset(E, 0, sizeof(float) * M * D);
        for (int64_t v = 0; v < Nv; ++v)
            for (int64_t m = 0; m < M; ++m) {
                const float w = ab[v * M + m];
                for (int64_t f = 0; f < D; ++f) E[m * D + f] += w * xb[v * D + f];
            }
        for (int64_t m = 0; m < M; ++m)
            for (int64_t e = 0; e < D; ++e) {
                float s = be[e];
                for (int64_t f = 0; f < D; ++f) s += We[e * D + f] * E[m * D + f];
                He[m * D + e] = gelu(s);
            }
        for (int64_t v = 0; v < Nv; ++v) {
            memset(G, 0, sizeof(float) * D);
            for (int64_t m = 0; m < M; ++m) {
                const float w = ab[v * M + m];
                for (int64_t f = 0; f < D; ++f) G[f] += w * He[m * D + f];
            }
            for (int64_t e = 0; e < D; ++e) {
                float s = bn[e];
                for (int64_t f = 0; f < D; ++f) s += Wn[e * D + f] * G[f];
                Y[(b * Nv + v) * D + e] = gelu(s) + xb[v * D + e];
            }
        }
    }
    free(E); free(He); free(G);
    return 0;
}
