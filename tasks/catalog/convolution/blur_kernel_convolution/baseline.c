// Baseline for `blur_kernel_convolution` (circular blur), f32:
//   y[b,c,i,j] = sum_{u,v} k[b,u,v] * x[b,c,(i-u+KH/2) mod H,(j-v+KW/2) mod W]
// Column indices are wrapped once per (u, v) into a table so the inner loop is a gather.
#include <stdint.h>
#include <stdlib.h>

int blur_kernel_convolution(const float* x, const float* k, float* y,
                            int64_t B, int64_t C, int64_t H, int64_t W, int64_t KH, int64_t KW) {
    const int64_t ch = KH / 2, cw = KW / 2;
    int64_t* col = malloc((size_t)(KW * W) * sizeof(int64_t));
    if (col == NULL) return 1;
    for (int64_t v = 0; v < KW; ++v)
        for (int64_t j = 0; j < W; ++j) col[v * W + j] = (((j - v + cw) % W) + W) % W;
    for (int64_t b = 0; b < B; ++b) {
        const float* kb = k + b * KH * KW;
        for (int64_t c = 0; c < C; ++c) {
            const float* xc = x + (b * C + c) * H * W;
            float* yc = y + (b * C + c) * H * W;
            for (int64_t i = 0; i < H * W; ++i) yc[i] = 0.0f;
            for (int64_t i = 0; i < H; ++i) {
                float* yr = yc + i * W;
                for (int64_t u = 0; u < KH; ++u) {
                    const float* xr = xc + ((((i - u + ch) % H) + H) % H) * W;
                    for (int64_t v = 0; v < KW; ++v) {
                        const float kv = kb[u * KW + v];
                        const int64_t* cv = col + v * W;
                        for (int64_t j = 0; j < W; ++j) yr[j] += kv * xr[cv[j]];
                    }
                }
            }
        }
    }
    free(col);
    return 0;
}
