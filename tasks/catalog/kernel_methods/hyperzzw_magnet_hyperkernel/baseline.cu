// Baseline for `hyperzzw_magnet_hyperkernel` (Terminator MAGNet_G global hyper-kernel generator).
// Per grid point (i, j), with g0 = -1 + 2i/(K-1), g1 = -1 + 2j/(K-1):
//   out[h] = sin(Wf[0,h,0]*g0 + Wf[0,h,1]*g1 + bf[0,h])
//   out[h] = sin(filter_{l+1}[h]) * (bl[l,h] + sum_h' Wl[l,h,h'] * out[h']) + bias_p[i,j],  l < L
//   Hk[c,i,j] = bo[c] + sum_h Wo[c,h] * out[h]
// Plain CUDA: one block per grid point. The hidden vector lives in shared memory (two buffers of
// Hd floats, ping-ponged between layers); thread t computes hidden units h = t, t + blockDim.x, ...
// of each layer, then output channels c = t, t + blockDim.x, ... Float accumulation (Hd terms of
// O(1)) and sinf of arguments below ~8 meet the 1e-4 tolerance.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr int THREADS = 128;

// Dynamic shared memory: 2 * Hd floats.
__global__ void magnet_kernel(const float* __restrict__ Wf, const float* __restrict__ bf,
                              const float* __restrict__ Wl, const float* __restrict__ bl,
                              const float* __restrict__ Wo, const float* __restrict__ bo,
                              const float* __restrict__ bias_p, float* __restrict__ Hk,
                              int64_t C, int64_t Hd, int64_t K, int64_t L) {
    extern __shared__ float hidden[];
    float* cur = hidden;        // out of the previous layer
    float* nxt = hidden + Hd;   // out of the layer being computed
    const int t = threadIdx.x;

    for (int64_t pos = blockIdx.x; pos < K * K; pos += gridDim.x) {
        const int64_t i = pos / K, j = pos % K;
        // torch.linspace(-1, 1, K) evaluated in double, then rounded once.
        const float g0 = (float)(-1.0 + 2.0 * (double)i / (double)(K - 1));
        const float g1 = (float)(-1.0 + 2.0 * (double)j / (double)(K - 1));
        const float bp = bias_p[pos];

        for (int64_t h = t; h < Hd; h += THREADS)
            cur[h] = sinf(Wf[h * 2] * g0 + Wf[h * 2 + 1] * g1 + bf[h]);
        __syncthreads();

        for (int64_t l = 0; l < L; ++l) {
            const float* wf = Wf + (l + 1) * Hd * 2;
            const float* bff = bf + (l + 1) * Hd;
            for (int64_t h = t; h < Hd; h += THREADS) {
                const float* wr = Wl + (l * Hd + h) * Hd;
                float acc = bl[l * Hd + h];
                for (int64_t h2 = 0; h2 < Hd; ++h2) acc += wr[h2] * cur[h2];
                nxt[h] = sinf(wf[h * 2] * g0 + wf[h * 2 + 1] * g1 + bff[h]) * acc + bp;
            }
            __syncthreads();  // nxt complete before anyone reads it as cur
            float* tmp = cur;
            cur = nxt;
            nxt = tmp;
        }

        for (int64_t c = t; c < C; c += THREADS) {
            const float* wr = Wo + c * Hd;
            float acc = bo[c];
            for (int64_t h = 0; h < Hd; ++h) acc += wr[h] * cur[h];
            Hk[c * K * K + pos] = acc;  // Hk[c, i, j]
        }
        __syncthreads();  // cur is overwritten by the next grid point
    }
}

extern "C" int hyperzzw_magnet_hyperkernel(const float* Wf, const float* bf, const float* Wl,
                                           const float* bl, const float* Wo, const float* bo,
                                           const float* bias_p, float* Hk, int64_t C, int64_t Hd,
                                           int64_t K, int64_t L, cudaStream_t stream) {
    const int64_t positions = K * K;
    const unsigned grid = (unsigned)(positions < 65535 ? positions : 65535);
    const size_t shmem = sizeof(float) * (size_t)(2 * Hd);
    magnet_kernel<<<grid, THREADS, shmem, stream>>>(Wf, bf, Wl, bl, Wo, bo, bias_p, Hk, C, Hd, K, L);
    return (int)cudaGetLastError();
}
