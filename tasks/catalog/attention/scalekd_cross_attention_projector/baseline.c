// Baseline for `scalekd_cross_attention_projector` (ScaleKD cross-attention projector), f32.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define NH 16               // attr nh
#define SOFTMAX_SCALE 5.0f  // attr softmax_scale

// y[R, O] = x[R, K] * w[O, K]^T + b[O]
static void linear(const float* x, const float* w, const float* b, float* y, int64_t R, int64_t K, int64_t O) {
    for (int64_t r = 0; r < R; ++r)
        for (int64_t o = 0; o < O; ++o) {
            float s = b[o];
            for (int64_t k = 0; k < K; ++k) s += x[r * K + k] * w[o * K + k];
            y[r * O + o] = s;
        }
}

int scalekd_cross_attention_projector(const float* xs, const float* qe, const float* wq, const float* bq,
                                      const float* wk, const float* bk, const float* wv, const float* bv,
                                      const float* wo, const float* bo, float* out, int64_t B, int64_t N,
                                      int64_t Nq, int64_t Cs, int64_t Ct, int64_t Dp) {
    const int64_t dh = Ct / NH;
    float* Q = malloc(sizeof(float) * (size_t)(B * Nq * Ct));
    float* K = malloc(sizeof(float) * (size_t)(B * N * Ct));
    float* V = malloc(sizeof(float) * (size_t)(B * N * Ct));
    float* O = malloc(sizeof(float) * (size_t)(B * Nq * Ct));
    float* s = malloc(sizeof(float) * (size_t)N);
    linear(qe, wq, bq, Q, B * Nq, Dp, Ct);
    linear(xs, wk, bk, K, B * N, Cs, Ct);
    linear(xs, wv, bv, V, B * N, Cs, Ct);
    const float mul = SOFTMAX_SCALE / sqrtf((float)dh);
    for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < NH; ++h)
            for (int64_t q = 0; q < Nq; ++q) {
                const float* qr = Q + (b * Nq + q) * Ct + h * dh;
                float m = -INFINITY;
                for (int64_t n = 0; n < N; ++n) {
                    const float* kr = K + (b * N + n) * Ct + h * dh;
                    float acc = 0.0f;
                    for (int64_t d = 0; d < dh; ++d) acc += qr[d] * kr[d];
                    s[n] = acc * mul;
                    if (s[n] > m) m = s[n];
                }
                float z = 0.0f;
                for (int64_t n = 0; n < N; ++n) {
                    s[n] = expf(s[n] - m);
                    z += s[n];
                }
                float* orow = O + (b * Nq + q) * Ct + h * dh;
                for (int64_t d = 0; d < dh; ++d) orow[d] = 0.0f;
                for (int64_t n = 0; n < N; ++n) {
                    const float* vr = V + (b * N + n) * Ct + h * dh;
                    const float p = s[n] / z;
                    for (int64_t d = 0; d < dh; ++d) orow[d] += p * vr[d];
                }
            }
    linear(O, wo, bo, out, B * Nq, Ct, Ct);
    free(Q); free(K); free(V); free(O); free(s);
    return 0;
}
