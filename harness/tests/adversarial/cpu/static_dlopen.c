// expected: static_rejected forbidden_dynamic_loading
// task: relu
// attack: loads a library at run time to call code the static checks never saw
#include <stdint.h>
#include <dlfcn.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    void* h = dlopen("libm.so.6", RTLD_NOW);
    (void)h;
    return 0;
}
