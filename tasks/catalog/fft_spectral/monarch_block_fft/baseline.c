// Baseline for `monarch_block_fft`: FlashButterfly's recursive radix-16 block transform with
// learnable complex DFT blocks M_2, M_4, M_8, M_16 (applied exactly as given), fixed twiddles.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

typedef struct { const float* re[17]; const float* im[17]; } Mats;  // indexed by block size n

// out = BF(x, N); x and out are split complex vectors of length N (power of two >= 2).
static int bf(const float* xr, const float* xi, float* outr, float* outi, int64_t N, const Mats* mt) {
    if (N <= 16) {
        const float* mr = mt->re[N];
        const float* mi = mt->im[N];
        for (int64_t p = 0; p < N; ++p) {
            float sr = 0.0f, si = 0.0f;
            for (int64_t a = 0; a < N; ++a) {
                sr += mr[p * N + a] * xr[a] - mi[p * N + a] * xi[a];
                si += mr[p * N + a] * xi[a] + mi[p * N + a] * xr[a];
            }
            outr[p] = sr;
            outi[p] = si;
        }
        return 0;
    }
    const int64_t n = N / 16;
    float* buf = malloc(sizeof(float) * 4 * n);
    if (!buf) return 1;
    float *yr = buf, *yi = buf + n, *zr = buf + 2 * n, *zi = buf + 3 * n;
    const float* mr = mt->re[16];
    const float* mi = mt->im[16];
    for (int64_t p = 0; p < 16; ++p) {
        for (int64_t b = 0; b < n; ++b) {
            float sr = 0.0f, si = 0.0f;
            for (int64_t a = 0; a < 16; ++a) {
                const float vr = xr[a * n + b], vi = xi[a * n + b];
                sr += mr[p * 16 + a] * vr - mi[p * 16 + a] * vi;
                si += mr[p * 16 + a] * vi + mi[p * 16 + a] * vr;
            }
            const double ang = -2.0 * M_PI * (double)((p * b) % N) / (double)N;
            const float c = (float)cos(ang), s = (float)sin(ang);
            yr[b] = sr * c - si * s;
            yi[b] = sr * s + si * c;
        }
        if (bf(yr, yi, zr, zi, n, mt)) { free(buf); return 1; }
        for (int64_t q = 0; q < n; ++q) {
            outr[q * 16 + p] = zr[q];
            outi[q * 16 + p] = zi[q];
        }
    }
    free(buf);
    return 0;
}

int monarch_block_fft(const float* xr, const float* xi, const float* M2r, const float* M2i,
                      const float* M4r, const float* M4i, const float* M8r, const float* M8i,
                      const float* M16r, const float* M16i, float* Xr, float* Xi,
                      int64_t R, int64_t N) {
    Mats mt = {0};
    mt.re[2] = M2r; mt.im[2] = M2i;
    mt.re[4] = M4r; mt.im[4] = M4i;
    mt.re[8] = M8r; mt.im[8] = M8i;
    mt.re[16] = M16r; mt.im[16] = M16i;
    for (int64_t r = 0; r < R; ++r)
        if (bf(xr + r * N, xi + r * N, Xr + r * N, Xi + r * N, N, &mt)) return 1;
    return 0;
}
