// Baseline for `natten_na1d`: 1-D neighborhood attention (NATTEN semantics: non-causal, stride 1,
// scale D^-0.5), heads-last layout q, k, v, o = [B, L, Hh, D], f32.
// For query i the window holds exactly KS keys of i's dilation group, shifted inward at the
// borders (never truncated):
//   g = i % DIL, i' = i / DIL, Lg = L / DIL + (g < L % DIL)    (length of group g)
//   start = clamp(i' - KS/2, 0, Lg - KS)                     (odd KS)
//   keys j = g + DIL * t for t in [start, start + KS)
//   s_j = scale * <q_i, k_j>,  p = softmax(s) over the window,  o_i = sum_j p_j v_j
#include <math.h>
#include <stdint.h>

#define KS 7   // attr kernel_size
#define DIL 1  // attr dilation

int natten_na1d(const float* q, const float* k, const float* v, float* o,
                int64_t B, int64_t L, int64_t Hh, int64_t D) {
    const float scale = (float)(1.0 / sqrt((double)D));
    const int64_t left = KS / 2;
    const int64_t row = Hh * D;  // stride between consecutive positions

    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < L; ++i) {
            const int64_t g = i % DIL;
            const int64_t ip = i / DIL;
            const int64_t Lg = L / DIL + (g < L % DIL ? 1 : 0);
            int64_t start = ip - left;
            if (start < 0) start = 0;
            if (start > Lg - KS) start = Lg - KS;

            for (int64_t h = 0; h < Hh; ++h) {
                const float* qi = q + (b * L + i) * row + h * D;
                float s[KS];
                float m = -INFINITY;
                for (int64_t t = 0; t < KS; ++t) {
                    const int64_t j = g + DIL * (start + t);
                    const float* kj = k + (b * L + j) * row + h * D;
                    float dot = 0.0f;
                    for (int64_t d = 0; d < D; ++d) dot += qi[d] * kj[d];
                    s[t] = dot * scale;
                    if (s[t] > m) m = s[t];
                }
                float denom = 0.0f;
                for (int64_t t = 0; t < KS; ++t) {
                    s[t] = expf(s[t] - m);
                    denom += s[t];
                }
                const float inv = 1.0f / denom;

                float* oi = o + (b * L + i) * row + h * D;
                for (int64_t d = 0; d < D; ++d) oi[d] = 0.0f;
                for (int64_t t = 0; t < KS; ++t) {
                    const int64_t j = g + DIL * (start + t);
                    const float* vj = v + (b * L + j) * row + h * D;
                    const float p = s[t] * inv;
                    for (int64_t d = 0; d < D; ++d) oi[d] += p * vj[d];
                }
            }
        }
    }
    return 0;
}
