// expected: passed -
// task: std_softmax_lastdim
// honest: one malloc'd scratch row per thread (in-place temporaries in its own buffer), two passes with max subtraction
// timed: yes
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int std_softmax_lastdim(const float* x, float* y, int64_t R, int64_t D) {
    int status = 0;
    #pragma omp parallel
    {
        float* e = malloc((size_t)D * sizeof(float));
        if (!e) {
            #pragma omp atomic write
            status = 1;
        }
        #pragma omp for schedule(static)
        for (int64_t r = 0; r < R; ++r) {
            if (!e) continue;
            const float* xr = x + r * D;
            float m = -INFINITY;
            for (int64_t d = 0; d < D; ++d) m = xr[d] > m ? xr[d] : m;
            double s = 0.0;
            for (int64_t d = 0; d < D; ++d) {
                e[d] = expf(xr[d] - m);
                s += e[d];
            }
            const float inv = (float)(1.0 / s);
            for (int64_t d = 0; d < D; ++d) y[r * D + d] = e[d] * inv;
        }
        free(e);
    }
    return status;
}
