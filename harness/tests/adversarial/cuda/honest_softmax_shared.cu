// expected: passed -
// task: std_softmax_lastdim
// timed: yes
// attack: none: one block per row with shared-memory max and sum reductions, row maxima kept in cudaMallocAsync scratch
#include <cstdint>
#include <cuda_runtime.h>

constexpr int kThreads = 256;

__device__ float block_reduce(float v, float* shared, bool is_max) {
    shared[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s) {
            const float o = shared[threadIdx.x + s];
            shared[threadIdx.x] = is_max ? fmaxf(shared[threadIdx.x], o) : shared[threadIdx.x] + o;
        }
        __syncthreads();
    }
    const float r = shared[0];
    __syncthreads();
    return r;
}

__global__ void row_max(const float* __restrict__ x, float* __restrict__ m, int64_t D) {
    __shared__ float shared[kThreads];
    const float* row = x + blockIdx.x * D;
    float v = -INFINITY;
    for (int64_t j = threadIdx.x; j < D; j += blockDim.x) v = fmaxf(v, row[j]);
    v = block_reduce(v, shared, true);
    if (threadIdx.x == 0) m[blockIdx.x] = v;
}

__global__ void softmax_rows(const float* __restrict__ x, const float* __restrict__ m, float* __restrict__ y, int64_t D) {
    __shared__ float shared[kThreads];
    const float* row = x + blockIdx.x * D;
    float* out = y + blockIdx.x * D;
    const float mx = m[blockIdx.x];
    float s = 0.0f;
    for (int64_t j = threadIdx.x; j < D; j += blockDim.x) s += expf(row[j] - mx);
    s = block_reduce(s, shared, false);
    const float inv = 1.0f / s;
    for (int64_t j = threadIdx.x; j < D; j += blockDim.x) out[j] = expf(row[j] - mx) * inv;
}

extern "C" int std_softmax_lastdim(const float* x, float* y, int64_t R, int64_t D, cudaStream_t stream) {
    float* m = nullptr;
    if (cudaMallocAsync((void**)&m, R * sizeof(float), stream) != cudaSuccess) return 1;
    row_max<<<(unsigned)R, kThreads, 0, stream>>>(x, m, D);
    softmax_rows<<<(unsigned)R, kThreads, 0, stream>>>(x, m, y, D);
    cudaFreeAsync(m, stream);
    return (int)cudaGetLastError();
}
