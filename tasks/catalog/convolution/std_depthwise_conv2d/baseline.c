// Baseline for `std_depthwise_conv2d`: depthwise 2-D convolution (PyTorch nn.Conv2d with
// groups = C, weight [C, 1, K, K], bias, zero "same" padding PAD = DIL*(K-1)/2), NCHW f32:
//   y[n,c,i,j] = b[c] + sum_{u,v < K} w[c,0,u,v] * x[n, c, i*STRIDE - PAD + u*DIL, j*STRIDE - PAD + v*DIL]
// Out-of-image taps contribute 0. Per plane: start from the bias, then add each tap over the
// output rows/columns where it lands inside the image (ranges computed once per tap).
#include <stdint.h>

#define K 3
#define STRIDE 1
#define DIL 1
#define PAD (DIL * (K - 1) / 2)

static int64_t first_valid(int64_t off) {
    const int64_t need = PAD - off;
    if (need <= 0) return 0;
    return (need + STRIDE - 1) / STRIDE;
}

static int64_t last_valid(int64_t off, int64_t in, int64_t out) {
    const int64_t lim = in - 1 + PAD - off;
    if (lim < 0) return 0;
    const int64_t t = lim / STRIDE + 1;
    return t < out ? t : out;
}

int std_depthwise_conv2d(const float* x, const float* w, const float* b, float* y,
                         int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ho = (H + 2 * PAD - DIL * (K - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - DIL * (K - 1) - 1) / STRIDE + 1;

    for (int64_t n = 0; n < N; ++n) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (n * C + c) * H * W;
            const float* wc = w + c * K * K;
            float* yc = y + (n * C + c) * Ho * Wo;
            for (int64_t p = 0; p < Ho * Wo; ++p) yc[p] = b[c];

            for (int64_t u = 0; u < K; ++u) {
                const int64_t i0 = first_valid(u * DIL);
                const int64_t i1 = last_valid(u * DIL, H, Ho);
                for (int64_t v = 0; v < K; ++v) {
                    const float wv = wc[u * K + v];
                    const int64_t j0 = first_valid(v * DIL);
                    const int64_t j1 = last_valid(v * DIL, W, Wo);
                    for (int64_t i = i0; i < i1; ++i) {
                        const float* xrow = xc + (i * STRIDE - PAD + u * DIL) * W;
                        float* yrow = yc + i * Wo;
                        for (int64_t j = j0; j < j1; ++j) {
                            yrow[j] += wv * xrow[j * STRIDE - PAD + v * DIL];
                        }
                    }
                }
            }
        }
    }
    return 0;
}
