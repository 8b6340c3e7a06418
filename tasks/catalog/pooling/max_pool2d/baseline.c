// Baseline for `max_pool2d`: PyTorch nn.MaxPool2d(KERNEL, STRIDE, PAD) forward, dilation 1,
// floor mode, NCHW f32:
//   Ho = (H + 2*PAD - KERNEL) / STRIDE + 1   (same for Wo)
//   y[n,c,i,j] = max over u, v < KERNEL of x[n, c, i*STRIDE - PAD + u, j*STRIDE - PAD + v]
// Padded positions count as -infinity, i.e. they never win: the max is taken over the in-image
// part of the window only (never empty because PAD <= KERNEL/2).
#include <math.h>
#include <stdint.h>

#define KERNEL 3
#define STRIDE 2
#define PAD 1

int max_pool2d(const float* x, float* y, int64_t N, int64_t C, int64_t H, int64_t W) {
    const int64_t Ho = (H + 2 * PAD - KERNEL) / STRIDE + 1;
    const int64_t Wo = (W + 2 * PAD - KERNEL) / STRIDE + 1;

    for (int64_t nc = 0; nc < N * C; ++nc) {
        const float* xp = x + nc * H * W;
        float* yp = y + nc * Ho * Wo;
        for (int64_t i = 0; i < Ho; ++i) {
            const int64_t h0 = i * STRIDE - PAD;
            const int64_t hs = h0 < 0 ? 0 : h0;
            const int64_t he = h0 + KERNEL < H ? h0 + KERNEL : H;
            for (int64_t j = 0; j < Wo; ++j) {
                const int64_t w0 = j * STRIDE - PAD;
                const int64_t ws = w0 < 0 ? 0 : w0;
                const int64_t we = w0 + KERNEL < W ? w0 + KERNEL : W;
                float m = -INFINITY;
                for (int64_t h = hs; h < he; ++h) {
                    for (int64_t w = ws; w < we; ++w) {
                        const float v = xp[h * W + w];
                        if (v > m) m = v;
                    }
                }
                yp[i * Wo + j] = m;
            }
        }
    }
    return 0;
}
