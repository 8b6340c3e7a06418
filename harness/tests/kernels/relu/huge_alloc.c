// expected: crashed (address-space limit)
// Allocates 64 GiB in 1 GiB chunks and touches every byte, without checking malloc's result.
// Under the worker's address-space limit malloc returns NULL and the memset faults (SIGSEGV);
// without a limit the process is eventually OOM-killed. Either way the worker dies.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)1 << 30)
#define NCHUNKS 64

static char* volatile keep[NCHUNKS];

int relu(const float* x, float* y, int64_t N) {
    for (int c = 0; c < NCHUNKS; ++c) {
        char* p = malloc(CHUNK);
        memset(p, c + 1, CHUNK);
        keep[c] = p;
    }
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    return 0;
}
