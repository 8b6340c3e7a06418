// Baseline for `mobilemamba_haar_wavelet_dwconv` (MobileMamba MBWTConv2d, one Haar level):
//   S = haar(x) (zero-pad odd H/W), T = s_wt * dwconv_kxk(S), z = ihaar(T) cropped, y = s_base*g + z
#include <stdint.h>
#include <stdlib.h>

#define KS 5  // attr k

int mobilemamba_haar_wavelet_dwconv(const float* x, const float* g, const float* w_wt, const float* s_wt,
                                    const float* s_base, float* y,
                                    int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t hh = (H + 1) / 2, wh = (W + 1) / 2, sb = hh * wh, pad = KS / 2;
    float* s = (float*)malloc(sizeof(float) * 4 * sb);
    float* t = (float*)malloc(sizeof(float) * 4 * sb);
    if (!s || !t) { free(s); free(t); return 1; }
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * H * W;
            for (int64_t i = 0; i < hh; ++i) {
                for (int64_t j = 0; j < wh; ++j) {
                    const int64_t r0 = 2 * i, r1 = 2 * i + 1, c0 = 2 * j, c1 = 2 * j + 1;
                    const float a = xc[r0 * W + c0];
                    const float bb = (c1 < W) ? xc[r0 * W + c1] : 0.0f;
                    const float p = (r1 < H) ? xc[r1 * W + c0] : 0.0f;
                    const float q = (r1 < H && c1 < W) ? xc[r1 * W + c1] : 0.0f;
                    const int64_t o = i * wh + j;
                    s[o] = 0.5f * (a + bb + p + q);
                    s[sb + o] = 0.5f * (a + bb - p - q);
                    s[2 * sb + o] = 0.5f * (a - bb + p - q);
                    s[3 * sb + o] = 0.5f * (a - bb - p + q);
                }
            }
            for (int64_t qb = 0; qb < 4; ++qb) {
                const int64_t m = 4 * c + qb;
                const float* kw = w_wt + m * KS * KS;
                const float* sm = s + qb * sb;
                float* tm = t + qb * sb;
                for (int64_t i = 0; i < hh; ++i) {
                    for (int64_t j = 0; j < wh; ++j) {
                        float acc = 0.0f;
                        for (int64_t u = 0; u < KS; ++u) {
                            const int64_t ii = i + u - pad;
                            if (ii < 0 || ii >= hh) continue;
                            for (int64_t v = 0; v < KS; ++v) {
                                const int64_t jj = j + v - pad;
                                if (jj < 0 || jj >= wh) continue;
                                acc += kw[u * KS + v] * sm[ii * wh + jj];
                            }
                        }
                        tm[i * wh + j] = s_wt[m] * acc;
                    }
                }
            }
            const float* gc = g + (b * C + c) * H * W;
            float* yc = y + (b * C + c) * H * W;
            const float sbase = s_base[c];
            for (int64_t i = 0; i < hh; ++i) {
                for (int64_t j = 0; j < wh; ++j) {
                    const int64_t o = i * wh + j;
                    const float t0 = t[o], t1 = t[sb + o], t2 = t[2 * sb + o], t3 = t[3 * sb + o];
                    const float z[2][2] = {{0.5f * (t0 + t1 + t2 + t3), 0.5f * (t0 + t1 - t2 - t3)},
                                           {0.5f * (t0 - t1 + t2 - t3), 0.5f * (t0 - t1 - t2 + t3)}};
                    for (int di = 0; di < 2; ++di) {
                        const int64_t ii = 2 * i + di;
                        if (ii >= H) continue;
                        for (int dj = 0; dj < 2; ++dj) {
                            const int64_t jj = 2 * j + dj;
                            if (jj >= W) continue;
                            yc[ii * W + jj] = sbase * gc[ii * W + jj] + z[di][dj];
                        }
                    }
                }
            }
        }
    }
    free(s);
    free(t);
    return 0;
}
