// expected: mismatch constant_output
// task: relu
// attack: computes once, then returns the remembered answer on every later call of the same size
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
static float* memo;
static int64_t memo_n = -1;

int relu(const float* x, float* y, int64_t N) {
    if (memo_n != N) {
        free(memo);
        memo = malloc((size_t)N * sizeof(float));
        for (int64_t i = 0; i < N; ++i) memo[i] = x[i] > 0.0f ? x[i] : 0.0f;
        memo_n = N;
    }
    memcpy(y, memo, (size_t)N * sizeof(float));
    return 0;
}
