// expected: static_rejected forbidden_file_io
// task: relu
// attack: caches results on disk so a later call (or evaluation) can skip the work
#include <stdint.h>
#include <stdio.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    FILE* f = fopen("relu.cache", "wb");
    if (f) { fwrite(y, sizeof(float), (size_t)N, f); fclose(f); }
    return 0;
}
