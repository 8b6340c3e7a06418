"""Baseline for `std_grid_sample_bilinear`: F.grid_sample(bilinear, zeros padding, align_corners=False)
on NCHW input (plain jax.numpy gathers; the XLA platform's baseline)."""
import jax.numpy as jnp


def _bilinear_zeros(img, ix, iy):
    """img [N, C, H, W], pixel coordinates ix, iy [N, P] -> [N, C, P]; taps outside read 0."""
    N, C, H, W = img.shape
    flat = img.reshape(N, C, H * W)
    x0, y0 = jnp.floor(ix), jnp.floor(iy)
    wx, wy = ix - x0, iy - y0
    x0, y0 = x0.astype(jnp.int32), y0.astype(jnp.int32)
    out = 0.0
    for dy, dx, wt in ((0, 0, (1 - wx) * (1 - wy)), (0, 1, wx * (1 - wy)),
                       (1, 0, (1 - wx) * wy), (1, 1, wx * wy)):
        r, q = y0 + dy, x0 + dx
        inside = (r >= 0) & (r < H) & (q >= 0) & (q < W)
        idx = jnp.clip(r, 0, H - 1) * W + jnp.clip(q, 0, W - 1)
        v = jnp.take_along_axis(flat, idx[:, None, :], axis=2)          # [N, C, P]
        out = out + jnp.where(inside, wt, 0.0)[:, None, :] * v
    return out


def kernel(x, grid, *, N, C, Hin, Win, Ho, Wo):
    gx, gy = grid[..., 0].reshape(N, Ho * Wo), grid[..., 1].reshape(N, Ho * Wo)
    ix = ((gx + 1) * Win - 1) / 2                                       # align_corners = False
    iy = ((gy + 1) * Hin - 1) / 2
    return _bilinear_zeros(x, ix, iy).reshape(N, C, Ho, Wo).astype(jnp.float32)
