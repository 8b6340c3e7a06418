// Baseline for `deeprftv2_fourier_kernel_feature_conv` (DeepRFTv2 FKE), NCHW f32, norm backward:
//   Zx = [Re rfft2(x); Im rfft2(x)], E = We * Zx, G = LayerNorm_channels(E; ln_w, ln_b, eps 1e-6),
//   O = Wk * G + bk, K = O[:Cd] + i O[Cd:], z = irfft2(rfft2(y) * K)   (per frequency bin)
// Plain single-threaded: mixed-radix FFTs, 1x1 convs as axpy loops over the bins.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

// ---- mixed-radix complex FFT (any length) ---------------------------------------------------
// Decimation in time by the smallest prime factor p of the current length, radix-2 butterflies,
// direct p-point sums otherwise (a prime length is a direct DFT). Twiddle table of exact angles
// 2*pi*j/n evaluated in double, stored as float. sign = -1 forward, +1 inverse (unscaled).
typedef struct {
    int64_t n;
    float *c, *s;    // cos / sin (2*pi*j/n), j < n
    float *tr, *ti;  // p-point scratch
} fft_plan;

static int fft_plan_init(fft_plan* f, int64_t n) {
    f->n = n;
    f->c = (float*)malloc(sizeof(float) * (size_t)n);
    f->s = (float*)malloc(sizeof(float) * (size_t)n);
    f->tr = (float*)malloc(sizeof(float) * (size_t)n);
    f->ti = (float*)malloc(sizeof(float) * (size_t)n);
    if (!f->c || !f->s || !f->tr || !f->ti) return 1;
    for (int64_t j = 0; j < n; ++j) {
        const double a = 2.0 * M_PI * (double)j / (double)n;
        f->c[j] = (float)cos(a);
        f->s[j] = (float)sin(a);
    }
    return 0;
}

static void fft_plan_free(fft_plan* f) {
    free(f->c); free(f->s); free(f->tr); free(f->ti);
}

// X[0..len) = DFT of x[j*xs], j < len (out of place; X contiguous).
static void fft_rec(const fft_plan* f, const float* xr, const float* xi, int64_t xs,
                    float* Xr, float* Xi, int64_t len, float sign) {
    if (len == 1) { Xr[0] = xr[0]; Xi[0] = xi[0]; return; }
    int64_t p = 2;
    while (p * p <= len && len % p) ++p;
    if (len % p) p = len;
    const int64_t m = len / p, ts = f->n / len;
    for (int64_t r = 0; r < p; ++r)
        fft_rec(f, xr + r * xs, xi + r * xs, xs * p, Xr + r * m, Xi + r * m, m, sign);
    if (p == 2) {
        for (int64_t k = 0; k < m; ++k) {
            const float c = f->c[k * ts], s = sign * f->s[k * ts];
            const float br = Xr[m + k] * c - Xi[m + k] * s, bi = Xr[m + k] * s + Xi[m + k] * c;
            const float ar = Xr[k], ai = Xi[k];
            Xr[k] = ar + br; Xi[k] = ai + bi;
            Xr[m + k] = ar - br; Xi[m + k] = ai - bi;
        }
        return;
    }
    for (int64_t k = 0; k < m; ++k) {
        for (int64_t r = 0; r < p; ++r) {  // t_r = W_len^{r k} * S_r[k]
            const int64_t j = ((r * k) % len) * ts;
            const float c = f->c[j], s = sign * f->s[j];
            const float a = Xr[r * m + k], b = Xi[r * m + k];
            f->tr[r] = a * c - b * s;
            f->ti[r] = a * s + b * c;
        }
        for (int64_t q = 0; q < p; ++q) {  // X[k + m q] = sum_r t_r * W_p^{r q}
            float ar = 0.0f, ai = 0.0f;
            for (int64_t r = 0; r < p; ++r) {
                const int64_t j = ((r * q) % p) * m * ts;
                const float c = f->c[j], s = sign * f->s[j];
                ar += f->tr[r] * c - f->ti[r] * s;
                ai += f->tr[r] * s + f->ti[r] * c;
            }
            Xr[k + m * q] = ar;
            Xi[k + m * q] = ai;
        }
    }
}

// ---- 2-D helpers on row-major planes (br, bi: scratch of max(H, W) floats; zeros: W zeros) -----
// Half spectrum (Xr, Xi) [H, Wh] = rfft2 of the real H x W plane x (unscaled).
static void rfft2_plane(const fft_plan* ph, const fft_plan* pw, const float* x, float* Xr, float* Xi,
                        int64_t H, int64_t W, const float* zeros, float* br, float* bi) {
    const int64_t Wh = W / 2 + 1;
    for (int64_t i = 0; i < H; ++i) {
        fft_rec(pw, x + i * W, zeros, 1, br, bi, W, -1.0f);
        memcpy(Xr + i * Wh, br, sizeof(float) * (size_t)Wh);
        memcpy(Xi + i * Wh, bi, sizeof(float) * (size_t)Wh);
    }
    for (int64_t v = 0; v < Wh; ++v) {
        fft_rec(ph, Xr + v, Xi + v, Wh, br, bi, H, -1.0f);
        for (int64_t i = 0; i < H; ++i) { Xr[i * Wh + v] = br[i]; Xi[i * Wh + v] = bi[i]; }
    }
}

