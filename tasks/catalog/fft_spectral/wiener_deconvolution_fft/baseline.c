// Baseline for `wiener_deconvolution_fft` (grad_prior = false), NCHW f32:
//   K = psf2otf(k[b], H, W), Y = fft2(y[b, c]), X = conj(K) Y / (|K|^2 + lam[b]),
//   x[b, c] = Re(ifft2(X))  (1/(H W)).
// Plain single-threaded 2-D FFTs (row pass, then column pass) with a mixed-radix FFT.
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

// In-place unscaled 2-D DFT of a complex H x W plane (br, bi: scratch of max(H, W) floats).
static void fft2_plane(const fft_plan* ph, const fft_plan* pw, float* re, float* im, int64_t H, int64_t W,
                       float sign, float* br, float* bi) {
    for (int64_t i = 0; i < H; ++i) {
        fft_rec(pw, re + i * W, im + i * W, 1, br, bi, W, sign);
        memcpy(re + i * W, br, sizeof(float) * (size_t)W);
        memcpy(im + i * W, bi, sizeof(float) * (size_t)W);
    }
    for (int64_t j = 0; j < W; ++j) {
        fft_rec(ph, re + j, im + j, W, br, bi, H, sign);
        for (int64_t i = 0; i < H; ++i) { re[i * W + j] = br[i]; im[i * W + j] = bi[i]; }
    }
}

int wiener_deconvolution_fft(const float* y, const float* k, const float* lam, float* x,
                             int64_t B, int64_t C, int64_t H, int64_t W, int64_t KH, int64_t KW) {
    const int64_t plane = H * W, L = H > W ? H : W;
    fft_plan ph, pw;
    float* kr = (float*)malloc(sizeof(float) * (size_t)plane);
    float* ki = (float*)malloc(sizeof(float) * (size_t)plane);
    float* zr = (float*)malloc(sizeof(float) * (size_t)plane);
    float* zi = (float*)malloc(sizeof(float) * (size_t)plane);
    float* br = (float*)malloc(sizeof(float) * (size_t)L);
    float* bi = (float*)malloc(sizeof(float) * (size_t)L);
    int err = fft_plan_init(&ph, H) | fft_plan_init(&pw, W) | !kr | !ki | !zr | !zi | !br | !bi;
    if (!err) {
        const float scale = 1.0f / (float)plane;
        for (int64_t b = 0; b < B; ++b) {
            // psf2otf: k[p, q] -> ((p - KH/2) mod H, (q - KW/2) mod W), then fft2
            memset(kr, 0, sizeof(float) * (size_t)plane);
            memset(ki, 0, sizeof(float) * (size_t)plane);
            for (int64_t p = 0; p < KH; ++p)
                for (int64_t q = 0; q < KW; ++q)
                    kr[((p - KH / 2 + H) % H) * W + (q - KW / 2 + W) % W] += k[(b * KH + p) * KW + q];
            fft2_plane(&ph, &pw, kr, ki, H, W, -1.0f, br, bi);
            const float l = lam[b];
            for (int64_t c = 0; c < C; ++c) {
                memcpy(zr, y + (b * C + c) * plane, sizeof(float) * (size_t)plane);
                memset(zi, 0, sizeof(float) * (size_t)plane);
                fft2_plane(&ph, &pw, zr, zi, H, W, -1.0f, br, bi);
                for (int64_t i = 0; i < plane; ++i) {
                    const float a = kr[i], q = ki[i], yr = zr[i], yi = zi[i];
                    const float den = a * a + q * q + l;
                    zr[i] = (a * yr + q * yi) / den;   // conj(K) * Y / den
                    zi[i] = (a * yi - q * yr) / den;
                }
                fft2_plane(&ph, &pw, zr, zi, H, W, 1.0f, br, bi);
                float* xo = x + (b * C + c) * plane;
                for (int64_t i = 0; i < plane; ++i) xo[i] = zr[i] * scale;
            }
        }
    }
    fft_plan_free(&ph); fft_plan_free(&pw);
    free(kr); free(ki); free(zr); free(zi); free(br); free(bi);
    return err ? 1 : 0;
}
