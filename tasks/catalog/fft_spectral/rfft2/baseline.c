// Baseline for `rfft2`: 2-D DFT of a real signal, last axis v = 0..N/2 only, norm="backward".
//   X[u, v] = sum_{m,n} x[m, n] * exp(-2*pi*i*(u*m/M + v*n/N))
// Works for any M, N: two direct O(L^2) passes with precomputed twiddle matrices (angles reduced
// exactly as (u*m mod M)/M and evaluated in double, stored as float).
//   pass 1 (rows):    T[r, v] = sum_c x[r, c] * (cos - i sin)(2*pi*v*c/N),  v < Nh = N/2 + 1
//   pass 2 (columns): X[u, v] = sum_r T[r, v] * (cos - i sin)(2*pi*u*r/M)   (axpy over v)
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

// c[k*L + n] = cos(2*pi*(k*n mod L)/L), s[...] = sin(...)
static int twiddle_matrix(int64_t L, float** c, float** s) {
    *c = (float*)malloc(sizeof(float) * (size_t)(L * L));
    *s = (float*)malloc(sizeof(float) * (size_t)(L * L));
    if (!*c || !*s) return 1;
    for (int64_t k = 0; k < L; ++k)
        for (int64_t n = 0; n < L; ++n) {
            const double a = 2.0 * M_PI * (double)((k * n) % L) / (double)L;
            (*c)[k * L + n] = (float)cos(a);
            (*s)[k * L + n] = (float)sin(a);
        }
    return 0;
}

int rfft2(const float* x, float* re, float* im, int64_t B, int64_t M, int64_t N) {
    const int64_t Nh = N / 2 + 1;
    float *cn = NULL, *sn = NULL, *cm = NULL, *sm = NULL;
    float* tr = (float*)malloc(sizeof(float) * (size_t)(M * N));
    float* ti = (float*)malloc(sizeof(float) * (size_t)(M * N));
    int err = twiddle_matrix(N, &cn, &sn) | twiddle_matrix(M, &cm, &sm) | !tr | !ti;
    if (!err) {
        for (int64_t b = 0; b < B; ++b) {
            const float* xp = x + b * M * N;
            float* rp = re + b * M * Nh;
            float* ip = im + b * M * Nh;
            for (int64_t r = 0; r < M; ++r) {
                const float* xr = xp + r * N;
                for (int64_t v = 0; v < Nh; ++v) {
                    const float* c = cn + v * N;
                    const float* s = sn + v * N;
                    float a = 0.0f, q = 0.0f;
                    for (int64_t k = 0; k < N; ++k) {
                        a += xr[k] * c[k];
                        q -= xr[k] * s[k];
                    }
                    tr[r * Nh + v] = a;
                    ti[r * Nh + v] = q;
                }
            }
            for (int64_t u = 0; u < M; ++u) {
                float* yr = rp + u * Nh;
                float* yi = ip + u * Nh;
                for (int64_t v = 0; v < Nh; ++v) yr[v] = yi[v] = 0.0f;
                for (int64_t r = 0; r < M; ++r) {
                    const float c = cm[u * M + r], s = sm[u * M + r];
                    const float* a = tr + r * Nh;
                    const float* q = ti + r * Nh;
                    for (int64_t v = 0; v < Nh; ++v) {   // (a + i q)(c - i s)
                        yr[v] += a[v] * c + q[v] * s;
                        yi[v] += q[v] * c - a[v] * s;
                    }
                }
            }
        }
    }
    free(cn); free(sn); free(cm); free(sm); free(tr); free(ti);
    return err ? 1 : 0;
}
