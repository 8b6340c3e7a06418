// Baseline for `std_grid_sample_bilinear`: F.grid_sample(mode='bilinear', padding_mode='zeros',
// align_corners=False). Each output point unnormalises its grid coordinate and blends the four
// neighbours; neighbours outside the input contribute 0.
#include <math.h>
#include <stdint.h>

#define ALIGN_CORNERS 0  // attr align_corners
#define BORDER 0         // attr border

int std_grid_sample_bilinear(const float* x, const float* grid, float* y,
                             int64_t N, int64_t C, int64_t Hin, int64_t Win, int64_t Ho, int64_t Wo) {
    for (int64_t n = 0; n < N; ++n)
        for (int64_t i = 0; i < Ho; ++i)
            for (int64_t j = 0; j < Wo; ++j) {
                const float gx = grid[((n * Ho + i) * Wo + j) * 2], gy = grid[((n * Ho + i) * Wo + j) * 2 + 1];
                float ix, iy;
                if (ALIGN_CORNERS) {
                    ix = (gx + 1.0f) * 0.5f * (float)(Win - 1);
                    iy = (gy + 1.0f) * 0.5f * (float)(Hin - 1);
                } else {
                    ix = ((gx + 1.0f) * (float)Win - 1.0f) * 0.5f;
                    iy = ((gy + 1.0f) * (float)Hin - 1.0f) * 0.5f;
                }
                if (BORDER) {
                    ix = fminf(fmaxf(ix, 0.0f), (float)(Win - 1));
                    iy = fminf(fmaxf(iy, 0.0f), (float)(Hin - 1));
                }
                const float fx = floorf(ix), fy = floorf(iy), wx = ix - fx, wy = iy - fy;
                const int64_t x0 = (int64_t)fx, y0 = (int64_t)fy;
                const int vx0 = x0 >= 0 && x0 < Win, vx1 = x0 + 1 >= 0 && x0 + 1 < Win;
                const int vy0 = y0 >= 0 && y0 < Hin, vy1 = y0 + 1 >= 0 && y0 + 1 < Hin;
                for (int64_t c = 0; c < C; ++c) {
                    const float* p = x + (n * C + c) * Hin * Win;
                    float acc = 0.0f;
                    if (vy0 && vx0) acc += (1 - wx) * (1 - wy) * p[y0 * Win + x0];
                    if (vy0 && vx1) acc += wx * (1 - wy) * p[y0 * Win + x0 + 1];
                    if (vy1 && vx0) acc += (1 - wx) * wy * p[(y0 + 1) * Win + x0];
                    if (vy1 && vx1) acc += wx * wy * p[(y0 + 1) * Win + x0 + 1];
                    y[((n * C + c) * Ho + i) * Wo + j] = acc;
                }
            }
    return 0;
}
