// Baseline for `cp_separable_conv2d`: rank-R CP kernel, NCHW f32, stride 1, zero pad K/2.
//   Wk[o,c,u,v] = sum_r A[o,c,r,u] * B[o,c,r,v]
//   y[n,o,i,j]  = bias[o] + sum_{c,u,v} Wk[o,c,u,v] * x[n,c,i+u-K/2,j+v-K/2]
// Plain CUDA in two launches: rebuild the dense kernel Wk into scratch (one thread per entry),
// then a direct convolution written as an implicit GEMM: Y[o, p] = sum_kk Wk[o, kk] * X[kk, p]
// per image, with kk = (c*K + u)*K + v (Wk's natural layout) and X[kk, p] the input pixel that
// tap (c, u, v) of output pixel p reads (0 in the padding), gathered on the fly. 16x16 tiles of
// both operands are staged in shared memory so each loaded value serves 16 products.
#include <cstdint>
#include <cuda_runtime.h>

constexpr int K = 5;      // attr k
constexpr int R = 3;      // attr rank
constexpr int PAD = K / 2;
constexpr int TILE = 16;

// wk[oc, u, v] = sum_r A[oc, r, u] * B[oc, r, v] for every (o, c) pair oc < Cout*Cin.
__global__ void cp_reconstruct_kernel(const float* __restrict__ A, const float* __restrict__ B,
                                      float* __restrict__ wk, int64_t OC) {
    const int64_t total = OC * K * K;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t v = idx % K;
        const int64_t u = (idx / K) % K;
        const int64_t oc = idx / (K * K);
        float s = 0.0f;
        for (int r = 0; r < R; ++r) s += A[(oc * R + r) * K + u] * B[(oc * R + r) * K + v];
        wk[idx] = s;
    }
}

// y[n, o, p] = bias[o] + sum_{kk < Cin*K*K} wk[o, kk] * X_n[kk, p], p = i*W + j.
// Block (TILE, TILE): threadIdx.y = output channel within the tile, threadIdx.x = pixel.
// gridDim.y covers Cout, gridDim.z the images; x strides over the pixel tiles.
__global__ void conv_igemm_kernel(const float* __restrict__ wk, const float* __restrict__ x,
                                  const float* __restrict__ bias, float* __restrict__ y,
                                  int64_t Cin, int64_t Cout, int64_t H, int64_t W) {
    __shared__ float ws[TILE][TILE + 1];  // wk[o0 + ty, k0 + tx]
    __shared__ float xs[TILE][TILE];      // X_n[k0 + ty, p0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t n = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const int64_t P = H * W;
    const int64_t KD = Cin * K * K;  // reduction length
    const float* xn = x + n * Cin * P;
    const int64_t ptiles = (P + TILE - 1) / TILE;
    for (int64_t pt = blockIdx.x; pt < ptiles; pt += gridDim.x) {
        const int64_t p = pt * TILE + tx;
        const int64_t i = p / W, j = p % W;
        float acc = 0.0f;
        for (int64_t k0 = 0; k0 < KD; k0 += TILE) {
            ws[ty][tx] = (o < Cout && k0 + tx < KD) ? wk[o * KD + k0 + tx] : 0.0f;
            // Gather tap kk = k0 + ty of pixel p (im2col on the fly).
            const int64_t kk = k0 + ty;
            float xv = 0.0f;
            if (kk < KD && p < P) {
                const int64_t c = kk / (K * K);
                const int64_t u = (kk / K) % K;
                const int64_t v = kk % K;
                const int64_t ii = i + u - PAD, jj = j + v - PAD;
                if (ii >= 0 && ii < H && jj >= 0 && jj < W) xv = xn[(c * H + ii) * W + jj];
            }
            xs[ty][tx] = xv;
            __syncthreads();
            for (int t = 0; t < TILE; ++t) acc += ws[ty][t] * xs[t][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < Cout && p < P) y[(n * Cout + o) * P + p] = bias[o] + acc;
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int cp_separable_conv2d(const float* x, const float* A, const float* B, const float* bias,
                                   float* y, int64_t N, int64_t Cin, int64_t Cout, int64_t H, int64_t W,
                                   cudaStream_t stream) {
    const int64_t wk_count = Cout * Cin * K * K;
    float* wk = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&wk, sizeof(float) * (size_t)wk_count, stream);
    if (err != cudaSuccess) return (int)err;

    const int threads = 256;
    cp_reconstruct_kernel<<<capped((wk_count + threads - 1) / threads), threads, 0, stream>>>(
        A, B, wk, Cout * Cin);

    const int64_t P = H * W;
    const dim3 block(TILE, TILE);
    const dim3 grid(capped((P + TILE - 1) / TILE), (unsigned)((Cout + TILE - 1) / TILE), (unsigned)N);
    conv_igemm_kernel<<<grid, block, 0, stream>>>(wk, x, bias, y, Cin, Cout, H, W);
    err = cudaGetLastError();

    cudaFreeAsync(wk, stream);
    return (int)err;
}
