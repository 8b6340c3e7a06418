// Baseline for `filter_db_variance_entropy` (CNN Filter DB): w[O, I, 3, 3] is X[n, 9] with
// n = O*I filters; in double:
//   mu[k] = mean_f X[f, k];  Cov = (X - mu)^T (X - mu) / (n - 1)            (9 x 9)
//   lambda = eigenvalues(Cov) clamped at 0;  p = lambda / sum(lambda)
//   ve = -sum_{p_k > 0} p_k log10 p_k;  ve_norm = ve / fit(n)
// Plain CUDA in three launches (two passes over w, as baseline.c, then the 9x9 eigenproblem):
//   1. mean_kernel: per-thread column sums of X in double (grid-stride over filters), a
//      shared-memory tree reduction per column, one atomicAdd per block and column.
//   2. cov_kernel: per-thread sums of the 45 distinct products (X - mu)_k (X - mu)_l in double
//      registers, reduced per entry the same way.
//   3. finish_kernel (one thread): cyclic Jacobi on the 9x9 covariance (the reference's solver),
//      entropy and its normalisation.
// The 9 + 45 double accumulators live in a scratch buffer zeroed on the caller's stream.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256       // a power of two for the tree reductions
#define MAX_BLOCKS 128    // few blocks: each one ends with 9 or 45 block-wide reductions
#define NCOV 45           // entries k <= l of the symmetric 9x9 covariance

// Sum of v over the block, returned to every thread (buf: THREADS doubles, reusable on return).
__device__ double block_sum(double v, double* buf) {
    buf[threadIdx.x] = v;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) buf[threadIdx.x] += buf[threadIdx.x + stride];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();
    return total;
}

// acc[0..9) += column sums of X.
__global__ void mean_kernel(const float* __restrict__ w, int64_t n, double* __restrict__ acc) {
    __shared__ double buf[THREADS];
    double s[9];
    for (int k = 0; k < 9; ++k) s[k] = 0.0;
    for (int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; f < n;
         f += (int64_t)gridDim.x * blockDim.x)
        for (int k = 0; k < 9; ++k) s[k] += (double)w[f * 9 + k];
    for (int k = 0; k < 9; ++k) {
        const double t = block_sum(s[k], buf);
        if (threadIdx.x == 0) atomicAdd(&acc[k], t);
    }
}

// acc[9 + e] += sum_f d_k d_l for the e-th pair k <= l (row-major upper triangle), d = X[f] - mu.
__global__ void cov_kernel(const float* __restrict__ w, int64_t n, double* __restrict__ acc) {
    __shared__ double buf[THREADS];
    double mu[9];
    for (int k = 0; k < 9; ++k) mu[k] = acc[k] / (double)n;
    double s[NCOV];
    for (int e = 0; e < NCOV; ++e) s[e] = 0.0;
    for (int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; f < n;
         f += (int64_t)gridDim.x * blockDim.x) {
        double d[9];
        for (int k = 0; k < 9; ++k) d[k] = (double)w[f * 9 + k] - mu[k];
        int e = 0;
        for (int k = 0; k < 9; ++k)
            for (int l = k; l < 9; ++l) s[e++] += d[k] * d[l];
    }
    for (int e = 0; e < NCOV; ++e) {
        const double t = block_sum(s[e], buf);
        if (threadIdx.x == 0) atomicAdd(&acc[9 + e], t);
    }
}

// Eigenvalues of a symmetric 9x9 matrix (cyclic Jacobi), left on the diagonal of a.
__device__ void jacobi9(double a[9][9]) {
    for (int sweep = 0; sweep < 100; ++sweep) {
        double off = 0.0, diag = 0.0;
        for (int p = 0; p < 9; ++p) {
            diag += a[p][p] * a[p][p];
            for (int q = p + 1; q < 9; ++q) off += a[p][q] * a[p][q];
        }
        if (off <= 1e-30 * diag || off == 0.0) break;
        for (int p = 0; p < 9; ++p) {
            for (int q = p + 1; q < 9; ++q) {
                if (a[p][q] == 0.0) continue;
                const double theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
                const double c = 1.0 / sqrt(t * t + 1.0), s = t * c;
                for (int k = 0; k < 9; ++k) {  // A <- A J (columns p, q)
                    const double akp = a[k][p], akq = a[k][q];
                    a[k][p] = c * akp - s * akq;
                    a[k][q] = s * akp + c * akq;
                }
                for (int k = 0; k < 9; ++k) {  // A <- J^T A (rows p, q)
                    const double apk = a[p][k], aqk = a[q][k];
                    a[p][k] = c * apk - s * aqk;
                    a[q][k] = s * apk + c * aqk;
                }
            }
        }
    }
}

__global__ void finish_kernel(const double* __restrict__ acc, float* __restrict__ ve,
                              float* __restrict__ ve_norm, int64_t n) {
    double cov[9][9];
    int e = 0;
    for (int k = 0; k < 9; ++k)
        for (int l = k; l < 9; ++l) {
            cov[k][l] = acc[9 + e++] / (double)(n - 1);
            cov[l][k] = cov[k][l];
        }
    jacobi9(cov);
    double lam[9], sum = 0.0;
    for (int k = 0; k < 9; ++k) {
        lam[k] = cov[k][k] > 0.0 ? cov[k][k] : 0.0;
        sum += lam[k];
    }
    double h = 0.0;
    if (sum > 0.0) {
        for (int k = 0; k < 9; ++k) {
            const double p = lam[k] / sum;
            if (p > 0.0) h -= p * log10(p);
        }
    }
    const double fit = 1.2618047 / (1.0 + exp(-0.88767525 * (log2((double)n) - 2.30436435))) - 0.31050834;
    ve[0] = (float)h;
    ve_norm[0] = (float)(h / fit);
}

extern "C" int filter_db_variance_entropy(const float* w, float* ve, float* ve_norm, int64_t O,
                                          int64_t I, cudaStream_t stream) {
    const int64_t n = O * I;
    if (n < 2) return 0;  // the task guarantees n >= 2 (the covariance divides by n - 1)
    double* acc = nullptr;
    cudaMallocAsync((void**)&acc, sizeof(double) * (9 + NCOV), stream);
    cudaMemsetAsync(acc, 0, sizeof(double) * (9 + NCOV), stream);
    int64_t blocks = (n + THREADS - 1) / THREADS;
    if (blocks > MAX_BLOCKS) blocks = MAX_BLOCKS;
    mean_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(w, n, acc);
    cov_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(w, n, acc);
    finish_kernel<<<1, 1, 0, stream>>>(acc, ve, ve_norm, n);
    cudaFreeAsync(acc, stream);
    return (int)cudaGetLastError();
}
