// Baseline for `bevanet_dlkppm_pyramid_pooling` (BEVANet DLKPPM), NCHW f32, BatchNorms folded to
// scale/shift. Branch k = 0..4 <-> scale0, scale1 (avg5), scale2 (avg9), scale4 (2x2), scale5 (1x1).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define K1 5   // attr k1
#define K2 11  // attr k2
#define DIL 3  // attr d

// out[o, p] = (bias ? bias[o] : 0) + sum_c w[o, c] * in[c, p]
static void pw(const float* in, int64_t cin, int64_t P, const float* w, int64_t cout, const float* bias, float* out) {
    for (int64_t o = 0; o < cout; ++o) {
        float* oo = out + o * P;
        const float b = bias ? bias[o] : 0.0f;
        for (int64_t p = 0; p < P; ++p) oo[p] = b;
        for (int64_t c = 0; c < cin; ++c) {
            const float wv = w[o * cin + c];
            const float* ii = in + c * P;
            for (int64_t p = 0; p < P; ++p) oo[p] += wv * ii[p];
        }
    }
}

// out[c, p] = relu?(scale[c] * in[c, p] + shift[c])
static void bn(const float* in, int64_t C, int64_t P, const float* scale, const float* shift, int relu, float* out) {
    for (int64_t c = 0; c < C; ++c)
        for (int64_t p = 0; p < P; ++p) {
            const float v = scale[c] * in[c * P + p] + shift[c];
            out[c * P + p] = (relu && v < 0.0f) ? 0.0f : v;
        }
}

static void avgpool(const float* in, int64_t C, int64_t H, int64_t W, int64_t k, int64_t s, int64_t pad,
                    float* out, int64_t Ho, int64_t Wo) {
    for (int64_t c = 0; c < C; ++c)
        for (int64_t oi = 0; oi < Ho; ++oi)
            for (int64_t oj = 0; oj < Wo; ++oj) {
                float sum = 0.0f;
                for (int64_t u = 0; u < k; ++u) {
                    const int64_t ii = oi * s + u - pad;
                    if (ii < 0 || ii >= H) continue;
                    for (int64_t v = 0; v < k; ++v) {
                        const int64_t jj = oj * s + v - pad;
                        if (jj < 0 || jj >= W) continue;
                        sum += in[(c * H + ii) * W + jj];
                    }
                }
                out[(c * Ho + oi) * Wo + oj] = sum / (float)(k * k);
            }
}

static void adaptive(const float* in, int64_t C, int64_t H, int64_t W, int64_t oh, int64_t ow, float* out) {
    for (int64_t c = 0; c < C; ++c)
        for (int64_t oi = 0; oi < oh; ++oi) {
            const int64_t r0 = oi * H / oh, r1 = ((oi + 1) * H + oh - 1) / oh;
            for (int64_t oj = 0; oj < ow; ++oj) {
                const int64_t c0 = oj * W / ow, c1 = ((oj + 1) * W + ow - 1) / ow;
                float sum = 0.0f;
                for (int64_t i = r0; i < r1; ++i)
                    for (int64_t j = c0; j < c1; ++j) sum += in[(c * H + i) * W + j];
                out[(c * oh + oi) * ow + oj] = sum / (float)((r1 - r0) * (c1 - c0));
            }
        }
}

// out += bilinear_resize(in [C, hi, wi] -> [C, H, W]), align_corners = False
static void up_add(const float* in, int64_t C, int64_t hi, int64_t wi, int64_t H, int64_t W, float* out) {
    for (int64_t c = 0; c < C; ++c)
        for (int64_t i = 0; i < H; ++i) {
            float sy = ((float)i + 0.5f) * ((float)hi / (float)H) - 0.5f;
            if (sy < 0.0f) sy = 0.0f;
            int64_t i0 = (int64_t)sy;
            if (i0 > hi - 1) i0 = hi - 1;
            const int64_t i1 = i0 + 1 < hi ? i0 + 1 : hi - 1;
            const float ly = sy - (float)i0;
            for (int64_t j = 0; j < W; ++j) {
                float sx = ((float)j + 0.5f) * ((float)wi / (float)W) - 0.5f;
                if (sx < 0.0f) sx = 0.0f;
                int64_t j0 = (int64_t)sx;
                if (j0 > wi - 1) j0 = wi - 1;
                const int64_t j1 = j0 + 1 < wi ? j0 + 1 : wi - 1;
                const float lx = sx - (float)j0;
                const float* s = in + c * hi * wi;
                const float top = s[i0 * wi + j0] * (1.0f - lx) + s[i0 * wi + j1] * lx;
                const float bot = s[i1 * wi + j0] * (1.0f - lx) + s[i1 * wi + j1] * lx;
                out[(c * H + i) * W + j] += top * (1.0f - ly) + bot * ly;
            }
        }
}

