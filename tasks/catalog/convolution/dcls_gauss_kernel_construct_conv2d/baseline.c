// Baseline for `dcls_gauss_kernel_construct_conv2d` (DCLS "gauss", depthwise), NCHW f32.
// 1. Construct Kd[o] (K x K) = sum_m Wt[o,m] * G_m, G_m a Gaussian centred at column P[0]+K/2,
//    row P[1]+K/2 with spreads |SIG[0]|+0.27 (columns) and |SIG[1]|+0.27 (rows), normalised by
//    (sum over the grid + 1e-7).
// 2. y = depthwise conv(x, Kd) + bias, stride 1, zero padding PAD.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define KK 17   // attr dilated_kernel_size
#define KC 26   // attr kernel_count
#define PAD 8   // attr padding

int dcls_gauss_kernel_construct_conv2d(const float* x, const float* Wt, const float* P,
                                       const float* SIG, const float* bias, float* y,
                                       int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ho = H + 2 * PAD - KK + 1, Wo = W + 2 * PAD - KK + 1;
    float* kd = (float*)malloc(sizeof(float) * (size_t)(C * KK * KK));
    if (!kd) return 1;
    for (int64_t o = 0; o < C; ++o) {
        float* ko = kd + o * KK * KK;
        for (int64_t i = 0; i < KK * KK; ++i) ko[i] = 0.0f;
        for (int64_t m = 0; m < KC; ++m) {
            const float c0 = P[o * KC + m] + (float)(KK / 2);
            const float c1 = P[(C + o) * KC + m] + (float)(KK / 2);
            const float s0 = fabsf(SIG[o * KC + m]) + 0.27f;
            const float s1 = fabsf(SIG[(C + o) * KC + m]) + 0.27f;
            float g[KK * KK];
            float sum = 0.0f;
            for (int a = 0; a < KK; ++a) {
                for (int bb = 0; bb < KK; ++bb) {
                    const float dc = ((float)bb - c0) / s0, dr = ((float)a - c1) / s1;
                    g[a * KK + bb] = expf(-0.5f * (dc * dc + dr * dr));
                    sum += g[a * KK + bb];
                }
            }
            const float wscale = Wt[o * KC + m] / (sum + 1e-7f);
            for (int i = 0; i < KK * KK; ++i) ko[i] += wscale * g[i];
        }
    }
    for (int64_t n = 0; n < N; ++n) {
        for (int64_t o = 0; o < C; ++o) {
            const float* xc = x + (n * C + o) * H * W;
            const float* ko = kd + o * KK * KK;
            float* yc = y + (n * C + o) * Ho * Wo;
            for (int64_t i = 0; i < Ho; ++i) {
                for (int64_t j = 0; j < Wo; ++j) {
                    float acc = bias[o];
                    for (int64_t a = 0; a < KK; ++a) {
                        const int64_t ii = i + a - PAD;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t bb = 0; bb < KK; ++bb) {
                            const int64_t jj = j + bb - PAD;
                            if (jj < 0 || jj >= W) continue;
                            acc += ko[a * KK + bb] * xc[ii * W + jj];
                        }
                    }
                    yc[i * Wo + j] = acc;
                }
            }
        }
    }
    free(kd);
    return 0;
}
