// Baseline for `std_layernorm_lastdim`: LayerNorm over the last axis of a row-major [R, D] tensor
// with a per-feature affine transform:
//   mean = (1/D) sum_d x[r,d]
//   var  = (1/D) sum_d (x[r,d] - mean)^2          (biased, two passes, both in double)
//   y[r,d] = (x[r,d] - mean) / sqrt(var + EPS) * gamma[d] + beta[d]
#include <math.h>
#include <stdint.h>

#define EPS 1.0e-5  // attr eps

int std_layernorm_lastdim(const float* x, const float* gamma, const float* beta, float* y,
                          int64_t R, int64_t D) {
    for (int64_t r = 0; r < R; ++r) {
        const float* xr = x + r * D;
        float* yr = y + r * D;

        double sum = 0.0;
        for (int64_t d = 0; d < D; ++d) sum += xr[d];
        const double mean = sum / (double)D;

        double sq = 0.0;
        for (int64_t d = 0; d < D; ++d) {
            const double t = (double)xr[d] - mean;
            sq += t * t;
        }
        const double rstd = 1.0 / sqrt(sq / (double)D + EPS);

        for (int64_t d = 0; d < D; ++d) {
            yr[d] = (float)(((double)xr[d] - mean) * rstd * gamma[d] + beta[d]);
        }
    }
    return 0;
}
