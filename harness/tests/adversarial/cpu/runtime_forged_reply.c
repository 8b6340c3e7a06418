// expected: runtime_error protocol_forgery
// task: relu
// attack: writes a fake `ran` reply onto the worker's protocol descriptor (fd 3) to end the call early
#include <stdint.h>
#include <string.h>
#include <unistd.h>

int relu(const float* x, float* y, int64_t N) {
    for (int64_t i = 0; i < N; ++i) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
    ssize_t (*w)(int, const void*, size_t) = write;
    const char* fake = "{\"id\":1,\"op\":\"ran\",\"status\":0,\"input_hashes_before\":[],\"input_hashes_after\":[],\"elapsed_ns\":1.0,\"late_write\":false}\n";
    w(3, fake, strlen(fake));
    return 0;
}
