// expected: static_rejected forbidden_syscall
// task: relu
// attack: issues a raw system call, bypassing every libc-level rule
#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    syscall(SYS_getpid);
    return 0;
}
