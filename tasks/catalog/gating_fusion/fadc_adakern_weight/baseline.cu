// Baseline for `fadc_adakern_weight` (FADC AdaKern), f32 in, double inside like the reference:
//   g[b,i]   = mean_{h,w} x[b,i,h,w]
//   z_n[b,a] = relu(s_n[a] * sum_i fc_n[a,i] g[b,i] + t_n[a])                  heads n = 1, 2
//   c_n[b,i] = 2 sigmoid(sum_a wc_n[i,a] z_n[b,a] + bc_n[i]),  f_n[b,o] = 2 sigmoid(sum_a wf_n[o,a] z_n[b,a] + bf_n[o])
//   wb[b,o,i,:] = mean(w[o,i]) c_1[b,i] f_1[b,o] + (w[o,i,:] - mean(w[o,i])) c_2[b,i] f_2[b,o]
// Plain CUDA in four launches over small double scratch buffers:
//   1. pool_kernel:   one block per (b, i) plane, double partial sums + tree reduction -> g.
//   2. hidden_kernel: one thread per (head, b, a) -> z.
//   3. atten_kernel:  one thread per (head, b, channel) over Cin + Cout channels -> c and f
//                     (already doubled: 2 * sigmoid).
//   4. weight_kernel: one thread per (b, o, i) kernel: its mean and its KS*KS outputs.
#include <cstdint>
#include <cuda_runtime.h>

#define KS 3  // attr k
#define THREADS 256
#define MAX_BLOCKS 65535

static unsigned grid_for(int64_t work) {
    const int64_t blocks = (work + THREADS - 1) / THREADS;
    return (unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS);
}

// The parameters of one attention head.
struct Head {
    const float *fc, *s, *t, *wc, *bc, *wf, *bf;
};

__global__ void pool_kernel(const float* __restrict__ x, double* __restrict__ g, int64_t planes,
                            int64_t plane_size) {
    __shared__ double partial[THREADS];
    for (int64_t pl = blockIdx.x; pl < planes; pl += gridDim.x) {
        const float* xp = x + pl * plane_size;
        double s = 0.0;
        for (int64_t i = threadIdx.x; i < plane_size; i += THREADS) s += (double)xp[i];
        partial[threadIdx.x] = s;
        __syncthreads();
        for (int stride = THREADS / 2; stride > 0; stride /= 2) {
            if (threadIdx.x < stride) partial[threadIdx.x] += partial[threadIdx.x + stride];
            __syncthreads();
        }
        if (threadIdx.x == 0) g[pl] = partial[0] / (double)plane_size;
        __syncthreads();
    }
}

// z[(n*B + b)*A + a] for heads n = 0, 1
__global__ void hidden_kernel(const double* __restrict__ g, Head h1, Head h2,
                              double* __restrict__ z, int64_t B, int64_t Cin, int64_t A) {
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < 2 * B * A;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t a = e % A;
        const int64_t b = (e / A) % B;
        const Head h = e / (A * B) == 0 ? h1 : h2;
        double d = 0.0;
        for (int64_t i = 0; i < Cin; ++i) d += (double)h.fc[a * Cin + i] * g[b * Cin + i];
        const double v = (double)h.s[a] * d + (double)h.t[a];
        z[e] = v > 0.0 ? v : 0.0;
    }
}

// att[(n*B + b)*(Cin + Cout) + ch]: ch < Cin is the input-channel attention c_n[b, ch],
// ch >= Cin the filter attention f_n[b, ch - Cin]; both are 2 * sigmoid.
__global__ void atten_kernel(const double* __restrict__ z, Head h1, Head h2,
                             double* __restrict__ att, int64_t B, int64_t Cin, int64_t Cout,
                             int64_t A) {
    const int64_t CC = Cin + Cout;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < 2 * B * CC;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t ch = e % CC;
        const int64_t nb = e / CC;  // n * B + b
        const Head h = nb / B == 0 ? h1 : h2;
        const double* zr = z + nb * A;
        const float* wrow = ch < Cin ? h.wc + ch * A : h.wf + (ch - Cin) * A;
        double d = ch < Cin ? (double)h.bc[ch] : (double)h.bf[ch - Cin];
        for (int64_t a = 0; a < A; ++a) d += (double)wrow[a] * zr[a];
        att[e] = 2.0 / (1.0 + exp(-d));
    }
}

__global__ void weight_kernel(const float* __restrict__ w, const double* __restrict__ att,
                              float* __restrict__ wb, int64_t B, int64_t Cin, int64_t Cout) {
    const int64_t CC = Cin + Cout;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < B * Cout * Cin;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t i = e % Cin;
        const int64_t o = (e / Cin) % Cout;
        const int64_t b = e / (Cin * Cout);
        const double* a1 = att + b * CC;        // head 1
        const double* a2 = att + (B + b) * CC;  // head 2
        const float* wk = w + (o * Cin + i) * KS * KS;
        double m = 0.0;
        for (int q = 0; q < KS * KS; ++q) m += wk[q];
        m /= (double)(KS * KS);
        const double lo = m * a1[i] * a1[Cin + o];
        const double hs = a2[i] * a2[Cin + o];
        float* dst = wb + e * KS * KS;
        for (int q = 0; q < KS * KS; ++q) dst[q] = (float)(lo + ((double)wk[q] - m) * hs);
    }
}

extern "C" int fadc_adakern_weight(const float* x, const float* w, const float* fc1,
                                   const float* s1, const float* t1, const float* wc1,
                                   const float* bc1, const float* wf1, const float* bf1,
                                   const float* fc2, const float* s2, const float* t2,
                                   const float* wc2, const float* bc2, const float* wf2,
                                   const float* bf2, float* wb, int64_t B, int64_t Cin,
                                   int64_t Cout, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t A = Cin / 16 > 16 ? Cin / 16 : 16;
    const int64_t plane = H * W;
    if (B * Cout * Cin == 0) return 0;
    const int64_t g_n = B * Cin, z_n = 2 * B * A, att_n = 2 * B * (Cin + Cout);
    double* scratch = nullptr;  // g [B, Cin], z [2, B, A], att [2, B, Cin + Cout]
    cudaError_t err = cudaMallocAsync(&scratch, (size_t)(g_n + z_n + att_n) * sizeof(double), stream);
    if (err != cudaSuccess) return (int)err;
    double* g = scratch;
    double* z = g + g_n;
    double* att = z + z_n;
    const Head h1 = {fc1, s1, t1, wc1, bc1, wf1, bf1};
    const Head h2 = {fc2, s2, t2, wc2, bc2, wf2, bf2};

    pool_kernel<<<(unsigned)(g_n < MAX_BLOCKS ? g_n : MAX_BLOCKS), THREADS, 0, stream>>>(x, g, g_n,
                                                                                      plane);
    hidden_kernel<<<grid_for(z_n), THREADS, 0, stream>>>(g, h1, h2, z, B, Cin, A);
    atten_kernel<<<grid_for(att_n), THREADS, 0, stream>>>(z, h1, h2, att, B, Cin, Cout, A);
    weight_kernel<<<grid_for(B * Cout * Cin), THREADS, 0, stream>>>(w, att, wb, B, Cin, Cout);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
