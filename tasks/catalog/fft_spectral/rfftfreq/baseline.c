// Baseline for `rfftfreq` batched over spacings d[B]: f[b, j] = j / (N * d[b]), j = 0 .. N/2
// (numpy.fft.rfftfreq(N, d[b]) per row), Nh = N/2 + 1 values per row.
#include <stdint.h>

int rfftfreq(const float* d, float* f, int64_t B, int64_t N) {
    const int64_t Nh = N / 2 + 1;
    for (int64_t b = 0; b < B; ++b) {
        const double val = 1.0 / ((double)N * (double)d[b]);
        float* row = f + b * Nh;
        for (int64_t j = 0; j < Nh; ++j) row[j] = (float)((double)j * val);
    }
    return 0;
}
