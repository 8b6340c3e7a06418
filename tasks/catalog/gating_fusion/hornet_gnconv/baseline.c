// Baseline for `hornet_gnconv` (HorNet g^n Conv, order 3), NCHW f32.
//   d0 = C/4, d1 = C/2, d2 = C, S = d0 + d1 + d2
//   f = W_in x + b_in; p0 = f[:d0]; a = f[d0:]
//   q = SCALE * (dwconv7x7(a, W_dw, pad 3) + b_dw); q0, q1, q2 = split(q, [d0, d1, d2])
//   z = p0*q0; z = (W_pw0 z + b_pw0)*q1; z = (W_pw1 z + b_pw1)*q2; y = W_out z + b_out
#include <stdint.h>
#include <stdlib.h>

#define SCALE (1.0f / 3.0f)  // attr scale

// out[co, p] = bias[co] + sum_ci w[co, ci] * in[ci, p] over a plane of hw pixels
static void pw(const float* in, const float* w, const float* bias, float* out,
               int64_t ci_n, int64_t co_n, int64_t hw) {
    for (int64_t co = 0; co < co_n; ++co) {
        float* o = out + co * hw;
        for (int64_t p = 0; p < hw; ++p) o[p] = bias[co];
        for (int64_t ci = 0; ci < ci_n; ++ci) {
            const float wv = w[co * ci_n + ci];
            const float* src = in + ci * hw;
            for (int64_t p = 0; p < hw; ++p) o[p] += wv * src[p];
        }
    }
}

int hornet_gnconv(const float* x, const float* W_in, const float* b_in, const float* W_dw,
                  const float* b_dw, const float* W_pw0, const float* b_pw0, const float* W_pw1,
                  const float* b_pw1, const float* W_out, const float* b_out, float* y,
                  int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t d0 = C / 4, d1 = C / 2, S = d0 + d1 + C, hw = H * W;
    float* f = (float*)malloc(sizeof(float) * (size_t)(2 * C * hw));
    float* q = (float*)malloc(sizeof(float) * (size_t)(S * hw));
    float* z0 = (float*)malloc(sizeof(float) * (size_t)(C * hw));
    float* z1 = (float*)malloc(sizeof(float) * (size_t)(C * hw));
    if (!f || !q || !z0 || !z1) return 1;
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * C * hw;
        pw(xn, W_in, b_in, f, C, 2 * C, hw);
        const float* a = f + d0 * hw;
        for (int64_t c = 0; c < S; ++c) {
            const float* ac = a + c * hw;
            const float* k = W_dw + c * 49;
            for (int64_t i = 0; i < H; ++i) {
                for (int64_t j = 0; j < W; ++j) {
                    float s = 0.0f;
                    for (int64_t u = 0; u < 7; ++u) {
                        const int64_t ii = i + u - 3;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t v = 0; v < 7; ++v) {
                            const int64_t jj = j + v - 3;
                            if (jj < 0 || jj >= W) continue;
                            s += k[u * 7 + v] * ac[ii * W + jj];
                        }
                    }
                    q[c * hw + i * W + j] = SCALE * (s + b_dw[c]);
                }
            }
        }
        for (int64_t p = 0; p < d0 * hw; ++p) z0[p] = f[p] * q[p];
        pw(z0, W_pw0, b_pw0, z1, d0, d1, hw);
        for (int64_t p = 0; p < d1 * hw; ++p) z1[p] *= q[d0 * hw + p];
        pw(z1, W_pw1, b_pw1, z0, d1, C, hw);
        for (int64_t p = 0; p < C * hw; ++p) z0[p] *= q[(d0 + d1) * hw + p];
        pw(z0, W_out, b_out, y + n * C * hw, C, C, hw);
    }
    free(f);
    free(q);
    free(z0);
    free(z1);
    return 0;
}
