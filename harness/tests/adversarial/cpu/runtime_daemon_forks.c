// expected: crashed sandbox_violation
// task: relu
// attack: takes `daemon` by address (no call syntax for the static rule to see): it forks and detaches, leaving a process that outlives the worker
#include <stdint.h>
#include <unistd.h>

int relu(const float* x, float* y, int64_t N) {
    int (*detach)(int, int) = daemon;
    detach(1, 1);
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
