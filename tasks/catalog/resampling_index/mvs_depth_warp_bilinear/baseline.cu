// Baseline for `mvs_depth_warp_bilinear` (GBi-Net FeatureFetcher): build the cameras (nominal +
// deviation), invert K_ref and R_ref (adjugate, double), project every (d, h, w) into the source
// view and bilinearly sample all C channels with zeros outside:
//   Xr = inv(K_ref) (w+0.5, h+0.5, 1) depth;  Xw = inv(R_ref)(Xr - t_ref);  X = R_src Xw + t_src
//   (u, v) = first rows of K_src (X/z)  (u = 2W, v = 2H when z == 0);  sample at (v - 0.5, u - 0.5)
// Plain CUDA in two launches:
//   1. camera_kernel: one thread per image b builds and inverts its cameras (double) into a small
//                     scratch array, so no pixel thread repeats the 3x3 inversions.
//   2. warp_kernel:   one thread per (b, d, h, w) projects its pixel in double (as the reference)
//                     and blends the four source taps for every channel c; neighbouring threads
//                     write neighbouring w of each output plane (coalesced stores).
#include <cstdint>
#include <cuda_runtime.h>

#define THREADS 256
#define MAX_BLOCKS 65535

// Per-image camera data: inv(K_ref), inv(R_ref), K_src, R_src (row-major 3x3), t_ref, t_src.
struct Cameras {
    double kri[9], rri[9], ks[9], rs[9], tr[3], ts[3];
};

// out = inv(m) via the adjugate (cofactor transpose over the determinant).
__device__ void inv3(const double* m, double* out) {
    double cof[9];
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 3; ++k) {
            const int r1 = (r + 1) % 3, r2 = (r + 2) % 3, k1 = (k + 1) % 3, k2 = (k + 2) % 3;
            cof[r * 3 + k] = m[r1 * 3 + k1] * m[r2 * 3 + k2] - m[r1 * 3 + k2] * m[r2 * 3 + k1];
        }
    const double det = m[0] * cof[0] + m[1] * cof[1] + m[2] * cof[2];
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 3; ++k) out[r * 3 + k] = cof[k * 3 + r] / det;
}

// o = m v for a row-major 3x3 m.
__device__ void mv3(const double* m, const double* v, double* o) {
    for (int r = 0; r < 3; ++r) o[r] = m[r * 3] * v[0] + m[r * 3 + 1] * v[1] + m[r * 3 + 2] * v[2];
}

__global__ void camera_kernel(const float* __restrict__ dK_ref, const float* __restrict__ dK_src,
                              const float* __restrict__ dE_ref, const float* __restrict__ dE_src,
                              Cameras* __restrict__ cams, int64_t B, int64_t H, int64_t W) {
    for (int64_t b = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; b < B;
         b += (int64_t)gridDim.x * blockDim.x) {
        const double k0[9] = {(double)W, 0.0, W / 2.0, 0.0, (double)W, H / 2.0, 0.0, 0.0, 1.0};
        double kr[9], rr[9];
        Cameras& c = cams[b];
        for (int r = 0; r < 3; ++r) {
            for (int k = 0; k < 3; ++k) {
                const double eye = r == k ? 1.0 : 0.0;
                kr[r * 3 + k] = k0[r * 3 + k] + (double)dK_ref[b * 9 + r * 3 + k];
                c.ks[r * 3 + k] = k0[r * 3 + k] + (double)dK_src[b * 9 + r * 3 + k];
                rr[r * 3 + k] = eye + (double)dE_ref[b * 12 + r * 4 + k];
                c.rs[r * 3 + k] = eye + (double)dE_src[b * 12 + r * 4 + k];
            }
            c.tr[r] = dE_ref[b * 12 + r * 4 + 3];
            c.ts[r] = dE_src[b * 12 + r * 4 + 3];
        }
        inv3(kr, c.kri);
        inv3(rr, c.rri);
    }
}

