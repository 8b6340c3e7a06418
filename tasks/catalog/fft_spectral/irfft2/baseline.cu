// Baseline for `irfft2`: complex-to-real inverse 2-D DFT with s = (M, N), norm="backward", of an
// arbitrary (non-Hermitian) half spectrum (re + i*im)[B, M, Nh], Nh = N/2 + 1:
//   x[b, m, n] = 1/(M*N) * sum_{u, v<Nh} c_v * Re(X[b, u, v] * exp(+2*pi*i*(u*m/M + v*n/N)))
//   c_0 = 1, c_{N/2} = 1 (N even), every other c_v = 2
// (pocketfft's rule: inverse complex DFT down the columns, then the imaginary parts of the DC
// and Nyquist bins are dropped and each row is treated as half of a Hermitian spectrum).
// Plain CUDA, two direct O(L^2) passes, as baseline.c:
//   1. cols_kernel: one block per row m of the intermediate (b, m): thread v < Nh computes
//      T[b, m, v] = c_v * sum_u X[b, u, v] * exp(+2*pi*i*u*m/M) (loads coalesced across v, the
//      twiddle is the same for the whole block).
//   2. rows_kernel: one block per output row (b, m): the T row and the twiddle table of length N
//      are staged in shared memory; thread n computes
//      x[b, m, n] = 1/(MN) * sum_v (T_re cos - T_im sin)(2*pi*v*n/N).
// Twiddle angles are reduced exactly in integers ((k*n) mod L), tabulated in double per block
// and stored as float; sums are in float (as baseline.c). T is a split-complex [B, M, Nh] scratch.
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

__global__ void cols_kernel(const float* __restrict__ re, const float* __restrict__ im,
                            float* __restrict__ tr, float* __restrict__ ti, int64_t B, int64_t M,
                            int64_t N) {
    extern __shared__ float sh[];
    float* c = sh;      // M
    float* s = sh + M;  // M
    const int64_t Nh = N / 2 + 1;
    fill_twiddles(c, s, M);
    __syncthreads();
    for (int64_t row = blockIdx.x; row < B * M; row += gridDim.x) {
        const int64_t b = row / M;
        const int64_t m = row % M;
        const float* xr = re + b * M * Nh;
        const float* xi = im + b * M * Nh;
        for (int64_t v = threadIdx.x; v < Nh; v += blockDim.x) {
            float ar = 0.0f, ai = 0.0f;
            int64_t t = 0;  // u*m mod M
            for (int64_t u = 0; u < M; ++u) {
                const float a = xr[u * Nh + v], q = xi[u * Nh + v];
                ar += a * c[t] - q * s[t];  // (a + i q)(c + i s)
                ai += q * c[t] + a * s[t];
                t += m;
                if (t >= M) t -= M;
            }
            const float w = (v == 0 || 2 * v == N) ? 1.0f : 2.0f;  // c_v
            tr[row * Nh + v] = w * ar;
            ti[row * Nh + v] = w * ai;
        }
    }
}

__global__ void rows_kernel(const float* __restrict__ tr, const float* __restrict__ ti,
                            float* __restrict__ x, int64_t rows, int64_t M, int64_t N) {
    extern __shared__ float sh[];
    const int64_t Nh = N / 2 + 1;
    float* c = sh;                // N
    float* s = sh + N;            // N
    float* ar = sh + 2 * N;       // Nh
    float* ai = sh + 2 * N + Nh;  // Nh
    fill_twiddles(c, s, N);
    const float scale = 1.0f / (float)(M * N);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t v = threadIdx.x; v < Nh; v += blockDim.x) {
            ar[v] = tr[row * Nh + v];
            ai[v] = ti[row * Nh + v];
        }
        __syncthreads();  // also covers the twiddles on the first row
        for (int64_t n = threadIdx.x; n < N; n += blockDim.x) {
            float acc = 0.0f;
            int64_t t = 0;  // v*n mod N
            for (int64_t v = 0; v < Nh; ++v) {
                acc += ar[v] * c[t] - ai[v] * s[t];
                t += n;
                if (t >= N) t -= N;
            }
            x[row * N + n] = acc * scale;
        }
        __syncthreads();  // ar/ai are overwritten by this block's next row
    }
}

extern "C" int irfft2(const float* re, const float* im, float* x, int64_t B, int64_t M, int64_t N,
                      cudaStream_t stream) {
    const int64_t rows = B * M;
    const int64_t Nh = N / 2 + 1;
    if (rows == 0 || N == 0) return 0;
    float* t = nullptr;  // column-pass result, split complex [2, B, M, Nh]
    cudaMallocAsync((void**)&t, sizeof(float) * 2 * (size_t)(rows * Nh), stream);
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)M, stream>>>(re, im, t,
                                                                            t + rows * Nh, B, M, N);
    rows_kernel<<<blocks, THREADS, sizeof(float) * (2 * (size_t)N + 2 * (size_t)Nh), stream>>>(
        t, t + rows * Nh, x, rows, M, N);
    cudaFreeAsync(t, stream);
    return (int)cudaGetLastError();
}
