// Baseline for `bevanet_sdlska_kernel_selection` (BEVANet SDLSKA + CKS, K = 23 -> s = 5, k2 = 7,
// d = 3), NCHW f32, Ch = max(C/16, 32), BatchNorms folded to scale/shift:
//   As = dw5x5(x) + bs;  Ah = dw1x7_dil3(As) + bh;  Av = dw7x1_dil3(As) + bv;  S = As + Ah + Av
//   g = mean_{h,w} S;  z = relu(bnr(dr_c * (Wr g + br) + drb));  ce[e] = sigmoid(relu(bne(de_c * (We[e] z + be) + deb)))
//   m = (mean_c S, max_c S);  q[e] = sigmoid(conv7x7(m, Wsq[e]) + bsq[e])
//   attn = As ce0 q0 + Ah ce1 q1 + Av ce2 q2;  y = x * (wp attn + bp)
// Plain CUDA in nine launches over scratch buffers (As, Ah, Av [N, C, P], P = H*W, and the small
// g, z, ce, m, q):
//   1. square_dw_kernel, 2. strip_dw_kernel: the depthwise convs, one thread per element;
//   3. pool_kernel: one block per (n, c) plane, mean of S in double (shared-memory tree reduction);
//   4. reduce_kernel, 5. expand_kernel: the channel-selection MLP, one thread per output;
//   6. channel_stats_kernel: one thread per pixel, mean and max of S over channels;
//   7. spatial_kernel: one thread per (n, e, pixel), the 2 -> 3 channel 7x7 conv + sigmoid;
//   8. fuse_kernel: attn, written over As (each element reads only its own position);
//   9. proj_kernel: y = x * (wp attn + bp) as a per-image shared-memory tiled GEMM.
// Float accumulation except the double channel pools, as in the C baseline.
#include <cstdint>
#include <cuda_runtime.h>

#define S 5    // attr s (square kernel)
#define K2 7   // attr k2 (strip kernel length)
#define DIL 3  // attr d (strip dilation)
#define SQ 7   // spatial-selection conv size (pad 3)
#define TILE 16
#define THREADS 256  // power of two for the tree reduction
#define MAX_BLOCKS 65535
#define MAX_GRID_Z 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

__device__ float sigm(float t) { return 1.0f / (1.0f + expf(-t)); }
__device__ float relu(float t) { return t > 0.0f ? t : 0.0f; }

// As[n,c,i,j] = bs[c] + sum_{u,v<S} ws[c,u,v] x[n,c,i+u-S/2,j+v-S/2]
__global__ void square_dw_kernel(const float* __restrict__ x, const float* __restrict__ ws,
                                 const float* __restrict__ bs, float* __restrict__ As,
                                 int64_t NC, int64_t C, int64_t H, int64_t W) {
    const int64_t P = H * W;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < NC * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % W;
        const int64_t i = (e / W) % H;
        const int64_t nc = e / P;
        const int64_t c = nc % C;
        const float* xp = x + nc * P;
        const float* k = ws + c * S * S;
        float s = bs[c];
        for (int u = 0; u < S; ++u) {
            const int64_t ii = i + u - S / 2;
            if (ii < 0 || ii >= H) continue;
            for (int v = 0; v < S; ++v) {
                const int64_t jj = j + v - S / 2;
                if (jj < 0 || jj >= W) continue;
                s += k[u * S + v] * xp[ii * W + jj];
            }
        }
        As[e] = s;
    }
}

// Ah = bh + 1xK2 dilated conv of As along W; Av = bv + K2x1 dilated conv along H (zero padded).
__global__ void strip_dw_kernel(const float* __restrict__ As, const float* __restrict__ wh,
                                const float* __restrict__ bh, const float* __restrict__ wv,
                                const float* __restrict__ bv, float* __restrict__ Ah,
                                float* __restrict__ Av, int64_t NC, int64_t C, int64_t H,
                                int64_t W) {
    const int64_t P = H * W;
    const int64_t pad = DIL * (K2 - 1) / 2;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < NC * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % W;
        const int64_t i = (e / W) % H;
        const int64_t nc = e / P;
        const int64_t c = nc % C;
        const float* ap = As + nc * P;
        float sh = bh[c], sv = bv[c];
        for (int t = 0; t < K2; ++t) {
            const int64_t jj = j + t * DIL - pad;
            if (jj >= 0 && jj < W) sh += wh[c * K2 + t] * ap[i * W + jj];
            const int64_t ii = i + t * DIL - pad;
            if (ii >= 0 && ii < H) sv += wv[c * K2 + t] * ap[ii * W + j];
        }
        Ah[e] = sh;
        Av[e] = sv;
    }
}

