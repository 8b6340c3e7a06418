// Baseline for `std_l2_normalize`, NCHW f32, L2 norm per pixel over the C channels:
//   norm[b,h,w] = sqrt(sum_c x[b,c,h,w]^2)                     (accumulated in double)
//   y[b,c,h,w]  = x[b,c,h,w] / max(norm[b,h,w], EPS)
// Channels are the outer loop and pixels the inner one, so both passes walk memory
// contiguously; per-pixel sums of squares live in a double scratch buffer.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define EPS 1e-12    // attr eps (clamps the norm, as F.normalize)

int std_l2_normalize(const float* x, float* y, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    double* acc = (double*)malloc(sizeof(double) * (size_t)plane);
    if (!acc) return 1;
    for (int64_t b = 0; b < B; ++b) {
        const float* xb = x + b * C * plane;
        float* yb = y + b * C * plane;
        for (int64_t p = 0; p < plane; ++p) acc[p] = 0.0;
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < plane; ++p) {
                const double v = xb[c * plane + p];
                acc[p] += v * v;
            }
        for (int64_t p = 0; p < plane; ++p) acc[p] = 1.0 / fmax(sqrt(acc[p]), EPS);  // 1 / norm
        for (int64_t c = 0; c < C; ++c)
            for (int64_t p = 0; p < plane; ++p) yb[c * plane + p] = (float)(xb[c * plane + p] * acc[p]);
    }
    free(acc);
    return 0;
}
