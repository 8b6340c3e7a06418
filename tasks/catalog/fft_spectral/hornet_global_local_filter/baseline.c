// Baseline for `hornet_global_local_filter` (HorNet GlobalLocalFilter), NCHW f32, Ch = C/2.
//   u = LN_c(x; g1, b1) (eps 1e-6); a = dwconv3x3(u[:Ch]); bo = irfft2(rfft2(u[Ch:]) * F), ortho
//   F = Wc resized (bilinear, align_corners) to (H, W/2+1) when needed
//   v[2c] = a[c], v[2c+1] = bo[c];  y = LN_c(v; g2, b2)
// The DFTs are direct separable sums with precomputed twiddle tables.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define FH 14   // attr fh
#define FW 8    // attr fw
#define EPS 1e-6f

static void layernorm_c(const float* in, const float* g, const float* b, float* out,
                        int64_t C, int64_t hw) {
    for (int64_t p = 0; p < hw; ++p) {
        float mu = 0.0f;
        for (int64_t c = 0; c < C; ++c) mu += in[c * hw + p];
        mu /= (float)C;
        float var = 0.0f;
        for (int64_t c = 0; c < C; ++c) {
            const float d = in[c * hw + p] - mu;
            var += d * d;
        }
        var /= (float)C;
        const float rs = 1.0f / sqrtf(var + EPS);
        for (int64_t c = 0; c < C; ++c) out[c * hw + p] = (in[c * hw + p] - mu) * rs * g[c] + b[c];
    }
}

static void axis_interp(int64_t t, int64_t Li, int64_t Lo, int64_t* t0, int64_t* t1, float* lam) {
    const double src = Lo > 1 ? (double)t * (double)(Li - 1) / (double)(Lo - 1) : 0.0;
    int64_t i0 = (int64_t)floor(src);
    if (i0 > Li - 1) i0 = Li - 1;
    *t0 = i0;
    *t1 = i0 + 1 < Li ? i0 + 1 : Li - 1;
    *lam = (float)(src - (double)i0);
}

