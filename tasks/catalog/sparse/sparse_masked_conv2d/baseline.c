// Baseline for `sparse_masked_conv2d` (SparK): dense 3x3 conv (stride 1, zero pad 1, bias) of the
// whole input, then every output at a masked position (mask nearest-upsampled from F x F) is
// set to exactly 0.
#include <stdint.h>

#define K 3
#define PAD 1

int sparse_masked_conv2d(const float* x, const uint8_t* active, const float* w, const float* b, float* y,
                         int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W, int64_t F) {
    const int64_t Ho = H, Wo = W, plane = Ho * Wo, sh = Ho / F, sw = Wo / F;
    for (int64_t n = 0; n < B; ++n)
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (n * Cout + o) * plane;
            for (int64_t p = 0; p < plane; ++p) yo[p] = b[o];
            for (int64_t c = 0; c < Cin; ++c) {
                const float* xc = x + (n * Cin + c) * H * W;
                const float* wk = w + (o * Cin + c) * K * K;
                for (int u = 0; u < K; ++u)
                    for (int v = 0; v < K; ++v) {
                        const float kv = wk[u * K + v];
                        for (int64_t i = 0; i < Ho; ++i) {
                            const int64_t ii = i - PAD + u;
                            if (ii < 0 || ii >= H) continue;
                            for (int64_t j = 0; j < Wo; ++j) {
                                const int64_t jj = j - PAD + v;
                                if (jj < 0 || jj >= W) continue;
                                yo[i * Wo + j] += kv * xc[ii * W + jj];
                            }
                        }
                    }
            }
            for (int64_t i = 0; i < Ho; ++i)
                for (int64_t j = 0; j < Wo; ++j)
                    if (!active[(n * F + i / sh) * F + j / sw]) yo[i * Wo + j] = 0.0f;
        }
    return 0;
}
