// Baseline for `dcls_gauss_kernel_construct_conv2d` (DCLS "gauss", depthwise), NCHW f32.
// 1. Construct Kd[o] (KK x KK) = sum_m Wt[o,m] * G_m / (sum G_m + 1e-7), G_m a Gaussian centred
//    at column P[0,o,m] + KK/2, row P[1,o,m] + KK/2 with spreads |SIG[0,o,m]| + 0.27 (columns)
//    and |SIG[1,o,m]| + 0.27 (rows), evaluated on the KK x KK integer grid.
// 2. y = depthwise conv(x, Kd) + bias, stride 1, zero padding PAD (cross-correlation).
// Plain CUDA in two launches: construct_kernel (one block per channel; each thread owns some grid
// cells, the normalising sum of each Gaussian is a shared-memory tree reduction), then
// dwconv_kernel (one thread per output element, KK*KK taps accumulated in float).
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int KK = 17;  // attr dilated_kernel_size
constexpr int KC = 26;  // attr kernel_count
constexpr int PAD = 8;  // attr padding
constexpr int CONSTRUCT_THREADS = 256;  // power of two (tree reduction)

// kd[o, a, bb] for o < C: the dense kernel of channel o.
__global__ void construct_kernel(const float* __restrict__ Wt, const float* __restrict__ P,
                                 const float* __restrict__ SIG, float* __restrict__ kd, int64_t C) {
    __shared__ float red[CONSTRUCT_THREADS];
    __shared__ float acc[KK * KK];  // cell e is only touched by thread e % CONSTRUCT_THREADS
    const int t = threadIdx.x;
    for (int64_t o = blockIdx.x; o < C; o += gridDim.x) {
        for (int e = t; e < KK * KK; e += CONSTRUCT_THREADS) acc[e] = 0.0f;
        for (int m = 0; m < KC; ++m) {
            const float c0 = P[o * KC + m] + (float)(KK / 2);        // column centre (P[0])
            const float c1 = P[(C + o) * KC + m] + (float)(KK / 2);  // row centre (P[1])
            const float s0 = fabsf(SIG[o * KC + m]) + 0.27f;
            const float s1 = fabsf(SIG[(C + o) * KC + m]) + 0.27f;
            // Pass 1: sum of the Gaussian over the grid.
            float part = 0.0f;
            for (int e = t; e < KK * KK; e += CONSTRUCT_THREADS) {
                const float dc = ((float)(e % KK) - c0) / s0, dr = ((float)(e / KK) - c1) / s1;
                part += expf(-0.5f * (dc * dc + dr * dr));
            }
            red[t] = part;
            __syncthreads();
            for (int s = CONSTRUCT_THREADS / 2; s > 0; s >>= 1) {
                if (t < s) red[t] += red[t + s];
                __syncthreads();
            }
            const float scale = Wt[o * KC + m] / (red[0] + 1e-7f);
            __syncthreads();  // red[0] read by all before the next Gaussian reuses red
            // Pass 2: add the normalised, weighted Gaussian (recomputed: cheaper than storing it).
            for (int e = t; e < KK * KK; e += CONSTRUCT_THREADS) {
                const float dc = ((float)(e % KK) - c0) / s0, dr = ((float)(e / KK) - c1) / s1;
                acc[e] += scale * expf(-0.5f * (dc * dc + dr * dr));
            }
        }
        for (int e = t; e < KK * KK; e += CONSTRUCT_THREADS) kd[o * KK * KK + e] = acc[e];
        __syncthreads();  // acc is reset for the next channel
    }
}

// y[n,o,i,j] = bias[o] + sum_{a,bb<KK} kd[o,a,bb] * x[n,o,i+a-PAD,j+bb-PAD], Ho x Wo outputs.
__global__ void dwconv_kernel(const float* __restrict__ x, const float* __restrict__ kd,
                              const float* __restrict__ bias, float* __restrict__ y, int64_t N,
                              int64_t C, int64_t H, int64_t W, int64_t Ho, int64_t Wo) {
    const int64_t total = N * C * Ho * Wo;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = idx % Wo;
        const int64_t i = (idx / Wo) % Ho;
        const int64_t nc = idx / (Wo * Ho);
        const int64_t o = nc % C;
        const float* xc = x + nc * H * W;
        const float* ko = kd + o * KK * KK;
        float acc = bias[o];
        for (int a = 0; a < KK; ++a) {
            const int64_t ii = i + a - PAD;
            if (ii < 0 || ii >= H) continue;
            for (int bb = 0; bb < KK; ++bb) {
                const int64_t jj = j + bb - PAD;
                if (jj < 0 || jj >= W) continue;
                acc += ko[a * KK + bb] * xc[ii * W + jj];
            }
        }
        y[idx] = acc;
    }
}

extern "C" int dcls_gauss_kernel_construct_conv2d(const float* x, const float* Wt, const float* P,
                                                  const float* SIG, const float* bias, float* y,
                                                  int64_t N, int64_t C, int64_t H, int64_t W,
                                                  cudaStream_t stream) {
    const int64_t Ho = H + 2 * PAD - KK + 1, Wo = W + 2 * PAD - KK + 1;
    float* kd = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&kd, sizeof(float) * (size_t)(C * KK * KK), stream);
    if (err != cudaSuccess) return (int)err;

    construct_kernel<<<(unsigned)(C < 65535 ? C : 65535), CONSTRUCT_THREADS, 0, stream>>>(Wt, P, SIG, kd, C);

    const int64_t total = N * C * Ho * Wo;
    const int threads = 256;
    const int64_t blocks = (total + threads - 1) / threads;
    dwconv_kernel<<<(unsigned)(blocks < 65535 ? blocks : 65535), threads, 0, stream>>>(
        x, kd, bias, y, N, C, H, W, Ho, Wo);
    err = cudaGetLastError();

    cudaFreeAsync(kd, stream);
    return (int)err;
}
