// expected: crashed sandbox_violation
// task: relu
// attack: takes `system` by address (no call syntax for the static rule to see) and runs a program
#include <stdint.h>
#include <stdlib.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    int (*run)(const char*) = system;
    run("true");
    return 0;
}
