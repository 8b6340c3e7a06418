// Baseline for `se_block_squeeze_excite` (UniRepLKNet SEBlock), NCHW f32, Cr = C / REDUCTION:
//   p[n,c] = mean_{h,w} x[n,c,h,w]                     (accumulated in double)
//   q[n,j] = relu(b_down[j] + sum_c w_down[j,c] p[n,c])
//   g[n,c] = sigmoid(b_up[c] + sum_j w_up[c,j] q[n,j])
//   y      = x * g[n,c]
// Plain CUDA in three launches over small scratch buffers:
//   1. pool_kernel:   one block per (n, c) plane, double partial sums + shared-memory tree reduction.
//   2. excite_kernel: one block per image n; its threads compute q[n, :] into dynamic shared
//                     memory (double), then the C gates g[n, :].
//   3. scale_kernel:  one block per (n, c) plane rescales it by its gate.
#include <cstdint>
#include <cuda_runtime.h>

#define REDUCTION 4  // attr reduction
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

__global__ void excite_kernel(const double* __restrict__ p, const float* __restrict__ w_down,
                              const float* __restrict__ b_down, const float* __restrict__ w_up,
                              const float* __restrict__ b_up, float* __restrict__ gate, int64_t N,
                              int64_t C, int64_t Cr) {
    extern __shared__ double q[];  // [Cr]
    for (int64_t n = blockIdx.x; n < N; n += gridDim.x) {
        const double* pn = p + n * C;
        for (int64_t j = threadIdx.x; j < Cr; j += blockDim.x) {
            double s = b_down[j];
            for (int64_t c = 0; c < C; ++c) s += (double)w_down[j * C + c] * pn[c];
            q[j] = s > 0.0 ? s : 0.0;
        }
        __syncthreads();
        for (int64_t c = threadIdx.x; c < C; c += blockDim.x) {
            double s = b_up[c];
            for (int64_t j = 0; j < Cr; ++j) s += (double)w_up[c * Cr + j] * q[j];
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

extern "C" int se_block_squeeze_excite(const float* x, const float* w_down, const float* b_down,
                                       const float* w_up, const float* b_up, float* y, int64_t N,
                                       int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t Cr = C / REDUCTION;
    const int64_t planes = N * C;
    const int64_t plane_size = H * W;
    if (planes == 0 || plane_size == 0) return 0;
    if ((size_t)Cr * sizeof(double) > 48 * 1024) return (int)cudaErrorInvalidValue;

    double* p = nullptr;   // [N, C] channel means
    float* gate = nullptr; // [N, C]
    cudaError_t err = cudaMallocAsync(&p, (size_t)planes * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync(&gate, (size_t)planes * sizeof(float), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(p, stream);
        return (int)err;
    }

    const unsigned plane_blocks = (unsigned)(planes < MAX_BLOCKS ? planes : MAX_BLOCKS);
    pool_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, p, planes, plane_size);
    excite_kernel<<<(unsigned)(N < MAX_BLOCKS ? N : MAX_BLOCKS), THREADS,
                    (size_t)Cr * sizeof(double), stream>>>(p, w_down, b_down, w_up, b_up, gate, N,
                                                           C, Cr);
    scale_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, gate, y, planes, plane_size);

    cudaFreeAsync(p, stream);
    cudaFreeAsync(gate, stream);
    return (int)cudaGetLastError();
}
