// Emulator test (task sum_reduce, must pass): a shared-memory tree reduction with __syncthreads in
// a templated kernel, dynamic `extern __shared__` memory, __launch_bounds__, and a launch whose
// configuration uses a dim3 expression with nested parentheses and is split over several lines.
#include <cuda_runtime.h>
#include <stdint.h>

template <typename Acc, int BLOCK>
__global__ void __launch_bounds__(BLOCK) row_sum(const float* __restrict__ x, float* __restrict__ y, int64_t R, int64_t D) {
    extern __shared__ __align__(16) unsigned char smem_raw[];
    Acc* s = reinterpret_cast<Acc*>(smem_raw);
    const int64_t row = blockIdx.x + (int64_t)blockIdx.y * gridDim.x;
    if (row >= R) return;  // uniform across the block
    Acc acc = 0;
    for (int64_t d = threadIdx.x; d < D; d += BLOCK) acc += x[row * D + d];
    s[threadIdx.x] = acc;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
        if (threadIdx.x < stride) s[threadIdx.x] += s[threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0) y[row] = (float)s[0];
}

extern "C" int sum_reduce(const float* x, float* y, int64_t R, int64_t D, cudaStream_t stream) {
    constexpr int kBlock = 256;
    /* a comment with <<<not a launch>>> in it */
    const char* note = "<<<also not a launch>>>";
    (void)note;
    row_sum<double, kBlock>
        <<<dim3((unsigned)((R + 1) / 2), (unsigned)(std::min<int64_t>(R, 2))),
           dim3(kBlock, 1, 1),
           kBlock * sizeof(double), stream>>>(
            x, y,
            R, D);
    return (int)cudaGetLastError();
}
