// Baseline for `filter_db_distribution_drift` (CNN Filter DB), in double throughout:
//   coef[f, j] = sum_k (x_f[k] / max_k' |x_f[k']| - mu[k]) * V[j, k]      (all filters of Xp and Xq)
//   lo, hi = min, max of every coefficient; width = (hi - lo) / BINS
//   per component j and group g: density histogram of coef[:, j] over [lo, hi] with BINS bins,
//   empty bins set to float32 eps, normalised to P_g,j;  D = sum_j r[j] * symKL(P_p,j, P_q,j)
// Plain CUDA in four launches (the histogram needs the global range first):
//   1. range_kernel: each thread computes the 9 coefficients of its filters (grid-stride over the
//      NP + NQ filters) and tracks their min/max; a shared-memory tree reduction writes one
//      (min, max) pair per block to scratch.
//   2. range_finish_kernel (one block): reduces the per-block pairs to lo and width.
//   3. hist_kernel: recomputes the coefficients (cheaper than storing 9*(NP+NQ) doubles), bins
//      them into a per-block shared-memory histogram [2][9][BINS] with shared atomics, then adds
//      the block histogram to the global one (one atomicAdd per nonzero bin).
//   4. drift_kernel (one thread): densities, eps fill, normalisation and the weighted symmetric KL.
// The coefficients are formed with explicit round-to-nearest double operations (no FMA
// contraction) in the reference's order, so bin membership matches the reference exactly.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

#define BINS 70                          // attr bins
#define F32_EPS 1.1920928955078125e-07   // float32 eps (2^-23)
#define THREADS 256                      // a power of two for the tree reductions
#define MAX_BLOCKS 1024                  // loops are grid-stride

// The 9 PCA coefficients of filter x (9 taps); Vd, mud: V and mu converted to double.
__device__ void coefficients(const float* __restrict__ x, const double* Vd, const double* mud,
                             double out[9]) {
    double m = 0.0;
    for (int k = 0; k < 9; ++k) m = fmax(m, fabs((double)x[k]));
    if (m == 0.0) m = 1.0;
    double xs[9];
    for (int k = 0; k < 9; ++k) xs[k] = __ddiv_rn((double)x[k], m) - mud[k];
    for (int j = 0; j < 9; ++j) {
        double s = 0.0;
        for (int k = 0; k < 9; ++k) s = __dadd_rn(s, __dmul_rn(xs[k], Vd[j * 9 + k]));
        out[j] = s;
    }
}

// Filter f of the concatenation [Xp; Xq].
__device__ const float* filter_ptr(const float* Xp, const float* Xq, int64_t NP, int64_t f) {
    return f < NP ? Xp + f * 9 : Xq + (f - NP) * 9;
}

__device__ void load_basis(const float* V, const float* mu, double* Vd, double* mud) {
    for (int i = threadIdx.x; i < 81; i += blockDim.x) Vd[i] = (double)V[i];
    for (int i = threadIdx.x; i < 9; i += blockDim.x) mud[i] = (double)mu[i];
    __syncthreads();
}

// part[2*block] = min, part[2*block + 1] = max over the coefficients this block visits.
__global__ void range_kernel(const float* __restrict__ Xp, const float* __restrict__ Xq,
                             const float* __restrict__ V, const float* __restrict__ mu,
                             int64_t NP, int64_t NQ, double* __restrict__ part) {
    __shared__ double Vd[81], mud[9];
    __shared__ double rmin[THREADS], rmax[THREADS];
    load_basis(V, mu, Vd, mud);
    double lo = INFINITY, hi = -INFINITY;
    for (int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; f < NP + NQ;
         f += (int64_t)gridDim.x * blockDim.x) {
        double c[9];
        coefficients(filter_ptr(Xp, Xq, NP, f), Vd, mud, c);
        for (int j = 0; j < 9; ++j) {
            lo = fmin(lo, c[j]);
            hi = fmax(hi, c[j]);
        }
    }
    rmin[threadIdx.x] = lo;
    rmax[threadIdx.x] = hi;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) {
            rmin[threadIdx.x] = fmin(rmin[threadIdx.x], rmin[threadIdx.x + stride]);
            rmax[threadIdx.x] = fmax(rmax[threadIdx.x], rmax[threadIdx.x + stride]);
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        part[2 * blockIdx.x] = rmin[0];
        part[2 * blockIdx.x + 1] = rmax[0];
    }
}

