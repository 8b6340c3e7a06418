// Baseline for `snnk_random_feature_layer`: positive random features for exp(x . w).
//   phi[n,r] = exp(Om[r].X[n] - |X[n]|^2/2) / sqrt(M) ;  psi[j,r] = same with W[j]
//   Y[n,j]   = sum_r phi[n,r] * psi[j,r]
// Feature maps are computed once into scratch buffers (float), dot products accumulated in double.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void feature_map(const float* a, const float* om, float* out, int64_t rows, int64_t d, int64_t M) {
    const double inv_sqrt_m = 1.0 / sqrt((double)M);
    for (int64_t i = 0; i < rows; ++i) {
        const float* row = a + i * d;
        double sq = 0.0;
        for (int64_t k = 0; k < d; ++k) sq += (double)row[k] * row[k];
        for (int64_t r = 0; r < M; ++r) {
            const float* o = om + r * d;
            double proj = 0.0;
            for (int64_t k = 0; k < d; ++k) proj += (double)o[k] * row[k];
            out[i * M + r] = (float)(exp(proj - 0.5 * sq) * inv_sqrt_m);
        }
    }
}

int snnk_random_feature_layer(const float* X, const float* W, const float* Om, float* Y,
                              int64_t N, int64_t d, int64_t L, int64_t M) {
    float* phi = (float*)malloc(sizeof(float) * (size_t)(N * M));
    float* psi = (float*)malloc(sizeof(float) * (size_t)(L * M));
    if (!phi || !psi) {
        free(phi);
        free(psi);
        return 1;
    }
    feature_map(X, Om, phi, N, d, M);
    feature_map(W, Om, psi, L, d, M);
    for (int64_t n = 0; n < N; ++n)
        for (int64_t j = 0; j < L; ++j) {
            double acc = 0.0;
            for (int64_t r = 0; r < M; ++r) acc += (double)phi[n * M + r] * psi[j * M + r];
            Y[n * L + j] = (float)acc;
        }
    free(phi);
    free(psi);
    return 0;
}
