// Baseline for `windowed_epipolar_cross_attention` (CCNeXt W_CA_Module), NCHW f32.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define PCT 0.26  // attr pct

// y[C, hw] = s * (w[C, C] x[C, hw] + b) + t   (s, t may be NULL)
static void conv1x1(const float* x, const float* w, const float* b, const float* s, const float* t,
                    float* y, int64_t C, int64_t hw) {
    for (int64_t o = 0; o < C; ++o) {
        float* yo = y + o * hw;
        for (int64_t p = 0; p < hw; ++p) yo[p] = b[o];
        for (int64_t k = 0; k < C; ++k) {
            const float wk = w[o * C + k];
            const float* xk = x + k * hw;
            for (int64_t p = 0; p < hw; ++p) yo[p] += wk * xk[p];
        }
        if (s)
            for (int64_t p = 0; p < hw; ++p) yo[p] = s[o] * yo[p] + t[o];
    }
}

// y[C, H, W]: row attention of queries q over keys k / values v, band |i - j| < mw
static void attend(const float* q, const float* k, const float* v, float* y, float* e,
                   int64_t C, int64_t H, int64_t W, int64_t mw) {
    const int64_t hw = H * W;
    for (int64_t r = 0; r < H; ++r)
        for (int64_t i = 0; i < W; ++i) {
            const int64_t lo = i - mw + 1 > 0 ? i - mw + 1 : 0;
            const int64_t hi = i + mw < W ? i + mw : W;
            float m = -INFINITY;
            for (int64_t j = lo; j < hi; ++j) {
                float s = 0.0f;
                for (int64_t c = 0; c < C; ++c) s += q[c * hw + r * W + i] * k[c * hw + r * W + j];
                e[j - lo] = s;
                if (s > m) m = s;
            }
            float z = 0.0f;
            for (int64_t j = lo; j < hi; ++j) {
                e[j - lo] = expf(e[j - lo] - m);
                z += e[j - lo];
            }
            for (int64_t c = 0; c < C; ++c) {
                float acc = 0.0f;
                for (int64_t j = lo; j < hi; ++j) acc += e[j - lo] * v[c * hw + r * W + j];
                y[c * hw + r * W + i] = acc / z;
            }
        }
}

int windowed_epipolar_cross_attention(const float* x1, const float* x2, const float* wq, const float* bq,
                                      const float* wk, const float* bk, const float* wv, const float* bv,
                                      const float* sv, const float* tv, const float* ww, const float* bw,
                                      const float* sw, const float* tw, float* z1, float* z2,
                                      int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t mw = (int64_t)floor((double)W * PCT), hw = H * W, n = C * hw;
    float* buf = malloc(sizeof(float) * (size_t)(8 * n + W));
    float *q1 = buf, *k1 = buf + n, *v1 = buf + 2 * n, *q2 = buf + 3 * n, *k2 = buf + 4 * n,
          *v2 = buf + 5 * n, *y = buf + 6 * n, *o = buf + 7 * n, *e = buf + 8 * n;
    for (int64_t b = 0; b < B; ++b) {
        const float* a1 = x1 + b * n;
        const float* a2 = x2 + b * n;
        conv1x1(a1, wq, bq, NULL, NULL, q1, C, hw);
        conv1x1(a1, wk, bk, NULL, NULL, k1, C, hw);
        conv1x1(a1, wv, bv, sv, tv, v1, C, hw);
        conv1x1(a2, wq, bq, NULL, NULL, q2, C, hw);
        conv1x1(a2, wk, bk, NULL, NULL, k2, C, hw);
        conv1x1(a2, wv, bv, sv, tv, v2, C, hw);
        attend(q1, k2, v2, y, e, C, H, W, mw);
        conv1x1(y, ww, bw, sw, tw, o, C, hw);
        for (int64_t p = 0; p < n; ++p) z1[b * n + p] = a1[p] + o[p];
        attend(q2, k1, v1, y, e, C, H, W, mw);
        conv1x1(y, ww, bw, sw, tw, o, C, hw);
        for (int64_t p = 0; p < n; ++p) z2[b * n + p] = a2[p] + o[p];
    }
    free(buf);
    return 0;
}
