// Baseline for `scalekd_dual_view_mimic_loss` (ScaleKD spatial + DC-removed frequency mimic loss).
//   loss_spat = ALPHA_SPAT/B * sum_{b,pixel} || l2n(s_spat[b, pixel, :]) - l2n(t[b, :, pixel]) ||^2
//   loss_freq = ALPHA_FREQ/B * same with hp() applied to both maps first
// l2n normalises each pixel's channel vector (norm clamped at 1e-12). hp(z) = idct2(dct2(z) with
// DC zeroed) is computed as z - mean_{h,w}(z) per (b, c) plane (identical in exact math).
// Plain CUDA, every sum in double: mean_kernel (one thread per (b, c): the plane means of s_freq
// and t), pixel_kernel (one block per (b, pixel), run once per view: the two channel norms and the
// squared difference, each a shared-memory tree reduction over C), and finalize_kernel (one
// block: sums the per-pixel terms of both views and writes the two scalars). No atomics, so the
// result is deterministic.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr double ALPHA_SPAT = 0.08;  // attr alpha_spat
constexpr double ALPHA_FREQ = 0.06;  // attr alpha_freq
constexpr int THREADS = 256;         // power of two (tree reductions)

// ms[b,c] = mean_p s[b,p,c] (tokens, channels last), mt[b,c] = mean_p t[b,c,p] (NCHW).
__global__ void mean_kernel(const float* __restrict__ s, const float* __restrict__ t,
                            double* __restrict__ ms, double* __restrict__ mt, int64_t B, int64_t C,
                            int64_t hw) {
    const int64_t total = B * C;
    for (int64_t idx = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; idx < total;
         idx += (int64_t)gridDim.x * blockDim.x) {
        const int64_t b = idx / C, c = idx % C;
        double a = 0.0, v = 0.0;
        for (int64_t p = 0; p < hw; ++p) {
            a += (double)s[(b * hw + p) * C + c];
            v += (double)t[idx * hw + p];
        }
        ms[idx] = a / (double)hw;
        mt[idx] = v / (double)hw;
    }
}

// Sum of v over the block, returned to every thread (all threads must call it).
__device__ double block_sum(double v, double* buf) {
    const int tid = threadIdx.x;
    buf[tid] = v;
    __syncthreads();
    for (int st = THREADS / 2; st > 0; st >>= 1) {
        if (tid < st) buf[tid] += buf[tid + st];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

// term[b*hw + p] = sum_c (a_c/|a| - v_c/|v|)^2 with a_c = s[b,p,c] - ms[b,c] and
// v_c = t[b,c,p] - mt[b,c] (the means are skipped when ms / mt are null: the spatial view).
__global__ void pixel_kernel(const float* __restrict__ s, const float* __restrict__ t,
                             const double* __restrict__ ms, const double* __restrict__ mt,
                             double* __restrict__ term, int64_t B, int64_t C, int64_t hw) {
    __shared__ double buf[THREADS];
    for (int64_t bp = blockIdx.x; bp < B * hw; bp += gridDim.x) {
        const int64_t b = bp / hw, p = bp % hw;
        const float* sp = s + bp * C;           // s[b, p, :]
        const float* tp = t + b * C * hw + p;   // t[b, :, p] with stride hw
        double na = 0.0, nv = 0.0;
        for (int64_t c = threadIdx.x; c < C; c += THREADS) {
            const double a = (double)sp[c] - (ms ? ms[b * C + c] : 0.0);
            const double v = (double)tp[c * hw] - (mt ? mt[b * C + c] : 0.0);
            na += a * a;
            nv += v * v;
        }
        na = fmax(sqrt(block_sum(na, buf)), 1e-12);
        nv = fmax(sqrt(block_sum(nv, buf)), 1e-12);
        double d2 = 0.0;
        for (int64_t c = threadIdx.x; c < C; c += THREADS) {
            const double a = ((double)sp[c] - (ms ? ms[b * C + c] : 0.0)) / na;
            const double v = ((double)tp[c * hw] - (mt ? mt[b * C + c] : 0.0)) / nv;
            d2 += (a - v) * (a - v);
        }
        d2 = block_sum(d2, buf);
        if (threadIdx.x == 0) term[bp] = d2;
    }
}

// loss_spat = ALPHA_SPAT * sum(term_spat) / B, loss_freq likewise. Launched with one block.
__global__ void finalize_kernel(const double* __restrict__ term_spat, const double* __restrict__ term_freq,
                                float* __restrict__ loss_spat, float* __restrict__ loss_freq, int64_t n,
                                int64_t B) {
    __shared__ double buf[THREADS];
    double a = 0.0, f = 0.0;
    for (int64_t i = threadIdx.x; i < n; i += THREADS) {
        a += term_spat[i];
        f += term_freq[i];
    }
    a = block_sum(a, buf);
    f = block_sum(f, buf);
    if (threadIdx.x == 0) {
        loss_spat[0] = (float)(ALPHA_SPAT * a / (double)B);
        loss_freq[0] = (float)(ALPHA_FREQ * f / (double)B);
    }
}

extern "C" int scalekd_dual_view_mimic_loss(const float* s_spat, const float* s_freq, const float* t,
                                            float* loss_spat, float* loss_freq, int64_t B, int64_t C,
                                            int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t hw = H * W;
    const int64_t npix = B * hw;
    // Scratch (double): ms [B*C], mt [B*C], per-pixel terms of the two views [B*hw] each.
    double* scratch = nullptr;
    cudaError_t err =
        cudaMallocAsync((void**)&scratch, sizeof(double) * (size_t)(2 * B * C + 2 * npix), stream);
    if (err != cudaSuccess) return (int)err;
    double* ms = scratch;
    double* mt = ms + B * C;
    double* term_spat = mt + B * C;
    double* term_freq = term_spat + npix;

    const int64_t mblocks = (B * C + THREADS - 1) / THREADS;
    mean_kernel<<<(unsigned)(mblocks < 65535 ? mblocks : 65535), THREADS, 0, stream>>>(s_freq, t, ms, mt,
                                                                                      B, C, hw);
    const unsigned pgrid = (unsigned)(npix < 65535 ? npix : 65535);
    pixel_kernel<<<pgrid, THREADS, 0, stream>>>(s_spat, t, nullptr, nullptr, term_spat, B, C, hw);
    pixel_kernel<<<pgrid, THREADS, 0, stream>>>(s_freq, t, ms, mt, term_freq, B, C, hw);
    finalize_kernel<<<1, THREADS, 0, stream>>>(term_spat, term_freq, loss_spat, loss_freq, npix, B);
    err = cudaGetLastError();

    cudaFreeAsync(scratch, stream);
    return (int)err;
}
