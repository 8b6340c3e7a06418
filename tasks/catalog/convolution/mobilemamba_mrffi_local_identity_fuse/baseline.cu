// Baseline for `mobilemamba_mrffi_local_identity_fuse` (MobileMamba MRFFI after the global branch),
// NCHW f32, channels split [Cg global | Cl local | Cid identity]:
//   cat = [ g | s_l * relu(b_l + dwconv_kxk(x[:, Cg:Cg+Cl])) + t_l | x[:, Cg+Cl:] ]
//   y   = b_p + w_p . relu(cat)                                          (1x1, C -> C)
// Plain CUDA in two launches: cat_relu_kernel (one thread per element of relu(cat), in scratch;
// the channel picks the source) and proj_kernel, the C x C projection as a shared-memory tiled
// matrix product per image (16x16 tiles of w_p and of relu(cat) per step).
#include <cstdint>
#include <cuda_runtime.h>

constexpr int KS = 3;  // attr k
constexpr int TILE = 16;

// r[b,c,i,j] = relu(cat[b,c,i,j]).
__global__ void cat_relu_kernel(const float* __restrict__ x, const float* __restrict__ g,
                                const float* __restrict__ w_l, const float* __restrict__ b_l,
                                const float* __restrict__ s_l, const float* __restrict__ t_l,
                                float* __restrict__ r, int64_t B, int64_t C, int64_t Cg, int64_t Cl,
                                int64_t H, int64_t W) {
    const int64_t P = H * W;
    const int64_t total = B * C * P;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = idx % P;
        const int64_t c = (idx / P) % C;
        const int64_t b = idx / (P * C);
        float v;
        if (c < Cg) {
            v = g[(b * Cg + c) * P + p];
        } else if (c < Cg + Cl) {
            const int64_t cl = c - Cg;
            const int64_t i = p / W, j = p % W;
            const float* xc = x + (b * C + c) * P;
            const float* kw = w_l + cl * KS * KS;
            float acc = b_l[cl];
            for (int u = 0; u < KS; ++u) {
                const int64_t ii = i + u - KS / 2;
                if (ii < 0 || ii >= H) continue;
                for (int q = 0; q < KS; ++q) {
                    const int64_t jj = j + q - KS / 2;
                    if (jj < 0 || jj >= W) continue;
                    acc += kw[u * KS + q] * xc[ii * W + jj];
                }
            }
            v = s_l[cl] * (acc > 0.0f ? acc : 0.0f) + t_l[cl];
        } else {
            v = x[idx];  // identity channel (same offset in x and in cat)
        }
        r[idx] = v > 0.0f ? v : 0.0f;
    }
}

// y[b,o,p] = b_p[o] + sum_c w_p[o,c] * r[b,c,p]. Block (TILE, TILE): threadIdx.y = output channel
// within the tile, threadIdx.x = pixel; gridDim.y covers C, gridDim.z the images.
__global__ void proj_kernel(const float* __restrict__ w_p, const float* __restrict__ b_p,
                            const float* __restrict__ r, float* __restrict__ y, int64_t C, int64_t P) {
    __shared__ float ws[TILE][TILE + 1];  // w_p[o0 + ty, c0 + tx]
    __shared__ float rs[TILE][TILE];      // r[b, c0 + ty, p0 + tx]
    const int tx = threadIdx.x, ty = threadIdx.y;
    const int64_t b = blockIdx.z;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const float* rb = r + b * C * P;
    const int64_t ptiles = (P + TILE - 1) / TILE;
    for (int64_t pt = blockIdx.x; pt < ptiles; pt += gridDim.x) {
        const int64_t p = pt * TILE + tx;
        float acc = 0.0f;
        for (int64_t c0 = 0; c0 < C; c0 += TILE) {
            ws[ty][tx] = (o < C && c0 + tx < C) ? w_p[o * C + c0 + tx] : 0.0f;
            rs[ty][tx] = (c0 + ty < C && p < P) ? rb[(c0 + ty) * P + p] : 0.0f;
            __syncthreads();
            for (int k = 0; k < TILE; ++k) acc += ws[ty][k] * rs[k][tx];
            __syncthreads();  // tiles are overwritten in the next step
        }
        if (o < C && p < P) y[(b * C + o) * P + p] = b_p[o] + acc;
    }
}

static unsigned capped(int64_t blocks) { return (unsigned)(blocks < 65535 ? blocks : 65535); }

extern "C" int mobilemamba_mrffi_local_identity_fuse(const float* x, const float* g, const float* w_l,
                                                     const float* b_l, const float* s_l,
                                                     const float* t_l, const float* w_p,
                                                     const float* b_p, float* y, int64_t B, int64_t C,
                                                     int64_t Cg, int64_t Cl, int64_t H, int64_t W,
                                                     cudaStream_t stream) {
    const int64_t P = H * W;
    const int64_t total = B * C * P;
    float* r = nullptr;
    cudaError_t err = cudaMallocAsync((void**)&r, sizeof(float) * (size_t)total, stream);
    if (err != cudaSuccess) return (int)err;

    const int threads = 256;
    cat_relu_kernel<<<capped((total + threads - 1) / threads), threads, 0, stream>>>(
        x, g, w_l, b_l, s_l, t_l, r, B, C, Cg, Cl, H, W);
    const dim3 block(TILE, TILE);
    const dim3 grid(capped((P + TILE - 1) / TILE), (unsigned)((C + TILE - 1) / TILE), (unsigned)B);
    proj_kernel<<<grid, block, 0, stream>>>(w_p, b_p, r, y, C, P);
    err = cudaGetLastError();

    cudaFreeAsync(r, stream);
    return (int)err;
}
