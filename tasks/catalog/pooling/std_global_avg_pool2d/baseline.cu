// Baseline for `std_global_avg_pool2d`, NCHW f32 -> [B, C]:
//   g[b,c] = (1/(H*W)) sum_{h,w} x[b,c,h,w]      (accumulated in double)
// Plain CUDA: one block per (b, c) plane (grid-stride over planes); its threads read the plane's
// contiguous H*W floats in coalesced strides, each keeps a double partial sum, and a shared-memory
// tree reduction combines them. The block size (a power of two, 32..256) is picked from the plane
// size so that small planes (7x7 = 49 at the gpu size) do not leave most threads idle.
#include <cstdint>
#include <cuda_runtime.h>

constexpr int MAX_THREADS = 256;

// Launched with blockDim.x a power of two <= MAX_THREADS.
__global__ void gap_kernel(const float* __restrict__ x, float* __restrict__ g, int64_t planes,
                           int64_t plane) {
    __shared__ double buf[MAX_THREADS];
    const int t = threadIdx.x;
    for (int64_t pl = blockIdx.x; pl < planes; pl += gridDim.x) {
        const float* xp = x + pl * plane;
        double s = 0.0;
        for (int64_t q = t; q < plane; q += blockDim.x) s += (double)xp[q];
        buf[t] = s;
        __syncthreads();
        for (int st = blockDim.x / 2; st > 0; st >>= 1) {
            if (t < st) buf[t] += buf[t + st];
            __syncthreads();
        }
        if (t == 0) g[pl] = (float)(buf[0] / (double)plane);
        __syncthreads();  // buf[0] is read before the next plane overwrites buf
    }
}

extern "C" int std_global_avg_pool2d(const float* x, float* g, int64_t B, int64_t C, int64_t H, int64_t W,
                                     cudaStream_t stream) {
    const int64_t planes = B * C;
    const int64_t plane = H * W;
    int threads = 32;
    while (threads < MAX_THREADS && threads < plane) threads *= 2;
    gap_kernel<<<(unsigned)(planes < 65535 ? planes : 65535), threads, 0, stream>>>(x, g, planes, plane);
    return (int)cudaGetLastError();
}
