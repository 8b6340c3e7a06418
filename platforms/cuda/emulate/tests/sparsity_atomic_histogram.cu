// Emulator test (task filter_db_sparsity, must pass): atomics. Kernel 1 finds max|w| with
// atomicMax on the float bits (valid for non-negative floats); kernel 2 builds a two-bin histogram
// (dense / sparse filters) in shared memory with atomicAdd and merges it into global memory;
// kernel 3 turns the count into the sparsity. Workspace from cudaMallocAsync, zeroed with
// cudaMemsetAsync and freed with cudaFreeAsync, all on the harness's stream.
#include <cuda_runtime.h>
#include <stdint.h>

#define EPS_REL 0.01f

__global__ void abs_max(const float* w, int64_t n, int* mx_bits) {
    __shared__ int block_max;
    if (threadIdx.x == 0) block_max = 0;
    __syncthreads();
    for (int64_t k = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; k < n; k += (int64_t)gridDim.x * blockDim.x)
        atomicMax(&block_max, __float_as_int(fabsf(w[k])));
    __syncthreads();
    if (threadIdx.x == 0) atomicMax(mx_bits, block_max);
}

__global__ void classify(const float* w, float* sparse, int64_t n, const int* mx_bits, unsigned int* hist) {
    __shared__ unsigned int h[2];
    if (threadIdx.x < 2) h[threadIdx.x] = 0;
    __syncthreads();
    const int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x;
    if (f < n) {
        const float mx = __int_as_float(*mx_bits);
        const float t = mx == 0.0f ? 1.0f : EPS_REL * mx;
        int is_sparse = 1;
        for (int k = 0; k < 9; ++k)
            if (!(fabsf(w[f * 9 + k]) < t)) is_sparse = 0;
        sparse[f] = is_sparse ? 1.0f : 0.0f;
        atomicAdd(&h[is_sparse], 1u);
    }
    __syncthreads();
    if (threadIdx.x < 2) atomicAdd(&hist[threadIdx.x], h[threadIdx.x]);
}

__global__ void finish(const unsigned int* hist, float* sparsity) {
    sparsity[0] = (float)((double)hist[1] / (double)(hist[0] + hist[1]));
}

extern "C" int filter_db_sparsity(const float* w, float* sparsity, float* sparse, int64_t O, int64_t I, cudaStream_t stream) {
    const int64_t n = O * I;
    int* mx_bits = nullptr;
    unsigned int* hist = nullptr;
    cudaMallocAsync(&mx_bits, sizeof(int), stream);
    cudaMallocAsync(&hist, 2 * sizeof(unsigned int), stream);
    cudaMemsetAsync(mx_bits, 0, sizeof(int), stream);
    cudaMemsetAsync(hist, 0, 2 * sizeof(unsigned int), stream);
    abs_max<<<4, 256, 0, stream>>>(w, n * 9, mx_bits);
    classify<<<(unsigned)((n + 127) / 128), 128, 0, stream>>>(w, sparse, n, mx_bits, hist);
    finish<<<1, 1, 0, stream>>>(hist, sparsity);
    cudaFreeAsync(mx_bits, stream);
    cudaFreeAsync(hist, stream);
    return (int)cudaGetLastError();
}
