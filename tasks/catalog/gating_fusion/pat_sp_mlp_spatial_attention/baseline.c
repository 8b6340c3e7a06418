// Baseline for `pat_sp_mlp_spatial_attention` (PATNet PAT_sp, assumed structure), NCHW f32:
//   h = gelu(s1 * (w1 . x) + t1); sp = sigmoid(ws . h + bs); y = (w2 . h) * sp  (per pixel)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define R 2

int pat_sp_mlp_spatial_attention(const float* x, const float* w1, const float* s1, const float* t1,
                                 const float* w2, const float* ws, const float* bs, float* y,
                                 int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t ch = R * C, plane = H * W;
    float* h = (float*)malloc((size_t)(ch * plane) * sizeof(float));
    float* sp = (float*)malloc((size_t)plane * sizeof(float));
    if (!h || !sp) { free(h); free(sp); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;
        // h = gelu(s1 * (w1 . x) + t1), as a plane-wise GEMM
        for (int64_t e = 0; e < ch; ++e) {
            float* he = h + e * plane;
            for (int64_t p = 0; p < plane; ++p) he[p] = 0.0f;
            for (int64_t c = 0; c < C; ++c) {
                const float wv = w1[e * C + c];
                const float* xc = xb + c * plane;
                for (int64_t p = 0; p < plane; ++p) he[p] += wv * xc[p];
            }
            for (int64_t p = 0; p < plane; ++p) {
                const float a = s1[e] * he[p] + t1[e];
                he[p] = 0.5f * a * (1.0f + erff(a * 0.70710678118654752f));
            }
        }
        // spatial gate
        for (int64_t p = 0; p < plane; ++p) sp[p] = bs[0];
        for (int64_t e = 0; e < ch; ++e) {
            const float* he = h + e * plane;
            for (int64_t p = 0; p < plane; ++p) sp[p] += ws[e] * he[p];
        }
        for (int64_t p = 0; p < plane; ++p) sp[p] = 1.0f / (1.0f + expf(-sp[p]));
        // y = (w2 . h) * sp
        for (int64_t c = 0; c < C; ++c) {
            float* yc = yb + c * plane;
            for (int64_t p = 0; p < plane; ++p) yc[p] = 0.0f;
            for (int64_t e = 0; e < ch; ++e) {
                const float wv = w2[c * ch + e];
                const float* he = h + e * plane;
                for (int64_t p = 0; p < plane; ++p) yc[p] += wv * he[p];
            }
            for (int64_t p = 0; p < plane; ++p) yc[p] *= sp[p];
        }
    }
    free(h);
    free(sp);
    return 0;
}
