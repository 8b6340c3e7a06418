// Baseline for `bevanet_sdlska_kernel_selection` (BEVANet SDLSKA + CKS, K = 23 -> s = 5, k2 = 7, d = 3),
// NCHW f32, Ch = max(C/16, 32), BatchNorms folded to scale/shift.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define S 5    // attr s
#define K2 7   // attr k2
#define DIL 3  // attr d

static float sigm(float t) { return 1.0f / (1.0f + expf(-t)); }
static float relu(float t) { return t > 0.0f ? t : 0.0f; }

// General depthwise conv of one plane: kh x kw kernel, dilations (dh, dw), zero padding (ph, pw).
static void dw(const float* in, float* out, const float* k, float bias, int64_t kh, int64_t kw,
               int64_t dh, int64_t dwl, int64_t ph, int64_t pw, int64_t H, int64_t W) {
    for (int64_t i = 0; i < H; ++i)
        for (int64_t j = 0; j < W; ++j) {
            float s = bias;
            for (int64_t u = 0; u < kh; ++u) {
                const int64_t ii = i + u * dh - ph;
                if (ii < 0 || ii >= H) continue;
                for (int64_t v = 0; v < kw; ++v) {
                    const int64_t jj = j + v * dwl - pw;
                    if (jj < 0 || jj >= W) continue;
                    s += k[u * kw + v] * in[ii * W + jj];
                }
            }
            out[i * W + j] = s;
        }
}

int bevanet_sdlska_kernel_selection(
    const float* x, const float* ws, const float* bs, const float* wh, const float* bh, const float* wv,
    const float* bv, const float* Wr, const float* br, const float* dr, const float* drb,
    const float* bnr_scale, const float* bnr_shift, const float* We, const float* be, const float* de,
    const float* deb, const float* bne_scale, const float* bne_shift, const float* Wsq, const float* bsq,
    const float* wp, const float* bp, float* y, int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ch = (C / 16 > 32) ? C / 16 : 32;
    const int64_t P = H * W;
    const int64_t pad2 = DIL * (K2 - 1) / 2;
    float* As = malloc(sizeof(float) * C * P);
    float* Ah = malloc(sizeof(float) * C * P);
    float* Av = malloc(sizeof(float) * C * P);
    float* m = malloc(sizeof(float) * 2 * P);
    float* q = malloc(sizeof(float) * 3 * P);
    float* g = malloc(sizeof(float) * C);
    float* z = malloc(sizeof(float) * Ch);
    float* ce = malloc(sizeof(float) * 3 * C);
    if (!As || !Ah || !Av || !m || !q || !g || !z || !ce) return 1;
    for (int64_t n = 0; n < N; ++n) {
        const float* xn = x + n * C * P;
        for (int64_t c = 0; c < C; ++c) {
            dw(xn + c * P, As + c * P, ws + c * S * S, bs[c], S, S, 1, 1, S / 2, S / 2, H, W);
            dw(As + c * P, Ah + c * P, wh + c * K2, bh[c], 1, K2, 1, DIL, 0, pad2, H, W);
            dw(As + c * P, Av + c * P, wv + c * K2, bv[c], K2, 1, DIL, 1, pad2, 0, H, W);
        }
        // channel selection
        for (int64_t c = 0; c < C; ++c) {
            double s = 0.0;
            for (int64_t p = 0; p < P; ++p) s += As[c * P + p] + Ah[c * P + p] + Av[c * P + p];
            g[c] = (float)(s / (double)P);
        }
        for (int64_t k = 0; k < Ch; ++k) {
            float u = br[k];
            for (int64_t c = 0; c < C; ++c) u += Wr[k * C + c] * g[c];
            z[k] = relu(bnr_scale[k] * (dr[k * 9 + 4] * u + drb[k]) + bnr_shift[k]);
        }
        for (int64_t e = 0; e < 3; ++e)
            for (int64_t c = 0; c < C; ++c) {
                float v = be[e * C + c];
                for (int64_t k = 0; k < Ch; ++k) v += We[(e * C + c) * Ch + k] * z[k];
                const int64_t ec = e * C + c;
                ce[ec] = sigm(relu(bne_scale[ec] * (de[ec * 9 + 4] * v + deb[ec]) + bne_shift[ec]));
            }
        // spatial selection
        for (int64_t p = 0; p < P; ++p) {
            float sum = 0.0f, mx = -INFINITY;
            for (int64_t c = 0; c < C; ++c) {
                const float sv = As[c * P + p] + Ah[c * P + p] + Av[c * P + p];
                sum += sv;
                mx = sv > mx ? sv : mx;
            }
            m[p] = sum / (float)C;
            m[P + p] = mx;
        }
        for (int64_t e = 0; e < 3; ++e)
            for (int64_t i = 0; i < H; ++i)
                for (int64_t j = 0; j < W; ++j) {
                    float s = bsq[e];
                    for (int64_t t = 0; t < 2; ++t)
                        for (int64_t u = 0; u < 7; ++u) {
                            const int64_t ii = i + u - 3;
                            if (ii < 0 || ii >= H) continue;
                            for (int64_t v = 0; v < 7; ++v) {
                                const int64_t jj = j + v - 3;
                                if (jj < 0 || jj >= W) continue;
                                s += Wsq[((e * 2 + t) * 7 + u) * 7 + v] * m[t * P + ii * W + jj];
                            }
                        }
                    q[e * P + i * W + j] = sigm(s);
                }
        // fuse the branches into As (attn)
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < P; ++p)
                As[c * P + p] = As[c * P + p] * ce[c] * q[p] + Ah[c * P + p] * ce[C + c] * q[P + p] +
                                Av[c * P + p] * ce[2 * C + c] * q[2 * P + p];
        for (int64_t o = 0; o < C; ++o) {
            float* yo = y + (n * C + o) * P;
            for (int64_t p = 0; p < P; ++p) yo[p] = bp[o];
            for (int64_t c = 0; c < C; ++c) {
                const float wv2 = wp[o * C + c];
                for (int64_t p = 0; p < P; ++p) yo[p] += wv2 * As[c * P + p];
            }
            for (int64_t p = 0; p < P; ++p) yo[p] *= xn[o * P + p];
        }
    }
    free(As); free(Ah); free(Av); free(m); free(q); free(g); free(z); free(ce);
    return 0;
}
