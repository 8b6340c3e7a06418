// Baseline for `spark_masked_patch_recon_loss`: SparK's per-patch-normalised L2 loss over the
// masked patches (active == 0). Per masked patch (image b, patch row hi, patch column wi):
//   m = mean of inp over the C*p*p patch values, s = sqrt(unbiased var + EPS_VAR)
//   e = mean (rec - (inp - m)/s)^2 ;  loss = sum e / (number of masked patches + EPS_DEN)
// Plain CUDA in two launches, every sum in double (float over millions of terms misses rtol):
//   1. patch_error_kernel, one block per patch: three passes over the patch's C*p*p values
//      (sum -> mean, squared deviations -> s, squared errors -> e), each finished by a block
//      tree reduction in shared memory; e of a masked patch (0 for a visible one) goes to a
//      scratch array.
//   2. finalize_kernel, one block: sums e and counts the masked patches, writes loss[0].
// Two launches instead of a global atomicAdd keep the result deterministic from run to run.
#include <cmath>
#include <cstdint>
#include <cuda_runtime.h>

constexpr double EPS_VAR = 1e-6;  // attr eps_var
constexpr double EPS_DEN = 1e-8;  // attr eps_den
constexpr int THREADS = 256;      // block size of both kernels (a power of two: tree reduction)

// Sum of v over the block, returned to every thread. buf has THREADS entries; all threads of the
// block must call it (it contains __syncthreads()).
__device__ double block_sum(double v, double* buf) {
    const int t = threadIdx.x;
    buf[t] = v;
    __syncthreads();
    for (int s = THREADS / 2; s > 0; s >>= 1) {
        if (t < s) buf[t] += buf[t + s];
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();  // nobody may overwrite buf (next call) before everyone has read buf[0]
    return total;
}

// err[b*F*F + hi*F + wi] = e of that patch if it is masked, 0 if it is visible.
__global__ void patch_error_kernel(const float* __restrict__ inp, const float* __restrict__ rec,
                                   const uint8_t* __restrict__ active, double* __restrict__ err,
                                   int64_t B, int64_t C, int64_t H, int64_t W, int64_t F) {
    __shared__ double buf[THREADS];
    const int64_t p = H / F;          // patch side
    const int64_t pp = p * p;
    const int64_t n = C * pp;         // values per patch
    const int64_t patches = B * F * F;

    // Grid-stride over patches. The branch on `active` depends only on the patch, so a whole
    // block skips together and the __syncthreads() in block_sum stay block-uniform.
    for (int64_t l = blockIdx.x; l < patches; l += gridDim.x) {
        if (active[l]) {  // visible patch: not in the loss
            if (threadIdx.x == 0) err[l] = 0.0;
            continue;
        }
        const int64_t b = l / (F * F);
        const int64_t hi = (l / F) % F;
        const int64_t wi = l % F;
        // Value k of the patch, k = (c*p + py)*p + px, lives at base + (c*H + py)*W + px; with
        // px fastest, neighbouring threads read neighbouring pixels of one image row.
        const int64_t base = ((b * C) * H + hi * p) * W + wi * p;

        double sum = 0.0;
        for (int64_t k = threadIdx.x; k < n; k += THREADS) {
            const int64_t c = k / pp, py = (k / p) % p, px = k % p;
            sum += (double)inp[base + (c * H + py) * W + px];
        }
        const double mean = block_sum(sum, buf) / (double)n;

        double sq = 0.0;
        for (int64_t k = threadIdx.x; k < n; k += THREADS) {
            const int64_t c = k / pp, py = (k / p) % p, px = k % p;
            const double dv = (double)inp[base + (c * H + py) * W + px] - mean;
            sq += dv * dv;
        }
        // torch.var is unbiased: divide by n - 1 (n >= 2 is a task constraint).
        const double inv_s = 1.0 / sqrt(block_sum(sq, buf) / (double)(n - 1) + EPS_VAR);

        double e = 0.0;
        for (int64_t k = threadIdx.x; k < n; k += THREADS) {
            const int64_t c = k / pp, py = (k / p) % p, px = k % p;
            const int64_t off = base + (c * H + py) * W + px;
            const double dv = (double)rec[off] - ((double)inp[off] - mean) * inv_s;
            e += dv * dv;
        }
        const double total = block_sum(e, buf);
        if (threadIdx.x == 0) err[l] = total / (double)n;
    }
}

// loss[0] = sum_l err[l] / (number of masked patches + EPS_DEN). Launched with one block.
__global__ void finalize_kernel(const double* __restrict__ err, const uint8_t* __restrict__ active,
                                float* __restrict__ loss, int64_t patches) {
    __shared__ double buf[THREADS];
    double num = 0.0, den = 0.0;
    for (int64_t l = threadIdx.x; l < patches; l += THREADS) {
        num += err[l];                      // 0 for visible patches
        den += active[l] ? 0.0 : 1.0;       // weight (1 - active) of the patch
    }
    num = block_sum(num, buf);
    den = block_sum(den, buf);
    if (threadIdx.x == 0) loss[0] = (float)(num / (den + EPS_DEN));
}

extern "C" int spark_masked_patch_recon_loss(const float* inp, const float* rec, const uint8_t* active,
                                             float* loss, int64_t B, int64_t C, int64_t H, int64_t W,
                                             int64_t F, cudaStream_t stream) {
    const int64_t patches = B * F * F;  // active[B, 1, F, F] is indexed by l = (b*F + hi)*F + wi
    double* err = nullptr;
    cudaError_t st = cudaMallocAsync((void**)&err, sizeof(double) * (size_t)patches, stream);
    if (st != cudaSuccess) return (int)st;

    const unsigned grid = (unsigned)(patches < 65535 ? patches : 65535);
    patch_error_kernel<<<grid, THREADS, 0, stream>>>(inp, rec, active, err, B, C, H, W, F);
    finalize_kernel<<<1, THREADS, 0, stream>>>(err, active, loss, patches);
    st = cudaGetLastError();

    cudaFreeAsync(err, stream);
    return (int)st;
}
