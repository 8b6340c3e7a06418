// Baseline for `longconv_fft_causal_conv`: direct causal convolution (O(L^2) per channel, the
// straightforward form of irfft(rfft(u, 2L) * rfft(k, 2L))[:L]) plus the skip term.
#include <stdint.h>

int longconv_fft_causal_conv(const float* u, const float* k, const float* Dskip, float* y,
                             int64_t B, int64_t C, int64_t H, int64_t L) {
    for (int64_t b = 0; b < B; ++b)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t h = 0; h < H; ++h) {
                const float* ur = u + (b * H + h) * L;
                const float* kr = k + (c * H + h) * L;
                const float d = Dskip[c * H + h];
                float* out = y + ((b * C + c) * H + h) * L;
                for (int64_t l = 0; l < L; ++l) {
                    float s = d * ur[l];
                    for (int64_t j = 0; j <= l; ++j) s += kr[j] * ur[l - j];
                    out[l] = s;
                }
            }
    return 0;
}
