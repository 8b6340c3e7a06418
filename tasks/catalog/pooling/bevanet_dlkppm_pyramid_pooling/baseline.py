"""Baseline for `bevanet_dlkppm_pyramid_pooling`: BEVANet DLKPPM, a chained PIDNet-style pyramid
pooling module (avg-pool 5/9, adaptive 2x2 and 1x1 branches, bilinear upsampling, 3x3 process
convs) with one branch replaced by LSKA spatial attention (K = 35), then a 1x1 compression plus
a 1x1 shortcut (plain jax.numpy / lax; the XLA platform's baseline)."""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

HI = lax.Precision.HIGHEST
K1, K2, DIL = 5, 11, 3  # attributes k1, k2, d (K = 35)


def _col(v):
    return v[None, :, None, None]


def _pw(Wm, t):
    """1x1 conv without bias: out[o] = sum_c Wm[o, c] t[c]."""
    return jnp.einsum("oc,nchw->nohw", Wm, t, precision=HI)


def _conv(t, w, padding, dilation=(1, 1), groups=1):
    return lax.conv_general_dilated(t, w, (1, 1), padding, rhs_dilation=dilation,
                                    dimension_numbers=("NCHW", "OIHW", "NCHW"),
                                    feature_group_count=groups, precision=HI)


def _avg_pool(x, k, s, p):
    """AvgPool2d(k, stride s, pad p), zeros counted (every window divided by k*k)."""
    sm = lax.reduce_window(x, 0.0, lax.add, (1, 1, k, k), (1, 1, s, s),
                           ((0, 0), (0, 0), (p, p), (p, p)))
    return sm / (k * k)


def _adaptive_matrix(n_in, n_out):
    """[n_out, n_in] averaging matrix of adaptive average pooling (PyTorch bin rule)."""
    m = np.zeros((n_out, n_in))
    for r in range(n_out):
        lo, hi = (r * n_in) // n_out, -((-(r + 1) * n_in) // n_out)   # floor, ceil
        m[r, lo:hi] = 1.0 / (hi - lo)
    return jnp.asarray(m, jnp.float32)


def _bilinear_matrix(n_in, n_out):
    """[n_out, n_in] interpolation matrix of bilinear resize, align_corners=False."""
    d = np.arange(n_out)
    src = np.maximum((d + 0.5) * (n_in / n_out) - 0.5, 0.0)
    i0 = np.floor(src).astype(np.int64)
    i1 = np.minimum(i0 + 1, n_in - 1)
    lam = src - i0
    m = np.zeros((n_out, n_in))
    np.add.at(m, (d, i0), 1.0 - lam)
    np.add.at(m, (d, i1), lam)
    return jnp.asarray(m, jnp.float32)


def _up(t, H, W):
    mh, mw = _bilinear_matrix(t.shape[2], H), _bilinear_matrix(t.shape[3], W)
    return jnp.einsum("ip,ncpq,jq->ncij", mh, t, mw, precision=HI)


def kernel(x, bn_scale, bn_shift, pw_w, bnl_scale, bnl_shift, sa_w1, sa_b1, wh1, bh1, wv1, bv1,
           wh2, bh2, wv2, bv2, lp_w, lp_b, sa_w2, sa_b2, ls, proc_scale, proc_shift, proc_w,
           comp_scale, comp_shift, comp_w, sc_scale, sc_shift, sc_w, *, N, Cin, Cb, Cout, H, W):
    def P(t, k):
        return _pw(pw_w[k], jax.nn.relu(_col(bn_scale[k]) * t + _col(bn_shift[k])))

    def proc(t, i):
        a = jax.nn.relu(_col(proc_scale[i]) * t + _col(proc_shift[i]))
        d = 2 if i < 2 else 1
        return _conv(a, proc_w[i], ((d, d), (d, d)), dilation=(d, d))

    def lska(u):
        dw = lambda t, w, b, pad, dil=(1, 1): _conv(t, w, pad, dil, groups=Cb) + _col(b)
        ph = DIL * (K2 - 1) // 2                                         # 15
        a = dw(u, wh1, bh1, ((0, 0), (K1 // 2, K1 // 2)))
        a = dw(a, wv1, bv1, ((K1 // 2, K1 // 2), (0, 0)))
        a = dw(a, wh2, bh2, ((0, 0), (ph, ph)), (1, DIL))
        a = dw(a, wv2, bv2, ((ph, ph), (0, 0)), (DIL, 1))
        return u * (_pw(lp_w, a) + _col(lp_b))

    def sa(t):
        h = jax.nn.gelu(_pw(sa_w1, t) + _col(sa_b1), approximate=False)
        return _pw(sa_w2, lska(h)) + _col(sa_b2) + t

    s0 = P(x, 0)
    sl = s0 + _col(ls) * sa(_col(bnl_scale) * s0 + _col(bnl_shift))
    x1 = proc(_up(P(_avg_pool(x, 5, 2, 2), 1), H, W) + s0, 0)
    x2 = proc(_up(P(_avg_pool(x, 9, 4, 4), 2), H, W) + x1, 1)
    x3 = proc(sl + x2, 2)
    ad2 = jnp.einsum("rh,nchw,sw->ncrs", _adaptive_matrix(H, 2), x, _adaptive_matrix(W, 2),
                     precision=HI)
    x4 = proc(_up(P(ad2, 3), H, W) + x3, 3)
    ad1 = jnp.mean(x, axis=(2, 3), keepdims=True)
    x5 = proc(P(ad1, 4) + x4, 4)                                         # up(1x1) = broadcast
    cat = jnp.concatenate([s0, x1, x2, x3, x4, x5], axis=1)
    y = (_pw(comp_w, jax.nn.relu(_col(comp_scale) * cat + _col(comp_shift)))
         + _pw(sc_w, jax.nn.relu(_col(sc_scale) * x + _col(sc_shift))))
    return y.astype(jnp.float32)
