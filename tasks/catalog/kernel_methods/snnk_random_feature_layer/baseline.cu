// Baseline for `snnk_random_feature_layer`: positive random features for exp(x . w).
//   phi[n,r] = exp(Om[r].X[n] - |X[n]|^2/2) / sqrt(M) ;  psi[j,r] = same with W[j]
//   Y[n,j]   = sum_r phi[n,r] * psi[j,r]
// Plain CUDA in two steps, with phi [N, M] and psi [L, M] kept in scratch memory allocated on
// the stream (cudaMallocAsync / cudaFreeAsync):
//   1. feature_map_kernel, one block per input row (run once for X, once for W): the row is
//      staged in shared memory, its squared norm is a block tree reduction, then each thread
//      computes the features r = threadIdx.x, threadIdx.x + blockDim.x, ...
//   2. rf_dot_kernel, one thread per output Y[n, j]: a length-M dot product of phi[n] and psi[j].
// All features are positive (no cancellation) and the arguments of exp stay O(1), so float
// accumulation meets the 1e-4 relative tolerance; the reference's double is not needed.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int FM_THREADS = 256;  // block size of feature_map_kernel (a power of two: tree reduction)

// out[i, r] = exp(Om[r] . a[i] - |a[i]|^2 / 2) / sqrt(M) for rows i < rows, features r < M.
// Dynamic shared memory: d floats holding row a[i].
__global__ void feature_map_kernel(const float* __restrict__ a, const float* __restrict__ om,
                                   float* __restrict__ out, int64_t rows, int64_t d, int64_t M) {
    extern __shared__ float row[];         // a[i, 0..d)
    __shared__ float partial[FM_THREADS];  // per-thread partial sums of the squared norm
    const int t = threadIdx.x;
    const float inv_sqrt_m = 1.0f / sqrtf((float)M);

    // Grid-stride over rows; every thread of the block takes the same path through this loop,
    // so the __syncthreads() calls inside it are reached by the whole block.
    for (int64_t i = blockIdx.x; i < rows; i += gridDim.x) {
        const float* ai = a + i * d;
        float sq = 0.0f;
        for (int64_t k = t; k < d; k += FM_THREADS) {
            const float v = ai[k];
            row[k] = v;
            sq += v * v;
        }
        partial[t] = sq;
        __syncthreads();
        // Tree reduction: after the loop partial[0] holds |a[i]|^2 (and row[] is complete).
        for (int s = FM_THREADS / 2; s > 0; s >>= 1) {
            if (t < s) partial[t] += partial[t + s];
            __syncthreads();
        }
        const float half_sq = 0.5f * partial[0];

        for (int64_t r = t; r < M; r += FM_THREADS) {
            const float* omr = om + r * d;
            float proj = 0.0f;
            for (int64_t k = 0; k < d; ++k) proj += omr[k] * row[k];
            out[i * M + r] = expf(proj - half_sq) * inv_sqrt_m;
        }
        // Everyone must be done reading row[] and partial[0] before the next row overwrites them.
        __syncthreads();
    }
}

// Y[n, j] = sum_{r < M} phi[n, r] * psi[j, r]; one thread per output, j fastest.
__global__ void rf_dot_kernel(const float* __restrict__ phi, const float* __restrict__ psi,
                              float* __restrict__ Y, int64_t N, int64_t L, int64_t M) {
    const int64_t total = N * L;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t n = idx / L;
        const int64_t j = idx % L;
        const float* p = phi + n * M;
        const float* q = psi + j * M;
        float acc = 0.0f;
        for (int64_t r = 0; r < M; ++r) acc += p[r] * q[r];
        Y[idx] = acc;
    }
}

// Blocks needed to give each of `work` items a thread, capped at 65535 (grid-stride loops cover
// the rest).
static unsigned grid_for(int64_t work, int threads) {
    const int64_t blocks = (work + threads - 1) / threads;
    return (unsigned)(blocks < 65535 ? blocks : 65535);
}

extern "C" int snnk_random_feature_layer(const float* X, const float* W, const float* Om, float* Y,
                                         int64_t N, int64_t d, int64_t L, int64_t M,
                                         cudaStream_t stream) {
    // Scratch for the two feature maps, allocated and freed in stream order.
    float* phi = nullptr;
    float* psi = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&phi, sizeof(float) * (size_t)(N * M), stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync((void**)&psi, sizeof(float) * (size_t)(L * M), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(phi, stream);
        return (int)err;
    }

    // One block per row (grid capped, the kernel strides over the rest); d floats of dynamic
    // shared memory hold the row (768 floats = 3 KiB at the gpu size).
    const size_t shmem = sizeof(float) * (size_t)d;
    const unsigned grid_x = (unsigned)(N < 65535 ? N : 65535);
    const unsigned grid_w = (unsigned)(L < 65535 ? L : 65535);
    feature_map_kernel<<<grid_x, FM_THREADS, shmem, stream>>>(X, Om, phi, N, d, M);
    feature_map_kernel<<<grid_w, FM_THREADS, shmem, stream>>>(W, Om, psi, L, d, M);

    const int threads = 256;
    rf_dot_kernel<<<grid_for(N * L, threads), threads, 0, stream>>>(phi, psi, Y, N, L, M);
    err = cudaGetLastError();

    cudaFreeAsync(phi, stream);
    cudaFreeAsync(psi, stream);
    return (int)err;
}
