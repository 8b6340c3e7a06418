// Baseline for `int8_pointwise_conv2d_requant`: int8 NHWC 1x1 conv, i32 accumulation, TFLite
// per-channel requantisation MultiplyByQuantizedMultiplier (gemmlowp SRDHM + RDBPOT), + zy, clamp:
//   acc[p,o] = bias[o] + sum_i (xq[p,i] - ZX) * wq[o,i]        (p = flattened b,h,w pixel)
//   yq[p,o]  = clamp(MBQM(acc, M0[o], shift[o]) + ZY, ACT_MIN, ACT_MAX)
// Plain CUDA: one thread per output element (p, o), o fastest, so the threads of a warp share the
// pixel's input row (a broadcast load) and read distinct weight rows, which stay cached (Cout*Cin
// bytes). The requantisation is integer-only and bit-exact, exactly as in the C baseline; never
// go through float (its rounding differs on ties).
#include <cstdint>
#include <cuda_runtime.h>

#define ZX 3           // attr zx: input zero point
#define ZY (-4)        // attr zy: output zero point
#define ACT_MIN (-128) // attr act_min
#define ACT_MAX 127    // attr act_max
#define THREADS 256
#define MAX_BLOCKS 65535

// SaturatingRoundingDoublingHighMul: (a * b * 2) >> 32 with round-half-away-from-zero nudge.
__device__ int32_t srdhm(int32_t a, int32_t b) {
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t ab = (int64_t)a * (int64_t)b;
    const int64_t nudge = ab >= 0 ? (1 << 30) : (1 - (1 << 30));
    return (int32_t)((ab + nudge) / (1ll << 31));  // C division truncates toward zero
}

// RoundingDivideByPOT: x / 2^e rounded half away from zero (arithmetic shift + correction).
__device__ int32_t rdbpot(int32_t x, int e) {
    const int32_t mask = (int32_t)((1ll << e) - 1);
    const int32_t rem = x & mask;
    const int32_t thr = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> e) + (rem > thr ? 1 : 0);
}

// MultiplyByQuantizedMultiplier: x * M0 * 2^(shift - 31), TFLite rounding.
__device__ int32_t mbqm(int32_t x, int32_t m0, int32_t shift) {
    const int left = shift > 0 ? shift : 0;
    const int right = shift > 0 ? 0 : -shift;
    return rdbpot(srdhm((int32_t)((uint32_t)x << left), m0), right);
}

__global__ void pointwise_requant_kernel(const int8_t* __restrict__ xq, const int8_t* __restrict__ wq,
                                         const int32_t* __restrict__ bias,
                                         const int32_t* __restrict__ M0,
                                         const int32_t* __restrict__ shift, int8_t* __restrict__ yq,
                                         int64_t pixels, int64_t Cin, int64_t Cout) {
    const int64_t total = pixels * Cout;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e / Cout;
        const int64_t o = e % Cout;
        const int8_t* x = xq + p * Cin;
        const int8_t* w = wq + o * Cin;
        int32_t acc = bias[o];
        for (int64_t i = 0; i < Cin; ++i) acc += ((int32_t)x[i] - ZX) * (int32_t)w[i];
        int32_t v = mbqm(acc, M0[o], shift[o]) + ZY;
        v = v < ACT_MIN ? ACT_MIN : (v > ACT_MAX ? ACT_MAX : v);
        yq[e] = (int8_t)v;
    }
}

extern "C" int int8_pointwise_conv2d_requant(const int8_t* xq, const int8_t* wq, const int32_t* bias,
                                             const int32_t* M0, const int32_t* shift, int8_t* yq,
                                             int64_t B, int64_t H, int64_t W, int64_t Cin,
                                             int64_t Cout, cudaStream_t stream) {
    const int64_t pixels = B * H * W;
    const int64_t total = pixels * Cout;
    if (total == 0) return 0;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    pointwise_requant_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0,
                               stream>>>(xq, wq, bias, M0, shift, yq, pixels, Cin, Cout);
    return (int)cudaGetLastError();
}
