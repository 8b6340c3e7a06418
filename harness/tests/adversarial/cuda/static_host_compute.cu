// expected: static_rejected host_compute
// task: relu
// attack: copies the data to the host and computes there
#include <cstdint>
#include <cstdlib>
#include <cuda_runtime.h>
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    float* h = (float*)malloc(N * sizeof(float));
    cudaMemcpyAsync(h, x, N * sizeof(float), cudaMemcpyDeviceToHost, stream);
    cudaStreamSynchronize(stream);
    for (int64_t i = 0; i < N; ++i) h[i] = h[i] > 0.0f ? h[i] : 0.0f;
    cudaMemcpyAsync(y, h, N * sizeof(float), cudaMemcpyHostToDevice, stream);
    cudaStreamSynchronize(stream);
    free(h);
    return 0;
}
