// Baseline for `pat_ch_partial_gaussian_channel_attention` (PATNet PAT_ch, assumed form), NCHW f32,
// Cp = C / N_DIV convolved channels, Cu = C - Cp untouched channels:
//   y[:, :Cp] = conv3x3(x[:, :Cp], w)   (stride 1, zero pad 1, no bias)
//   g[b,c] = mean_{h,w} x[b, Cp+c];  m, var = mean / population variance of g[b, :] over c < Cu
//   y[:, Cp+c] = x[:, Cp+c] * exp(-((g - m) / sqrt(var + EPS))^2 * CG / 2)
// Plain CUDA in four launches:
//   1. conv_kernel:  one thread per output element of the Cp convolved channels.
//   2. pool_kernel:  one block per untouched (b, c) plane, double partial sums + tree reduction.
//   3. gauss_kernel: one thread per image b computes m and var over its Cu means (double) and the
//                    Cu attention weights.
//   4. scale_kernel: one block per untouched plane rescales it by its weight.
// The means and weights live in [B, Cu] scratch buffers.
#include <cstdint>
#include <cuda_runtime.h>

#define N_DIV 4      // attr n_div
#define CG 2.0       // attr cg
#define EPS 1e-5     // attr eps
#define THREADS 256  // power of two for the tree reduction
#define MAX_BLOCKS 65535

__global__ void conv_kernel(const float* __restrict__ x, const float* __restrict__ w,
                            float* __restrict__ y, int64_t B, int64_t C, int64_t Cp, int64_t H,
                            int64_t W) {
    const int64_t plane = H * W;
    const int64_t total = B * Cp * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < total;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % W;
        const int64_t i = (e / W) % H;
        const int64_t o = (e / plane) % Cp;
        const int64_t b = e / (plane * Cp);
        const float* xb = x + b * C * plane;
        float s = 0.0f;
        for (int64_t c = 0; c < Cp; ++c) {
            const float* xc = xb + c * plane;
            const float* wk = w + (o * Cp + c) * 9;
            for (int u = 0; u < 3; ++u) {
                const int64_t ii = i + u - 1;
                if (ii < 0 || ii >= H) continue;
                for (int v = 0; v < 3; ++v) {
                    const int64_t jj = j + v - 1;
                    if (jj < 0 || jj >= W) continue;
                    s += wk[u * 3 + v] * xc[ii * W + jj];
                }
            }
        }
        y[(b * C + o) * plane + i * W + j] = s;
    }
}

// g[b*Cu + c] = mean of plane (b, Cp + c)
__global__ void pool_kernel(const float* __restrict__ x, double* __restrict__ g, int64_t B,
                            int64_t C, int64_t Cp, int64_t plane) {
    __shared__ double partial[THREADS];
    const int64_t Cu = C - Cp;
    for (int64_t pl = blockIdx.x; pl < B * Cu; pl += gridDim.x) {
        const int64_t b = pl / Cu;
        const int64_t c = pl % Cu;
        const float* xp = x + (b * C + Cp + c) * plane;
        double s = 0.0;
        for (int64_t i = threadIdx.x; i < plane; i += THREADS) s += (double)xp[i];
        partial[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) g[pl] = partial[0] / (double)plane;
        __syncthreads();
    }
}

// a[b*Cu + c] = exp(-z^2 * CG / 2), z = (g - m) / sqrt(var + EPS) over the Cu means of image b
__global__ void gauss_kernel(const double* __restrict__ g, float* __restrict__ a, int64_t B,
                             int64_t Cu) {
    for (int64_t b = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; b < B;
         b += (int64_t)gridDim.x * blockDim.x) {
        const double* gb = g + b * Cu;
        double m = 0.0, m2 = 0.0;
        for (int64_t c = 0; c < Cu; ++c) {
            m += gb[c];
            m2 += gb[c] * gb[c];
        }
        m /= (double)Cu;
        const double var = m2 / (double)Cu - m * m;
        const double inv = 1.0 / sqrt(var + EPS);
        for (int64_t c = 0; c < Cu; ++c) {
            const double z = (gb[c] - m) * inv;
            a[b * Cu + c] = (float)exp(-z * z * CG / 2.0);
        }
    }
}

__global__ void scale_kernel(const float* __restrict__ x, const float* __restrict__ a,
                             float* __restrict__ y, int64_t B, int64_t C, int64_t Cp,
                             int64_t plane) {
    const int64_t Cu = C - Cp;
    for (int64_t pl = blockIdx.x; pl < B * Cu; pl += gridDim.x) {
        const int64_t b = pl / Cu;
        const int64_t c = pl % Cu;
        const float att = a[pl];
        const int64_t off = (b * C + Cp + c) * plane;
        for (int64_t i = threadIdx.x; i < plane; i += THREADS) y[off + i] = x[off + i] * att;
    }
}

extern "C" int pat_ch_partial_gaussian_channel_attention(const float* x, const float* w, float* y,
                                                         int64_t B, int64_t C, int64_t H, int64_t W,
                                                         cudaStream_t stream) {
    const int64_t Cp = C / N_DIV;
    const int64_t Cu = C - Cp;
    const int64_t plane = H * W;
    if (B * C * plane == 0) return 0;
    double* g = nullptr;  // [B, Cu] means of the untouched channels
    float* a = nullptr;   // [B, Cu] attention weights
    cudaError_t err = cudaMallocAsync(&g, (size_t)(B * Cu) * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;
    err = cudaMallocAsync(&a, (size_t)(B * Cu) * sizeof(float), stream);
    if (err != cudaSuccess) {
        cudaFreeAsync(g, stream);
        return (int)err;
    }

    const int64_t conv_blocks = (B * Cp * plane + THREADS - 1) / THREADS;
    if (conv_blocks > 0)
        conv_kernel<<<(unsigned)(conv_blocks < MAX_BLOCKS ? conv_blocks : MAX_BLOCKS), THREADS, 0,
                      stream>>>(x, w, y, B, C, Cp, H, W);
    const unsigned plane_blocks = (unsigned)(B * Cu < MAX_BLOCKS ? B * Cu : MAX_BLOCKS);
    pool_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, g, B, C, Cp, plane);
    const int64_t gauss_blocks = (B + THREADS - 1) / THREADS;
    gauss_kernel<<<(unsigned)(gauss_blocks < MAX_BLOCKS ? gauss_blocks : MAX_BLOCKS), THREADS, 0,
                   stream>>>(g, a, B, Cu);
    scale_kernel<<<plane_blocks, THREADS, 0, stream>>>(x, a, y, B, C, Cp, plane);

    cudaFreeAsync(g, stream);
    cudaFreeAsync(a, stream);
    return (int)cudaGetLastError();
}
