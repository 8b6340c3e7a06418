// Baseline for `fdconv_fourier_disjoint_weight` (FDConv Fourier disjoint weight), f32.
// Groups rebuilt by sorting bins by exact integer radius key; inverse real 2-D DFT done
// separably (complex DFT along rows, then c2r along columns) with precomputed twiddles.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define KSZ 3  // attr k
#define KN 64  // attr kn

typedef struct { int64_t key, f; } bin_t;

static int cmp_bin(const void* a, const void* b) {
    const bin_t *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->f < y->f ? -1 : (x->f > y->f);
}

int fdconv_fourier_disjoint_weight(const float* a, const float* D, float* Wt,
                                   int64_t B, int64_t Cout, int64_t Cin) {
    const int64_t M = Cout * KSZ, N = Cin * KSZ, Nh = N / 2 + 1, nb = M * Nh, chunk = nb / KN;
    bin_t* bins = malloc(sizeof(bin_t) * (size_t)nb);
    int* grp = malloc(sizeof(int) * (size_t)nb);
    for (int64_t f = 0; f < nb; ++f) {
        const int64_t u = f / Nh, v = f % Nh, us = u < (M + 1) / 2 ? u : u - M;
        bins[f].key = us * us * N * N + v * v * M * M;
        bins[f].f = f;
    }
    qsort(bins, (size_t)nb, sizeof(bin_t), cmp_bin);
    for (int64_t p = 0; p < nb; ++p) grp[bins[p].f] = (int)(p / chunk);
    const double alpha = (double)(((Cout < Cin ? Cout : Cin) / 2) * KN);

    float *cm = malloc(sizeof(float) * (size_t)M), *sm = malloc(sizeof(float) * (size_t)M);
    float *cn = malloc(sizeof(float) * (size_t)N), *sn = malloc(sizeof(float) * (size_t)N);
    for (int64_t t = 0; t < M; ++t) { cm[t] = (float)cos(2 * M_PI * t / M); sm[t] = (float)sin(2 * M_PI * t / M); }
    for (int64_t t = 0; t < N; ++t) { cn[t] = (float)cos(2 * M_PI * t / N); sn[t] = (float)sin(2 * M_PI * t / N); }
    float *sr = malloc(sizeof(float) * (size_t)nb), *si = malloc(sizeof(float) * (size_t)nb);
    float *zr = malloc(sizeof(float) * (size_t)nb), *zi = malloc(sizeof(float) * (size_t)nb);
    const float scale = 1.0f / (float)(M * N);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t f = 0; f < nb; ++f) {
            const float g = (float)(alpha * a[b * KN + grp[f]]);
            sr[f] = g * D[2 * f];
            si[f] = g * D[2 * f + 1];
        }
        for (int64_t m = 0; m < M; ++m)
            for (int64_t v = 0; v < Nh; ++v) {
                float re = 0.0f, im = 0.0f;
                for (int64_t u = 0; u < M; ++u) {
                    const int64_t t = (u * m) % M;
                    re += sr[u * Nh + v] * cm[t] - si[u * Nh + v] * sm[t];
                    im += sr[u * Nh + v] * sm[t] + si[u * Nh + v] * cm[t];
                }
                zr[m * Nh + v] = re;
                zi[m * Nh + v] = im;
            }
        for (int64_t m = 0; m < M; ++m)
            for (int64_t n = 0; n < N; ++n) {
                float acc = zr[m * Nh] + ((n & 1) ? -zr[m * Nh + N / 2] : zr[m * Nh + N / 2]);
                for (int64_t v = 1; v < N / 2; ++v) {
                    const int64_t t = (v * n) % N;
                    acc += 2.0f * (zr[m * Nh + v] * cn[t] - zi[m * Nh + v] * sn[t]);
                }
                const int64_t o = m / KSZ, kh = m % KSZ, i = n / KSZ, kw = n % KSZ;
                Wt[(((b * Cout + o) * Cin + i) * KSZ + kh) * KSZ + kw] = acc * scale;
            }
    }
    free(bins); free(grp); free(cm); free(sm); free(cn); free(sn); free(sr); free(si); free(zr); free(zi);
    return 0;
}
