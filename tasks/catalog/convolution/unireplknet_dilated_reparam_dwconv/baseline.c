// Baseline for `unireplknet_dilated_reparam_dwconv` (UniRepLKNet DilatedReparamBlock, K = 13):
// six depthwise branches (k, r) = (13,1) (5,1) (7,2) (3,3) (3,4) (3,5), each s*conv + t, summed.
#include <stdint.h>

static void branch(const float* xc, const float* wk, float sc, float sh, float* yc,
                   int64_t H, int64_t W, int64_t k, int64_t r) {
    const int64_t p = (r * (k - 1) + 1) / 2;
    for (int64_t i = 0; i < H; ++i) {
        for (int64_t j = 0; j < W; ++j) {
            float acc = 0.0f;
            for (int64_t u = 0; u < k; ++u) {
                const int64_t ii = i + r * u - p;
                if (ii < 0 || ii >= H) continue;
                for (int64_t v = 0; v < k; ++v) {
                    const int64_t jj = j + r * v - p;
                    if (jj < 0 || jj >= W) continue;
                    acc += wk[u * k + v] * xc[ii * W + jj];
                }
            }
            yc[i * W + j] += sc * acc + sh;
        }
    }
}

int unireplknet_dilated_reparam_dwconv(const float* x, const float* w0, const float* w1, const float* w2,
                                       const float* w3, const float* w4, const float* w5, const float* s,
                                       const float* t, float* y,
                                       int64_t N, int64_t C, int64_t H, int64_t W) {
    const float* ws[6] = {w0, w1, w2, w3, w4, w5};
    static const int64_t ks[6] = {13, 5, 7, 3, 3, 3};
    static const int64_t rs[6] = {1, 1, 2, 3, 4, 5};
    const int64_t P = H * W;
    for (int64_t n = 0; n < N; ++n) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (n * C + c) * P;
            float* yc = y + (n * C + c) * P;
            for (int64_t p = 0; p < P; ++p) yc[p] = 0.0f;
            for (int br = 0; br < 6; ++br)
                branch(xc, ws[br] + c * ks[br] * ks[br], s[br * C + c], t[br * C + c], yc, H, W, ks[br], rs[br]);
        }
    }
    return 0;
}
