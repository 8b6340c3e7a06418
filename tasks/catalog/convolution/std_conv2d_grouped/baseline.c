// Baseline for `std_conv2d_grouped`: PyTorch nn.Conv2d forward (cross-correlation, zero padding)
// on NCHW f32 tensors:
//   y[n,o,i,j] = b[o] + sum_{c < Cin/G} sum_{u < KH} sum_{v < KW}
//                w[o,c,u,v] * x[n, g*(Cin/G) + c, i*STRIDE - PAD + u*DIL, j*STRIDE - PAD + v*DIL]
// with g = o / (Cout/G); taps that fall outside the image contribute 0.
// Loop order: for each output plane, start from the bias, then for every (c, u, v) tap add
// w * (shifted input plane) over the output rows/columns whose tap lands inside the image.
// The valid ranges are computed once per tap, so the inner loop has no bounds checks.
#include <stdint.h>

#define KH 3
#define KW 3
#define STRIDE 1
#define PAD 1
#define DIL 1
#define GROUPS 1

// Smallest output index t >= 0 with t*STRIDE - PAD + off >= 0.
static int64_t first_valid(int64_t off) {
    const int64_t need = PAD - off;  // t*STRIDE >= need
    if (need <= 0) return 0;
    return (need + STRIDE - 1) / STRIDE;
}

// One past the largest output index t < out with t*STRIDE - PAD + off < in.
static int64_t last_valid(int64_t off, int64_t in, int64_t out) {
    const int64_t lim = in - 1 + PAD - off;  // t*STRIDE <= lim
    if (lim < 0) return 0;
    const int64_t t = lim / STRIDE + 1;
    return t < out ? t : out;
}

int std_conv2d_grouped(const float* x, const float* w, const float* b, float* y,
                       int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t Ho = (H + 2 * PAD - DIL * (KH - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - DIL * (KW - 1) - 1) / STRIDE + 1;
    const int64_t cin_g = Cin / GROUPS;
    const int64_t cout_g = Cout / GROUPS;

    for (int64_t n = 0; n < N; ++n) {
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (n * Cout + o) * Ho * Wo;
            for (int64_t p = 0; p < Ho * Wo; ++p) yo[p] = b[o];

            const int64_t c0 = (o / cout_g) * cin_g;
            for (int64_t c = 0; c < cin_g; ++c) {
                const float* xc = x + (n * Cin + c0 + c) * H * W;
                const float* wc = w + (o * cin_g + c) * KH * KW;
                for (int64_t u = 0; u < KH; ++u) {
                    const int64_t i0 = first_valid(u * DIL);
                    const int64_t i1 = last_valid(u * DIL, H, Ho);
                    for (int64_t v = 0; v < KW; ++v) {
                        const float wv = wc[u * KW + v];
                        const int64_t j0 = first_valid(v * DIL);
                        const int64_t j1 = last_valid(v * DIL, W, Wo);
                        for (int64_t i = i0; i < i1; ++i) {
                            const float* xrow = xc + (i * STRIDE - PAD + u * DIL) * W;
                            float* yrow = yo + i * Wo;
                            for (int64_t j = j0; j < j1; ++j) {
                                yrow[j] += wv * xrow[j * STRIDE - PAD + v * DIL];
                            }
                        }
                    }
                }
            }
        }
    }
    return 0;
}
