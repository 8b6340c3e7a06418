// expected: passed -
// task: relu
// honest: AVX2 intrinsics (8 floats per instruction) with a scalar tail; a static const table
// timed: yes
#include <stdint.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

static const float ZERO_TABLE[1] = {0.0f};

int relu(const float* x, float* y, int64_t N) {
    int64_t i = 0;
#if defined(__AVX2__)
    const __m256 zero = _mm256_set1_ps(ZERO_TABLE[0]);
    for (; i + 8 <= N; i += 8) _mm256_storeu_ps(y + i, _mm256_max_ps(_mm256_loadu_ps(x + i), zero));
#endif
    for (; i < N; ++i) y[i] = x[i] > ZERO_TABLE[0] ? x[i] : ZERO_TABLE[0];
    return 0;
}
