// Baseline for `int8_depthwise_conv2d_requant`: int8 NHWC depthwise 3x3 conv (stride 1, pads 1),
// int32 accumulation, per-channel TFLite requantisation (MultiplyByQuantizedMultiplier), clamp.
#include <stdint.h>

#define KS 3
#define STRIDE 1
#define DIL 1
#define PAD_T 1
#define PAD_L 1
#define PAD_B 1
#define PAD_R 1
#define ZX 3
#define ZY (-4)
#define ACT_MIN (-128)
#define ACT_MAX 127

static int32_t srdhm(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31));
}

static int32_t rdbpot(int32_t x, int e) {
    const int32_t mask = (int32_t)((1LL << e) - 1);
    const int32_t rem = x & mask;
    const int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > thr ? 1 : 0);
}

static int32_t mbqm(int32_t x, int32_t m0, int32_t shift) {
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    return rdbpot(srdhm((int32_t)((uint32_t)x << left), m0), right);
}

int int8_depthwise_conv2d_requant(const int8_t* xq, const int8_t* wq, const int32_t* bias,
                                  const int32_t* M0, const int32_t* shift, int8_t* yq,
                                  int64_t B, int64_t H, int64_t W, int64_t C) {
    const int64_t Ho = (H + PAD_T + PAD_B - DIL * (KS - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + PAD_L + PAD_R - DIL * (KS - 1) - 1) / STRIDE + 1;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t oh = 0; oh < Ho; ++oh)
            for (int64_t ow = 0; ow < Wo; ++ow)
                for (int64_t c = 0; c < C; ++c) {
                    int32_t acc = bias[c];
                    for (int64_t i = 0; i < KS; ++i) {
                        const int64_t hi = oh * STRIDE - PAD_T + i * DIL;
                        if (hi < 0 || hi >= H) continue;
                        for (int64_t j = 0; j < KS; ++j) {
                            const int64_t wi = ow * STRIDE - PAD_L + j * DIL;
                            if (wi < 0 || wi >= W) continue;
                            acc += ((int32_t)xq[((b * H + hi) * W + wi) * C + c] - ZX) * (int32_t)wq[(i * KS + j) * C + c];
                        }
                    }
                    int32_t r = mbqm(acc, M0[c], shift[c]) + ZY;
                    if (r < ACT_MIN) r = ACT_MIN;
                    if (r > ACT_MAX) r = ACT_MAX;
                    yq[((b * Ho + oh) * Wo + ow) * C + c] = (int8_t)r;
                }
    return 0;
}
