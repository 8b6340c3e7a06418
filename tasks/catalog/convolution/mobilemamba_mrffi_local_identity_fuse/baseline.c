// Baseline for `mobilemamba_mrffi_local_identity_fuse` (MobileMamba MRFFI after the global branch):
// cat = [g | s_l*relu(dwconv_k(x_loc)+b_l)+t_l | x_id];  y = b_p + w_p @ relu(cat)
#include <stdint.h>
#include <stdlib.h>

#define KS 3  // attr k

int mobilemamba_mrffi_local_identity_fuse(const float* x, const float* g, const float* w_l, const float* b_l,
                                          const float* s_l, const float* t_l, const float* w_p,
                                          const float* b_p, float* y,
                                          int64_t B, int64_t C, int64_t Cg, int64_t Cl, int64_t H, int64_t W) {
    const int64_t P = H * W, pad = KS / 2;
    float* cat = (float*)malloc(sizeof(float) * C * P);
    if (!cat) return 1;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * P;
        for (int64_t c = 0; c < Cg; ++c)
            for (int64_t p = 0; p < P; ++p) cat[c * P + p] = g[(b * Cg + c) * P + p];
        for (int64_t c = 0; c < Cl; ++c) {
            const float* xc = xb + (Cg + c) * P;
            const float* kw = w_l + c * KS * KS;
            for (int64_t i = 0; i < H; ++i) {
                for (int64_t j = 0; j < W; ++j) {
                    float acc = b_l[c];
                    for (int64_t u = 0; u < KS; ++u) {
                        const int64_t ii = i + u - pad;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t v = 0; v < KS; ++v) {
                            const int64_t jj = j + v - pad;
                            if (jj < 0 || jj >= W) continue;
                            acc += kw[u * KS + v] * xc[ii * W + jj];
                        }
                    }
                    cat[(Cg + c) * P + i * W + j] = s_l[c] * (acc > 0.0f ? acc : 0.0f) + t_l[c];
                }
            }
        }
        for (int64_t c = Cg + Cl; c < C; ++c)
            for (int64_t p = 0; p < P; ++p) cat[c * P + p] = xb[c * P + p];
        for (int64_t i = 0; i < C * P; ++i) cat[i] = cat[i] > 0.0f ? cat[i] : 0.0f;
        for (int64_t o = 0; o < C; ++o) {
            float* yo = y + (b * C + o) * P;
            for (int64_t p = 0; p < P; ++p) yo[p] = b_p[o];
            for (int64_t c = 0; c < C; ++c) {
                const float wv = w_p[o * C + c];
                const float* cr = cat + c * P;
                for (int64_t p = 0; p < P; ++p) yo[p] += wv * cr[p];
            }
        }
    }
    free(cat);
    return 0;
}
