// Baseline for `natten_na2d`: 2-D neighborhood attention (NATTEN semantics: non-causal, stride 1,
// scale D^-0.5, no bias), heads-last layout q, k, v, o = [B, H, W, Hh, D], f32.
// Per axis (length L), index i gets KS indices of its dilation group, shifted inward at borders:
//   g = i % DIL, i' = i / DIL, Lg = L / DIL + (g < L % DIL)
//   start = clamp(i' - KS/2, 0, Lg - KS); indices g + DIL * t for t in [start, start + KS)
// The 2-D neighbourhood is the product of the row window and the column window (KS*KS keys).
#include <math.h>
#include <stdint.h>

#define KS 7   // attr kernel_size
#define DIL 2  // attr dilation

static void window(int64_t i, int64_t L, int64_t* idx) {
    const int64_t g = i % DIL, ip = i / DIL;
    const int64_t Lg = L / DIL + (g < L % DIL ? 1 : 0);
    int64_t start = ip - KS / 2;
    if (start < 0) start = 0;
    if (start > Lg - KS) start = Lg - KS;
    for (int64_t t = 0; t < KS; ++t) idx[t] = g + DIL * (start + t);
}

int natten_na2d(const float* q, const float* k, const float* v, float* o,
                int64_t B, int64_t H, int64_t W, int64_t Hh, int64_t D) {
    const float scale = (float)(1.0 / sqrt((double)D));
    const int64_t pix = Hh * D;  // stride between neighbouring pixels
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t r = 0; r < H; ++r) {
            int64_t rows[KS];
            window(r, H, rows);
            for (int64_t c = 0; c < W; ++c) {
                int64_t cols[KS];
                window(c, W, cols);
                for (int64_t h = 0; h < Hh; ++h) {
                    const float* qi = q + ((b * H + r) * W + c) * pix + h * D;
                    float s[KS * KS];
                    float m = -INFINITY;
                    for (int64_t u = 0; u < KS; ++u) {
                        for (int64_t t = 0; t < KS; ++t) {
                            const float* kj = k + ((b * H + rows[u]) * W + cols[t]) * pix + h * D;
                            float dot = 0.0f;
                            for (int64_t d = 0; d < D; ++d) dot += qi[d] * kj[d];
                            const float sv = dot * scale;
                            s[u * KS + t] = sv;
                            if (sv > m) m = sv;
                        }
                    }
                    float denom = 0.0f;
                    for (int64_t j = 0; j < KS * KS; ++j) {
                        s[j] = expf(s[j] - m);
                        denom += s[j];
                    }
                    const float inv = 1.0f / denom;
                    float* oi = o + ((b * H + r) * W + c) * pix + h * D;
                    for (int64_t d = 0; d < D; ++d) oi[d] = 0.0f;
                    for (int64_t u = 0; u < KS; ++u) {
                        for (int64_t t = 0; t < KS; ++t) {
                            const float* vj = v + ((b * H + rows[u]) * W + cols[t]) * pix + h * D;
                            const float p = s[u * KS + t] * inv;
                            for (int64_t d = 0; d < D; ++d) oi[d] += p * vj[d];
                        }
                    }
                }
            }
        }
    }
    return 0;
}
