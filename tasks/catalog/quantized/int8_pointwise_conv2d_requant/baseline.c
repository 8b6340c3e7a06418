// Baseline for `int8_pointwise_conv2d_requant`: int8 NHWC 1x1 conv, i32 accumulation, TFLite
// per-channel requantisation MultiplyByQuantizedMultiplier (gemmlowp SRDHM + RDBPOT), + zy, clamp.
#include <stdint.h>

#define ZX 3          // attr zx: input zero point
#define ZY (-4)       // attr zy: output zero point
#define ACT_MIN (-128)
#define ACT_MAX 127

static int32_t srdhm(int32_t a, int32_t b) {   // SaturatingRoundingDoublingHighMul
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / (1ll << 31));   // C division truncates toward zero
}

static int32_t rdbpot(int32_t x, int e) {      // RoundingDivideByPOT: round half away from zero
    const int32_t mask = (int32_t)((1ll << e) - 1);
    const int32_t rem = x & mask;
    const int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > thr ? 1 : 0);
}

static int32_t mbqm(int32_t x, int32_t m0, int32_t shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    return rdbpot(srdhm((int32_t)((uint32_t)x << left), m0), right);
}

int int8_pointwise_conv2d_requant(const int8_t* xq, const int8_t* wq, const int32_t* bias,
                                  const int32_t* M0, const int32_t* shift, int8_t* yq,
                                  int64_t B, int64_t H, int64_t W, int64_t Cin, int64_t Cout) {
    const int64_t pixels = B * H * W;
    for (int64_t p = 0; p < pixels; ++p) {
        const int8_t* x = xq + p * Cin;
        for (int64_t o = 0; o < Cout; ++o) {
            const int8_t* w = wq + o * Cin;
            int32_t acc = bias[o];
            for (int64_t i = 0; i < Cin; ++i) acc += ((int32_t)x[i] - ZX) * (int32_t)w[i];
            int32_t v = mbqm(acc, M0[o], shift[o]) + ZY;
            v = v < ACT_MIN ? ACT_MIN : (v > ACT_MAX ? ACT_MAX : v);
            yq[p * Cout + o] = (int8_t)v;
        }
    }
    return 0;
}
