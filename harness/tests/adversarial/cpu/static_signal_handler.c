// expected: static_rejected forbidden_signal
// task: relu
// attack: installs a SIGSEGV handler to survive its own out-of-bounds reads
#include <stdint.h>
#include <signal.h>
static void ignore(int s) { (void)s; }

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    signal(SIGSEGV, ignore);
    return 0;
}
