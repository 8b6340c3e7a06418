// Baseline for `filter_db_variance_entropy` (CNN Filter DB): X[n,9] = w viewed as n = O*I filters;
// eigenvalues of the 9x9 covariance -> p = lambda / sum -> ve = -sum p log10 p; ve_norm = ve / fit(n).
#include <math.h>
#include <stdint.h>

// Eigenvalues of a symmetric 9x9 matrix (cyclic Jacobi), written to the diagonal of a.
static void jacobi9(double a[9][9]) {
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0.0, diag = 0.0;
        for (int p = 0; p < 9; ++p) {
            diag += a[p][p] * a[p][p];
            for (int q = p + 1; q < 9; ++q) off += a[p][q] * a[p][q];
        }
        if (off <= 1e-30 * diag || off == 0.0) break;
        for (int p = 0; p < 9; ++p) {
            for (int q = p + 1; q < 9; ++q) {
                if (a[p][q] == 0.0) continue;
                const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < 9; ++k) {  // A <- A J (columns p, q)
                    const double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 9; ++k) {  // A <- J^T A (rows p, q)
                    const double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
}

int filter_db_variance_entropy(const float* w, float* ve, float* ve_norm, int64_t O, int64_t I) {
    const int64_t n = O * I;
    double mu[9] = {0};
    for (int64_t f = 0; f < n; ++f)
        for (int k = 0; k < 9; ++k) mu[k] += w[f * 9 + k];
    for (int k = 0; k < 9; ++k) mu[k] /= (double)n;
    double cov[9][9] = {{0}};
    for (int64_t f = 0; f < n; ++f) {
        double d[9];
        for (int k = 0; k < 9; ++k) d[k] = w[f * 9 + k] - mu[k];
        for (int k = 0; k < 9; ++k)
            for (int l = k; l < 9; ++l) cov[k][l] += d[k] * d[l];
    }
    for (int k = 0; k < 9; ++k)
        for (int l = k; l < 9; ++l) {
            cov[k][l] /= (double)(n - 1);
            cov[l][k] = cov[k][l];
        }
    jacobi9(cov);
    double lam[9], sum = 0.0;
    for (int k = 0; k < 9; ++k) {
        lam[k] = cov[k][k] > 0.0 ? cov[k][k] : 0.0;
        sum += lam[k];
    }
    double h = 0.0;
    if (sum > 0.0) {
        for (int k = 0; k < 9; ++k) {
            const double p = lam[k] / sum;
            if (p > 0.0) h -= p * log10(p);
        }
    }
    const double fit = 1.2618047 / (1.0 + exp(-0.88767525 * (log2((double)n) - 2.30436435))) - 0.31050834;
    ve[0] = (float)h;
    ve_norm[0] = (float)(h / fit);
    return 0;
}
