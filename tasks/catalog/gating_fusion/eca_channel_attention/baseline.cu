// Baseline for `eca_channel_attention` (ECA-Net), NCHW f32, KSIZE-tap 1-D conv across channels:
//   g[b,c]     = (1/(H*W)) sum_{h,w} x[b,c,h,w]                        (accumulated in double)
//   z[b,c]     = sum_{t<KSIZE} w[t] * g[b, c + t - (KSIZE-1)/2]         (g = 0 outside [0, C))
//   y[b,c,h,w] = x[b,c,h,w] * sigmoid(z[b,c]),  sigmoid(z) = 1 / (1 + exp(-z))
// Plain CUDA in two launches, because every gate needs the pools of its neighbouring channels:
//   1. pool_kernel:  one block per (b, c) plane; each thread sums a strided slice of the plane in
//                    double, then a shared-memory tree reduction gives the plane mean g[b, c].
//   2. scale_kernel: one block per (b, c) plane; every thread evaluates the KSIZE-tap gate from g
//                    (a handful of loads, cheaper than a third launch) and rescales its slice.
// The pooled means live in a B*C double scratch buffer allocated on the caller's stream.
#include <cstdint>
#include <cuda_runtime.h>

#define KSIZE 3      // attr k (odd)
#define THREADS 256  // threads per block; a power of two for the tree reduction
#define MAX_BLOCKS 65535

// g[plane] = mean of x over one H*W plane, for every plane = b*C + c.
__global__ void pool_kernel(const float* __restrict__ x, double* __restrict__ g,
                            int64_t planes, int64_t plane_size) {
    __shared__ double partial[THREADS];
    for (int64_t p = blockIdx.x; p < planes; p += gridDim.x) {
        const float* xp = x + p * plane_size;
        double s = 0.0;
        for (int64_t i = threadIdx.x; i < plane_size; i += THREADS) s += (double)xp[i];
        partial[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) g[p] = partial[0] / (double)plane_size;
        __syncthreads();  // partial[] is reused by this block's next plane
    }
}

// y = x * sigmoid(z[b, c]) over each plane; z is the zero-padded cross-correlation of g with w.
__global__ void scale_kernel(const float* __restrict__ x, const float* __restrict__ w,
                             const double* __restrict__ g, float* __restrict__ y,
                             int64_t planes, int64_t C, int64_t plane_size) {
    const int64_t half = (KSIZE - 1) / 2;
    for (int64_t p = blockIdx.x; p < planes; p += gridDim.x) {
        const int64_t b = p / C;
        const int64_t c = p % C;
        double z = 0.0;
        for (int t = 0; t < KSIZE; ++t) {
            const int64_t cc = c + t - half;  // neighbouring channel of the same image
            if (cc >= 0 && cc < C) z += (double)w[t] * g[b * C + cc];
        }
        const float gate = (float)(1.0 / (1.0 + exp(-z)));
        const float* xp = x + p * plane_size;
        float* yp = y + p * plane_size;
        for (int64_t i = threadIdx.x; i < plane_size; i += THREADS) yp[i] = xp[i] * gate;
    }
}

extern "C" int eca_channel_attention(const float* x, const float* w, float* y,
                                     int64_t B, int64_t C, int64_t H, int64_t W,
                                     cudaStream_t stream) {
    const int64_t planes = B * C;
    const int64_t plane_size = H * W;
    if (planes == 0 || plane_size == 0) return 0;

    double* g = nullptr;
    cudaError_t err = cudaMallocAsync(&g, (size_t)planes * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;

    const unsigned blocks = (unsigned)(planes < MAX_BLOCKS ? planes : MAX_BLOCKS);
    pool_kernel<<<blocks, THREADS, 0, stream>>>(x, g, planes, plane_size);
    scale_kernel<<<blocks, THREADS, 0, stream>>>(x, w, g, y, planes, C, plane_size);

    cudaFreeAsync(g, stream);
    return (int)cudaGetLastError();
}
