// Baseline for `grn_global_response_norm` (ConvNeXt V2 / UniRepLKNet GRN), NHWC f32:
//   G[n,c]  = sqrt(sum_{h,w} x[n,h,w,c]^2)             (accumulated in double)
//   Nx[n,c] = G[n,c] / ((1/C) sum_c' G[n,c'] + EPS)
//   y       = (gamma[c] * Nx[n,c] + 1) * x + beta[c]
// Plain CUDA in three launches, because every output needs the mean norm over all channels:
//   1. sumsq_kernel: grid (channel tiles of CT, images). A CT x ROWS block: thread (tx, ty) adds
//      up channel c0 + tx over the positions ty, ty + ROWS, ... (consecutive tx read consecutive
//      channels, so the loads are coalesced), then the ROWS partial sums of each channel are
//      added in shared memory -> ss[n, c] (double scratch).
//   2. scale_kernel: one block per image: G = sqrt(ss), a tree reduction gives the channel mean,
//      and scale[n, c] = gamma[c] * Nx[n, c] + 1 is written (float scratch).
//   3. apply_kernel: y = scale[n, c] * x + beta[c], element-wise (grid-stride).
// Both scratch buffers are allocated on the caller's stream.
#include <cstdint>
#include <cuda_runtime.h>

#define EPS 1e-6          // attr eps
#define CT 32             // channels per sumsq block
#define ROWS 8            // position rows per sumsq block (CT * ROWS = 256 threads)
#define THREADS 256       // threads per block for the other kernels; a power of two
#define MAX_BLOCKS 65535

// ss[n, c] = sum over the H*W positions of x[n, p, c]^2.
__global__ void sumsq_kernel(const float* __restrict__ x, double* __restrict__ ss,
                             int64_t P, int64_t C) {
    __shared__ double part[ROWS][CT];
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t n = blockIdx.y;
    const int64_t c = (int64_t)blockIdx.x * CT + tx;
    double s = 0.0;
    if (c < C) {
        const float* xn = x + n * P * C + c;
        for (int64_t p = ty; p < P; p += ROWS) {
            const double v = (double)xn[p * C];
            s += v * v;
        }
    }
    part[ty][tx] = s;
    __syncthreads();
    if (ty == 0 && c < C) {
        double t = 0.0;
        for (int r = 0; r < ROWS; ++r) t += part[r][tx];
        ss[n * C + c] = t;
    }
}

// scale[n, c] = gamma[c] * G[n, c] / (mean_c G[n, :] + EPS) + 1, one block per image n.
__global__ void scale_kernel(const double* __restrict__ ss, const float* __restrict__ gamma,
                             float* __restrict__ scale, int64_t C) {
    __shared__ double red[THREADS];
    const int64_t n = blockIdx.x;
    double s = 0.0;
    for (int64_t c = threadIdx.x; c < C; c += THREADS) s += sqrt(ss[n * C + c]);
    red[threadIdx.x] = s;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) red[threadIdx.x] += red[threadIdx.x + stride];
        __syncthreads();
    }
    const double denom = red[0] / (double)C + EPS;
    for (int64_t c = threadIdx.x; c < C; c += THREADS)
        scale[n * C + c] = (float)((double)gamma[c] * (sqrt(ss[n * C + c]) / denom) + 1.0);
}

// y[n, p, c] = scale[n, c] * x[n, p, c] + beta[c].
__global__ void apply_kernel(const float* __restrict__ x, const float* __restrict__ scale,
                             const float* __restrict__ beta, float* __restrict__ y,
                             int64_t total, int64_t P, int64_t C) {
    for (int64_t i = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; i < total;
         i += (int64_t)gridDim.x * blockDim.x) {
        const int64_t c = i % C;
        const int64_t n = i / (P * C);
        y[i] = scale[n * C + c] * x[i] + beta[c];
    }
}

extern "C" int grn_global_response_norm(const float* x, const float* gamma, const float* beta,
                                        float* y, int64_t N, int64_t H, int64_t W, int64_t C,
                                        cudaStream_t stream) {
    const int64_t P = H * W;
    const int64_t total = N * P * C;
    if (total == 0) return 0;
    double* ss = nullptr;
    float* scale = nullptr;
    cudaMallocAsync((void**)&ss, sizeof(double) * (size_t)(N * C), stream);
    cudaMallocAsync((void**)&scale, sizeof(float) * (size_t)(N * C), stream);

    const dim3 sblock(CT, ROWS);
    const dim3 sgrid((unsigned)((C + CT - 1) / CT), (unsigned)N);
    sumsq_kernel<<<sgrid, sblock, 0, stream>>>(x, ss, P, C);
    scale_kernel<<<(unsigned)N, THREADS, 0, stream>>>(ss, gamma, scale, C);
    const int64_t blocks = (total + THREADS - 1) / THREADS;
    apply_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        x, scale, beta, y, total, P, C);

    cudaFreeAsync(ss, stream);
    cudaFreeAsync(scale, stream);
    return (int)cudaGetLastError();
}
