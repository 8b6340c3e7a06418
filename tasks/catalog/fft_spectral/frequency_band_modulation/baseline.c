// Baseline for `frequency_band_modulation` (FDConv FBM), NCHW f32, W even.
// Direct separable DFTs with precomputed twiddles (no FFT library), per (b, c) plane.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static const int64_t KLIST[3] = {2, 4, 8};  // attrs k0, k1, k2

static int64_t src_idx(int64_t d, int64_t in, int64_t out) {
    if (in == out) return d;
    const float scale = (float)in / (float)out;
    int64_t s = (int64_t)floorf((float)d * scale);
    return s < in - 1 ? s : in - 1;
}

int frequency_band_modulation(const float* x, const float* wb, const float* bb, float* out,
                              int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t Wh = W / 2 + 1, hw = H * W, nf = H * Wh;
    unsigned char* mask = malloc((size_t)(3 * nf));
    for (int j = 0; j < 3; ++j)
        for (int64_t u = 0; u < H; ++u)
            for (int64_t v = 0; v < Wh; ++v) {
                int64_t r = src_idx(u, 64, H), c = src_idx(v, 33, Wh);
                int64_t rs = r < 32 ? r : 64 - r;
                int64_t m = rs > c ? rs : c;
                mask[j * nf + u * Wh + v] = (unsigned char)(m * KLIST[j] <= 32);
            }
    float *ch = malloc(sizeof(float) * (size_t)H), *sh = malloc(sizeof(float) * (size_t)H);
    float *cw = malloc(sizeof(float) * (size_t)W), *sw = malloc(sizeof(float) * (size_t)W);
    for (int64_t t = 0; t < H; ++t) { ch[t] = (float)cos(2 * M_PI * t / H); sh[t] = (float)sin(2 * M_PI * t / H); }
    for (int64_t t = 0; t < W; ++t) { cw[t] = (float)cos(2 * M_PI * t / W); sw[t] = (float)sin(2 * M_PI * t / W); }
    float* att = malloc(sizeof(float) * (size_t)(3 * hw));
    float *rr = malloc(sizeof(float) * (size_t)nf), *ri = malloc(sizeof(float) * (size_t)nf);
    float *xr = malloc(sizeof(float) * (size_t)nf), *xi = malloc(sizeof(float) * (size_t)nf);
    float *zr = malloc(sizeof(float) * (size_t)nf), *zi = malloc(sizeof(float) * (size_t)nf);
    float *prev = malloc(sizeof(float) * (size_t)hw), *acc = malloc(sizeof(float) * (size_t)hw);
    const float scale = 1.0f / (float)hw;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * hw;
        for (int j = 0; j < 3; ++j)
            for (int64_t i = 0; i < H; ++i)
                for (int64_t q = 0; q < W; ++q) {
                    float s = bb[j];
                    for (int64_t c = 0; c < C; ++c)
                        for (int64_t u = 0; u < 3; ++u) {
                            const int64_t r = i + u - 1;
                            if (r < 0 || r >= H) continue;
                            for (int64_t v = 0; v < 3; ++v) {
                                const int64_t cc = q + v - 1;
                                if (cc < 0 || cc >= W) continue;
                                s += wb[((j * C + c) * 3 + u) * 3 + v] * xb[c * hw + r * W + cc];
                            }
                        }
                    att[j * hw + i * W + q] = 2.0f / (1.0f + expf(-s));
                }
        for (int64_t c = 0; c < C; ++c) {
            const float* xp = xb + c * hw;
            for (int64_t i = 0; i < H; ++i)
                for (int64_t v = 0; v < Wh; ++v) {
                    float re = 0.0f, im = 0.0f;
                    for (int64_t q = 0; q < W; ++q) {
                        const int64_t t = (v * q) % W;
                        re += xp[i * W + q] * cw[t];
                        im -= xp[i * W + q] * sw[t];
                    }
                    rr[i * Wh + v] = re;
                    ri[i * Wh + v] = im;
                }
            for (int64_t u = 0; u < H; ++u)
                for (int64_t v = 0; v < Wh; ++v) {
                    float re = 0.0f, im = 0.0f;
                    for (int64_t i = 0; i < H; ++i) {
                        const int64_t t = (u * i) % H;
                        re += rr[i * Wh + v] * ch[t] + ri[i * Wh + v] * sh[t];
                        im += ri[i * Wh + v] * ch[t] - rr[i * Wh + v] * sh[t];
                    }
                    xr[u * Wh + v] = re;
                    xi[u * Wh + v] = im;
                }
            for (int64_t p = 0; p < hw; ++p) { prev[p] = xp[p]; acc[p] = 0.0f; }
            for (int j = 0; j < 3; ++j) {
                const unsigned char* mk = mask + j * nf;
                for (int64_t i = 0; i < H; ++i)
                    for (int64_t v = 0; v < Wh; ++v) {
                        float re = 0.0f, im = 0.0f;
                        for (int64_t u = 0; u < H; ++u) {
                            if (!mk[u * Wh + v]) continue;
                            const int64_t t = (u * i) % H;
                            re += xr[u * Wh + v] * ch[t] - xi[u * Wh + v] * sh[t];
                            im += xr[u * Wh + v] * sh[t] + xi[u * Wh + v] * ch[t];
                        }
                        zr[i * Wh + v] = re;
                        zi[i * Wh + v] = im;
                    }
                for (int64_t i = 0; i < H; ++i)
                    for (int64_t q = 0; q < W; ++q) {
                        float s = zr[i * Wh] + ((q & 1) ? -zr[i * Wh + W / 2] : zr[i * Wh + W / 2]);
                        for (int64_t v = 1; v < W / 2; ++v) {
                            const int64_t t = (v * q) % W;
                            s += 2.0f * (zr[i * Wh + v] * cw[t] - zi[i * Wh + v] * sw[t]);
                        }
                        const float low = s * scale;
                        const int64_t p = i * W + q;
                        acc[p] += att[j * hw + p] * (prev[p] - low);
                        prev[p] = low;
                    }
            }
            float* op = out + (b * C + c) * hw;
            for (int64_t p = 0; p < hw; ++p) op[p] = acc[p] + prev[p];
        }
    }
    free(mask); free(ch); free(sh); free(cw); free(sw); free(att); free(rr); free(ri);
    free(xr); free(xi); free(zr); free(zi); free(prev); free(acc);
    return 0;
}
