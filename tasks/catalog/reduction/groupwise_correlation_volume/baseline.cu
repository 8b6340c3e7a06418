// Baseline for `groupwise_correlation_volume` (GBi-Net / GwcNet), f32:
//   sim[b,g,d,h,w] = (1/Cg) * sum_{c < Cg} warped[b, g*Cg + c, d, h, w] * ref[b, g*Cg + c, h, w]
// with G groups of Cg = C/G contiguous channels; ref is broadcast over the depth axis D.
// Plain CUDA, one launch, one thread per output element (grid-stride). Consecutive threads handle
// consecutive pixels, so every load of warped and ref and every store is coalesced. The Cg
// products are summed in double and divided by Cg once, as in the reference.
#include <cstdint>
#include <cuda_runtime.h>

#define G 4               // attr G
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void gwc_kernel(const float* __restrict__ ref, const float* __restrict__ warped,
                           float* __restrict__ sim, int64_t B, int64_t C, int64_t D,
                           int64_t plane) {
    const int64_t cg = C / G;
    const int64_t total = B * G * D * plane;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = i % plane;
        const int64_t d = (i / plane) % D;
        const int64_t g = (i / (plane * D)) % G;
        const int64_t b = i / (plane * D * G);
        double s = 0.0;
        for (int64_t c = g * cg; c < (g + 1) * cg; ++c) {
            const float wv = warped[((b * C + c) * D + d) * plane + p];
            const float rv = ref[(b * C + c) * plane + p];
            s += (double)wv * (double)rv;
        }
        sim[i] = (float)(s / (double)cg);
    }
}

extern "C" int groupwise_correlation_volume(const float* ref, const float* warped, float* sim,
                                            int64_t B, int64_t C, int64_t D, int64_t H, int64_t W,
                                            cudaStream_t stream) {
    const int64_t total = B * G * D * H * W;
    if (total == 0) return 0;
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    gwc_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        ref, warped, sim, B, C, D, H * W);
    return (int)cudaGetLastError();
}
