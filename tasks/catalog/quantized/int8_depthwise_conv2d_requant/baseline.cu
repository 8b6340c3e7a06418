// Baseline for `int8_depthwise_conv2d_requant`: int8 NHWC depthwise 3x3 conv (stride 1, pads 1),
// int32 accumulation, per-channel TFLite requantisation (MultiplyByQuantizedMultiplier), clamp:
//   acc = bias[c] + sum_{taps inside the image} (xq[b,hi,wi,c] - ZX) * wq[i,j,c]
//   yq  = clamp(MBQM(acc, M0[c], shift[c]) + ZY, ACT_MIN, ACT_MAX)
// Taps outside the image are skipped (real-valued zero padding). Plain CUDA: one thread per output
// element (b, ho, wo, c), c fastest, so a warp reads consecutive channels of each tap pixel
// (coalesced). The requantisation is integer-only and bit-exact, as in the C baseline.
#include <cstdint>
#include <cuda_runtime.h>

#define KS 3           // attr k
#define STRIDE 1       // attr stride
#define DIL 1          // attr dilation
#define PAD_T 1        // attr pad_top
#define PAD_L 1        // attr pad_left
#define PAD_B 1        // attr pad_bottom
#define PAD_R 1        // attr pad_right
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
    const int64_t nudge = ab >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((ab + nudge) / (1LL << 31));  // C division truncates toward zero
}

// RoundingDivideByPOT: x / 2^e rounded half away from zero.
__device__ int32_t rdbpot(int32_t x, int e) {
    const int32_t mask = (int32_t)((1LL << e) - 1);
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

__global__ void depthwise_requant_kernel(const int8_t* __restrict__ xq, const int8_t* __restrict__ wq,
                                         const int32_t* __restrict__ bias,
                                         const int32_t* __restrict__ M0,
                                         const int32_t* __restrict__ shift, int8_t* __restrict__ yq,
                                         int64_t B, int64_t H, int64_t W, int64_t C, int64_t Ho,
                                         int64_t Wo) {
    const int64_t total = B * Ho * Wo * C;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t c = e % C;
        const int64_t ow = (e / C) % Wo;
        const int64_t oh = (e / (C * Wo)) % Ho;
        const int64_t b = e / (C * Wo * Ho);
        int32_t acc = bias[c];
        for (int i = 0; i < KS; ++i) {
            const int64_t hi = oh * STRIDE - PAD_T + i * DIL;
            if (hi < 0 || hi >= H) continue;
            for (int j = 0; j < KS; ++j) {
                const int64_t wi = ow * STRIDE - PAD_L + j * DIL;
                if (wi < 0 || wi >= W) continue;
                acc += ((int32_t)xq[((b * H + hi) * W + wi) * C + c] - ZX) *
                       (int32_t)wq[(i * KS + j) * C + c];
            }
        }
        int32_t r = mbqm(acc, M0[c], shift[c]) + ZY;
        r = r < ACT_MIN ? ACT_MIN : (r > ACT_MAX ? ACT_MAX : r);
        yq[e] = (int8_t)r;
    }
}

extern "C" int int8_depthwise_conv2d_requant(const int8_t* xq, const int8_t* wq, const int32_t* bias,
                                             const int32_t* M0, const int32_t* shift, int8_t* yq,
                                             int64_t B, int64_t H, int64_t W, int64_t C,
                                             cudaStream_t stream) {
    const int64_t Ho = (H + PAD_T + PAD_B - DIL * (KS - 1) - 1) / STRIDE + 1;
    const int64_t Wo = (W + PAD_L + PAD_R - DIL * (KS - 1) - 1) / STRIDE + 1;
    const int64_t total = B * Ho * Wo * C;
    if (total <= 0) return 0;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    depthwise_requant_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0,
                               stream>>>(xq, wq, bias, M0, shift, yq, B, H, W, C, Ho, Wo);
    return (int)cudaGetLastError();
}