// x [H, W] = irfft2(Xr + i Xi, s=(H, W)), norm backward; the half spectrum is overwritten.
// C2R rule: inverse DFT down the columns, then per row drop the imaginary parts of the DC (and
// Nyquist) bins and extend Z[W - v] = conj(Z[v]). cr, ci: scratch of W floats.
static void irfft2_plane(const fft_plan* ph, const fft_plan* pw, float* Xr, float* Xi, float* x,
                         int64_t H, int64_t W, float* br, float* bi, float* cr, float* ci) {
    const int64_t Wh = W / 2 + 1;
    for (int64_t v = 0; v < Wh; ++v) {
        fft_rec(ph, Xr + v, Xi + v, Wh, br, bi, H, 1.0f);
        for (int64_t i = 0; i < H; ++i) { Xr[i * Wh + v] = br[i]; Xi[i * Wh + v] = bi[i]; }
    }
    const float scale = 1.0f / (float)(H * W);
    for (int64_t i = 0; i < H; ++i) {
        const float* zr = Xr + i * Wh;
        const float* zi = Xi + i * Wh;
        cr[0] = zr[0]; ci[0] = 0.0f;
        for (int64_t v = 1; v < Wh; ++v) {
            const float b = (2 * v == W) ? 0.0f : zi[v];
            cr[v] = zr[v]; ci[v] = b;
            cr[W - v] = zr[v]; ci[W - v] = -b;
        }
        fft_rec(pw, cr, ci, 1, br, bi, W, 1.0f);
        for (int64_t j = 0; j < W; ++j) x[i * W + j] = br[j] * scale;
    }
}

int deeprftv2_fourier_kernel_feature_conv(const float* x, const float* y, const float* We, const float* ln_w,
                                          const float* ln_b, const float* Wk, const float* bk, float* z,
                                          int64_t B, int64_t Cw, int64_t Cd, int64_t H, int64_t W) {
    const int64_t plane = H * W, Wh = W / 2 + 1, bins = H * Wh, L = H > W ? H : W;
    fft_plan ph, pw;
    float* zx = (float*)malloc(sizeof(float) * (size_t)(2 * Cw * bins));
    float* e = (float*)malloc(sizeof(float) * (size_t)(Cw * bins));
    float* o = (float*)malloc(sizeof(float) * (size_t)(2 * Cd * bins));
    float* yr = (float*)malloc(sizeof(float) * (size_t)bins);
    float* yi = (float*)malloc(sizeof(float) * (size_t)bins);
    float* zeros = (float*)calloc((size_t)W, sizeof(float));
    float* br = (float*)malloc(sizeof(float) * (size_t)L);
    float* bi = (float*)malloc(sizeof(float) * (size_t)L);
    float* cr = (float*)malloc(sizeof(float) * (size_t)W);
    float* ci = (float*)malloc(sizeof(float) * (size_t)W);
    int err = fft_plan_init(&ph, H) | fft_plan_init(&pw, W) | !zx | !e | !o | !yr | !yi | !zeros | !br | !bi |
              !cr | !ci;
    if (!err) {
        for (int64_t b = 0; b < B; ++b) {
            for (int64_t c = 0; c < Cw; ++c)
                rfft2_plane(&ph, &pw, x + (b * Cw + c) * plane, zx + c * bins, zx + (Cw + c) * bins, H, W, zeros,
                            br, bi);
            // E = We * Zx
            memset(e, 0, sizeof(float) * (size_t)(Cw * bins));
            for (int64_t oc = 0; oc < Cw; ++oc)
                for (int64_t c = 0; c < 2 * Cw; ++c) {
                    const float wv = We[oc * 2 * Cw + c];
                    for (int64_t k = 0; k < bins; ++k) e[oc * bins + k] += wv * zx[c * bins + k];
                }
            // LayerNorm over channels per bin (in place)
            for (int64_t k = 0; k < bins; ++k) {
                float mu = 0.0f, var = 0.0f;
                for (int64_t c = 0; c < Cw; ++c) mu += e[c * bins + k];
                mu /= (float)Cw;
                for (int64_t c = 0; c < Cw; ++c) {
                    const float d = e[c * bins + k] - mu;
                    var += d * d;
                }
                const float inv = 1.0f / sqrtf(var / (float)Cw + 1e-6f);
                for (int64_t c = 0; c < Cw; ++c) e[c * bins + k] = (e[c * bins + k] - mu) * inv * ln_w[c] + ln_b[c];
            }
            // O = Wk * G + bk
            for (int64_t j = 0; j < 2 * Cd; ++j) {
                float* oj = o + j * bins;
                for (int64_t k = 0; k < bins; ++k) oj[k] = bk[j];
                for (int64_t c = 0; c < Cw; ++c) {
                    const float wv = Wk[j * Cw + c];
                    for (int64_t k = 0; k < bins; ++k) oj[k] += wv * e[c * bins + k];
                }
            }
            // z[c] = irfft2(rfft2(y[c]) * K[c])
            for (int64_t c = 0; c < Cd; ++c) {
                rfft2_plane(&ph, &pw, y + (b * Cd + c) * plane, yr, yi, H, W, zeros, br, bi);
                const float* kr = o + c * bins;
                const float* ki = o + (Cd + c) * bins;
                for (int64_t k = 0; k < bins; ++k) {
                    const float a = yr[k], q = yi[k];
                    yr[k] = a * kr[k] - q * ki[k];
                    yi[k] = a * ki[k] + q * kr[k];
                }
                irfft2_plane(&ph, &pw, yr, yi, z + (b * Cd + c) * plane, H, W, br, bi, cr, ci);
            }
        }
    }
    fft_plan_free(&ph); fft_plan_free(&pw);
    free(zx); free(e); free(o); free(yr); free(yi); free(zeros); free(br); free(bi); free(cr); free(ci);
    return err ? 1 : 0;
}
