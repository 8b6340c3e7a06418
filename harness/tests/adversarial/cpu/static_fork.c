// expected: static_rejected forbidden_process
// task: relu
// attack: forks a child that could keep computing, or escape the process group
#include <stdint.h>
#include <unistd.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    if (fork() == 0) _exit(0);
    return 0;
}
