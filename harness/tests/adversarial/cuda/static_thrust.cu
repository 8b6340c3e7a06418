// expected: static_rejected vendor_library
// task: relu
// attack: lets Thrust write the kernel
#include <cstdint>
#include <cuda_runtime.h>
#include <thrust/transform.h>
#include <thrust/execution_policy.h>
struct Relu { __device__ float operator()(float v) const { return v > 0.0f ? v : 0.0f; } };
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    thrust::transform(thrust::cuda::par.on(stream), x, x + N, y, Relu());
    return 0;
}