__global__ void warp_kernel(const float* __restrict__ src, const float* __restrict__ depth,
                            const Cameras* __restrict__ cams, float* __restrict__ warped,
                            int64_t B, int64_t C, int64_t D, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    const int64_t points = B * D * plane;
    for (int64_t e = blockIdx.x * (int64_t)blockDim.x + threadIdx.x; e < points;
         e += (int64_t)gridDim.x * blockDim.x) {
        const int64_t w = e % W;
        const int64_t h = (e / W) % H;
        const int64_t d = (e / plane) % D;
        const int64_t b = e / (plane * D);
        const Cameras& cam = cams[b];

        // Back-project with depth, move to world, then into the source camera.
        const double z = depth[e];
        const double p[3] = {w + 0.5, h + 0.5, 1.0};
        double ray[3], q[3], xw[3], xs[3];
        mv3(cam.kri, p, ray);
        for (int r = 0; r < 3; ++r) q[r] = ray[r] * z - cam.tr[r];
        mv3(cam.rri, q, xw);
        mv3(cam.rs, xw, xs);
        for (int r = 0; r < 3; ++r) xs[r] += cam.ts[r];
        double u, v;
        if (xs[2] == 0.0) {
            u = 2.0 * W;
            v = 2.0 * H;
        } else {
            const double nrm[3] = {xs[0] / xs[2], xs[1] / xs[2], 1.0};
            double uv[3];
            mv3(cam.ks, nrm, uv);
            u = uv[0];
            v = uv[1];
        }

        // Bilinear taps; validity is tested in double because the point can be far outside.
        const double ix = u - 0.5, iy = v - 0.5;
        const double fx = floor(ix), fy = floor(iy);
        const double wx = ix - fx, wy = iy - fy;
        const bool vx0 = fx >= 0 && fx <= W - 1, vx1 = fx + 1 >= 0 && fx + 1 <= W - 1;
        const bool vy0 = fy >= 0 && fy <= H - 1, vy1 = fy + 1 >= 0 && fy + 1 <= H - 1;
        const int64_t x0 = vx0 ? (int64_t)fx : 0, x1 = vx1 ? (int64_t)fx + 1 : 0;
        const int64_t y0 = vy0 ? (int64_t)fy : 0, y1 = vy1 ? (int64_t)fy + 1 : 0;
        const int64_t pix = (d * H + h) * W + w;  // offset inside one [D, H, W] channel volume
        for (int64_t c = 0; c < C; ++c) {
            const float* s = src + (b * C + c) * plane;
            double acc = 0.0;
            if (vy0 && vx0) acc += (1 - wx) * (1 - wy) * s[y0 * W + x0];
            if (vy0 && vx1) acc += wx * (1 - wy) * s[y0 * W + x1];
            if (vy1 && vx0) acc += (1 - wx) * wy * s[y1 * W + x0];
            if (vy1 && vx1) acc += wx * wy * s[y1 * W + x1];
            warped[(b * C + c) * D * plane + pix] = (float)acc;
        }
    }
}

extern "C" int mvs_depth_warp_bilinear(const float* src, const float* depth, const float* dK_ref,
                                       const float* dK_src, const float* dE_ref,
                                       const float* dE_src, float* warped, int64_t B, int64_t C,
                                       int64_t D, int64_t H, int64_t W, cudaStream_t stream) {
    const int64_t points = B * D * H * W;
    if (points == 0) return 0;
    Cameras* cams = nullptr;
    cudaError_t err = cudaMallocAsync(&cams, (size_t)B * sizeof(Cameras), stream);
    if (err != cudaSuccess) return (int)err;

    const int64_t cam_blocks = (B + THREADS - 1) / THREADS;
    camera_kernel<<<(unsigned)(cam_blocks < MAX_BLOCKS ? cam_blocks : MAX_BLOCKS), THREADS, 0,
                    stream>>>(dK_ref, dK_src, dE_ref, dE_src, cams, B, H, W);
    const int64_t blocks = (points + THREADS - 1) / THREADS;
    warp_kernel<<<(unsigned)(blocks < MAX_BLOCKS ? blocks : MAX_BLOCKS), THREADS, 0, stream>>>(
        src, depth, cams, warped, B, C, D, H, W);

    cudaFreeAsync(cams, stream);
    return (int)cudaGetLastError();
}
