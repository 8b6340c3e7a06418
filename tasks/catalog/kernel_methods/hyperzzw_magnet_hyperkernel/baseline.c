// Baseline for `hyperzzw_magnet_hyperkernel` (Terminator MAGNet_G global hyper-kernel generator):
// per grid point: out = sin(filter_0); out = sin(filter_{l+1}) * (Wl[l] out + bl[l]) + bias_p; Hk = Wo out + bo
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int hyperzzw_magnet_hyperkernel(const float* Wf, const float* bf, const float* Wl, const float* bl,
                                const float* Wo, const float* bo, const float* bias_p, float* Hk,
                                int64_t C, int64_t Hd, int64_t K, int64_t L) {
    float* out = (float*)malloc(sizeof(float) * Hd);
    float* nxt = (float*)malloc(sizeof(float) * Hd);
    if (!out || !nxt) { free(out); free(nxt); return 1; }
    for (int64_t i = 0; i < K; ++i) {
        const float g0 = (float)(-1.0 + 2.0 * (double)i / (double)(K - 1));
        for (int64_t j = 0; j < K; ++j) {
            const float g1 = (float)(-1.0 + 2.0 * (double)j / (double)(K - 1));
            for (int64_t h = 0; h < Hd; ++h)
                out[h] = sinf(Wf[h * 2] * g0 + Wf[h * 2 + 1] * g1 + bf[h]);
            for (int64_t l = 0; l < L; ++l) {
                const float* wf = Wf + (l + 1) * Hd * 2;
                const float* bff = bf + (l + 1) * Hd;
                for (int64_t h = 0; h < Hd; ++h) {
                    float acc = bl[l * Hd + h];
                    const float* wr = Wl + (l * Hd + h) * Hd;
                    for (int64_t h2 = 0; h2 < Hd; ++h2) acc += wr[h2] * out[h2];
                    nxt[h] = sinf(wf[h * 2] * g0 + wf[h * 2 + 1] * g1 + bff[h]) * acc + bias_p[i * K + j];
                }
                memcpy(out, nxt, sizeof(float) * Hd);
            }
            for (int64_t c = 0; c < C; ++c) {
                float acc = bo[c];
                for (int64_t h = 0; h < Hd; ++h) acc += Wo[c * Hd + h] * out[h];
                Hk[(c * K + i) * K + j] = acc;
            }
        }
    }
    free(out);
    free(nxt);
    return 0;
}
