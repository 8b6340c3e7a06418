// Baseline for `std_dct2_ii_unnormalized`: unnormalised 2-D DCT-II of every H x W plane of
// x[B, H, W] (scipy dctn(type=2, norm=None)), along W then along H:
//   X[k] = 2 * sum_n x[n] * cos(pi * k * (2n + 1) / (2L))
// Plain CUDA, two direct O(L^2) passes, as baseline.c:
//   1. rows_kernel: one block per row (b, h): the row and a table of 2*cos(pi*m/(2W)), m < 4W,
//      are staged in shared memory; thread k2 computes T[b, h, k2] = sum_w x[w] * tab[k2*(2w+1) mod 4W].
//   2. cols_kernel: one block per output row (b, k1): thread k2 computes
//      X[b, k1, k2] = sum_h tab[k1*(2h+1) mod 4H] * T[b, h, k2]; the loads of T are coalesced
//      across k2 and the table entry is the same for the whole block.
// The angle index is reduced exactly in integers; the tables are evaluated in double and stored
// as float; sums are in float (as baseline.c). T is a [B, H, W] float scratch buffer.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define PI 3.14159265358979323846

// tab[m] = 2 * cos(pi * m / (2L)) for m < 4L.
__device__ void fill_dct_table(float* tab, int64_t L) {
    for (int64_t m = threadIdx.x; m < 4 * L; m += blockDim.x)
        tab[m] = (float)(2.0 * cos(PI * (double)m / (double)(2 * L)));
}

__global__ void rows_kernel(const float* __restrict__ x, float* __restrict__ T, int64_t rows,
                            int64_t W) {
    extern __shared__ float sh[];
    float* tab = sh;         // 4W
    float* xr = sh + 4 * W;  // W
    fill_dct_table(tab, W);
    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        for (int64_t w = threadIdx.x; w < W; w += blockDim.x) xr[w] = x[row * W + w];
        __syncthreads();  // also covers the table on the first row
        for (int64_t k2 = threadIdx.x; k2 < W; k2 += blockDim.x) {
            const int64_t step = (2 * k2) % (4 * W);
            int64_t m = k2 % (4 * W);  // k2 * (2w + 1) mod 4W, advanced by 2*k2 per w
            float acc = 0.0f;
            for (int64_t w = 0; w < W; ++w) {
                acc += xr[w] * tab[m];
                m += step;
                if (m >= 4 * W) m -= 4 * W;
            }
            T[row * W + k2] = acc;
        }
        __syncthreads();  // xr is overwritten by this block's next row
    }
}

__global__ void cols_kernel(const float* __restrict__ T, float* __restrict__ X, int64_t B,
                            int64_t H, int64_t W) {
    extern __shared__ float tab[];  // 4H
    fill_dct_table(tab, H);
    __syncthreads();
    for (int64_t orow = blockIdx.x; orow < B * H; orow += gridDim.x) {
        const int64_t b = orow / H;
        const int64_t k1 = orow % H;
        const float* Tb = T + b * H * W;
        const int64_t step = (2 * k1) % (4 * H);
        for (int64_t k2 = threadIdx.x; k2 < W; k2 += blockDim.x) {
            int64_t m = k1 % (4 * H);  // k1 * (2h + 1) mod 4H
            float acc = 0.0f;
            for (int64_t h = 0; h < H; ++h) {
                acc += tab[m] * Tb[h * W + k2];
                m += step;
                if (m >= 4 * H) m -= 4 * H;
            }
            X[orow * W + k2] = acc;
        }
    }
}

extern "C" int std_dct2_ii_unnormalized(const float* x, float* X, int64_t B, int64_t H, int64_t W,
                                        cudaStream_t stream) {
    const int64_t rows = B * H;
    if (rows == 0 || W == 0) return 0;
    float* T = nullptr;  // [B, H, W] after the W pass
    cudaMallocAsync((void**)&T, sizeof(float) * (size_t)(rows * W), stream);
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    rows_kernel<<<blocks, THREADS, sizeof(float) * 5 * (size_t)W, stream>>>(x, T, rows, W);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 4 * (size_t)H, stream>>>(T, X, B, H, W);
    cudaFreeAsync(T, stream);
    return (int)cudaGetLastError();
}
