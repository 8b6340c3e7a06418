// Baseline for `mvs_pixelwise_view_weight_aggregation` (GBi-Net PixelwiseNet), f32:
//   per view v and voxel: a0 = relu(s0 * (w0 s) + t0) (16), a1 = relu(s1 * (w1 a0) + t1) (8),
//   q = sigmoid(w2 a1 + b2);  wv[v,b,h,w] = max_d q;
//   out[b,g,d,h,w] = sum_v sims[v,b,g,d,h,w] wv[v,b,h,w] / sum_v wv[v,b,h,w]
// Plain CUDA in two launches:
//   1. view_weight_kernel: one thread per (v, b, h, w) pixel runs the tiny MLP at every depth
//      (activations in registers) and keeps the maximum; neighbouring threads read neighbouring
//      pixels of each (g, d) plane (coalesced).
//   2. aggregate_kernel:   one thread per output voxel forms the view-weighted mean.
// The view weights live in a [V, B, H, W] scratch buffer. Float accumulation.
#include <cstdint>
#include <cuda_runtime.h>

#define HID0 16  // hidden width of the first 1x1x1 conv
#define HID1 8   // hidden width of the second 1x1x1 conv
#define THREADS 256
#define MAX_BLOCKS 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

__global__ void view_weight_kernel(const float* __restrict__ sims, const float* __restrict__ w0,
                                   const float* __restrict__ s0, const float* __restrict__ t0,
                                   const float* __restrict__ w1, const float* __restrict__ s1,
                                   const float* __restrict__ t1, const float* __restrict__ w2,
                                   const float* __restrict__ b2, float* __restrict__ wv,
                                   int64_t VB, int64_t G, int64_t D, int64_t plane) {
    const int64_t vol = G * D * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < VB * plane;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % plane;
        const int64_t vb = e / plane;  // v * B + b
        const float* s = sims + vb * vol + p;
        float best = 0.0f;  // every q is a sigmoid > 0
        for (int64_t d = 0; d < D; ++d) {
            float a0[HID0], a1[HID1];
            for (int k = 0; k < HID0; ++k) {
                float acc = 0.0f;
                for (int64_t g = 0; g < G; ++g) acc += w0[k * G + g] * s[(g * D + d) * plane];
                const float t = s0[k] * acc + t0[k];
                a0[k] = t > 0.0f ? t : 0.0f;
            }
            for (int k = 0; k < HID1; ++k) {
                float acc = 0.0f;
                for (int j = 0; j < HID0; ++j) acc += w1[k * HID0 + j] * a0[j];
                const float t = s1[k] * acc + t1[k];
                a1[k] = t > 0.0f ? t : 0.0f;
            }
            float logit = b2[0];
            for (int k = 0; k < HID1; ++k) logit += w2[k] * a1[k];
            const float q = 1.0f / (1.0f + expf(-logit));
            best = fmaxf(best, q);
        }
        wv[e] = best;
    }
}

__global__ void aggregate_kernel(const float* __restrict__ sims, const float* __restrict__ wv,
                                 float* __restrict__ out, int64_t V, int64_t B, int64_t GD,
                                 int64_t plane) {
    const int64_t vol = GD * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * vol;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % plane;
        const int64_t b = e / vol;
        const int64_t inner = e % vol;  // (g*D + d)*plane + p
        float num = 0.0f, den = 0.0f;
        for (int64_t v = 0; v < V; ++v) {
            const float wt = wv[(v * B + b) * plane + p];
            num += sims[(v * B + b) * vol + inner] * wt;
            den += wt;
        }
        out[e] = num / den;
    }
}

extern "C" int mvs_pixelwise_view_weight_aggregation(const float* sims, const float* w0,
                                                     const float* s0, const float* t0,
                                                     const float* w1, const float* s1,
                                                     const float* t1, const float* w2,
                                                     const float* b2, float* out, int64_t V,
                                                     int64_t B, int64_t G, int64_t D, int64_t H,
                                                     int64_t W, cudaStream_t stream) {
    const int64_t plane = H * W;
    if (B * G * D * plane == 0) return 0;
    float* wv = nullptr;  // [V, B, H, W]
    cudaError_t err = cudaMallocAsync(&wv, (size_t)(V * B * plane) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;

    view_weight_kernel<<<grid_for(V * B * plane), THREADS, 0, stream>>>(sims, w0, s0, t0, w1, s1,
                                                                        t1, w2, b2, wv, V * B, G,
                                                                        D, plane);
    aggregate_kernel<<<grid_for(B * G * D * plane), THREADS, 0, stream>>>(sims, wv, out, V, B,
                                                                          G * D, plane);

    cudaFreeAsync(wv, stream);
    return (int)cudaGetLastError();
}
