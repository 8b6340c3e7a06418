// expected: static_rejected forbidden_memory_protection
// task: relu
// attack: makes the worker's code writable, to patch its timer or comparator
#include <stdint.h>
#include <sys/mman.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    mprotect(0, 0, PROT_READ | PROT_WRITE | PROT_EXEC);
    return 0;
}
