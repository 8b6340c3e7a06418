// Baseline for `monarch_block_fft`: FlashButterfly's recursive radix-16 block transform with
// learnable complex DFT blocks M_2, M_4, M_8, M_16 (applied exactly as given) and fixed twiddles:
//   BF(x, N) = M_N @ x                                             if N <= 16
//   else n = N/16:  Y[p, b] = exp(-2*pi*i*p*b/N) * sum_{a<16} M_16[p, a] x[a*n + b]
//                   X[q*16 + p] = BF(Y[p, :], n)[q]
// Plain CUDA, one block per row (grid-stride), the recursion unrolled into levels in shared
// memory. At level l the row is 16^l independent segments of length n_l = N / 16^l; each
// segment is replaced by its Y (segment p of the next level = Y[p, :]). When n_l <= 16 the leaf
// matrix M_{n_l} is applied per segment. Unwinding X[q*16 + p] = Z_p[q] level by level, the
// element at position seg*n_leaf + q ends at output index digitrev16(seg) + 16^levels * q, where
// digitrev16 reverses the `levels` base-16 digits of seg.
// The twiddles exp(-2*pi*i*t/N) for t < N are tabulated once per call in double and stored as
// float (a level of length n uses entry (p*b mod n) * (N/n)). Sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535
#define TWO_PI 6.283185307179586476925286766559

// tw_c[t] = cos(2*pi*t/N), tw_s[t] = sin(2*pi*t/N).
__global__ void twiddle_kernel(float* __restrict__ tw_c, float* __restrict__ tw_s, int64_t N) {
    for (int64_t t = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; t < N;
         t += (int64_t)gridDim.x * blockDim.x) {
        const double a = TWO_PI * (double)t / (double)N;
        tw_c[t] = (float)cos(a);
        tw_s[t] = (float)sin(a);
    }
}

struct Mats {  // the learnable blocks, indexed by size n in {2, 4, 8, 16}
    const float* re[17];
    const float* im[17];
};

__global__ void monarch_kernel(const float* __restrict__ xr, const float* __restrict__ xi, Mats mt,
                               const float* __restrict__ tw_c, const float* __restrict__ tw_s,
                               float* __restrict__ Xr, float* __restrict__ Xi, int64_t R,
                               int64_t N) {
    extern __shared__ float sh[];  // 4N floats: two split-complex buffers
    // number of radix-16 levels and the leaf length
    int levels = 0;
    int64_t leaf = N;
    while (leaf > 16) {
        leaf /= 16;
        ++levels;
    }
    const float* m16r = mt.re[16];
    const float* m16i = mt.im[16];
    const float* mlr = mt.re[leaf];
    const float* mli = mt.im[leaf];

    for (int64_t row = blockIdx.x; row < R; row += gridDim.x) {
        float* ar = sh;
        float* ai = sh + N;
        float* br = sh + 2 * N;
        float* bi = sh + 3 * N;
        for (int64_t e = threadIdx.x; e < N; e += THREADS) {
            ar[e] = xr[row * N + e];
            ai[e] = xi[row * N + e];
        }
        __syncthreads();

        // radix-16 levels: segments of length len, each split into 16 sub-segments of length n
        for (int64_t len = N; len > 16; len /= 16) {
            const int64_t n = len / 16;
            const int64_t tstep = N / len;  // twiddle table stride for a length-len transform
            for (int64_t e = threadIdx.x; e < N; e += THREADS) {
                const int64_t seg = e / len;
                const int64_t p = (e % len) / n;
                const int64_t b = e % n;
                const float* sr = ar + seg * len + b;
                const float* si = ai + seg * len + b;
                float accr = 0.0f, acci = 0.0f;
                for (int a = 0; a < 16; ++a) {
                    const float mr = m16r[p * 16 + a], mi = m16i[p * 16 + a];
                    const float vr = sr[a * n], vi = si[a * n];
                    accr += mr * vr - mi * vi;
                    acci += mr * vi + mi * vr;
                }
                const int64_t t = ((p * b) % len) * tstep;
                const float c = tw_c[t], s = -tw_s[t];  // exp(-i theta)
                br[e] = accr * c - acci * s;
                bi[e] = accr * s + acci * c;
            }
            __syncthreads();
            float* tr = ar; ar = br; br = tr;
            float* ti = ai; ai = bi; bi = ti;
        }

        // leaf blocks, written straight to the output in digit-reversed order
        for (int64_t e = threadIdx.x; e < N; e += THREADS) {
            const int64_t seg = e / leaf;
            const int64_t q = e % leaf;
            float accr = 0.0f, acci = 0.0f;
            for (int64_t a = 0; a < leaf; ++a) {
                const float mr = mlr[q * leaf + a], mi = mli[q * leaf + a];
                const float vr = ar[seg * leaf + a], vi = ai[seg * leaf + a];
                accr += mr * vr - mi * vi;
                acci += mr * vi + mi * vr;
            }
            int64_t rev = 0, s = seg;
            for (int l = 0; l < levels; ++l) {
                rev = rev * 16 + s % 16;
                s /= 16;
            }
            const int64_t out = rev + (N / leaf) * q;  // N / leaf = 16^levels
            Xr[row * N + out] = accr;
            Xi[row * N + out] = acci;
        }
        __syncthreads();  // the buffers are overwritten by this block's next row
    }
}

extern "C" int monarch_block_fft(const float* xr, const float* xi, const float* M2r,
                                 const float* M2i, const float* M4r, const float* M4i,
                                 const float* M8r, const float* M8i, const float* M16r,
                                 const float* M16i, float* Xr, float* Xi, int64_t R, int64_t N,
                                 cudaStream_t stream) {
    if (R == 0 || N < 2) return 0;
    Mats mt = {};
    mt.re[2] = M2r; mt.im[2] = M2i;
    mt.re[4] = M4r; mt.im[4] = M4i;
    mt.re[8] = M8r; mt.im[8] = M8i;
    mt.re[16] = M16r; mt.im[16] = M16i;
    float* tw = nullptr;  // [2, N]: cos then sin
    cudaMallocAsync((void**)&tw, sizeof(float) * 2 * (size_t)N, stream);
    const int64_t tblocks = (N + THREADS - 1) / THREADS;
    twiddle_kernel<<<(unsigned)(tblocks < MAX_BLOCKS ? tblocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        tw, tw + N, N);
    monarch_kernel<<<(unsigned)(R < MAX_BLOCKS ? R : MAX_BLOCKS), THREADS,
                     sizeof(float) * 4 * (size_t)N, stream>>>(xr, xi, mt, tw, tw + N, Xr, Xi, R, N);
    cudaFreeAsync(tw, stream);
    return (int)cudaGetLastError();
}
