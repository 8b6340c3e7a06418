// expected: mismatch input_copy
// task: relu
// attack: copies the input through, betting that ReLU's positive half is enough
#include <cstdint>
#include <cuda_runtime.h>
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    cudaMemcpyAsync(y, x, N * sizeof(float), cudaMemcpyDeviceToDevice, stream);
    return (int)cudaGetLastError();
}
