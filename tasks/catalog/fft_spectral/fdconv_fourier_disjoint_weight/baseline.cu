// Baseline for `fdconv_fourier_disjoint_weight` (FDConv Fourier disjoint weight), f32.
// M = Cout*KSZ, N = Cin*KSZ (even), Nh = N/2 + 1, nb = M*Nh bins f = u*Nh + v:
//   grp[f]  = (rank of (r2(f), f) among all bins) / (nb / KN),  r2 = u'^2 N^2 + v^2 M^2,
//             u' = u if u < ceil(M/2) else u - M            (FDConv's static `indices` buffer)
//   S[u,v]  = alpha * a[b, grp[f]] * (D[u,v,0] + i D[u,v,1]),  alpha = (min(Cout, Cin)/2) * KN
//   Z[m,v]  = sum_u S[u,v] exp(+2*pi*i*u*m/M)
//   w2[m,n] = (Re Z[m,0] + (-1)^n Re Z[m,N/2] + 2 sum_{0<v<N/2} Re(Z[m,v] exp(+2*pi*i*v*n/N))) / (M*N)
//   Wt[b,o,c,kh,kw] = w2[o*KSZ + kh, c*KSZ + kw]
// Plain CUDA in three launches, the direct separable inverse DFT of baseline.c:
//   1. group_kernel: one thread per bin computes its rank by comparing its exact 64-bit key with
//      every other bin's (keys are staged through shared memory a block-width tile at a time), an
//      O(nb^2) replacement for baseline.c's sort that needs no scratch beyond grp itself.
//   2. cols_kernel: one block per (b, m): thread v forms S on the fly and computes Z[b, m, v]
//      (loads coalesced across v; the twiddle is the same for the whole block).
//   3. rows_kernel: one block per (b, m): the Z row and the twiddle table of length N are staged in
//      shared memory; thread n evaluates the c2r sum and scatters w2[m, n] into Wt.
// Twiddles are tabulated per block in double (exact integer angle reduction) and stored as
// float; sums are in float, as in baseline.c.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define KSZ 3             // attr k
#define KN 64             // attr kn
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

// Radius key of bin f (proportional to its squared radius (u'/M)^2 + (v/N)^2).
__device__ int64_t bin_key(int64_t f, int64_t M, int64_t N, int64_t Nh) {
    const int64_t u = f / Nh, v = f % Nh;
    const int64_t us = u < (M + 1) / 2 ? u : u - M;
    return us * us * N * N + v * v * M * M;
}

__global__ void group_kernel(int* __restrict__ grp, int64_t M, int64_t N) {
    __shared__ int64_t tile[THREADS];
    const int64_t Nh = N / 2 + 1, nb = M * Nh, chunk = nb / KN;
    // f0 is the same for all threads of the block, so every thread reaches the barriers below
    for (int64_t f0 = (int64_t)blockIdx.x * THREADS; f0 < nb; f0 += (int64_t)gridDim.x * THREADS) {
        const int64_t f = f0 + threadIdx.x;
        const int64_t key = f < nb ? bin_key(f, M, N, Nh) : 0;
        int64_t rank = 0;  // number of bins ordered before (key, f)
        for (int64_t g0 = 0; g0 < nb; g0 += THREADS) {
            if (g0 + threadIdx.x < nb) tile[threadIdx.x] = bin_key(g0 + threadIdx.x, M, N, Nh);
            __syncthreads();
            const int64_t count = nb - g0 < THREADS ? nb - g0 : THREADS;
            for (int64_t t = 0; t < count; ++t) {
                const int64_t kg = tile[t];
                rank += (kg < key || (kg == key && g0 + t < f)) ? 1 : 0;
            }
            __syncthreads();  // the tile is overwritten next
        }
        if (f < nb) grp[f] = (int)(rank / chunk);
    }
}

