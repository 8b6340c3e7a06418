// Baseline for `mvs_depth_warp_bilinear` (GBi-Net FeatureFetcher): build the cameras (nominal +
// deviation), invert K_ref and R_ref (adjugate, double), project every (d, h, w) into the source
// view and bilinearly sample all C channels with zeros outside.
#include <math.h>
#include <stdint.h>

static void inv3(const double m[3][3], double out[3][3]) {
    double cof[3][3];
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 3; ++k) {
            const int r1 = (r + 1) % 3, r2 = (r + 2) % 3, k1 = (k + 1) % 3, k2 = (k + 2) % 3;
            cof[r][k] = m[r1][k1] * m[r2][k2] - m[r1][k2] * m[r2][k1];
        }
    const double det = m[0][0] * cof[0][0] + m[0][1] * cof[0][1] + m[0][2] * cof[0][2];
    for (int r = 0; r < 3; ++r)
        for (int k = 0; k < 3; ++k) out[r][k] = cof[k][r] / det;
}

static void mv(const double m[3][3], const double v[3], double o[3]) {
    for (int r = 0; r < 3; ++r) o[r] = m[r][0] * v[0] + m[r][1] * v[1] + m[r][2] * v[2];
}

int mvs_depth_warp_bilinear(const float* src, const float* depth, const float* dK_ref, const float* dK_src,
                            const float* dE_ref, const float* dE_src, float* warped,
                            int64_t B, int64_t C, int64_t D, int64_t H, int64_t W) {
    const int64_t plane = H * W;
    for (int64_t b = 0; b < B; ++b) {
        const double k0[3][3] = {{(double)W, 0, W / 2.0}, {0, (double)W, H / 2.0}, {0, 0, 1}};
        double kr[3][3], ks[3][3], rr[3][3], rs[3][3], tr[3], ts[3], kri[3][3], rri[3][3];
        for (int r = 0; r < 3; ++r) {
            for (int k = 0; k < 3; ++k) {
                kr[r][k] = k0[r][k] + dK_ref[b * 9 + r * 3 + k];
                ks[r][k] = k0[r][k] + dK_src[b * 9 + r * 3 + k];
                rr[r][k] = (r == k) + (double)dE_ref[b * 12 + r * 4 + k];
                rs[r][k] = (r == k) + (double)dE_src[b * 12 + r * 4 + k];
            }
            tr[r] = dE_ref[b * 12 + r * 4 + 3];
            ts[r] = dE_src[b * 12 + r * 4 + 3];
        }
        inv3(kr, kri);
        inv3(rr, rri);
        for (int64_t d = 0; d < D; ++d)
            for (int64_t h = 0; h < H; ++h)
                for (int64_t w = 0; w < W; ++w) {
                    const double z = depth[((b * D + d) * H + h) * W + w];
                    const double p[3] = {w + 0.5, h + 0.5, 1.0};
                    double ray[3], q[3], xw[3], xs[3];
                    mv(kri, p, ray);
                    for (int r = 0; r < 3; ++r) q[r] = ray[r] * z - tr[r];
                    mv(rri, q, xw);
                    mv(rs, xw, xs);
                    for (int r = 0; r < 3; ++r) xs[r] += ts[r];
                    double u, v;
                    if (xs[2] == 0.0) {
                        u = 2.0 * W;
                        v = 2.0 * H;
                    } else {
                        const double n[3] = {xs[0] / xs[2], xs[1] / xs[2], 1.0};
                        double uv[3];
                        mv(ks, n, uv);
                        u = uv[0];
                        v = uv[1];
                    }
                    const double ix = u - 0.5, iy = v - 0.5, fx = floor(ix), fy = floor(iy);
                    const double wx = ix - fx, wy = iy - fy;
                    // corner validity (coordinates can be far outside: test in double first)
                    const int vx0 = fx >= 0 && fx <= W - 1, vx1 = fx + 1 >= 0 && fx + 1 <= W - 1;
                    const int vy0 = fy >= 0 && fy <= H - 1, vy1 = fy + 1 >= 0 && fy + 1 <= H - 1;
                    const int64_t x0 = vx0 ? (int64_t)fx : 0, x1 = vx1 ? (int64_t)fx + 1 : 0;
                    const int64_t y0 = vy0 ? (int64_t)fy : 0, y1 = vy1 ? (int64_t)fy + 1 : 0;
                    for (int64_t c = 0; c < C; ++c) {
                        const float* s = src + (b * C + c) * plane;
                        double acc = 0.0;
                        if (vy0 && vx0) acc += (1 - wx) * (1 - wy) * s[y0 * W + x0];
                        if (vy0 && vx1) acc += wx * (1 - wy) * s[y0 * W + x1];
                        if (vy1 && vx0) acc += (1 - wx) * wy * s[y1 * W + x0];
                        if (vy1 && vx1) acc += wx * wy * s[y1 * W + x1];
                        warped[(((b * C + c) * D + d) * H + h) * W + w] = (float)acc;
                    }
                }
    }
    return 0;
}
