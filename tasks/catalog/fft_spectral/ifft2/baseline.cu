// Baseline for `ifft2`: inverse 2-D DFT of a complex signal (re + i*im)[B, M, N], norm="backward":
//   z[b, m, n] = 1/(M*N) * sum_{u,v} Z[b, u, v] * exp(+2*pi*i*(u*m/M + v*n/N)),
//   out_re = Re z, out_im = Im z.
// Works for any M, N. Plain CUDA, two direct O(L^2) passes, as baseline.c:
//   1. rows_kernel: one block per input row (b, u): the complex row and the twiddle table of
//      length N are staged in shared memory; thread n computes T[b, u, n] = sum_v Z[v] e^{+2 pi i v n/N}.
//   2. cols_kernel: one block per output row (b, m): thread n computes
//      z[b, m, n] = 1/(MN) * sum_u T[b, u, n] * exp(+2*pi*i*u*m/M); the loads of T are coalesced
//      across n and the twiddle is the same for the whole block.
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

__global__ void rows_kernel(const float* __restrict__ re, const float* __restrict__ im,
                            float* __restrict__ tr, float* __restrict__ ti, int64_t rows,
                            int64_t N) {
    extern __shared__ float sh[];
    float* c = sh;           // N
    float* s = sh + N;       // N
    float* zr = sh + 2 * N;  // N
    float* zi = sh + 3 * N;  // N
    fill_twiddles(c, s, N);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t v = threadIdx.x; v < N; v += blockDim.x) {
            zr[v] = re[row * N + v];
            zi[v] = im[row * N + v];
        }
        __syncthreads();  // also covers the twiddles on the first row
        for (int64_t n = threadIdx.x; n < N; n += blockDim.x) {
            float a = 0.0f, q = 0.0f;
            int64_t t = 0;  // v*n mod N
            for (int64_t v = 0; v < N; ++v) {
                a += zr[v] * c[t] - zi[v] * s[t];  // (zr + i zi)(c + i s)
                q += zi[v] * c[t] + zr[v] * s[t];
                t += n;
                if (t >= N) t -= N;
            }
            tr[row * N + n] = a;
            ti[row * N + n] = q;
        }
        __syncthreads();  // zr/zi are overwritten by this block's next row
    }
}

__global__ void cols_kernel(const float* __restrict__ tr, const float* __restrict__ ti,
                            float* __restrict__ out_re, float* __restrict__ out_im, int64_t B,
                            int64_t M, int64_t N) {
    extern __shared__ float sh[];
    float* c = sh;      // M
    float* s = sh + M;  // M
    fill_twiddles(c, s, M);
    __syncthreads();
    const float scale = (float)(1.0 / (double)(M * N));
    for (int64_t orow = blockIdx.x; orow < B * M; orow += gridDim.x) {
        const int64_t b = orow / M;
        const int64_t m = orow % M;
        const float* ar = tr + b * M * N;
        const float* ai = ti + b * M * N;
        for (int64_t n = threadIdx.x; n < N; n += blockDim.x) {
            float yr = 0.0f, yi = 0.0f;
            int64_t t = 0;  // u*m mod M
            for (int64_t u = 0; u < M; ++u) {
                const float a = ar[u * N + n], q = ai[u * N + n];
                yr += a * c[t] - q * s[t];  // (a + i q)(c + i s)
                yi += q * c[t] + a * s[t];
                t += m;
                if (t >= M) t -= M;
            }
            out_re[orow * N + n] = yr * scale;
            out_im[orow * N + n] = yi * scale;
        }
    }
}

extern "C" int ifft2(const float* re, const float* im, float* out_re, float* out_im, int64_t B,
                     int64_t M, int64_t N, cudaStream_t stream) {
    const int64_t rows = B * M;
    if (rows == 0 || N == 0) return 0;
    float* t = nullptr;  // row-pass result, split complex [2, B, M, N]
    cudaMallocAsync((void**)&t, sizeof(float) * 2 * (size_t)(rows * N), stream);
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    rows_kernel<<<blocks, THREADS, sizeof(float) * 4 * (size_t)N, stream>>>(re, im, t,
                                                                            t + rows * N, rows, N);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)M, stream>>>(t, t + rows * N, out_re,
                                                                            out_im, B, M, N);
    cudaFreeAsync(t, stream);
    return (int)cudaGetLastError();
}
