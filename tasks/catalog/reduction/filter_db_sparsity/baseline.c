// Baseline for `filter_db_sparsity` (CNN Filter DB): t = EPS_REL * max|w| (1 if max is 0);
// filter f = w[f*9 .. f*9+8] is sparse when all 9 |taps| < t; sparsity = #sparse / (O*I).
#include <math.h>
#include <stdint.h>

#define EPS_REL 0.01f  // attr eps_rel

int filter_db_sparsity(const float* w, float* sparsity, float* sparse, int64_t O, int64_t I) {
    const int64_t n = O * I;
    float mx = 0.0f;
    for (int64_t k = 0; k < n * 9; ++k) {
        const float a = fabsf(w[k]);
        if (a > mx) mx = a;
    }
    const float t = (mx == 0.0f) ? 1.0f : EPS_REL * mx;
    int64_t count = 0;
    for (int64_t f = 0; f < n; ++f) {
        int is_sparse = 1;
        for (int k = 0; k < 9; ++k) {
            if (!(fabsf(w[f * 9 + k]) < t)) { is_sparse = 0; break; }
        }
        sparse[f] = is_sparse ? 1.0f : 0.0f;
        count += is_sparse;
    }
    sparsity[0] = (float)((double)count / (double)n);
    return 0;
}
