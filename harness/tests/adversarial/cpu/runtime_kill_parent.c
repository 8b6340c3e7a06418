// expected: crashed sandbox_violation
// task: relu
// attack: takes `kill` by address and tries to SIGKILL the harness that is judging it
#include <stdint.h>
#include <signal.h>
#include <unistd.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    int (*k)(pid_t, int) = kill;
    k(getppid(), SIGKILL);
    return 0;
}
