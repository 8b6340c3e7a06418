// Baseline for `spartan_smixer` (SpaRTAN SMixer, dense variant dw = 0 -> groups 1), NCHW f32.
// Straightforward op-by-op evaluation with float intermediates (eager-PyTorch analogue).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define DW 0  // attr dw: 0 = dense 3x3 convs (groups 1), 1 = depthwise (groups Ci)

static float gelu(float t) { return 0.5f * t * (1.0f + erff(t * 0.70710678118654752f)); }

// 3x3 conv of one image z[Ci, H, W] -> o[Ci, H, W], zero pad `d`, dilation `d`, groups g
static void conv3(const float* z, const float* w, float* o, int64_t ci, int64_t cg,
                  int64_t H, int64_t W, int64_t d) {
    const int64_t hw = H * W;
    memset(o, 0, (size_t)(ci * hw) * sizeof(float));
    for (int64_t c = 0; c < ci; ++c) {
        const int64_t base = (c / cg) * cg;
        float* oc = o + c * hw;
        for (int64_t q = 0; q < cg; ++q) {
            const float* zc = z + (base + q) * hw;
            for (int64_t u = 0; u < 3; ++u) {
                for (int64_t v = 0; v < 3; ++v) {
                    const float k = w[((c * cg + q) * 3 + u) * 3 + v];
                    const int64_t du = d * u - d, dv = d * v - d;
                    for (int64_t i = 0; i < H; ++i) {
                        const int64_t ii = i + du;
                        if (ii < 0 || ii >= H) continue;
                        int64_t j0 = dv < 0 ? -dv : 0, j1 = dv > 0 ? W - dv : W;
                        for (int64_t j = j0; j < j1; ++j) oc[i * W + j] += k * zc[ii * W + j + dv];
                    }
                }
            }
        }
    }
}

static void se(float* z, const float* wsq, const float* bsq, const float* wex, const float* bex,
               int64_t ci, int64_t cr, int64_t hw, float* p, float* r) {
    for (int64_t c = 0; c < ci; ++c) {
        double s = 0.0;
        for (int64_t i = 0; i < hw; ++i) s += z[c * hw + i];
        p[c] = (float)(s / (double)hw);
    }
    for (int64_t j = 0; j < cr; ++j) {
        float s = bsq[j];
        for (int64_t c = 0; c < ci; ++c) s += wsq[j * ci + c] * p[c];
        r[j] = s > 0.0f ? s : 0.0f;
    }
    for (int64_t c = 0; c < ci; ++c) {
        float s = bex[c];
        for (int64_t j = 0; j < cr; ++j) s += wex[c * cr + j] * r[j];
        const float a = 1.0f / (1.0f + expf(-s));
        for (int64_t i = 0; i < hw; ++i) z[c * hw + i] *= a;
    }
}

int spartan_smixer(const float* x, const float* w_in, const float* b_in, const float* gamma,
                   const float* w_h, const float* s_h, const float* t_h, const float* w_l1,
                   const float* w_l2, const float* s_l, const float* t_l, const float* wsq_h,
                   const float* bsq_h, const float* wex_h, const float* bex_h, const float* wsq_l,
                   const float* bsq_l, const float* wex_l, const float* bex_l, const float* w_out,
                   const float* b_out, float* out, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t ci = C / 2, cr = ci / 4, g = DW ? ci : 1, cg = ci / g, hw = H * W;
    float* y = malloc(sizeof(float) * (size_t)(ci * hw));
    float* hb = malloc(sizeof(float) * (size_t)(ci * hw));
    float* l1 = malloc(sizeof(float) * (size_t)(ci * hw));
    float* lb = malloc(sizeof(float) * (size_t)(ci * hw));
    float* p = malloc(sizeof(float) * (size_t)ci);
    float* r = malloc(sizeof(float) * (size_t)(cr > 0 ? cr : 1));
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * hw;
        for (int64_t c = 0; c < ci; ++c) {
            float* yc = y + c * hw;
            for (int64_t i = 0; i < hw; ++i) yc[i] = b_in[c];
            for (int64_t k = 0; k < C; ++k) {
                const float wk = w_in[c * C + k];
                const float* xk = xb + k * hw;
                for (int64_t i = 0; i < hw; ++i) yc[i] += wk * xk[i];
            }
            double s = 0.0;
            for (int64_t i = 0; i < hw; ++i) s += yc[i];
            const float m = (float)(s / (double)hw);
            for (int64_t i = 0; i < hw; ++i) yc[i] += gamma[c] * (yc[i] - m);
        }
        conv3(y, w_h, hb, ci, cg, H, W, 1);
        conv3(y, w_l1, l1, ci, cg, H, W, 2);
        conv3(l1, w_l2, lb, ci, cg, H, W, 2);
        for (int64_t c = 0; c < ci; ++c) {
            for (int64_t i = 0; i < hw; ++i) {
                hb[c * hw + i] = gelu(s_h[c] * hb[c * hw + i] + t_h[c]);
                lb[c * hw + i] = gelu(s_l[c] * lb[c * hw + i] + t_l[c]);
            }
        }
        se(hb, wsq_h, bsq_h, wex_h, bex_h, ci, cr, hw, p, r);
        se(lb, wsq_l, bsq_l, wex_l, bex_l, ci, cr, hw, p, r);
        for (int64_t o = 0; o < C; ++o) {
            float* oo = out + (b * C + o) * hw;
            for (int64_t i = 0; i < hw; ++i) oo[i] = b_out[o];
            for (int64_t c = 0; c < ci; ++c) {
                const float wa = w_out[o * C + c], wb = w_out[o * C + ci + c];
                const float* hc = hb + c * hw;
                const float* lc = lb + c * hw;
                for (int64_t i = 0; i < hw; ++i) oo[i] += wa * hc[i] + wb * lc[i];
            }
        }
    }
    free(y); free(hb); free(l1); free(lb); free(p); free(r);
    return 0;
}
