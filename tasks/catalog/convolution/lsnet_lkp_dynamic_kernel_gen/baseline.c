// Baseline for `lsnet_lkp_dynamic_kernel_gen` (LSNet LKP), NCHW f32, Ch = C/2, G = C/GROUPS:
//   relu(1x1) -> depthwise 7x7 (pad 3) -> relu(1x1) -> 1x1 to G*9 -> GroupNorm(G, eps 1e-5)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define GROUPS 8      // attr groups
#define LKS 7         // attr lks
#define KK 9          // sks * sks
#define GN_EPS 1e-5f  // attr eps

// out[o, p] = bias[o] + sum_c w[o, c] * in[c, p]   (one image, P pixels)
static void pw(const float* in, const float* w, const float* bias, float* out,
               int64_t cin, int64_t cout, int64_t P, int relu) {
    for (int64_t o = 0; o < cout; ++o) {
        float* oo = out + o * P;
        for (int64_t p = 0; p < P; ++p) oo[p] = bias[o];
        for (int64_t c = 0; c < cin; ++c) {
            const float wv = w[o * cin + c];
            const float* ii = in + c * P;
            for (int64_t p = 0; p < P; ++p) oo[p] += wv * ii[p];
        }
        if (relu)
            for (int64_t p = 0; p < P; ++p) oo[p] = oo[p] > 0.0f ? oo[p] : 0.0f;
    }
}

int lsnet_lkp_dynamic_kernel_gen(const float* x, const float* w1, const float* b1, const float* w2,
                                 const float* b2, const float* w3, const float* b3, const float* w4,
                                 const float* b4, const float* gn_w, const float* gn_b, float* Wdyn,
                                 int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ch = C / 2, G = C / GROUPS, P = H * W, R = LKS / 2;
    float* a1 = malloc(sizeof(float) * Ch * P);
    float* a2 = malloc(sizeof(float) * Ch * P);
    float* a3 = malloc(sizeof(float) * Ch * P);
    if (!a1 || !a2 || !a3) { free(a1); free(a2); free(a3); return 1; }
    for (int64_t n = 0; n < N; ++n) {
        pw(x + n * C * P, w1, b1, a1, C, Ch, P, 1);
        for (int64_t o = 0; o < Ch; ++o) {
            const float* src = a1 + o * P;
            const float* k = w2 + o * LKS * LKS;
            for (int64_t i = 0; i < H; ++i)
                for (int64_t j = 0; j < W; ++j) {
                    float s = b2[o];
                    for (int64_t u = 0; u < LKS; ++u) {
                        const int64_t ii = i + u - R;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t v = 0; v < LKS; ++v) {
                            const int64_t jj = j + v - R;
                            if (jj < 0 || jj >= W) continue;
                            s += k[u * LKS + v] * src[ii * W + jj];
                        }
                    }
                    a2[o * P + i * W + j] = s;
                }
        }
        pw(a2, w3, b3, a3, Ch, Ch, P, 1);
        float* z = Wdyn + n * G * KK * P;
        pw(a3, w4, b4, z, Ch, G * KK, P, 0);
        for (int64_t g = 0; g < G; ++g) {
            float* zg = z + g * KK * P;
            double mean = 0.0, var = 0.0;
            for (int64_t q = 0; q < KK * P; ++q) mean += zg[q];
            mean /= (double)(KK * P);
            for (int64_t q = 0; q < KK * P; ++q) var += (zg[q] - mean) * (zg[q] - mean);
            var /= (double)(KK * P);
            const float inv = (float)(1.0 / sqrt(var + GN_EPS));
            for (int64_t t = 0; t < KK; ++t) {
                const float ga = gn_w[g * KK + t], be = gn_b[g * KK + t];
                for (int64_t p = 0; p < P; ++p) zg[t * P + p] = (zg[t * P + p] - (float)mean) * inv * ga + be;
            }
        }
    }
    free(a1); free(a2); free(a3);
    return 0;
}