int hornet_global_local_filter(const float* x, const float* g1, const float* b1, const float* W_dw,
                               const float* Wc, const float* g2, const float* b2, float* y,
                               int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ch = C / 2, hw = H * W, Wf = W / 2 + 1;
    float* u = (float*)malloc(sizeof(float) * (size_t)(C * hw));
    float* v = (float*)malloc(sizeof(float) * (size_t)(C * hw));
    float* fr = (float*)malloc(sizeof(float) * (size_t)(Ch * H * Wf));
    float* fi = (float*)malloc(sizeof(float) * (size_t)(Ch * H * Wf));
    float* cw = (float*)malloc(sizeof(float) * (size_t)W);
    float* sw = (float*)malloc(sizeof(float) * (size_t)W);
    float* ch = (float*)malloc(sizeof(float) * (size_t)H);
    float* sh = (float*)malloc(sizeof(float) * (size_t)H);
    float* rr = (float*)malloc(sizeof(float) * (size_t)(H * Wf));
    float* ri = (float*)malloc(sizeof(float) * (size_t)(H * Wf));
    float* sr = (float*)malloc(sizeof(float) * (size_t)(H * Wf));
    float* si = (float*)malloc(sizeof(float) * (size_t)(H * Wf));
    if (!u || !v || !fr || !fi || !cw || !sw || !ch || !sh || !rr || !ri || !sr || !si) return 1;
    const double pi = 3.14159265358979323846;
    for (int64_t t = 0; t < W; ++t) { cw[t] = (float)cos(2 * pi * t / W); sw[t] = (float)sin(2 * pi * t / W); }
    for (int64_t t = 0; t < H; ++t) { ch[t] = (float)cos(2 * pi * t / H); sh[t] = (float)sin(2 * pi * t / H); }

    // filter, resized to (H, Wf) with bilinear align_corners=True (identity when sizes match)
    for (int64_t c = 0; c < Ch; ++c) {
        for (int64_t k1 = 0; k1 < H; ++k1) {
            int64_t r0, r1; float lr;
            axis_interp(k1, FH, H, &r0, &r1, &lr);
            for (int64_t k2 = 0; k2 < Wf; ++k2) {
                int64_t c0, c1; float lc;
                axis_interp(k2, FW, Wf, &c0, &c1, &lc);
                for (int part = 0; part < 2; ++part) {
                    const float* wp = Wc + c * FH * FW * 2 + part;
                    const float val = (1 - lr) * (1 - lc) * wp[(r0 * FW + c0) * 2] + (1 - lr) * lc * wp[(r0 * FW + c1) * 2]
                                    + lr * (1 - lc) * wp[(r1 * FW + c0) * 2] + lr * lc * wp[(r1 * FW + c1) * 2];
                    (part == 0 ? fr : fi)[(c * H + k1) * Wf + k2] = val;
                }
            }
        }
    }

    const float norm = (float)(1.0 / (double)hw);  // ortho forward * ortho inverse
    for (int64_t n = 0; n < N; ++n) {
        layernorm_c(x + n * C * hw, g1, b1, u, C, hw);
        // local branch -> even channels of v
        for (int64_t c = 0; c < Ch; ++c) {
            const float* uc = u + c * hw;
            const float* k = W_dw + c * 9;
            float* vc = v + (2 * c) * hw;
            for (int64_t i = 0; i < H; ++i) {
                for (int64_t j = 0; j < W; ++j) {
                    float s = 0.0f;
                    for (int64_t p = 0; p < 3; ++p) {
                        const int64_t ii = i + p - 1;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t q = 0; q < 3; ++q) {
                            const int64_t jj = j + q - 1;
                            if (jj < 0 || jj >= W) continue;
                            s += k[p * 3 + q] * uc[ii * W + jj];
                        }
                    }
                    vc[i * W + j] = s;
                }
            }
        }
        // global branch -> odd channels of v
        for (int64_t c = 0; c < Ch; ++c) {
            const float* uc = u + (Ch + c) * hw;
            // rfft along W
            for (int64_t r = 0; r < H; ++r) {
                for (int64_t k2 = 0; k2 < Wf; ++k2) {
                    float re = 0.0f, im = 0.0f;
                    for (int64_t s = 0; s < W; ++s) {
                        const int64_t t = (k2 * s) % W;
                        re += uc[r * W + s] * cw[t];
                        im -= uc[r * W + s] * sw[t];
                    }
                    rr[r * Wf + k2] = re;
                    ri[r * Wf + k2] = im;
                }
            }
            // dft along H, times filter
            for (int64_t k1 = 0; k1 < H; ++k1) {
                for (int64_t k2 = 0; k2 < Wf; ++k2) {
                    float re = 0.0f, im = 0.0f;
                    for (int64_t r = 0; r < H; ++r) {
                        const int64_t t = (k1 * r) % H;
                        const float a = rr[r * Wf + k2], b = ri[r * Wf + k2];
                        re += a * ch[t] + b * sh[t];
                        im += b * ch[t] - a * sh[t];
                    }
                    const float f_re = fr[(c * H + k1) * Wf + k2], f_im = fi[(c * H + k1) * Wf + k2];
                    sr[k1 * Wf + k2] = re * f_re - im * f_im;
                    si[k1 * Wf + k2] = re * f_im + im * f_re;
                }
            }
            // inverse dft along H
            for (int64_t r = 0; r < H; ++r) {
                for (int64_t k2 = 0; k2 < Wf; ++k2) {
                    float re = 0.0f, im = 0.0f;
                    for (int64_t k1 = 0; k1 < H; ++k1) {
                        const int64_t t = (k1 * r) % H;
                        const float a = sr[k1 * Wf + k2], b = si[k1 * Wf + k2];
                        re += a * ch[t] - b * sh[t];
                        im += a * sh[t] + b * ch[t];
                    }
                    rr[r * Wf + k2] = re;
                    ri[r * Wf + k2] = im;
                }
            }
            // inverse real dft along W (imaginary parts of DC / Nyquist columns dropped)
            float* vc = v + (2 * c + 1) * hw;
            for (int64_t r = 0; r < H; ++r) {
                for (int64_t s = 0; s < W; ++s) {
                    float acc = 0.0f;
                    for (int64_t k2 = 0; k2 < Wf; ++k2) {
                        const float m = (k2 == 0 || 2 * k2 == W) ? 1.0f : 2.0f;
                        const int64_t t = (k2 * s) % W;
                        acc += m * (rr[r * Wf + k2] * cw[t] - ri[r * Wf + k2] * sw[t]);
                    }
                    vc[r * W + s] = acc * norm;
                }
            }
        }
        layernorm_c(v, g2, b2, y + n * C * hw, C, hw);
    }
    free(u); free(v); free(fr); free(fi); free(cw); free(sw); free(ch); free(sh);
    free(rr); free(ri); free(sr); free(si);
    return 0;
}
