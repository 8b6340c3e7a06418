// Baseline for `weighted_conv2d` (Optimal Weighted Convolution, wConv2d), NCHW f32:
//   alfa = [den[0], .., den[half-1], 1, den[half-1], .., den[0]],  Phi[u][v] = alfa[u] * alfa[v]
//   y = conv2d(x, w * Phi), K = 7, stride 1, zero pad 3, dilation 1, groups 1, no bias
// Plain CUDA in two launches: weight_kernel builds the effective kernel w * Phi into scratch (one
// thread per weight; Phi comes from the `den` input at run time), then conv_igemm_kernel runs the
// convolution as an implicit GEMM: per image, Y[o, p] = sum_kk we[o, kk] * X[kk, p] with
// kk = (c*K + u)*K + v and X[kk, p] the input pixel tap (c, u, v) of output pixel p reads (0 in the
// padding), gathered on the fly; 16x16 tiles of both operands are staged in shared memory.
#include <cstdint>
#include <cuda_runtime.h>

constexpr int K = 7;    // attr k
constexpr int PAD = 3;  // attr pad (stride 1, dilation 1, groups 1)
constexpr int TILE = 16;

// alfa[t] for t < K: den mirrored around a centre weight of 1.
__device__ float alfa(const float* den, int t) {
    const int half = (K - 1) / 2;
    if (t < half) return den[t];
    if (t > half) return den[K - 1 - t];
    return 1.0f;
}

// we[o, c, u, v] = w[o, c, u, v] * alfa[u] * alfa[v]
__global__ void weight_kernel(const float* __restrict__ w, const float* __restrict__ den,
                              float* __restrict__ we, int64_t count) {
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < count;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int v = (int)(idx % K);
        const int u = (int)((idx / K) % K);
        we[idx] = w[idx] * (alfa(den, u) * alfa(den, v));
    }
}

// y[n, o, p] = sum_{kk < Cin*K*K} we[o, kk] * X_n[kk, p], p = i*W + j.
// Block (TILE, TILE): threadIdx.y = output channel within the tile, threadIdx.x = pixel;
// gridDim.y covers Cout, gridDim.z the images, x strides over the pixel tiles.
__global__ void conv_igemm_kernel(const float* __restrict__ we, const float* __restrict__ x,
                                  float* __restrict__ y, int64_t Cin, int64_t Cout, int64_t H,
                                  int64_t W) {
    __shared__ float ws[TILE][TILE + 1];  // we[o0 + ty, k0 + tx]
    __shared__ float xs[TILE][TILE];      // X_n[k0 + ty, p0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t n = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const int64_t P = H * W;
    const int64_t KD = Cin * K * K;
    const float* xn = x + n * Cin * P;
    const int64_t ptiles = (P + TILE - 1) / TILE;
    for (int64_t pt = blockIdx.x; pt < ptiles; pt += gridDim.x) {
        const int64_t p = pt * TILE + tx;
        const int64_t i = p / W, j = p % W;
        float acc = 0.0f;
        for (int64_t k0 = 0; k0 < KD; k0 += TILE) {
            ws[ty][tx] = (o < Cout && k0 + tx < KD) ? we[o * KD + k0 + tx] : 0.0f;
            const int64_t kk = k0 + ty;
            float xv = 0.0f;
            if (kk < KD && p < P) {
                const int64_t c = kk / (K * K);
                const int64_t ii = i + (kk / K) % K - PAD, jj = j + kk % K - PAD;
                if (ii >= 0 && ii < H && jj >= 0 && jj < W) xv = xn[(c * H + ii) * W + jj];
            }
            xs[ty][tx] = xv;
            __syncthreads();
            for (int t = 0; t < TILE; ++t) acc += ws[ty][t] * xs[t][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < Cout && p < P) y[(n * Cout + o) * P + p] = acc;
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int weighted_conv2d(const float* x, const float* w, const float* den, float* y, int64_t B,
                               int64_t Cin, int64_t Cout, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t count = Cout * Cin * K * K;
    float* we = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&we, sizeof(float) * (size_t)count, stream);
    if (err != cudaSuccess) return (int)err;

    const int threads = 256;
    weight_kernel<<<capped((count + threads - 1) / threads), threads, 0, stream>>>(w, den, we, count);

    const int64_t P = H * W;
    const dim3 block(TILE, TILE);
    const dim3 grid(capped((P + TILE - 1) / TILE), (unsigned)((Cout + TILE - 1) / TILE), (unsigned)B);
    conv_igemm_kernel<<<grid, block, 0, stream>>>(we, x, y, Cin, Cout, H, W);
    err = cudaGetLastError();

    cudaFreeAsync(we, stream);
    return (int)err;
}