// out = conv3x3(in, w), no bias, dilation dil, zero padding dil
static void conv3(const float* in, int64_t C, int64_t H, int64_t W, const float* w, int64_t dil, float* out) {
    const int64_t P = H * W;
    for (int64_t o = 0; o < C; ++o) {
        float* oo = out + o * P;
        for (int64_t p = 0; p < P; ++p) oo[p] = 0.0f;
        for (int64_t c = 0; c < C; ++c)
            for (int64_t u = 0; u < 3; ++u)
                for (int64_t v = 0; v < 3; ++v) {
                    const float k = w[((o * C + c) * 3 + u) * 3 + v];
                    for (int64_t i = 0; i < H; ++i) {
                        const int64_t ii = i + (u - 1) * dil;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t j = 0; j < W; ++j) {
                            const int64_t jj = j + (v - 1) * dil;
                            if (jj < 0 || jj >= W) continue;
                            oo[i * W + j] += k * in[(c * H + ii) * W + jj];
                        }
                    }
                }
    }
}

static void dw1d(const float* in, float* out, int64_t C, int64_t H, int64_t W, const float* k, const float* b,
                 int64_t ks, int64_t dil, int horiz) {
    const int64_t pad = dil * (ks - 1) / 2;
    for (int64_t c = 0; c < C; ++c)
        for (int64_t i = 0; i < H; ++i)
            for (int64_t j = 0; j < W; ++j) {
                float s = b[c];
                for (int64_t t = 0; t < ks; ++t) {
                    const int64_t ii = horiz ? i : i + t * dil - pad;
                    const int64_t jj = horiz ? j + t * dil - pad : j;
                    if (ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
                    s += k[c * ks + t] * in[(c * H + ii) * W + jj];
                }
                out[(c * H + i) * W + j] = s;
            }
}

int bevanet_dlkppm_pyramid_pooling(
    const float* x, const float* bn_scale, const float* bn_shift, const float* pw_w, const float* bnl_scale,
    const float* bnl_shift, const float* sa_w1, const float* sa_b1, const float* wh1, const float* bh1,
    const float* wv1, const float* bv1, const float* wh2, const float* bh2, const float* wv2, const float* bv2,
    const float* lp_w, const float* lp_b, const float* sa_w2, const float* sa_b2, const float* ls,
    const float* proc_scale, const float* proc_shift, const float* proc_w, const float* comp_scale,
    const float* comp_shift, const float* comp_w, const float* sc_scale, const float* sc_shift,
    const float* sc_w, float* y, int64_t N, int64_t Cin, int64_t Cb, int64_t Cout, int64_t H, int64_t W) {
    const int64_t P = H * W;
    const int64_t H5 = (H - 1) / 2 + 1, W5 = (W - 1) / 2 + 1, H9 = (H - 1) / 4 + 1, W9 = (W - 1) / 4 + 1;
    float* xr = malloc(sizeof(float) * Cin * P);       // relu(bn(...)) of a (pooled) input
    float* pool = malloc(sizeof(float) * Cin * H5 * W5);
    float* small = malloc(sizeof(float) * Cb * H5 * W5);
    float* cat = malloc(sizeof(float) * 6 * Cb * P);   // s0, x1, .., x5
    float* t = malloc(sizeof(float) * Cb * P);
    float* u = malloc(sizeof(float) * Cb * P);
    float* a = malloc(sizeof(float) * Cb * P);
    float* b = malloc(sizeof(float) * Cb * P);
    float* sl = malloc(sizeof(float) * Cb * P);
    float* cr = malloc(sizeof(float) * 6 * Cb * P);
    float* sc = malloc(sizeof(float) * Cout * P);
    if (!xr || !pool || !small || !cat || !t || !u || !a || !b || !sl || !cr || !sc) return 1;
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * Cin * P;
        float* s0 = cat;
        // scale0
        bn(xn, Cin, P, bn_scale, bn_shift, 1, xr);
        pw(xr, Cin, P, pw_w, Cb, NULL, s0);
        // LSKA spatial attention branch: sl = s0 + ls * (sa_w2 . LSKA(gelu(sa_w1 . t + sa_b1)) + sa_b2 + t)
        bn(s0, Cb, P, bnl_scale, bnl_shift, 0, t);
        pw(t, Cb, P, sa_w1, Cb, sa_b1, u);
        for (int64_t i = 0; i < Cb * P; ++i) u[i] = 0.5f * u[i] * (1.0f + erff(u[i] * 0.70710678f));
        dw1d(u, a, Cb, H, W, wh1, bh1, K1, 1, 1);
        dw1d(a, b, Cb, H, W, wv1, bv1, K1, 1, 0);
        dw1d(b, a, Cb, H, W, wh2, bh2, K2, DIL, 1);
        dw1d(a, b, Cb, H, W, wv2, bv2, K2, DIL, 0);
        pw(b, Cb, P, lp_w, Cb, lp_b, a);
        for (int64_t i = 0; i < Cb * P; ++i) a[i] *= u[i];
        pw(a, Cb, P, sa_w2, Cb, sa_b2, b);
        for (int64_t c = 0; c < Cb; ++c)
            for (int64_t p = 0; p < P; ++p) sl[c * P + p] = s0[c * P + p] + ls[c] * (b[c * P + p] + t[c * P + p]);
        // pyramid: for i = 1..5, in = (pooled branch or sl) + previous, out = proc(in)
        for (int64_t i = 1; i <= 5; ++i) {
            float* prev = cat + (i - 1) * Cb * P;
            float* cur = cat + i * Cb * P;
            if (i == 3) {
                for (int64_t q = 0; q < Cb * P; ++q) a[q] = sl[q] + prev[q];
            } else {
                const int64_t k = (i < 3) ? i : i - 1;  // pw / bn branch index
                int64_t ph, pwd;
                if (i == 1) { ph = H5; pwd = W5; avgpool(xn, Cin, H, W, 5, 2, 2, pool, ph, pwd); }
                else if (i == 2) { ph = H9; pwd = W9; avgpool(xn, Cin, H, W, 9, 4, 4, pool, ph, pwd); }
                else if (i == 4) { ph = 2; pwd = 2; adaptive(xn, Cin, H, W, 2, 2, pool); }
                else { ph = 1; pwd = 1; adaptive(xn, Cin, H, W, 1, 1, pool); }
                bn(pool, Cin, ph * pwd, bn_scale + k * Cin, bn_shift + k * Cin, 1, xr);
                pw(xr, Cin, ph * pwd, pw_w + k * Cb * Cin, Cb, NULL, small);
                memcpy(a, prev, sizeof(float) * Cb * P);
                up_add(small, Cb, ph, pwd, H, W, a);
            }
            const int64_t pi = i - 1;
            bn(a, Cb, P, proc_scale + pi * Cb, proc_shift + pi * Cb, 1, b);
            conv3(b, Cb, H, W, proc_w + pi * Cb * Cb * 9, pi < 2 ? 2 : 1, cur);
        }
        // compression + shortcut
        float* yn = y + n * Cout * P;
        bn(cat, 6 * Cb, P, comp_scale, comp_shift, 1, cr);
        pw(cr, 6 * Cb, P, comp_w, Cout, NULL, yn);
        bn(xn, Cin, P, sc_scale, sc_shift, 1, xr);
        pw(xr, Cin, P, sc_w, Cout, NULL, sc);
        for (int64_t q = 0; q < Cout * P; ++q) yn[q] += sc[q];
    }
    free(xr); free(pool); free(small); free(cat); free(t); free(u); free(a); free(b); free(sl); free(cr); free(sc);
    return 0;
}
