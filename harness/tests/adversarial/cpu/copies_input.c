// expected: mismatch input_copy
// task: relu
// attack: copies the input through, betting that ReLU's positive half is enough
#include <stdint.h>
#include <string.h>

int relu(const float* x, float* y, int64_t N) {
    memcpy(y, x, (size_t)N * sizeof(float));
    return 0;
}
