// Baseline for `sgconv_structured_global_conv` (SGConv, bidirectional): assemble the multi-scale
// kernel (linear upsampling, per-channel decay), normalise it by its full-length L2 norm, then a
// direct causal + anti-causal convolution plus the skip term.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int sgconv_structured_global_conv(const float* u, const float* K, const float* mult, const float* Dskip,
                                  float* y, int64_t B, int64_t C, int64_t H, int64_t L, int64_t Kd,
                                  int64_t S) {
    const int64_t rows = 2 * C * H;
    const int64_t full_len = Kd << (S - 1);
    float* kern = calloc((size_t)(rows * L), sizeof(float));   // normalised kernels, cut to L
    float* full = malloc(sizeof(float) * full_len);
    if (!kern || !full) { free(kern); free(full); return 1; }
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t h = r % H;
        int64_t pos = 0;
        for (int64_t i = 0; i < S; ++i) {
            const int64_t f = (int64_t)1 << (i > 0 ? i - 1 : 0);
            const float* base = K + (i * rows + r) * Kd;
            const float decay = powf(mult[h], (float)(S - 1 - i));
            for (int64_t o = 0; o < Kd * f; ++o) {
                float src = ((float)o + 0.5f) / (float)f - 0.5f;
                if (src < 0.0f) src = 0.0f;
                int64_t i0 = (int64_t)floorf(src);
                if (i0 > Kd - 1) i0 = Kd - 1;
                const int64_t i1 = i0 + 1 < Kd ? i0 + 1 : Kd - 1;
                const float lam = src - (float)i0;
                full[pos++] = ((1.0f - lam) * base[i0] + lam * base[i1]) * decay;
            }
        }
        double nrm = 0.0;
        for (int64_t j = 0; j < full_len; ++j) nrm += (double)full[j] * full[j];
        const float inv = (float)(1.0 / sqrt(nrm));
        for (int64_t j = 0; j < L && j < full_len; ++j) kern[r * L + j] = full[j] * inv;
    }
    for (int64_t b = 0; b < B; ++b)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t h = 0; h < H; ++h) {
                const float* ur = u + (b * H + h) * L;
                const float* k0 = kern + (c * H + h) * L;
                const float* k1 = kern + ((C + c) * H + h) * L;
                const float d = Dskip[c * H + h];
                float* out = y + ((b * C + c) * H + h) * L;
                for (int64_t l = 0; l < L; ++l) {
                    float s = d * ur[l];
                    for (int64_t j = 0; j <= l; ++j) s += k0[j] * ur[l - j];
                    for (int64_t t = 1; t < L - l; ++t) s += k1[t - 1] * ur[l + t];
                    out[l] = s;
                }
            }
    free(kern);
    free(full);
    return 0;
}