__global__ void cols_kernel(const float* __restrict__ a, const float* __restrict__ D,
                            const int* __restrict__ grp, float* __restrict__ zr,
                            float* __restrict__ zi, int64_t B, int64_t M, int64_t Nh,
                            double alpha) {
    extern __shared__ float sh[];
    float* c = sh;      // M
    float* s = sh + M;  // M
    fill_twiddles(c, s, M);
    __syncthreads();
    for (int64_t row = blockIdx.x; row < B * M; row += gridDim.x) {
        const int64_t b = row / M;
        const int64_t m = row % M;
        for (int64_t v = threadIdx.x; v < Nh; v += blockDim.x) {
            float re = 0.0f, im = 0.0f;
            int64_t t = 0;  // u*m mod M
            for (int64_t u = 0; u < M; ++u) {
                const int64_t f = u * Nh + v;
                const float g = (float)(alpha * (double)a[b * KN + grp[f]]);
                const float sr = g * D[2 * f], si = g * D[2 * f + 1];
                re += sr * c[t] - si * s[t];  // (sr + i si)(c + i s)
                im += sr * s[t] + si * c[t];
                t += m;
                if (t >= M) t -= M;
            }
            zr[row * Nh + v] = re;
            zi[row * Nh + v] = im;
        }
    }
}

__global__ void rows_kernel(const float* __restrict__ zr, const float* __restrict__ zi,
                            float* __restrict__ Wt, int64_t B, int64_t Cout, int64_t Cin) {
    extern __shared__ float sh[];
    const int64_t M = Cout * KSZ, N = Cin * KSZ, Nh = N / 2 + 1;
    float* c = sh;                // N
    float* s = sh + N;            // N
    float* ar = sh + 2 * N;       // Nh
    float* ai = sh + 2 * N + Nh;  // Nh
    fill_twiddles(c, s, N);
    const float scale = 1.0f / (float)(M * N);
    for (int64_t row = blockIdx.x; row < B * M; row += gridDim.x) {
        const int64_t b = row / M;
        const int64_t m = row % M;
        for (int64_t v = threadIdx.x; v < Nh; v += blockDim.x) {
            ar[v] = zr[row * Nh + v];
            ai[v] = zi[row * Nh + v];
        }
        __syncthreads();  // also covers the twiddles on the first row
        for (int64_t n = threadIdx.x; n < N; n += blockDim.x) {
            float acc = ar[0] + ((n & 1) ? -ar[N / 2] : ar[N / 2]);
            int64_t t = n;  // v*n mod N, starting at v = 1
            for (int64_t v = 1; v < N / 2; ++v) {
                acc += 2.0f * (ar[v] * c[t] - ai[v] * s[t]);
                t += n;
                if (t >= N) t -= N;
            }
            const int64_t o = m / KSZ, kh = m % KSZ, i = n / KSZ, kw = n % KSZ;
            Wt[(((b * Cout + o) * Cin + i) * KSZ + kh) * KSZ + kw] = acc * scale;
        }
        __syncthreads();  // ar/ai are overwritten by this block's next row
    }
}

extern "C" int fdconv_fourier_disjoint_weight(const float* a, const float* D, float* Wt, int64_t B,
                                              int64_t Cout, int64_t Cin, cudaStream_t stream) {
    const int64_t M = Cout * KSZ, N = Cin * KSZ, Nh = N / 2 + 1, nb = M * Nh;
    if (B == 0 || nb == 0) return 0;
    const double alpha = (double)(((Cout < Cin ? Cout : Cin) / 2) * KN);
    // scratch: grp [nb] ints, then Z split complex [2][B, M, Nh]
    char* buf = nullptr;
    const size_t grp_bytes = (sizeof(int) * (size_t)nb + 15) / 16 * 16;
    cudaMallocAsync((void**)&buf, grp_bytes + sizeof(float) * 2 * (size_t)(B * nb), stream);
    int* grp = (int*)buf;
    float* zr = (float*)(buf + grp_bytes);
    float* zi = zr + B * nb;

    const int64_t gblocks = (nb + THREADS - 1) / THREADS;
    group_kernel<<<(unsigned)(gblocks < MAX_BLOCKS ? gblocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        grp, M, N);
    const int64_t rows = B * M;
    const unsigned blocks = (unsigned)(rows < MAX_BLOCKS ? rows : MAX_BLOCKS);
    cols_kernel<<<blocks, THREADS, sizeof(float) * 2 * (size_t)M, stream>>>(a, D, grp, zr, zi, B, M,
                                                                            Nh, alpha);
    rows_kernel<<<blocks, THREADS, sizeof(float) * (2 * (size_t)N + 2 * (size_t)Nh), stream>>>(
        zr, zi, Wt, B, Cout, Cin);
    cudaFreeAsync(buf, stream);
    return (int)cudaGetLastError();
}
