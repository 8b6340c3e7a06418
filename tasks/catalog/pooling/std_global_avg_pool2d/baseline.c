// Baseline for `std_global_avg_pool2d`, NCHW f32 -> [B, C]:
//   g[b,c] = (1/(H*W)) sum_{h,w} x[b,c,h,w]      (accumulated in double)
#include <stdint.h>

int std_global_avg_pool2d(const float* x, float* g, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    for (int64_t p = 0; p < B * C; ++p) {
        const float* xp = x + p * plane;
        double s = 0.0;
        for (int64_t q = 0; q < plane; ++q) s += xp[q];
        g[p] = (float)(s / (double)plane);
    }
    return 0;
}
