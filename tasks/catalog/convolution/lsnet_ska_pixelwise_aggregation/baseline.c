// Baseline for `lsnet_ska_pixelwise_aggregation` (LSNet SKA), NCHW f32, G = C / GROUPS:
//   y[n,c,i,j] = sum_{kh,kw<3} x[n,c,i+kh-1,j+kw-1] * Wdyn[n, c % G, kh*3+kw, i, j]   (zero pad 1)
#include <stdint.h>

#define GROUPS 8  // attr groups (G = C / groups)

int lsnet_ska_pixelwise_aggregation(const float* x, const float* Wdyn, float* y,
                                    int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t G = C / GROUPS;
    const int64_t plane = H * W;
    for (int64_t n = 0; n < N; ++n) {
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (n * C + c) * plane;
            const float* wk = Wdyn + (n * G + c % G) * 9 * plane;
            float* yc = y + (n * C + c) * plane;
            for (int64_t i = 0; i < H; ++i) {
                for (int64_t j = 0; j < W; ++j) {
                    float s = 0.0f;
                    for (int64_t kh = 0; kh < 3; ++kh) {
                        const int64_t ii = i + kh - 1;
                        if (ii < 0 || ii >= H) continue;
                        for (int64_t kw = 0; kw < 3; ++kw) {
                            const int64_t jj = j + kw - 1;
                            if (jj < 0 || jj >= W) continue;
                            s += xc[ii * W + jj] * wk[(kh * 3 + kw) * plane + i * W + j];
                        }
                    }
                    yc[i * W + j] = s;
                }
            }
        }
    }
    return 0;
}
