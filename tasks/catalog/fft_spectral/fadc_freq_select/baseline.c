// Baseline for `fadc_freq_select` (FADC FreqSelect), NCHW f32. Per (b, c) plane: 2-D DFT (ortho)
// by direct 1-D DFTs in double, then for each of the 3 boxes the masked inverse DFT (real part);
// bands high_j = prev - low_j are weighted by att_j = 2*sigmoid(conv3x3(x, wb[j]) + bb[j]).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const double KF[3] = {2.0, 4.0, 8.0};  // attrs k1, k2, k3

// in-place 1-D DFT of n complex values at stride `step`, scaled 1/sqrt(n); sign -1 forward, +1 inverse
static void dft1(double* re, double* im, int64_t step, int64_t n, double sign, double* tr, double* ti,
                 const double* cs, const double* sn) {
    const double scale = 1.0 / sqrt((double)n);
    for (int64_t k = 0; k < n; ++k) {
        double a = 0.0, b = 0.0;
        for (int64_t t = 0; t < n; ++t) {
            const int64_t m = (k * t) % n;
            const double c = cs[m], s = sign * sn[m];
            const double xr = re[t * step], xi = im[t * step];
            a += xr * c - xi * s;
            b += xr * s + xi * c;
        }
        tr[k] = a * scale;
        ti[k] = b * scale;
    }
    for (int64_t k = 0; k < n; ++k) {
        re[k * step] = tr[k];
        im[k * step] = ti[k];
    }
}

static void dft2(double* re, double* im, int64_t H, int64_t W, double sign, double* tr, double* ti,
                 const double* csh, const double* snh, const double* csw, const double* snw) {
    for (int64_t r = 0; r < H; ++r) dft1(re + r * W, im + r * W, 1, W, sign, tr, ti, csw, snw);
    for (int64_t c = 0; c < W; ++c) dft1(re + c, im + c, W, H, sign, tr, ti, csh, snh);
}

static void keep_mask(int64_t n, double f, uint8_t* keep) {
    const double lo = nearbyint(n / 2.0 - n / (2.0 * f)), hi = nearbyint(n / 2.0 + n / (2.0 * f));
    for (int64_t u = 0; u < n; ++u) {
        const double s = (double)((u + n / 2) % n);
        keep[u] = s >= lo && s < hi;
    }
}

int fadc_freq_select(const float* x, const float* wb, const float* bb, float* y,
                     int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W, nmax = H > W ? H : W;
    double* att = malloc(sizeof(double) * 3 * plane);
    double* sr = malloc(sizeof(double) * plane);
    double* si = malloc(sizeof(double) * plane);
    double* lr = malloc(sizeof(double) * plane);
    double* li = malloc(sizeof(double) * plane);
    double* prev = malloc(sizeof(double) * plane);
    double* out = malloc(sizeof(double) * plane);
    double* tr = malloc(sizeof(double) * nmax);
    double* ti = malloc(sizeof(double) * nmax);
    double* csh = malloc(sizeof(double) * H); double* snh = malloc(sizeof(double) * H);
    double* csw = malloc(sizeof(double) * W); double* snw = malloc(sizeof(double) * W);
    uint8_t* kh = malloc(3 * H);
    uint8_t* kw = malloc(3 * W);
    for (int64_t m = 0; m < H; ++m) { csh[m] = cos(2 * M_PI * m / H); snh[m] = sin(2 * M_PI * m / H); }
    for (int64_t m = 0; m < W; ++m) { csw[m] = cos(2 * M_PI * m / W); snw[m] = sin(2 * M_PI * m / W); }
    for (int j = 0; j < 3; ++j) { keep_mask(H, KF[j], kh + j * H); keep_mask(W, KF[j], kw + j * W); }

    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        for (int j = 0; j < 3; ++j) {
            for (int64_t i = 0; i < H; ++i)
                for (int64_t w = 0; w < W; ++w) {
                    double s = bb[j];
                    for (int64_t c = 0; c < C; ++c)
                        for (int u = 0; u < 3; ++u) {
                            const int64_t ii = i + u - 1;
                            if (ii < 0 || ii >= H) continue;
                            for (int v = 0; v < 3; ++v) {
                                const int64_t ww = w + v - 1;
                                if (ww < 0 || ww >= W) continue;
                                s += (double)wb[((j * C + c) * 3 + u) * 3 + v] * xb[c * plane + ii * W + ww];
                            }
                        }
                    att[j * plane + i * W + w] = 2.0 / (1.0 + exp(-s));
                }
        }
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = xb + c * plane;
            for (int64_t p = 0; p < plane; ++p) { sr[p] = xc[p]; si[p] = 0.0; prev[p] = xc[p]; out[p] = 0.0; }
            dft2(sr, si, H, W, -1.0, tr, ti, csh, snh, csw, snw);
            for (int j = 0; j < 3; ++j) {
                for (int64_t u = 0; u < H; ++u)
                    for (int64_t v = 0; v < W; ++v) {
                        const int k = kh[j * H + u] && kw[j * W + v];
                        lr[u * W + v] = k ? sr[u * W + v] : 0.0;
                        li[u * W + v] = k ? si[u * W + v] : 0.0;
                    }
                dft2(lr, li, H, W, 1.0, tr, ti, csh, snh, csw, snw);
                for (int64_t p = 0; p < plane; ++p) {
                    out[p] += att[j * plane + p] * (prev[p] - lr[p]);
                    prev[p] = lr[p];
                }
            }
            float* yc = y + (b * C + c) * plane;
            for (int64_t p = 0; p < plane; ++p) yc[p] = (float)(out[p] + prev[p]);
        }
    }
    free(att); free(sr); free(si); free(lr); free(li); free(prev); free(out); free(tr); free(ti);
    free(csh); free(snh); free(csw); free(snw); free(kh); free(kw);
    return 0;
}
