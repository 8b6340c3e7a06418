"""Baseline for `mvs_depth_warp_bilinear`: GBi-Net FeatureFetcher, back-project every reference pixel at
each depth hypothesis, project into the source camera (general 3x3 inverses), sample the source
features bilinearly with zero padding (plain jax.numpy; the XLA platform's baseline)."""
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST


def _bilinear_zeros(img, ix, iy):
    """img [B, C, H, W], pixel coordinates ix, iy [B, P] -> [B, C, P]; taps outside read 0."""
    B, C, H, W = img.shape
    flat = img.reshape(B, C, H * W)
    x0, y0 = jnp.floor(ix), jnp.floor(iy)
    wx, wy = ix - x0, iy - y0
    x0, y0 = x0.astype(jnp.int32), y0.astype(jnp.int32)
    out = 0.0
    for dy, dx, wt in ((0, 0, (1 - wx) * (1 - wy)), (0, 1, wx * (1 - wy)),
                       (1, 0, (1 - wx) * wy), (1, 1, wx * wy)):
        r, q = y0 + dy, x0 + dx
        inside = (r >= 0) & (r < H) & (q >= 0) & (q < W)
        idx = jnp.clip(r, 0, H - 1) * W + jnp.clip(q, 0, W - 1)
        v = jnp.take_along_axis(flat, idx[:, None, :], axis=2)          # [B, C, P]
        out = out + jnp.where(inside, wt, 0.0)[:, None, :] * v
    return out


def kernel(src, depth, dK_ref, dK_src, dE_ref, dE_src, *, B, C, D, H, W):
    K0 = jnp.array([[W, 0.0, W / 2], [0.0, W, H / 2], [0.0, 0.0, 1.0]], jnp.float32)
    E0 = jnp.eye(3, 4, dtype=jnp.float32)
    K_ref, K_src = K0 + dK_ref, K0 + dK_src                             # [B, 3, 3]
    E_ref, E_src = E0 + dE_ref, E0 + dE_src                             # [B, 3, 4]
    R_ref, t_ref = E_ref[:, :, :3], E_ref[:, :, 3]
    R_src, t_src = E_src[:, :, :3], E_src[:, :, 3]

    # Pixel centres (w + 0.5, h + 0.5, 1), scaled by every depth hypothesis: [B, 3, D*H*W].
    hh, ww = jnp.meshgrid(jnp.arange(H, dtype=jnp.float32), jnp.arange(W, dtype=jnp.float32),
                          indexing="ij")
    p = jnp.stack([ww + 0.5, hh + 0.5, jnp.ones_like(ww)]).reshape(3, 1, H * W)
    P = (p[None] * depth.reshape(B, 1, D, H * W)).reshape(B, 3, D * H * W)

    mm = lambda A, X: jnp.einsum("bij,bjp->bip", A, X, precision=HI)
    Xr = mm(jnp.linalg.inv(K_ref), P)
    Xw = mm(jnp.linalg.inv(R_ref), Xr - t_ref[:, :, None])             # R is not orthonormal
    Xs = mm(R_src, Xw) + t_src[:, :, None]
    z = Xs[:, 2]
    zsafe = jnp.where(z == 0, 1.0, z)
    uvw = mm(K_src, jnp.stack([Xs[:, 0] / zsafe, Xs[:, 1] / zsafe, jnp.ones_like(z)], axis=1))
    u = jnp.where(z == 0, 2.0 * W, uvw[:, 0])
    v = jnp.where(z == 0, 2.0 * H, uvw[:, 1])

    out = _bilinear_zeros(src, u - 0.5, v - 0.5)                        # [B, C, D*H*W]
    return out.reshape(B, C, D, H, W).astype(jnp.float32)
