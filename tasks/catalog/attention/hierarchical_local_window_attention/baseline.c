// Baseline for `hierarchical_local_window_attention` (Scale-DiT), q/k/v/o [B, nh, G+N, dh]:
// global queries (i < G) attend to the G global keys; local queries attend to the G global keys
// plus their own window of Lw = l*l consecutive tokens. Max-subtracted softmax.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int hierarchical_local_window_attention(const float* q, const float* k, const float* v, float* o,
                                        int64_t B, int64_t nh, int64_t G, int64_t N, int64_t dh, int64_t l) {
    const int64_t T = G + N, Lw = l * l;
    const float scale = 1.0f / sqrtf((float)dh);
    float* s = (float*)malloc((size_t)T * sizeof(float));
    int64_t* keys = (int64_t*)malloc((size_t)T * sizeof(int64_t));
    if (!s || !keys) { free(s); free(keys); return 1; }
    for (int64_t bh = 0; bh < B * nh; ++bh) {
        const float* qb = q + bh * T * dh;
        const float* kb = k + bh * T * dh;
        const float* vb = v + bh * T * dh;
        float* ob = o + bh * T * dh;
        for (int64_t i = 0; i < T; ++i) {
            int64_t nk = 0;
            for (int64_t j = 0; j < G; ++j) keys[nk++] = j;
            if (i >= G) {
                const int64_t w0 = G + (i - G) / Lw * Lw;
                for (int64_t j = w0; j < w0 + Lw; ++j) keys[nk++] = j;
            }
            const float* qi = qb + i * dh;
            float m = -INFINITY;
            for (int64_t t = 0; t < nk; ++t) {
                const float* kj = kb + keys[t] * dh;
                float dot = 0.0f;
                for (int64_t d = 0; d < dh; ++d) dot += qi[d] * kj[d];
                s[t] = dot * scale;
                if (s[t] > m) m = s[t];
            }
            float den = 0.0f;
            for (int64_t t = 0; t < nk; ++t) { s[t] = expf(s[t] - m); den += s[t]; }
            float* oi = ob + i * dh;
            for (int64_t d = 0; d < dh; ++d) oi[d] = 0.0f;
            for (int64_t t = 0; t < nk; ++t) {
                const float p = s[t] / den;
                const float* vj = vb + keys[t] * dh;
                for (int64_t d = 0; d < dh; ++d) oi[d] += p * vj[d];
            }
        }
    }
    free(s);
    free(keys);
    return 0;
}