// range[0] = lo, range[1] = width, from nparts (min, max) pairs. One block.
__global__ void range_finish_kernel(const double* __restrict__ part, int nparts,
                                    double* __restrict__ range) {
    __shared__ double rmin[THREADS], rmax[THREADS];
    double lo = INFINITY, hi = -INFINITY;
    for (int i = threadIdx.x; i < nparts; i += THREADS) {
        lo = fmin(lo, part[2 * i]);
        hi = fmax(hi, part[2 * i + 1]);
    }
    rmin[threadIdx.x] = lo;
    rmax[threadIdx.x] = hi;
    __syncthreads();
    for (int stride = THREADS / 2; stride > 0; stride /= 2) {
        if (threadIdx.x < stride) {
            rmin[threadIdx.x] = fmin(rmin[threadIdx.x], rmin[threadIdx.x + stride]);
            rmax[threadIdx.x] = fmax(rmax[threadIdx.x], rmax[threadIdx.x + stride]);
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        lo = rmin[0];
        hi = rmax[0];
        if (hi == lo) {  // numpy.histogram's rule for a degenerate range
            lo -= 0.5;
            hi += 0.5;
        }
        range[0] = lo;
        range[1] = (hi - lo) / BINS;
    }
}

// counts[(g*9 + j)*BINS + bin] += filters of group g (0 = p, 1 = q) whose coefficient j falls in bin.
__global__ void hist_kernel(const float* __restrict__ Xp, const float* __restrict__ Xq,
                            const float* __restrict__ V, const float* __restrict__ mu,
                            int64_t NP, int64_t NQ, const double* __restrict__ range,
                            unsigned int* __restrict__ counts) {
    __shared__ double Vd[81], mud[9];
    __shared__ unsigned int hist[2 * 9 * BINS];
    for (int i = threadIdx.x; i < 2 * 9 * BINS; i += blockDim.x) hist[i] = 0;
    load_basis(V, mu, Vd, mud);  // ends with __syncthreads(), which also covers hist
    const double lo = range[0], width = range[1];
    for (int64_t f = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; f < NP + NQ;
         f += (int64_t)gridDim.x * blockDim.x) {
        double c[9];
        coefficients(filter_ptr(Xp, Xq, NP, f), Vd, mud, c);
        const int g = f < NP ? 0 : 1;
        for (int j = 0; j < 9; ++j) {
            double b = floor((c[j] - lo) / width);
            if (b < 0.0) b = 0.0;
            if (b > BINS - 1) b = BINS - 1;
            atomicAdd(&hist[(g * 9 + j) * BINS + (int)b], 1u);
        }
    }
    __syncthreads();
    for (int i = threadIdx.x; i < 2 * 9 * BINS; i += blockDim.x)
        if (hist[i]) atomicAdd(&counts[i], hist[i]);
}

// Normalised density of one histogram (cnt[BINS], n filters) into P.
__device__ void distribution(const unsigned int* cnt, int64_t n, double width, double* P) {
    double sum = 0.0;
    for (int i = 0; i < BINS; ++i) {
        double h = (double)cnt[i] / ((double)n * width);
        if (h == 0.0) h = F32_EPS;
        P[i] = h;
        sum += h;
    }
    for (int i = 0; i < BINS; ++i) P[i] /= sum;
}

__global__ void drift_kernel(const unsigned int* __restrict__ counts, const double* __restrict__ range,
                             const float* __restrict__ r, int64_t NP, int64_t NQ,
                             float* __restrict__ D) {
    const double width = range[1];
    double total = 0.0;
    for (int j = 0; j < 9; ++j) {
        double P[BINS], Q[BINS];
        distribution(counts + (0 * 9 + j) * BINS, NP, width, P);
        distribution(counts + (1 * 9 + j) * BINS, NQ, width, Q);
        double kl = 0.0;
        for (int i = 0; i < BINS; ++i) kl += (P[i] - Q[i]) * log(P[i] / Q[i]);
        total += (double)r[j] * kl;
    }
    D[0] = (float)total;
}

extern "C" int filter_db_distribution_drift(const float* Xp, const float* Xq, const float* V,
                                            const float* mu, const float* r, float* D, int64_t NP,
                                            int64_t NQ, cudaStream_t stream) {
    const int64_t n = NP + NQ;
    if (NP == 0 || NQ == 0) return 0;
    int64_t blocks = (n + THREADS - 1) / THREADS;
    if (blocks > MAX_BLOCKS) blocks = MAX_BLOCKS;

    // scratch: per-block (min, max) pairs, then (lo, width), then the [2][9][BINS] counts
    const size_t part_bytes = sizeof(double) * 2 * (size_t)blocks;
    const size_t range_bytes = sizeof(double) * 2;
    const size_t count_bytes = sizeof(unsigned int) * 2 * 9 * BINS;
    char* scratch = nullptr;
    cudaMallocAsync((void**)&scratch, part_bytes + range_bytes + count_bytes, stream);
    double* part = (double*)scratch;
    double* range = (double*)(scratch + part_bytes);
    unsigned int* counts = (unsigned int*)(scratch + part_bytes + range_bytes);
    cudaMemsetAsync(counts, 0, count_bytes, stream);

    range_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(Xp, Xq, V, mu, NP, NQ, part);
    range_finish_kernel<<<1, THREADS, 0, stream>>>(part, (int)blocks, range);
    hist_kernel<<<(unsigned)blocks, THREADS, 0, stream>>>(Xp, Xq, V, mu, NP, NQ, range, counts);
    drift_kernel<<<1, 1, 0, stream>>>(counts, range, r, NP, NQ, D);

    cudaFreeAsync(scratch, stream);
    return (int)cudaGetLastError();
}
