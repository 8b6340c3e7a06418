// Baseline for `fft2`: forward 2-D DFT of a real signal x[B, M, N], norm="backward" (no scaling):
//   X[b, u, v] = sum_{m,n} x[b, m, n] * exp(-2*pi*i*(u*m/M + v*n/N)),  re = Re X, im = Im X.
// Works for any M, N. Plain CUDA, two direct O(L^2) passes, as baseline.c:
//   1. rows_kernel: one block per input row (b, m): the row and the twiddle table of length N
//      are staged in shared memory; thread v computes T[b, m, v] = sum_n x[n] * exp(-2*pi*i*v*n/N).
//   2. cols_kernel: one block per output row (b, u): thread v computes
//      X[b, u, v] = sum_m T[b, m, v] * exp(-2*pi*i*u*m/M); the loads of T are coalesced across v
//      and the twiddle is the same for the whole block.
// Twiddle angles are reduced exactly in integers ((k*n) mod L), tabulated in double per block
// and stored as float; sums are in float (as baseline.c). T is a split-complex [B, M, N] scratch.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define TWO_PI 6.283185307179586476925286766559

// c[t] = cos(2*pi*t/L), s[t] = sin(2*pi*t/L) for t < L.
__device__ void fill_twiddles(float* c, float* s, int64_t L) {
    for (int64_t t = threadIdx.x; t < L; t += blockDim.x) {
        const double a = TWO_PI * (double)t / (double)L;
        c[t] = (float)cos(a);
        s[t] = (float)sin(a);
    }
}

__global__ void rows_kernel(const float* __restrict__ x, float* __restrict__ tr,
                            float* __restrict__ ti, int64_t rows, int64_t N) {
    extern __shared__ float sh[];
    float* c = sh;          // N
    float* s = sh + N;      // N
    float* xr = sh + 2 * N; // N
    fill_twiddles(c, s, N);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t n = threadIdx.x; n < N; n += blockDim.x) xr[n] = x[row * N + n];
        __syncthreads();  // also covers the twiddles on the first row
        for (int64_t v = threadIdx.x; v < N; v += blockDim.x) {
            float a = 0.0f, q = 0.0f;
            int64_t t = 0;  // v*n mod N
            for (int64_t n = 0; n < N; ++n) {
                a += xr[n] * c[t];
                q -= xr[n] * s[t];
                t += v;
                if (t >= N) t -= N;
            }
            tr[row * N + v] = a;
            ti[row * N + v] = q;
        }
        __syncthreads();  // xr is overwritten by this block's next row
    }
}

__global__ void cols_kernel(const float* __restrict__ tr, const float* __restrict__ ti,
                            float* __restrict__ re, float* __restrict__ im, int64_t B, int64_t M,
                            int64_t N) {
    extern __shared__ float sh[];
    float* c = sh;      // M
    float* s = sh + M;  // M
    fill_twiddles(c, s, M);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < B * M; orow += gridDim.x) {
        const int64_t b = orow / M;
        const int64_t u = orow % M;
        const float* ar = tr + b * M * N;
        const float* ai = ti + b * M * N;
        for (int64_t v = threadIdx.x; v < N; v += blockDim.x) {
            float yr = 0.0f, yi = 0.0f;
            int64_t t = 0;  // u*m mod M
            for (int64_t m = 0; m < M; ++m) {
                const float a = ar[m * N + v], q = ai[m * N + v];
                yr += a * c[t] + q * s[t];  // (a + i q)(c - i s)
                yi += q * c[t] - a * s[t];
                t += u;
                if (t >= M) t -= M;
            }
            re[orow * N + v] = yr;
            im[orow * N + v] = yi;
        }
    }
}

extern "C" int fft2(const float* x, float* re, float* im, int64_t B, int64_t M, int64_t N,
                    cudaStream_t stream) {
    const int64_t rows = B * M;
    if (rows == 0 || N == 0) return 0;
    float* t = nullptr;  // row-pass result, split complex [2, B, M, N]
    cudaMallocAsync((void**)&t, sizeof(float) * 2 * (size_t)(rows * N), stream);
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    rows_kernel<<<blocks, THREADS, sizeof(float) * 3 * (size_t)N, stream>>>(x, t, t + rows * N,
                                                                            rows, N);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)M, stream>>>(t, t + rows * N, re, im,
                                                                            B, M, N);
    cudaFreeAsync(t, stream);
    return (int)cudaGetLastError();
}
