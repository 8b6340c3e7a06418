"""Baseline for `mobilemamba_ss2d_bidirectional_scan`: MobileMamba SS2D core, forward and reversed raster
scans (each with its own x_proj, dt_proj and selective scan), cross-merge, channel LayerNorm (plain
jax.numpy with one lax.scan over L carrying both directions; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
from jax import lax

HI = lax.Precision.HIGHEST
LN_EPS = 1e-5


def _softplus(t):
    # PyTorch F.softplus, threshold 20.
    return jnp.where(t > 20.0, t, jnp.log1p(jnp.exp(jnp.minimum(t, 20.0))))


def kernel(x, Wx, Wdt, bdt, A_logs, Ds, ln_w, ln_b, *, B, D, H, W, N, R):
    L = H * W
    xf = x.reshape(B, D, L)
    xs = jnp.stack([xf, xf[:, :, ::-1]])                                # [2, B, D, L], k = 0, 1
    xd = jnp.einsum("kcd,kbdl->kbcl", Wx, xs, precision=HI)             # [2, B, R+2N, L]
    dts, Bs, Cs = xd[:, :, :R], xd[:, :, R:R + N], xd[:, :, R + N:]
    dt = _softplus(jnp.einsum("kdr,kbrl->kbdl", Wdt, dts, precision=HI) + bdt[:, None, :, None])
    A = -jnp.exp(A_logs).reshape(2, D, N)[:, None]                      # [2, 1, D, N]
    Dk = Ds.reshape(2, 1, D, 1)

    # Time-major inputs for the scan (axis 0 = l).
    tm = lambda a: jnp.moveaxis(a, -1, 0)

    def step(h, inp):                                                   # h: [2, B, D, N]
        dt_l, x_l, b_l, c_l = inp                                       # [2,B,D], [2,B,D], [2,B,N] x2
        h = jnp.exp(dt_l[..., None] * A) * h + (dt_l * x_l)[..., None] * b_l[:, :, None, :]
        return h, jnp.sum(h * c_l[:, :, None, :], axis=-1)

    _, ys = lax.scan(step, jnp.zeros((2, B, D, N), jnp.float32), (tm(dt), tm(xs), tm(Bs), tm(Cs)))
    ys = jnp.moveaxis(ys, 0, -1) + Dk * xs                              # [2, B, D, L]
    m = ys[0] + ys[1][:, :, ::-1]                                       # cross-merge: un-flip, sum

    mu = jnp.mean(m, axis=1, keepdims=True)
    mc = m - mu
    var = jnp.mean(mc * mc, axis=1, keepdims=True)
    y = mc * lax.rsqrt(var + LN_EPS) * ln_w[None, :, None] + ln_b[None, :, None]
    return y.reshape(B, D, H, W).astype(jnp.float32)