// g[nc] = mean_p (As + Ah + Av)[nc, p]
__global__ void pool_kernel(const float* __restrict__ As, const float* __restrict__ Ah,
                            const float* __restrict__ Av, float* __restrict__ g, int64_t NC,
                            int64_t P) {
    __shared__ double partial[THREADS];
    for (int64_t nc = blockIdx.x; nc < NC; nc += gridDim.x) {
        const int64_t off = nc * P;
        double s = 0.0;
        for (int64_t i = threadIdx.x; i < P; i += THREADS)
            s += (double)As[off + i] + (double)Ah[off + i] + (double)Av[off + i];
        partial[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) g[nc] = (float)(partial[0] / (double)P);
        __syncthreads();
    }
}

// z[n,k] = relu(bnr_scale[k] * (dr[k,0,1,1] * (br[k] + sum_c Wr[k,c] g[n,c]) + drb[k]) + bnr_shift[k])
__global__ void reduce_kernel(const float* __restrict__ g, const float* __restrict__ Wr,
                              const float* __restrict__ br, const float* __restrict__ dr,
                              const float* __restrict__ drb, const float* __restrict__ bnr_scale,
                              const float* __restrict__ bnr_shift, float* __restrict__ z,
                              int64_t N, int64_t C, int64_t Ch) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * Ch;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t k = e % Ch;
        const int64_t n = e / Ch;
        float u = br[k];
        for (int64_t c = 0; c < C; ++c) u += Wr[k * C + c] * g[n * C + c];
        z[e] = relu(bnr_scale[k] * (dr[k * 9 + 4] * u + drb[k]) + bnr_shift[k]);
    }
}

// ce[n, e*C + c] = sigmoid(relu(bne_scale * (de[e,c,1,1] * (be + sum_k We[e,c,k] z[n,k]) + deb) + bne_shift))
__global__ void expand_kernel(const float* __restrict__ z, const float* __restrict__ We,
                              const float* __restrict__ be, const float* __restrict__ de,
                              const float* __restrict__ deb, const float* __restrict__ bne_scale,
                              const float* __restrict__ bne_shift, float* __restrict__ ce,
                              int64_t N, int64_t C, int64_t Ch) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * 3 * C;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t ec = e % (3 * C);  // branch e * C + channel c
        const int64_t n = e / (3 * C);
        float v = be[ec];
        for (int64_t k = 0; k < Ch; ++k) v += We[ec * Ch + k] * z[n * Ch + k];
        ce[e] = sigm(relu(bne_scale[ec] * (de[ec * 9 + 4] * v + deb[ec]) + bne_shift[ec]));
    }
}

// m[n, 0, p] = mean_c S[n, c, p],  m[n, 1, p] = max_c S[n, c, p]
__global__ void channel_stats_kernel(const float* __restrict__ As, const float* __restrict__ Ah,
                                     const float* __restrict__ Av, float* __restrict__ m,
                                     int64_t N, int64_t C, int64_t P) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % P;
        const int64_t n = e / P;
        double sum = 0.0;
        float mx = -INFINITY;
        for (int64_t c = 0; c < C; ++c) {
            const int64_t idx = (n * C + c) * P + p;
            const float sv = As[idx] + Ah[idx] + Av[idx];
            sum += sv;
            mx = fmaxf(mx, sv);
        }
        m[(n * 2 + 0) * P + p] = (float)(sum / (double)C);
        m[(n * 2 + 1) * P + p] = mx;
    }
}

// q[n, e, i, j] = sigmoid(bsq[e] + sum_{t<2,u,v<SQ} Wsq[e,t,u,v] m[n,t,i+u-3,j+v-3])
__global__ void spatial_kernel(const float* __restrict__ m, const float* __restrict__ Wsq,
                               const float* __restrict__ bsq, float* __restrict__ q, int64_t N,
                               int64_t H, int64_t W) {
    const int64_t P = H * W;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * 3 * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t j = e % W;
        const int64_t i = (e / W) % H;
        const int64_t br = (e / P) % 3;
        const int64_t n = e / (3 * P);
        float s = bsq[br];
        for (int t = 0; t < 2; ++t) {
            const float* mp = m + (n * 2 + t) * P;
            for (int u = 0; u < SQ; ++u) {
                const int64_t ii = i + u - SQ / 2;
                if (ii < 0 || ii >= H) continue;
                for (int v = 0; v < SQ; ++v) {
                    const int64_t jj = j + v - SQ / 2;
                    if (jj < 0 || jj >= W) continue;
                    s += Wsq[((br * 2 + t) * SQ + u) * SQ + v] * mp[ii * W + jj];
                }
            }
        }
        q[e] = sigm(s);
    }
}

// As <- As ce0 q0 + Ah ce1 q1 + Av ce2 q2 (in place)
__global__ void fuse_kernel(float* __restrict__ As, const float* __restrict__ Ah,
                            const float* __restrict__ Av, const float* __restrict__ ce,
                            const float* __restrict__ q, int64_t N, int64_t C, int64_t P) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < N * C * P;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t p = e % P;
        const int64_t c = (e / P) % C;
        const int64_t n = e / (P * C);
        const float* cn = ce + n * 3 * C;
        const float* qn = q + n * 3 * P;
        As[e] = As[e] * cn[c] * qn[p] + Ah[e] * cn[C + c] * qn[P + p] +
                Av[e] * cn[2 * C + c] * qn[2 * P + p];
    }
}

