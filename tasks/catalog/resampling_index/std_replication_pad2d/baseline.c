// Baseline for `std_replication_pad2d`, NCHW f32, edge padding by P on every side:
//   y[b,c,i,j] = x[b,c, clamp(i-P, 0, H-1), clamp(j-P, 0, W-1)],  Ho = H+2P, Wo = W+2P
// One output row at a time: left border, copied interior, right border.
#include <stdint.h>
#include <string.h>

#define P 3   // attr p

int std_replication_pad2d(const float* x, float* y, int64_t B, int64_t C, int64_t H, int64_t W) {
    const int64_t Ho = H + 2 * P, Wo = W + 2 * P;
    for (int64_t bc = 0; bc < B * C; ++bc) {
        const float* xp = x + bc * H * W;
        float* yp = y + bc * Ho * Wo;
        for (int64_t i = 0; i < Ho; ++i) {
            int64_t si = i - P;
            si = si < 0 ? 0 : (si > H - 1 ? H - 1 : si);
            const float* xr = xp + si * W;
            float* yr = yp + i * Wo;
            for (int64_t j = 0; j < P; ++j) yr[j] = xr[0];
            memcpy(yr + P, xr, sizeof(float) * (size_t)W);
            for (int64_t j = P + W; j < Wo; ++j) yr[j] = xr[W - 1];
        }
    }
    return 0;
}
