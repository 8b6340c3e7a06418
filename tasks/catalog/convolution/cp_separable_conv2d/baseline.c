// Baseline for `cp_separable_conv2d`: rank-R CP kernel, NCHW f32, stride 1, zero pad K/2.
//   Wk[o,c,u,v] = sum_r A[o,c,r,u] * B[o,c,r,v]
//   y[n,o,i,j] = bias[o] + sum_{c,u,v} Wk[o,c,u,v] * x[n,c,i+u-K/2,j+v-K/2]
// Reconstructs the dense kernel, then runs a direct convolution.
#include <stdint.h>
#include <stdlib.h>

#define K 5   // attr k
#define R 3   // attr rank

int cp_separable_conv2d(const float* x, const float* A, const float* B, const float* bias, float* y,
                        int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    const int64_t P = K / 2, hw = H * W;
    float* wk = (float*)malloc(sizeof(float) * (size_t)(Cout * Cin * K * K));
    if (!wk) return 1;
    for (int64_t oc = 0; oc < Cout * Cin; ++oc) {
        for (int u = 0; u < K; ++u) {
            for (int v = 0; v < K; ++v) {
                float s = 0.0f;
                for (int r = 0; r < R; ++r) s += A[(oc * R + r) * K + u] * B[(oc * R + r) * K + v];
                wk[(oc * K + u) * K + v] = s;
            }
        }
    }
    for (int64_t n = 0; n < N; ++n) {
        for (int64_t o = 0; o < Cout; ++o) {
            float* yo = y + (n * Cout + o) * hw;
            for (int64_t p = 0; p < hw; ++p) yo[p] = bias[o];
            for (int64_t c = 0; c < Cin; ++c) {
                const float* xc = x + (n * Cin + c) * hw;
                const float* kk = wk + (o * Cin + c) * K * K;
                for (int64_t u = 0; u < K; ++u) {
                    for (int64_t v = 0; v < K; ++v) {
                        const float kv = kk[u * K + v];
                        int64_t i0 = P - u, i1 = H + P - u;
                        int64_t j0 = P - v, j1 = W + P - v;
                        if (i0 < 0) i0 = 0;
                        if (i1 > H) i1 = H;
                        if (j0 < 0) j0 = 0;
                        if (j1 > W) j1 = W;
                        for (int64_t i = i0; i < i1; ++i) {
                            const float* xr = xc + (i + u - P) * W + (v - P);
                            float* yr = yo + i * W;
                            for (int64_t j = j0; j < j1; ++j) yr[j] += kv * xr[j];
                        }
                    }
                }
            }
        }
    }
    free(wk);
    return 0;
}
