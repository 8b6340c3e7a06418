// expected: mismatch unwritten_output
// task: relu
// attack: returns success without launching anything, hoping a stale result is left in the output buffer
#include <cstdint>
#include <cuda_runtime.h>
extern "C" int relu(const float* x, float* y, int64_t N, cudaStream_t stream) {
    (void)x; (void)y; (void)N; (void)stream;
    return 0;
}
