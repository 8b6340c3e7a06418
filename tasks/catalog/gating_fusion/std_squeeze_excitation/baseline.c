// Baseline for `std_squeeze_excitation`: y = x * sigmoid(W2 relu(W1 GAP(x) + b1) + b2)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int std_squeeze_excitation(const float* x, const float* w1, const float* b1, const float* w2, const float* b2,
                           float* y, int64_t B, int64_t C, int64_t Cr, int64_t H, int64_t W) {
    const int64_t P = H * W;
    float* p = (float*)malloc(sizeof(float) * C);
    float* q = (float*)malloc(sizeof(float) * Cr);
    if (!p || !q) { free(p); free(q); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * P;
            double s = 0.0;
            for (int64_t i = 0; i < P; ++i) s += xc[i];
            p[c] = (float)(s / (double)P);
        }
        for (int64_t j = 0; j < Cr; ++j) {
            float acc = b1[j];
            for (int64_t c = 0; c < C; ++c) acc += w1[j * C + c] * p[c];
            q[j] = acc > 0.0f ? acc : 0.0f;
        }
        for (int64_t c = 0; c < C; ++c) {
            float z = b2[c];
            for (int64_t j = 0; j < Cr; ++j) z += w2[c * Cr + j] * q[j];
            const float a = 1.0f / (1.0f + expf(-z));
            const float* xc = x + (b * C + c) * P;
            float* yc = y + (b * C + c) * P;
            for (int64_t i = 0; i < P; ++i) yc[i] = xc[i] * a;
        }
    }
    free(p);
    free(q);
    return 0;
}
