// Baseline for `gated_short_conv1d` (LFM2 ShortConv, no biases), x, out [B, T, D] f32:
//   z = x w_in^T  -> Bg = z[:, :, 0:D], Cg = z[:, :, D:2D], xv = z[:, :, 2D:3D]
//   c[t,d] = sum_{j<LC} w_conv[d,j] (Bg * xv)[t - (LC-1) + j, d]    (causal; zero before t = 0)
//   out = (Cg * c) w_out^T
// Plain CUDA in three launches over scratch z [B*T, 3D] and yv [B*T, D]:
//   1. linear_kernel:    z = x w_in^T, a shared-memory tiled GEMM against the transposed weight.
//   2. conv_gate_kernel: one thread per (b, t, d) forms yv = Cg * c (the conv never crosses b).
//   3. linear_kernel:    out = yv w_out^T.
// Float accumulation, as in the C baseline.
#include <cstdint>
#include <cuda_runtime.h>

#define LC 3  // attr L
#define TILE 16
#define THREADS 256
#define MAX_BLOCKS 65535
#define MAX_GRID_Y 65535

// y[r, o] = sum_f x[r, f] * w[o, f]  (x [R, In], w [Out, In]); the weight tile is stored
// transposed in shared memory, padded by one column against bank conflicts.
__global__ void linear_kernel(const float* __restrict__ x, const float* __restrict__ w,
                              float* __restrict__ y, int64_t R, int64_t In, int64_t Out) {
    __shared__ float xs[TILE][TILE];      // xs[ty][tx] = x[r0 + ty, f0 + tx]
    __shared__ float ws[TILE][TILE + 1];  // ws[ff][oo] = w[o0 + oo, f0 + ff]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t o_load = (int64_t)blockIdx.x * TILE + ty;
    const int64_t col = (int64_t)blockIdx.x * TILE + tx;
    for (int64_t r0 = (int64_t)blockIdx.y * TILE; r0 < R; r0 += (int64_t)gridDim.y * TILE) {
        const int64_t row = r0 + ty;
        float acc = 0.0f;
        for (int64_t f0 = 0; f0 < In; f0 += TILE) {
            const int64_t f = f0 + tx;
            xs[ty][tx] = (row < R && f < In) ? x[row * In + f] : 0.0f;
            ws[tx][ty] = (o_load < Out && f < In) ? w[o_load * In + f] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += xs[ty][kk] * ws[kk][tx];
            __syncthreads();
        }
        if (row < R && col < Out) y[row * Out + col] = acc;
    }
}

__global__ void conv_gate_kernel(const float* __restrict__ z, const float* __restrict__ w_conv,
                                 float* __restrict__ yv, int64_t B, int64_t T, int64_t D) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * T * D;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t d = e % D;
        const int64_t t = (e / D) % T;
        const int64_t b = e / (D * T);
        float c = 0.0f;
        for (int j = 0; j < LC; ++j) {
            const int64_t tt = t - (LC - 1) + j;
            if (tt < 0) continue;
            const float* zt = z + (b * T + tt) * 3 * D;
            c += w_conv[d * LC + j] * (zt[d] * zt[2 * D + d]);  // Bg * xv
        }
        yv[e] = z[(b * T + t) * 3 * D + D + d] * c;  // Cg * conv
    }
}

static dim3 linear_grid(int64_t R, int64_t Out) {
    const int64_t row_tiles = (R + TILE - 1) / TILE;
    return dim3((unsigned)((Out + TILE - 1) / TILE),
                (unsigned)(row_tiles < MAX_GRID_Y ? row_tiles : MAX_GRID_Y));
}

extern "C" int gated_short_conv1d(const float* x, const float* w_in, const float* w_conv,
                                  const float* w_out, float* out, int64_t B, int64_t T, int64_t D,
                                  cudaStream_t stream) {
    const int64_t rows = B * T;
    if (rows * D == 0) return 0;
    float* z = nullptr;  // [B*T, 3D], then yv [B*T, D]
    cudaError_t err = cudaMallocAsync(&z, (size_t)(rows * 4 * D) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;
    float* yv = z + rows * 3 * D;

    const dim3 block(TILE, TILE);
    linear_kernel<<<linear_grid(rows, 3 * D), block, 0, stream>>>(x, w_in, z, rows, D, 3 * D);
    const int64_t blocks = (rows * D + THREADS - 1) / THREADS;
    conv_gate_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        z, w_conv, yv, B, T, D);
    linear_kernel<<<linear_grid(rows, D), block, 0, stream>>>(yv, w_out, out, rows, D, D);

    cudaFreeAsync(z, stream);
    return (int)cudaGetLastError();
}
