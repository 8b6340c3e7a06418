// Baseline for `cosine_kernel_segmentation_logits`, f32 NCHW:
//   logit[b,k,h,w] = TAU * <f, g_k> / (max(|f|, 1e-8) * max(|g_k|, 1e-8)),  f = feat[b,:,h,w]
// Dot products and norms are accumulated in double (row-streaming over the channel planes).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define TAU 10.0  // attr tau

int cosine_kernel_segmentation_logits(const float* feat, const float* kernels, float* logit,
                                      int64_t B, int64_t C, int64_t K, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    double* gn = malloc((size_t)K * sizeof(double));
    double* fn = malloc((size_t)plane * sizeof(double));
    double* acc = malloc((size_t)(K * plane) * sizeof(double));
    if (!gn || !fn || !acc) { free(gn); free(fn); free(acc); return 1; }
    for (int64_t k = 0; k < K; ++k) {
        double s = 0.0;
        for (int64_t c = 0; c < C; ++c) s += (double)kernels[k * C + c] * kernels[k * C + c];
        s = sqrt(s);
        gn[k] = s > 1e-8 ? s : 1e-8;
    }
    for (int64_t b = 0; b < B; ++b) {
        const float* fb = feat + b * C * plane;
        for (int64_t q = 0; q < plane; ++q) fn[q] = 0.0;
        for (int64_t i = 0; i < K * plane; ++i) acc[i] = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const float* fc = fb + c * plane;
            for (int64_t q = 0; q < plane; ++q) fn[q] += (double)fc[q] * fc[q];
            for (int64_t k = 0; k < K; ++k) {
                const double g = kernels[k * C + c];
                double* ak = acc + k * plane;
                for (int64_t q = 0; q < plane; ++q) ak[q] += g * fc[q];
            }
        }
        for (int64_t q = 0; q < plane; ++q) {
            const double s = sqrt(fn[q]);
            fn[q] = s > 1e-8 ? s : 1e-8;
        }
        for (int64_t k = 0; k < K; ++k) {
            float* out = logit + (b * K + k) * plane;
            const double* ak = acc + k * plane;
            for (int64_t q = 0; q < plane; ++q) out[q] = (float)(TAU * ak[q] / (fn[q] * gn[k]));
        }
    }
    free(gn); free(fn); free(acc);
    return 0;
}
