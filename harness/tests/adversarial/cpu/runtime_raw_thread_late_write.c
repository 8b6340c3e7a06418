// expected: mismatch late_write
// task: relu
// attack: starts a raw thread with `clone` taken by address (allowed: it is a thread) and returns at once; the thread fills the output after the call 'finished'
#include <stdint.h>
/* Declared by hand (and without call syntax) so neither <sched.h> nor the static rules see it. */
typedef int clone_fn(int (*)(void*), void*, int, void*, ...);
extern clone_fn clone;
#define T_VM 0x100
#define T_FS 0x200
#define T_FILES 0x400
#define T_SIGHAND 0x800
#define T_THREAD 0x10000
#define T_SYSVSEM 0x40000
static const float* gx;
static float* gy;
static int64_t gn;
static char stack[1 << 16] __attribute__((aligned(64)));
static int later(void* arg) {
    (void)arg;
    for (int64_t i = 0; i < gn; ++i) {
        for (volatile int k = 0; k < 20000; ++k) {}
        gy[i] = gx[i] > 0.0f ? gx[i] : 0.0f;
    }
    return 0;
}

int relu(const float* x, float* y, int64_t N) {
    gx = x; gy = y; gn = N;
    clone_fn* spawn = clone;
    spawn(later, stack + sizeof stack, T_VM | T_FS | T_FILES | T_SIGHAND | T_THREAD | T_SYSVSEM, 0);
    return 0;
}
