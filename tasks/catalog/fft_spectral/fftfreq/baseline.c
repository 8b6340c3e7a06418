// Baseline for `fftfreq` batched over spacings d[B]: f[b, j] = k / (N * d[b]) with
// k = j for j < ceil(N/2), k = j - N otherwise (numpy.fft.fftfreq(N, d[b]) per row).
#include <stdint.h>

int fftfreq(const float* d, float* f, int64_t B, int64_t N) {
    const int64_t half = (N + 1) / 2;
    for (int64_t b = 0; b < B; ++b) {
        const double val = 1.0 / ((double)N * (double)d[b]);
        float* row = f + b * N;
        for (int64_t j = 0; j < N; ++j) {
            const int64_t k = j < half ? j : j - N;
            row[j] = (float)((double)k * val);
        }
    }
    return 0;
}
