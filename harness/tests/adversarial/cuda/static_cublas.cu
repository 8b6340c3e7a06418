// expected: static_rejected vendor_library
// task: matmul
// attack: calls cuBLAS and reports the vendor's GEMM as its own kernel
#include <cstdint>
#include <cuda_runtime.h>
#include <cublas_v2.h>
extern "C" int matmul(const float* a, const float* b, float* c, int64_t M, int64_t N, int64_t K, cudaStream_t stream) {
    static cublasHandle_t h = nullptr;
    if (!h) cublasCreate(&h);
    cublasSetStream(h, stream);
    const float one = 1.0f, zero = 0.0f;
    cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, (int)N, (int)M, (int)K, &one, b, (int)N, a, (int)K, &zero, c, (int)N);
    return 0;
}
