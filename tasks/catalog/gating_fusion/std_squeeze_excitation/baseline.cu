// Baseline for `std_squeeze_excitation`, NCHW f32, bottleneck width Cr given as a dim:
//   p[n,c] = mean_{h,w} x[n,c,h,w]                     (accumulated in double)
//   q[n,j] = relu(b1[j] + sum_c w1[j,c] p[n,c])
//   g[n,c] = sigmoid(b2[c] + sum_j w2[c,j] q[n,j])
//   y      = x * g[n,c]
// Plain CUDA in three launches over small scratch buffers:
//   1. pool_kernel:   one block per (n, c) plane, double partial sums + shared-memory tree reduction.
//   2. excite_kernel: one block per image n; its threads compute q[n, :] into dynamic shared
//                     memory (double), then the C gates g[n, :].
//   3. scale_kernel:  one block per (n, c) plane rescales it by its gate.
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256  // power of two for the tree reduction
#define MAX_BLOCKS 65535

__global__ void pool_kernel(const float* __restrict__ x, double* __restrict__ p, int64_t planes,
                            int64_t plane_size) {
    __shared__ double partial[THREADS];
    for (int64_t pl = blockIdx.x; pl < planes; pl += gridDim.x) {
        const float* xp = x + pl * plane_size;
        double s = 0.0;
        for (int64_t i = threadIdx.x; i < plane_size; i += THREADS) s += (double)xp[i];
        partial[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) p[pl] = partial[0] / (double)plane_size;
        __syncthreads();
    }
}

__global__ void excite_kernel(const double* __restrict__ p, const float* __restrict__ w1,
                              const float* __restrict__ b1, const float* __restrict__ w2,
                              const float* __restrict__ b2, float* __restrict__ gate, int64_t N,
                              int64_t C, int64_t Cr) {
    extern __shared__ double q[];  // [Cr]
    for (int64_t n = blockIdx.x; n < N; n += gridDim.x) {
        const double* pn = p + n * C;
        for (int64_t j = threadIdx.x; j < Cr; j += blockDim.x) {
            double s = b1[j];
            for (int64_t c = 0; c < C; ++c) s += (double)w1[j * C + c] * pn[c];
            q[j] = s > 0.0 ? s : 0.0;
        }
        __syncthreads();
        for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
            double s = b2[c];
            for (int64_t j = 0; j < Cr; ++j) s += (double)w2[c * Cr + j] * q[j];
            gate[n * C + c] = (float)(1.0 / (1.0 + exp(-s)));
        }
        __syncthreads();  // q is reused by the next image
    }
}

__global__ void scale_kernel(const float* __restrict__ x, const float* __restrict__ gate,
                             float* __restrict__ y, int64_t planes, int64_t plane_size) {
    for (int64_t pl = blockIdx.x; pl < planes; pl += gridDim.x) {
        const float g = gate[pl];
        const float* xp = x + pl * plane_size;
        float* yp = y + pl * plane_size;
        for (int64_t i = threadIdx.x; i < plane_size; i += THREADS) yp[i] = xp[i] * g;
    }
}

extern "C" int std_squeeze_excitation(const float* x, const float* w1, const float* b1,
                                      const float* w2, const float* b2, float* y, int64_t B,
                                      int64_t C, int64_t Cr, int64_t H, int64_t W,
                                      cudaStream_t stream) {
    const int64_t planes = B * C;
    const int64_t plane_size = H * W;
    if (planes == 0 || plane_size == 0) return 0;
    if ((size_t)Cr * sizeof(double) > 48 * 1024) return (int)cudaErrorInvalidValue;

    double* p = nullptr;   // [B, C] channel means
    float* gate = nullptr; // [B, C]
    cudaError_t err = cudaMallocAsync(&p, (size_t)planes * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync(&gate, (size_t)planes * sizeof(float), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(p, stream);
        return (int)err;
    }

    const unsigned plane_blocks = (unsigned)(planes < MAX_BLOCKS ? planes : MAX_BLOCKS);
    pool_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, p, planes, plane_size);
    excite_kernel<<<(unsigned)(B < MAX_BLOCKS ? B : MAX_BLOCKS), THREADS,
                    (size_t)Cr * sizeof(double), stream>>>(p, w1, b1, w2, b2, gate, B,
                                                           C, Cr);
    scale_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, gate, y, planes, plane_size);

    cudaFreeAsync(p, stream);
    cudaFreeAsync(gate, stream);
    return (int)cudaGetLastError();
}
