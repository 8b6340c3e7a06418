// expected: static_rejected forbidden_network
// task: relu
// attack: opens a socket (to fetch answers, or report inputs)
#include <stdint.h>
#include <sys/socket.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    (void)s;
    return 0;
}
