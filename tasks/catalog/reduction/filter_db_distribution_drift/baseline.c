// Baseline for `filter_db_distribution_drift` (CNN Filter DB): PCA coefficients of max-abs-scaled
// filters, per-component density histograms over the global [lo, hi] with BINS bins, empty bins
// set to float32 eps, normalised, then D = sum_j r[j] * symmetric KL(P_p,j, P_q,j).
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define BINS 70                        // attr bins
#define F32_EPS 1.1920928955078125e-07  // float32 eps (2^-23)

static void coefs(const float* X, int64_t n, const float* V, const float* mu, double* out) {
    for (int64_t f = 0; f < n; ++f) {
        const float* x = X + f * 9;
        double m = 0.0;
        for (int k = 0; k < 9; ++k) m = fmax(m, fabs((double)x[k]));
        if (m == 0.0) m = 1.0;
        for (int j = 0; j < 9; ++j) {
            double s = 0.0;
            for (int k = 0; k < 9; ++k) s += ((double)x[k] / m - (double)mu[k]) * (double)V[j * 9 + k];
            out[f * 9 + j] = s;
        }
    }
}

static void dist(const double* c, int64_t n, int j, double lo, double width, double* P) {
    double cnt[BINS] = {0};
    for (int64_t f = 0; f < n; ++f) {
        int64_t b = (int64_t)floor((c[f * 9 + j] - lo) / width);
        if (b > BINS - 1) b = BINS - 1;
        if (b < 0) b = 0;
        cnt[b] += 1.0;
    }
    double sum = 0.0;
    for (int i = 0; i < BINS; ++i) {
        double h = cnt[i] / ((double)n * width);
        if (h == 0.0) h = F32_EPS;
        P[i] = h;
        sum += h;
    }
    for (int i = 0; i < BINS; ++i) P[i] /= sum;
}

int filter_db_distribution_drift(const float* Xp, const float* Xq, const float* V, const float* mu,
                                 const float* r, float* D, int64_t NP, int64_t NQ) {
    double* cp = malloc(sizeof(double) * 9 * NP);
    double* cq = malloc(sizeof(double) * 9 * NQ);
    if (!cp || !cq) { free(cp); free(cq); return 1; }
    coefs(Xp, NP, V, mu, cp);
    coefs(Xq, NQ, V, mu, cq);
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t i = 0; i < 9 * NP; ++i) { lo = fmin(lo, cp[i]); hi = fmax(hi, cp[i]); }
    for (int64_t i = 0; i < 9 * NQ; ++i) { lo = fmin(lo, cq[i]); hi = fmax(hi, cq[i]); }
    if (hi == lo) { lo -= 0.5; hi += 0.5; }
    const double width = (hi - lo) / BINS;
    double total = 0.0;
    for (int j = 0; j < 9; ++j) {
        double P[BINS], Q[BINS];
        dist(cp, NP, j, lo, width, P);
        dist(cq, NQ, j, lo, width, Q);
        double kl = 0.0;
        for (int i = 0; i < BINS; ++i) kl += (P[i] - Q[i]) * log(P[i] / Q[i]);
        total += (double)r[j] * kl;
    }
    D[0] = (float)total;
    free(cp);
    free(cq);
    return 0;
}
