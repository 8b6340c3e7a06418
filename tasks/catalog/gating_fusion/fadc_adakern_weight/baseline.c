// Baseline for `fadc_adakern_weight` (FADC AdaKern): global mean of x, two attention heads
// (fc -> folded BN -> relu -> channel / filter sigmoid), then
// wb = mean(w)*(2c1)(2f1) + (w - mean(w))*(2c2)(2f2). Double accumulation.
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define KS 3  // attr k

static void head(const double* g, const float* fc, const float* s, const float* t, const float* wc,
                 const float* bc, const float* wf, const float* bf, int64_t Cin, int64_t Cout, int64_t A,
                 double* z, double* catt, double* fatt) {
    for (int64_t a = 0; a < A; ++a) {
        double d = 0.0;
        for (int64_t i = 0; i < Cin; ++i) d += (double)fc[a * Cin + i] * g[i];
        const double v = s[a] * d + t[a];
        z[a] = v > 0.0 ? v : 0.0;
    }
    for (int64_t i = 0; i < Cin; ++i) {
        double d = bc[i];
        for (int64_t a = 0; a < A; ++a) d += (double)wc[i * A + a] * z[a];
        catt[i] = 2.0 / (1.0 + exp(-d));  // 2 * sigmoid
    }
    for (int64_t o = 0; o < Cout; ++o) {
        double d = bf[o];
        for (int64_t a = 0; a < A; ++a) d += (double)wf[o * A + a] * z[a];
        fatt[o] = 2.0 / (1.0 + exp(-d));
    }
}

int fadc_adakern_weight(const float* x, const float* w,
                        const float* fc1, const float* s1, const float* t1, const float* wc1,
                        const float* bc1, const float* wf1, const float* bf1,
                        const float* fc2, const float* s2, const float* t2, const float* wc2,
                        const float* bc2, const float* wf2, const float* bf2,
                        float* wb, int64_t B, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t A = Cin / 16 > 16 ? Cin / 16 : 16, plane = H * W, kk = KS * KS;
    double* g = malloc(sizeof(double) * Cin);
    double* z = malloc(sizeof(double) * A);
    double* c1 = malloc(sizeof(double) * Cin); double* c2 = malloc(sizeof(double) * Cin);
    double* f1 = malloc(sizeof(double) * Cout); double* f2 = malloc(sizeof(double) * Cout);
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t i = 0; i < Cin; ++i) {
            const float* xp = x + (b * Cin + i) * plane;
            double s = 0.0;
            for (int64_t p = 0; p < plane; ++p) s += xp[p];
            g[i] = s / (double)plane;
        }
        head(g, fc1, s1, t1, wc1, bc1, wf1, bf1, Cin, Cout, A, z, c1, f1);
        head(g, fc2, s2, t2, wc2, bc2, wf2, bf2, Cin, Cout, A, z, c2, f2);
        for (int64_t o = 0; o < Cout; ++o)
            for (int64_t i = 0; i < Cin; ++i) {
                const float* wk = w + (o * Cin + i) * kk;
                double m = 0.0;
                for (int64_t q = 0; q < kk; ++q) m += wk[q];
                m /= (double)kk;
                const double lo = m * c1[i] * f1[o], hs = c2[i] * f2[o];
                float* dst = wb + ((b * Cout + o) * Cin + i) * kk;
                for (int64_t q = 0; q < kk; ++q) dst[q] = (float)(lo + ((double)wk[q] - m) * hs);
            }
    }
    free(g); free(z); free(c1); free(c2); free(f1); free(f2);
    return 0;
}