// y[n,o,p] = x[n,o,p] * (bp[o] + sum_c wp[o,c] attn[n,c,p]), a tiled GEMM per image.
__global__ void proj_kernel(const float* __restrict__ attn, const float* __restrict__ wp,
                            const float* __restrict__ bp, const float* __restrict__ x,
                            float* __restrict__ y, int64_t N, int64_t C, int64_t P) {
    __shared__ float ws[TILE][TILE];  // ws[ty][tx] = wp[o, k0 + tx]
    __shared__ float as[TILE][TILE];  // as[ty][tx] = attn[n, k0 + ty, p]
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int64_t o = (int64_t)blockIdx.y * TILE + ty;
    const int64_t p = (int64_t)blockIdx.x * TILE + tx;
    for (int64_t n = blockIdx.z; n < N; n += gridDim.z) {
        const float* an = attn + n * C * P;
        float acc = 0.0f;
        for (int64_t k0 = 0; k0 < C; k0 += TILE) {
            const int64_t kw = k0 + tx;
            const int64_t ka = k0 + ty;
            ws[ty][tx] = (o < C && kw < C) ? wp[o * C + kw] : 0.0f;
            as[ty][tx] = (ka < C && p < P) ? an[ka * P + p] : 0.0f;
            __syncthreads();
            for (int kk = 0; kk < TILE; ++kk) acc += ws[ty][kk] * as[kk][tx];
            __syncthreads();
        }
        if (o < C && p < P) {
            const int64_t idx = (n * C + o) * P + p;
            y[idx] = x[idx] * (bp[o] + acc);
        }
    }
}

extern "C" int bevanet_sdlska_kernel_selection(
    const float* x, const float* ws, const float* bs, const float* wh, const float* bh,
    const float* wv, const float* bv, const float* Wr, const float* br, const float* dr,
    const float* drb, const float* bnr_scale, const float* bnr_shift, const float* We,
    const float* be, const float* de, const float* deb, const float* bne_scale,
    const float* bne_shift, const float* Wsq, const float* bsq, const float* wp, const float* bp,
    float* y, int64_t N, int64_t C, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t Ch = C / 16 > 32 ? C / 16 : 32;
    const int64_t P = H * W;
    const int64_t NC = N * C;
    if (NC * P == 0) return 0;
    const int64_t big = NC * P;
    const size_t floats = (size_t)(3 * big + NC + N * Ch + 3 * NC + 2 * N * P + 3 * N * P);
    float* scratch = nullptr;
    cudaError_t err = cudaMallocAsync(&scratch, floats * sizeof(float), stream);
    if (err != cudaSuccess) return (int)err;
    float* As = scratch;        // [N, C, P], later attn
    float* Ah = As + big;       // [N, C, P]
    float* Av = Ah + big;       // [N, C, P]
    float* g = Av + big;        // [N, C]
    float* z = g + NC;          // [N, Ch]
    float* ce = z + N * Ch;     // [N, 3, C]
    float* m = ce + 3 * NC;     // [N, 2, P]
    float* q = m + 2 * N * P;   // [N, 3, P]

    square_dw_kernel<<<grid_for(big), THREADS, 0, stream>>>(x, ws, bs, As, NC, C, H, W);
    strip_dw_kernel<<<grid_for(big), THREADS, 0, stream>>>(As, wh, bh, wv, bv, Ah, Av, NC, C, H, W);
    pool_kernel<<<(unsigned)(NC < MAX_BLOCKS ? NC : MAX_BLOCKS), THREADS, 0, stream>>>(As, Ah, Av,
                                                                                    g, NC, P);
    reduce_kernel<<<grid_for(N * Ch), THREADS, 0, stream>>>(g, Wr, br, dr, drb, bnr_scale,
                                                            bnr_shift, z, N, C, Ch);
    expand_kernel<<<grid_for(3 * NC), THREADS, 0, stream>>>(z, We, be, de, deb, bne_scale,
                                                            bne_shift, ce, N, C, Ch);
    channel_stats_kernel<<<grid_for(N * P), THREADS, 0, stream>>>(As, Ah, Av, m, N, C, P);
    spatial_kernel<<<grid_for(3 * N * P), THREADS, 0, stream>>>(m, Wsq, bsq, q, N, H, W);
    fuse_kernel<<<grid_for(big), THREADS, 0, stream>>>(As, Ah, Av, ce, q, N, C, P);
    const dim3 grid((unsigned)((P + TILE - 1) / TILE), (unsigned)((C + TILE - 1) / TILE),
                    (unsigned)(N < MAX_GRID_Z ? N : MAX_GRID_Z));
    proj_kernel<<<grid, dim3(TILE, TILE), 0, stream>>>(As, wp, bp, x, y, N, C, P);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
