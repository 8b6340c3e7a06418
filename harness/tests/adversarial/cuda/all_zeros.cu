// expected: mismatch zero_output
// task: relu
// attack: writes zeros everywhere, betting on a loose tolerance
#include <cstdint>
#include <cuda_runtime.h>
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    cudaMemsetAsync(y, 0, N * sizeof(float), stream);
    return (int)cudaGetLastError();
}
