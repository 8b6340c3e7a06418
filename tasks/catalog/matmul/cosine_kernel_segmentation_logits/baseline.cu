// Baseline for `cosine_kernel_segmentation_logits`, f32 NCHW:
//   logit[b,k,h,w] = TAU * <f, g_k> / (max(|f|, 1e-8) * max(|g_k|, 1e-8)),  f = feat[b,:,h,w]
// Plain CUDA in three launches, with dot products and norms accumulated in double as in the C
// baseline (the tolerance is 1e-5 on logits of size up to TAU):
//   1. kernel_norm_kernel: one thread per class kernel k -> gn[k] = max(|g_k|, 1e-8).
//   2. pixel_norm_kernel:  one thread per pixel (b, p)   -> fn[b, p] = max(|f|, 1e-8).
//   3. logits_kernel:      one thread per logit (b, k, p); neighbouring threads take neighbouring
//                          pixels, so the channel-strided reads of feat are coalesced.
// The norms live in double scratch buffers allocated on the caller's stream.
#include <cstdint>
#include <cuda_runtime.h>

#define TAU 10.0  // attr tau
#define NORM_EPS 1e-8
#define THREADS 256
#define MAX_BLOCKS 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

__global__ void kernel_norm_kernel(const float* __restrict__ kernels, double* __restrict__ gn,
                                   int64_t K, int64_t C) {
    for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < K;
         k += (int64_t)gridDim.x * blockDim.x) {
        double s = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const double g = kernels[k * C + c];
            s += g * g;
        }
        s = sqrt(s);
        gn[k] = s > NORM_EPS ? s : NORM_EPS;
    }
}

__global__ void pixel_norm_kernel(const float* __restrict__ feat, double* __restrict__ fn,
                                  int64_t B, int64_t C, int64_t plane) {
    const int64_t total = B * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % plane;
        const int64_t b = e / plane;
        const float* f = feat + b * C * plane + p;
        double s = 0.0;
        for (int64_t c = 0; c < C; ++c) {
            const double v = f[c * plane];
            s += v * v;
        }
        s = sqrt(s);
        fn[e] = s > NORM_EPS ? s : NORM_EPS;
    }
}

__global__ void logits_kernel(const float* __restrict__ feat, const float* __restrict__ kernels,
                              const double* __restrict__ gn, const double* __restrict__ fn,
                              float* __restrict__ logit, int64_t B, int64_t C, int64_t K,
                              int64_t plane) {
    const int64_t total = B * K * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % plane;
        const int64_t k = (e / plane) % K;
        const int64_t b = e / (plane * K);
        const float* f = feat + b * C * plane + p;
        const float* g = kernels + k * C;
        double dot = 0.0;
        for (int64_t c = 0; c < C; ++c) dot += (double)g[c] * (double)f[c * plane];
        logit[e] = (float)(TAU * dot / (fn[b * plane + p] * gn[k]));
    }
}

extern "C" int cosine_kernel_segmentation_logits(const float* feat, const float* kernels,
                                                 float* logit, int64_t B, int64_t C, int64_t K,
                                                 int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t plane = H * W;
    if (B * K * plane == 0) return 0;
    double* gn = nullptr;  // [K]
    double* fn = nullptr;  // [B, H*W]
    cudaError_t err = cudaMallocAsync(&gn, (size_t)K * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync(&fn, (size_t)(B * plane) * sizeof(double), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(gn, stream);
        return (int)err;
    }

    kernel_norm_kernel<<<grid_for(K), THREADS, 0, stream>>>(kernels, gn, K, C);
    pixel_norm_kernel<<<grid_for(B * plane), THREADS, 0, stream>>>(feat, fn, B, C, plane);
    logits_kernel<<<grid_for(B * K * plane), THREADS, 0, stream>>>(feat, kernels, gn, fn, logit, B,
                                                                   C, K, plane);

    cudaFreeAsync(gn, stream);
    cudaFreeAsync(fn, stream);
    return (int)cudaGetLastError();
}
