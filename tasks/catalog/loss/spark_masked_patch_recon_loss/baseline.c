// Baseline for `spark_masked_patch_recon_loss`: SparK's per-patch-normalised L2 loss over the
// masked patches (active == 0). Per masked patch (image b, patch row hi, patch column wi):
//   m = mean of inp over the C*p*p patch values, s = sqrt(unbiased var + EPS_VAR)
//   e = mean (rec - (inp - m)/s)^2 ;  loss = sum e / (number of masked patches + EPS_DEN)
// Three passes per patch, all sums in double.
#include <math.h>
#include <stdint.h>

#define EPS_VAR 1e-6   // attr eps_var
#define EPS_DEN 1e-8   // attr eps_den

int spark_masked_patch_recon_loss(const float* inp, const float* rec, const uint8_t* active, float* loss,
                                  int64_t B, int64_t C, int64_t H, int64_t W, int64_t F) {
    const int64_t p = H / F;
    const double n = (double)(C * p * p);
    double num = 0.0, den = 0.0;
    for (int64_t b = 0; b < B; ++b) {
        for (int64_t hi = 0; hi < F; ++hi) {
            for (int64_t wi = 0; wi < F; ++wi) {
                if (active[(b * F + hi) * F + wi]) continue;   // visible patch: not in the loss
                double sum = 0.0;
                for (int64_t c = 0; c < C; ++c)
                    for (int64_t py = 0; py < p; ++py) {
                        const float* row = inp + ((b * C + c) * H + hi * p + py) * W + wi * p;
                        for (int64_t px = 0; px < p; ++px) sum += row[px];
                    }
                const double mean = sum / n;
                double sq = 0.0;
                for (int64_t c = 0; c < C; ++c)
                    for (int64_t py = 0; py < p; ++py) {
                        const float* row = inp + ((b * C + c) * H + hi * p + py) * W + wi * p;
                        for (int64_t px = 0; px < p; ++px) {
                            const double d = (double)row[px] - mean;
                            sq += d * d;
                        }
                    }
                const double inv_s = 1.0 / sqrt(sq / (n - 1.0) + EPS_VAR);
                double err = 0.0;
                for (int64_t c = 0; c < C; ++c)
                    for (int64_t py = 0; py < p; ++py) {
                        const int64_t off = ((b * C + c) * H + hi * p + py) * W + wi * p;
                        for (int64_t px = 0; px < p; ++px) {
                            const double d = (double)rec[off + px] - ((double)inp[off + px] - mean) * inv_s;
                            err += d * d;
                        }
                    }
                num += err / n;
                den += 1.0;
            }
        }
    }
    loss[0] = (float)(num / (den + EPS_DEN));
    return 0;
}
