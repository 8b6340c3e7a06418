// expected: mismatch
// Deliberately broken baseline for the `relu` task: copies x to y (forgets the max with 0).
// `kernelsmith tasks check` must reject a catalogue whose baseline disagrees with the reference.
#include <stdint.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i];
    }
    return 0;
}
