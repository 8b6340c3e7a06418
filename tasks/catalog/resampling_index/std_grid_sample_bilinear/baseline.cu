// Baseline for `std_grid_sample_bilinear`: F.grid_sample(mode='bilinear', padding_mode='zeros',
// align_corners=False), x[N, C, Hin, Win], grid[N, Ho, Wo, 2] (gx indexes the width) -> y[N, C, Ho, Wo]:
//   ix = ((gx + 1) * Win - 1) / 2,  iy = ((gy + 1) * Hin - 1) / 2
//   y  = bilinear blend of the four neighbours of (iy, ix); neighbours outside the input read 0.
// Plain CUDA: one thread per output point (n, i, j), grid-stride loop. The thread unnormalises its
// grid coordinate and finds the four taps and weights once, then loops over the C channels;
// neighbouring threads write neighbouring j of each channel plane, so the stores are coalesced.
#include <cstdint>
#include <cuda_runtime.h>

#define ALIGN_CORNERS 0  // attr align_corners
#define BORDER 0         // attr border
#define THREADS 256
#define MAX_BLOCKS 65535

__global__ void grid_sample_kernel(const float* __restrict__ x, const float* __restrict__ grid,
                                   float* __restrict__ y, int64_t N, int64_t C, int64_t Hin,
                                   int64_t Win, int64_t Ho, int64_t Wo) {
    const int64_t points = N * Ho * Wo;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < points;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % Wo;
        const int64_t i = (e / Wo) % Ho;
        const int64_t n = e / (Wo * Ho);
        const float gx = grid[e * 2];
        const float gy = grid[e * 2 + 1];
        float ix, iy;
        if (ALIGN_CORNERS) {
            ix = (gx + 1.0f) * 0.5f * (float)(Win - 1);
            iy = (gy + 1.0f) * 0.5f * (float)(Hin - 1);
        } else {
            ix = ((gx + 1.0f) * (float)Win - 1.0f) * 0.5f;
            iy = ((gy + 1.0f) * (float)Hin - 1.0f) * 0.5f;
        }
        if (BORDER) {
            ix = fminf(fmaxf(ix, 0.0f), (float)(Win - 1));
            iy = fminf(fmaxf(iy, 0.0f), (float)(Hin - 1));
        }
        const float fx = floorf(ix);
        const float fy = floorf(iy);
        const float wx = ix - fx;
        const float wy = iy - fy;
        const int64_t x0 = (int64_t)fx;
        const int64_t y0 = (int64_t)fy;
        const bool vx0 = x0 >= 0 && x0 < Win;
        const bool vx1 = x0 + 1 >= 0 && x0 + 1 < Win;
        const bool vy0 = y0 >= 0 && y0 < Hin;
        const bool vy1 = y0 + 1 >= 0 && y0 + 1 < Hin;

        for (int64_t c = 0; c < C; ++c) {
            const float* p = x + (n * C + c) * Hin * Win;
            float acc = 0.0f;
            if (vy0 && vx0) acc += (1.0f - wx) * (1.0f - wy) * p[y0 * Win + x0];
            if (vy0 && vx1) acc += wx * (1.0f - wy) * p[y0 * Win + x0 + 1];
            if (vy1 && vx0) acc += (1.0f - wx) * wy * p[(y0 + 1) * Win + x0];
            if (vy1 && vx1) acc += wx * wy * p[(y0 + 1) * Win + x0 + 1];
            y[((n * C + c) * Ho + i) * Wo + j] = acc;
        }
    }
}

extern "C" int std_grid_sample_bilinear(const float* x, const float* grid, float* y, int64_t N,
                                        int64_t C, int64_t Hin, int64_t Win, int64_t Ho, int64_t Wo,
                                        cudaStream_t stream) {
    const int64_t points = N * Ho * Wo;
    if (points == 0) return 0;
    const int64_t blocks = (points + THREADS - 1) / THREADS;
    grid_sample_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        x, grid, y, N, C, Hin, Win, Ho, Wo);
    return (int)cudaGetLastError();
}
