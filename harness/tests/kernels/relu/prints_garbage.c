// expected: passed
// Writes 5 MB of binary garbage (NUL bytes, invalid UTF-8, ANSI escapes, no newlines for long
// stretches) to both stdout and stderr, then computes y correctly. The harness must survive and
// bound the captured output; the result is still correct.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define GARBAGE_BYTES (5u * 1024u * 1024u)

int relu(const float* x, float* y, int64_t N) {
    unsigned char* buf = malloc(GARBAGE_BYTES);
    if (buf != NULL) {
        uint32_t s = 0x12345678u;
        for (size_t i = 0; i < GARBAGE_BYTES; ++i) {
            s = s * 1664525u + 1013904223u;  // LCG: every byte value occurs, including 0 and 0x1b
            buf[i] = (unsigned char)(s >> 24);
        }
        fwrite(buf, 1, GARBAGE_BYTES, stdout);
        fflush(stdout);
        fwrite(buf, 1, GARBAGE_BYTES, stderr);
        fflush(stderr);
        free(buf);
    }
    for (int64_t i = 0; i < N; ++i) {
        y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    }
    return 0;
}
