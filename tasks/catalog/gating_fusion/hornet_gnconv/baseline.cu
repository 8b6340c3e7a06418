// Baseline for `hornet_gnconv` (HorNet g^n Conv, order 3), NCHW f32.
//   d0 = C/4, d1 = C/2, d2 = C, S = d0 + d1 + d2
//   f = W_in x + b_in; p0 = f[:d0]; a = f[d0:]
//   q = SCALE * (dwconv7x7(a, W_dw, pad 3) + b_dw); q0, q1, q2 = split(q, [d0, d1, d2])
//   z = p0*q0; z = (W_pw0 z + b_pw0)*q1; z = (W_pw1 z + b_pw1)*q2; y = W_out z + b_out
// Plain CUDA in six launches over scratch f [N, 2C, P], q [N, S, P], z0 [N, d0, P],
// z1 [N, d1, P], z2 [N, C, P] (P = H*W):
//   - pw_kernel: a 1x1 conv per image as a shared-memory tiled GEMM Out_n[CO, P] = M[CO, CI] In_n,
//     plus bias, optionally times a gate plane. Input, output and gate are channel slices of
//     bigger NCHW buffers, so each comes with its own per-image stride.
//   - dwconv_kernel: one thread per element of q.
//   - mul_kernel: z0 = p0 * q0, one thread per element.
// Float accumulation, as in the C baseline.
#include <cstdint>
#include <cuda_runtime.h>

#define SCALE (1.0f / 3.0f)  // attr scale
#define DW 7                 // depthwise kernel size
#define DW_PAD 3             // depthwise zero padding
#define TILE 16
#define THREADS 256
#define MAX_BLOCKS 65535
#define MAX_GRID_Z 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

// out[n, co, p] = (bias[co] + sum_ci M[co, ci] in[n, ci, p]) * (gate ? gate[n, co, p] : 1);
// in, out, gate advance by in_stride, CO*P and gate_stride floats per image.
__global__ void pw_kernel(const float* __restrict__ in, int64_t in_stride,
                          const float* __restrict__ M, const float* __restrict__ bias,
                          const float* __restrict__ gate, int64_t gate_stride,
                          float* __restrict__ out, int64_t N, int64_t CI, int64_t CO, int64_t P) {
    __shared__ float ms[TILE][TILE];  // ms[ty][tx] = M[co, k0 + tx]
    __shared__ float xs[TILE][TILE];  // xs[ty][tx] = in[n, k0 + ty, p]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t co = (int64_t)blockIdx.y * TILE + ty;
    const int64_t p = (int64_t)blockIdx.x * TILE + tx;
    for (int64_t n = blockIdx.z; n < N; n += gridDim.z) {
        const float* inn = in + n * in_stride;
        float acc = 0.0f;
        for (int64_t k0 = 0; k0 < CI; k0 += TILE) {
            const int64_t km = k0 + tx;
            const int64_t kx = k0 + ty;
            ms[ty][tx] = (co < CO && km < CI) ? M[co * CI + km] : 0.0f;
            xs[ty][tx] = (kx < CI && p < P) ? inn[kx * P + p] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += ms[ty][kk] * xs[kk][tx];
            __syncthreads();
        }
        if (co < CO && p < P) {
            float v = bias[co] + acc;
            if (gate != nullptr) v *= gate[n * gate_stride + co * P + p];
            out[(n * CO + co) * P + p] = v;
        }
    }
}

