// Baseline for `irfft2`: complex-to-real inverse 2-D DFT with s = (M, N), norm="backward", of an
// arbitrary (non-Hermitian) half spectrum re/im [B, M, Nh], Nh = N/2 + 1:
//   x[m, n] = 1/(M N) * sum_{u, v<Nh} c_v * Re(X[u, v] * exp(+2*pi*i*(u*m/M + v*n/N)))
//   c_0 = 1, c_{N/2} = 1 (N even), other c_v = 2.
// Two direct O(L^2) passes with precomputed twiddle matrices (angles reduced exactly as
// (k*n mod L)/L and evaluated in double, stored as float):
//   pass 1 (columns, complex): T[r, v] = sum_u X[u, v] * (cos + i sin)(2*pi*u*r/M)   (axpy over v)
//   pass 2 (rows, real part):  x[r, c] = scale * sum_v c_v * (T_re cos - T_im sin)(2*pi*v*c/N)
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

int irfft2(const float* re, const float* im, float* x, int64_t B, int64_t M, int64_t N) {
    const int64_t Nh = N / 2 + 1;
    const float scale = 1.0f / (float)(M * N);
    float *cn = NULL, *sn = NULL, *cm = NULL, *sm = NULL;
    float* tr = (float*)malloc(sizeof(float) * (size_t)(M * Nh));
    float* ti = (float*)malloc(sizeof(float) * (size_t)(M * Nh));
    int err = twiddle_matrix(N, &cn, &sn) | twiddle_matrix(M, &cm, &sm) | !tr | !ti;
    if (!err) {
        for (int64_t b = 0; b < B; ++b) {
            const float* rp = re + b * M * Nh;
            const float* ip = im + b * M * Nh;
            float* xp = x + b * M * N;
            for (int64_t r = 0; r < M; ++r) {
                float* ar = tr + r * Nh;
                float* ai = ti + r * Nh;
                for (int64_t v = 0; v < Nh; ++v) ar[v] = ai[v] = 0.0f;
                for (int64_t u = 0; u < M; ++u) {
                    const float c = cm[r * M + u], s = sm[r * M + u];
                    const float* xr = rp + u * Nh;
                    const float* xi = ip + u * Nh;
                    for (int64_t v = 0; v < Nh; ++v) {   // (xr + i xi)(c + i s)
                        ar[v] += xr[v] * c - xi[v] * s;
                        ai[v] += xi[v] * c + xr[v] * s;
                    }
                }
                // fold the c_v weights into T: 2 for all but DC and (N even) Nyquist
                for (int64_t v = 1; v < Nh; ++v)
                    if (2 * v != N) { ar[v] *= 2.0f; ai[v] *= 2.0f; }
                for (int64_t col = 0; col < N; ++col) {
                    const float* c = cn + col * N;
                    const float* s = sn + col * N;
                    float acc = 0.0f;
                    for (int64_t v = 0; v < Nh; ++v) acc += ar[v] * c[v] - ai[v] * s[v];
                    xp[r * N + col] = acc * scale;
                }
            }
        }
    }
    free(cn); free(sn); free(cm); free(sm); free(tr); free(ti);
    return err ? 1 : 0;
}
