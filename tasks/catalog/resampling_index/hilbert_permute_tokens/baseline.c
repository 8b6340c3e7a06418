// Baseline for `hilbert_permute_tokens` (Scale-DiT): forward Hilbert re-permutation,
//   y[b, xy2d(n, w, h), :] = x[b, h*n + w, :]   (x = column w, y = row h)
#include <stdint.h>
#include <string.h>

static int64_t xy2d(int64_t n, int64_t x, int64_t y) {
    int64_t d = 0;
    for (int64_t s = n / 2; s > 0; s /= 2) {
        const int64_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) { x = n - 1 - x; y = n - 1 - y; }
            const int64_t t = x; x = y; y = t;
        }
    }
    return d;
}

int hilbert_permute_tokens(const float* x, float* y, int64_t B, int64_t n, int64_t C) {
    const int64_t N = n * n;
    for (int64_t b = 0; b < B; ++b)
        for (int64_t h = 0; h < n; ++h)
            for (int64_t w = 0; w < n; ++w)
                memcpy(y + (b * N + xy2d(n, w, h)) * C, x + (b * N + h * n + w) * C, (size_t)C * sizeof(float));
    return 0;
}
