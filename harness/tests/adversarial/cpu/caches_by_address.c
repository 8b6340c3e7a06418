// expected: mismatch stale_cache
// task: relu
// timed: yes
// attack: caches the result per input address, checking only the first and last element; repeated timing calls become a copy
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#define SLOTS 8
static struct { const float* x; float first, last; int64_t n; float* y; } slot[SLOTS];

int relu(const float* x, float* y, int64_t N) {
    for (int s = 0; s < SLOTS; ++s)
        if (slot[s].x == x && slot[s].n == N && slot[s].first == x[0] && slot[s].last == x[N - 1]) {
            memcpy(y, slot[s].y, (size_t)N * sizeof(float));
            return 0;
        }
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    static int next;
    int s = next++ % SLOTS;
    free(slot[s].y);
    slot[s].y = malloc((size_t)N * sizeof(float));
    memcpy(slot[s].y, y, (size_t)N * sizeof(float));
    slot[s].x = x; slot[s].n = N; slot[s].first = x[0]; slot[s].last = x[N - 1];
    return 0;
}
