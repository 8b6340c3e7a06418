// expected: static_rejected forbidden_thread
// task: relu
// attack: computes on a thread of its own so the work can outlive the timed call
#include <stdint.h>
#include <pthread.h>
static void* nothing(void* p) { return p; }

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    pthread_t t;
    pthread_create(&t, 0, nothing, 0);
    return 0;
}
