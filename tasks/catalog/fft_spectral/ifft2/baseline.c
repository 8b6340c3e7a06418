// Baseline for `ifft2`: inverse 2-D DFT of a complex signal, norm="backward" (1/(M*N)).
//   z[m, n] = 1/(M*N) * sum_{u,v} (re + i im)[u, v] * exp(+2*pi*i*(u*m/M + v*n/N))
// Works for any M, N: two direct O(L^2) passes with precomputed twiddle matrices (angles reduced
// exactly as (k*n mod L)/L, evaluated in double, stored as float).
//   pass 1 (rows):    T[u, c] = sum_v Z[u, v] * (cos + i sin)(2*pi*v*c/N)
//   pass 2 (columns): z[r, c] = 1/(MN) * sum_u T[u, c] * (cos + i sin)(2*pi*u*r/M)   (axpy over c)
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

int ifft2(const float* re, const float* im, float* out_re, float* out_im, int64_t B, int64_t M, int64_t N) {
    float *cn = NULL, *sn = NULL, *cm = NULL, *sm = NULL;
    float* tr = (float*)malloc(sizeof(float) * (size_t)(M * N));
    float* ti = (float*)malloc(sizeof(float) * (size_t)(M * N));
    int err = twiddle_matrix(N, &cn, &sn) | twiddle_matrix(M, &cm, &sm) | !tr | !ti;
    const float scale = (float)(1.0 / (double)(M * N));
    if (!err) {
        for (int64_t b = 0; b < B; ++b) {
            const float* zr = re + b * M * N;
            const float* zi = im + b * M * N;
            float* yr = out_re + b * M * N;
            float* yi = out_im + b * M * N;
            for (int64_t u = 0; u < M; ++u) {
                const float* ar = zr + u * N;
                const float* ai = zi + u * N;
                for (int64_t c = 0; c < N; ++c) {
                    const float* cc = cn + c * N;
                    const float* ss = sn + c * N;
                    float a = 0.0f, q = 0.0f;
                    for (int64_t v = 0; v < N; ++v) {   // (ar + i ai)(cc + i ss)
                        a += ar[v] * cc[v] - ai[v] * ss[v];
                        q += ai[v] * cc[v] + ar[v] * ss[v];
                    }
                    tr[u * N + c] = a;
                    ti[u * N + c] = q;
                }
            }
            for (int64_t r = 0; r < M; ++r) {
                float* pr = yr + r * N;
                float* pi = yi + r * N;
                for (int64_t c = 0; c < N; ++c) pr[c] = pi[c] = 0.0f;
                for (int64_t u = 0; u < M; ++u) {
                    const float c = cm[r * M + u], s = sm[r * M + u];
                    const float* a = tr + u * N;
                    const float* q = ti + u * N;
                    for (int64_t k = 0; k < N; ++k) {   // (a + i q)(c + i s)
                        pr[k] += a[k] * c - q[k] * s;
                        pi[k] += q[k] * c + a[k] * s;
                    }
                }
                for (int64_t c = 0; c < N; ++c) {
                    pr[c] *= scale;
                    pi[c] *= scale;
                }
            }
        }
    }
    free(cn); free(sn); free(cm); free(sm); free(tr); free(ti);
    return err ? 1 : 0;
}
