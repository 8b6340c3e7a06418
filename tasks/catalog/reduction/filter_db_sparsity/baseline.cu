// Baseline for `filter_db_sparsity` (CNN Filter DB): w[O, I, 3, 3] viewed as n = O*I filters of
// 9 taps; t = EPS_REL * max|w| (t = 1 if that max is 0, formed in float); filter f is sparse when
// all 9 |taps| < t; sparse[f] = 1.0 / 0.0 and sparsity[0] = #sparse / n.
// Plain CUDA in three launches, because the threshold needs the global maximum first:
//   1. absmax_kernel: per-thread max of |w| (grid-stride), a shared-memory tree reduction per
//      block, then one atomicMax per block on the float's bit pattern (for non-negative floats
//      the unsigned-integer order of the bits is the numeric order, and the buffer starts at 0).
//   2. mark_kernel: one thread per filter writes sparse[f]; the block's count of sparse filters
//      is tree-reduced and added to a global counter with one atomicAdd per block.
//   3. finish_kernel (one thread): sparsity[0] = count / n.
// The max bits and the counter live in a small scratch buffer zeroed on the caller's stream.
#include <cstdint>
#include <cuda_runtime.h>

#define EPS_REL 0.01f     // attr eps_rel
#define THREADS 256       // a power of two for the tree reductions
#define MAX_BLOCKS 1024   // enough blocks to fill the GPU; loops are grid-stride

struct Scratch {
    unsigned int max_bits;     // __float_as_uint(max |w|)
    unsigned int pad;
    unsigned long long count;  // number of sparse filters
};

__global__ void absmax_kernel(const float* __restrict__ w, int64_t total, Scratch* __restrict__ s) {
    __shared__ float red[THREADS];
    float m = 0.0f;
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x)
        m = fmaxf(m, fabsf(w[i]));
    red[threadIdx.x] = m;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + stride]);
        __syncthreads();
    }
    if (threadIdx.x == 0) atomicMax(&s->max_bits, __float_as_uint(red[0]));
}

__global__ void mark_kernel(const float* __restrict__ w, float* __restrict__ sparse, int64_t n,
                            Scratch* __restrict__ s) {
    __shared__ unsigned int red[THREADS];
    const float mx = __uint_as_float(s->max_bits);
    const float t = (mx == 0.0f) ? 1.0f : EPS_REL * mx;
    unsigned int count = 0;
    for (int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; f < n;
         f += (int64_t)gridDim.x * blockDim.x) {
        bool is_sparse = true;
        for (int k = 0; k < 9; ++k) is_sparse = is_sparse && (fabsf(w[f * 9 + k]) < t);
        sparse[f] = is_sparse ? 1.0f : 0.0f;
        count += is_sparse ? 1u : 0u;
    }
    red[threadIdx.x] = count;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) red[threadIdx.x] += red[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) atomicAdd(&s->count, (unsigned long long)red[0]);
}

__global__ void finish_kernel(const Scratch* __restrict__ s, float* __restrict__ sparsity, int64_t n) {
    sparsity[0] = (float)((double)s->count / (double)n);
}

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < 1 ? 1 : (blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS));
}

extern "C" int filter_db_sparsity(const float* w, float* sparsity, float* sparse, int64_t O,
                                  int64_t I, cudaStream_t stream) {
    const int64_t n = O * I;
    if (n == 0) return 0;
    Scratch* s = nullptr;
    cudaMallocAsync((void**)&s, sizeof(Scratch), stream);
    cudaMemsetAsync(s, 0, sizeof(Scratch), stream);
    absmax_kernel<<<grid_for(n * 9), THREADS, 0, stream>>>(w, n * 9, s);
    mark_kernel<<<grid_for(n), THREADS, 0, stream>>>(w, sparse, n, s);
    finish_kernel<<<1, 1, 0, stream>>>(s, sparsity, n);
    cudaFreeAsync(s, stream);
    return (int)cudaGetLastError();
}
