// Baseline for `hyperzzw_global_product` (Terminator global branch):
// Y[b,c] = (x[b,c] .* Hk[c]) @ V[b,c], S x S per (b, c)
#include <stdint.h>

int hyperzzw_global_product(const float* x, const float* V, const float* Hk, float* Y,
                            int64_t B, int64_t C, int64_t S) {
    const int64_t SS = S * S;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * SS;
            const float* vc = V + (b * C + c) * SS;
            const float* hc = Hk + c * SS;
            float* yc = Y + (b * C + c) * SS;
            for (int64_t i = 0; i < S; ++i) {
                float* yr = yc + i * S;
                for (int64_t j = 0; j < S; ++j) yr[j] = 0.0f;
                for (int64_t t = 0; t < S; ++t) {
                    const float z = xc[i * S + t] * hc[i * S + t];
                    const float* vr = vc + t * S;
                    for (int64_t j = 0; j < S; ++j) yr[j] += z * vr[j];
                }
            }
        }
    }
    return 0;
}
