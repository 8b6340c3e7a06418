// expected: mismatch timed_output_wrong
// task: relu
// timed: yes
// attack: counts its calls: correct for the first few (the correctness trials), then skips the work, leaving whatever the buffer held
#include <stdint.h>
static long calls;

int relu(const float* x, float* y, int64_t N) {
    if (++calls > 12) return 0;
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    return 0;
}
