// Baseline for `longconv_fft_causal_conv` (safari LongConv, causal path), f32:
//   y[b, c*H + h, l] = sum_{j=0}^{l} k[c, h, j] * u[b, h, l - j] + Dskip[c, h] * u[b, h, l]
// i.e. irfft(rfft(u, 2L) * rfft(k, 2L))[:L] computed as the direct causal sum (O(L^2) per row),
// which is what baseline.c does.
// Plain CUDA, one launch, one block per output row (b, c, h) (grid-stride). The block stages the
// input row u[b, h, :] in shared memory; thread l computes outputs l, l + THREADS, ... In the
// inner loop all threads of a warp read the same kernel tap k[c, h, j] (a broadcast load) and
// consecutive shared-memory words u[l - j]. Sums are in float, as in baseline.c.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void longconv_kernel(const float* __restrict__ u, const float* __restrict__ k,
                                const float* __restrict__ Dskip, float* __restrict__ y,
                                int64_t B, int64_t C, int64_t H, int64_t L) {
    extern __shared__ float urow[];  // L floats
    for (int64_t row = blockIdx.x; row < B * C * H; row += gridDim.x) {
        const int64_t h = row % H;
        const int64_t c = (row / H) % C;
        const int64_t b = row / (H * C);
        const float* ur = u + (b * H + h) * L;
        const float* kr = k + (c * H + h) * L;
        const float d = Dskip[c * H + h];
        for (int64_t l = threadIdx.x; l < L; l += THREADS) urow[l] = ur[l];
        __syncthreads();
        float* out = y + row * L;  // row = (b*C + c)*H + h
        for (int64_t l = threadIdx.x; l < L; l += THREADS) {
            float s = d * urow[l];
            for (int64_t j = 0; j <= l; ++j) s += kr[j] * urow[l - j];
            out[l] = s;
        }
        __syncthreads();  // urow is overwritten by this block's next row
    }
}

extern "C" int longconv_fft_causal_conv(const float* u, const float* k, const float* Dskip,
                                        float* y, int64_t B, int64_t C, int64_t H, int64_t L,
                                        cudaStream_t stream) {
    const int64_t rows = B * C * H;
    if (rows == 0 || L == 0) return 0;
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    longconv_kernel<<<blocks, THREADS, sizeof(float) * (size_t)L, stream>>>(u, k, Dskip, y, B, C,
                                                                            H, L);
    return (int)cudaGetLastError();
}
