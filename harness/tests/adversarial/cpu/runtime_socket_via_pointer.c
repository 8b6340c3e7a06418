// expected: crashed sandbox_violation
// task: relu
// attack: takes `socket` by address to reach the network
#include <stdint.h>
#include <sys/socket.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    int (*s)(int, int, int) = socket;
    s(AF_INET, SOCK_STREAM, 0);
    return 0;
}