// q[n, c, i, j] = SCALE * (b_dw[c] + sum_{u,v} W_dw[c, u, v] a[n, c, i+u-3, j+v-3]),
// a[n, c] = f[n, d0 + c] (zero outside the image).
__global__ void dwconv_kernel(const float* __restrict__ f, const float* __restrict__ W_dw,
                              const float* __restrict__ b_dw, float* __restrict__ q, int64_t N,
                              int64_t C, int64_t d0, int64_t S, int64_t H, int64_t W) {
    const int64_t P = H * W;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * S * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % W;
        const int64_t i = (e / W) % H;
        const int64_t c = (e / P) % S;
        const int64_t n = e / (P * S);
        const float* ac = f + (n * 2 * C + d0 + c) * P;
        const float* k = W_dw + c * DW * DW;
        float s = 0.0f;
        for (int u = 0; u < DW; ++u) {
            const int64_t ii = i + u - DW_PAD;
            if (ii < 0 || ii >= H) continue;
            for (int v = 0; v < DW; ++v) {
                const int64_t jj = j + v - DW_PAD;
                if (jj < 0 || jj >= W) continue;
                s += k[u * DW + v] * ac[ii * W + jj];
            }
        }
        q[e] = SCALE * (s + b_dw[c]);
    }
}

// z0[n, c, p] = f[n, c, p] * q[n, c, p] for c < d0
__global__ void mul_kernel(const float* __restrict__ f, const float* __restrict__ q,
                           float* __restrict__ z0, int64_t N, int64_t C, int64_t d0, int64_t S,
                           int64_t P) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * d0 * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t cp = e % (d0 * P);  // c * P + p
        const int64_t n = e / (d0 * P);
        z0[e] = f[n * 2 * C * P + cp] * q[n * S * P + cp];
    }
}

extern "C" int hornet_gnconv(const float* x, const float* W_in, const float* b_in,
                             const float* W_dw, const float* b_dw, const float* W_pw0,
                             const float* b_pw0, const float* W_pw1, const float* b_pw1,
                             const float* W_out, const float* b_out, float* y, int64_t N,
                             int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t d0 = C / 4, d1 = C / 2, S = d0 + d1 + C, P = H * W;
    if (N * C * P == 0) return 0;
    const int64_t f_n = N * 2 * C * P, q_n = N * S * P, z0_n = N * d0 * P, z1_n = N * d1 * P;
    float* scratch = nullptr;  // f, q, z0, z1, z2
    cudaError_t err = cudaMallocAsync(
        &scratch, (size_t)(f_n + q_n + z0_n + z1_n + N * C * P) * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;
    float* f = scratch;
    float* q = f + f_n;
    float* z0 = q + q_n;
    float* z1 = z0 + z0_n;
    float* z2 = z1 + z1_n;

    const dim3 block(TILE, TILE);
    const unsigned gx = (unsigned)((P + TILE - 1) / TILE);
    const unsigned gz = (unsigned)(N < MAX_GRID_Z ? N : MAX_GRID_Z);
    const dim3 grid_in(gx, (unsigned)((2 * C + TILE - 1) / TILE), gz);
    const dim3 grid_d1(gx, (unsigned)((d1 + TILE - 1) / TILE), gz);
    const dim3 grid_c(gx, (unsigned)((C + TILE - 1) / TILE), gz);

    // f = W_in x + b_in
    pw_kernel<<<grid_in, block, 0, stream>>>(x, C * P, W_in, b_in, nullptr, 0, f, N, C, 2 * C, P);
    // q = SCALE * (dwconv(f[:, d0:]) + b_dw)
    dwconv_kernel<<<grid_for(q_n), THREADS, 0, stream>>>(f, W_dw, b_dw, q, N, C, d0, S, H, W);
    // z0 = p0 * q0
    mul_kernel<<<grid_for(z0_n), THREADS, 0, stream>>>(f, q, z0, N, C, d0, S, P);
    // z1 = (W_pw0 z0 + b_pw0) * q1
    pw_kernel<<<grid_d1, block, 0, stream>>>(z0, d0 * P, W_pw0, b_pw0, q + d0 * P, S * P, z1, N, d0,
                                             d1, P);
    // z2 = (W_pw1 z1 + b_pw1) * q2
    pw_kernel<<<grid_c, block, 0, stream>>>(z1, d1 * P, W_pw1, b_pw1, q + (d0 + d1) * P, S * P, z2,
                                            N, d1, C, P);
    // y = W_out z2 + b_out
    pw_kernel<<<grid_c, block, 0, stream>>>(z2, C * P, W_out, b_out, nullptr, 0, y, N, C, C, P);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
