// Baseline for `deeprft_res_fft_relu_block` (DeepRFT ResBlock_fft_bench, norm backward), NCHW f32:
//   y = x + conv3x3(relu(conv3x3(x, Ws1)), Ws2) + irfft2(F, s=(H, W)),
//   F = complex split of Wf2 * relu(Wf1 * [Re rfft2(x); Im rfft2(x)])   (1x1 convs per frequency bin)
// Plain single-threaded: direct 3x3 convs (zero pad 1), mixed-radix FFTs, 1x1 convs as axpy loops.
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

// y[o] = sum_c conv3x3(x[c], w[o, c]) (cross-correlation, zero pad 1), x, y [C, H, W].
static void conv3x3(const float* x, const float* w, float* y, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    memset(y, 0, sizeof(float) * (size_t)(C * plane));
    for (int64_t o = 0; o < C; ++o) {
        float* yo = y + o * plane;
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + c * plane;
            const float* wk = w + (o * C + c) * 9;
            for (int64_t u = 0; u < 3; ++u)
                for (int64_t v = 0; v < 3; ++v) {
                    const float kv = wk[u * 3 + v];
                    const int64_t i0 = (u == 0) ? 1 : 0, i1 = (u == 2) ? H - 1 : H;
                    const int64_t j0 = (v == 0) ? 1 : 0, j1 = (v == 2) ? W - 1 : W;
                    for (int64_t i = i0; i < i1; ++i) {
                        const float* xr = xc + (i + u - 1) * W + (v - 1);
                        float* yr = yo + i * W;
                        for (int64_t j = j0; j < j1; ++j) yr[j] += kv * xr[j];
                    }
                }
        }
    }
}

int deeprft_res_fft_relu_block(const float* x, const float* Ws1, const float* Ws2, const float* Wf1,
                               const float* Wf2, float* y, int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W, Wh = W / 2 + 1, bins = H * Wh, C2 = 2 * C, L = H > W ? H : W;
    fft_plan ph, pw;
    float* t = (float*)malloc(sizeof(float) * (size_t)(C * plane));
    float* s = (float*)malloc(sizeof(float) * (size_t)(C * plane));
    float* z = (float*)malloc(sizeof(float) * (size_t)(C2 * bins));
    float* p = (float*)malloc(sizeof(float) * (size_t)(C2 * bins));
    float* q = (float*)malloc(sizeof(float) * (size_t)(C2 * bins));
    float* f = (float*)malloc(sizeof(float) * (size_t)plane);
    float* zeros = (float*)calloc((size_t)W, sizeof(float));
    float* br = (float*)malloc(sizeof(float) * (size_t)L);
    float* bi = (float*)malloc(sizeof(float) * (size_t)L);
    float* cr = (float*)malloc(sizeof(float) * (size_t)W);
    float* ci = (float*)malloc(sizeof(float) * (size_t)W);
    int err = fft_plan_init(&ph, H) | fft_plan_init(&pw, W) | !t | !s | !z | !p | !q | !f | !zeros | !br | !bi |
              !cr | !ci;
    if (!err) {
        for (int64_t n = 0; n < N; ++n) {
            const float* xn = x + n * C * plane;
            float* yn = y + n * C * plane;
            // spatial branch
            conv3x3(xn, Ws1, t, C, H, W);
            for (int64_t i = 0; i < C * plane; ++i) t[i] = t[i] > 0.0f ? t[i] : 0.0f;
            conv3x3(t, Ws2, s, C, H, W);
            // frequency branch: z = [Re X; Im X]
            for (int64_t c = 0; c < C; ++c)
                rfft2_plane(&ph, &pw, xn + c * plane, z + c * bins, z + (C + c) * bins, H, W, zeros, br, bi);
            memset(p, 0, sizeof(float) * (size_t)(C2 * bins));
            for (int64_t j = 0; j < C2; ++j)
                for (int64_t c = 0; c < C2; ++c) {
                    const float wv = Wf1[j * C2 + c];
                    for (int64_t k = 0; k < bins; ++k) p[j * bins + k] += wv * z[c * bins + k];
                }
            for (int64_t i = 0; i < C2 * bins; ++i) p[i] = p[i] > 0.0f ? p[i] : 0.0f;
            memset(q, 0, sizeof(float) * (size_t)(C2 * bins));
            for (int64_t o = 0; o < C2; ++o)
                for (int64_t j = 0; j < C2; ++j) {
                    const float wv = Wf2[o * C2 + j];
                    for (int64_t k = 0; k < bins; ++k) q[o * bins + k] += wv * p[j * bins + k];
                }
            for (int64_t c = 0; c < C; ++c) {
                irfft2_plane(&ph, &pw, q + c * bins, q + (C + c) * bins, f, H, W, br, bi, cr, ci);
                for (int64_t i = 0; i < plane; ++i)
                    yn[c * plane + i] = xn[c * plane + i] + s[c * plane + i] + f[i];
            }
        }
    }
    fft_plan_free(&ph); fft_plan_free(&pw);
    free(t); free(s); free(z); free(p); free(q); free(f); free(zeros); free(br); free(bi); free(cr); free(ci);
    return err ? 1 : 0;
}
