"""Pallas kernel for `std_conv2d_grouped`: PyTorch nn.Conv2d (3x3, stride 1, pad 1) on NCHW f32.

The exemplar for convolutions on the XLA platform. A convolution is a sum of kh*kw shifted
matrix products: for each tap (u, v), the weights w[:, :, u, v] form a (Cout, Cin) matrix that
multiplies the input plane shifted by (u*dilation, v*dilation). So the kernel
  1. zero-pads the input once, outside the kernel (a cheap layout op), so no tap needs bounds checks;
  2. runs one grid step per image, with the whole padded image and all weights as blocks (the last
     two block dims equal the full array dims, which is always TPU-legal, whatever H and W are);
  3. accumulates the kh*kw tap products in f32 and adds the bias once at the end.
Groups are a static Python loop over channel slices (groups = 1 here, so it runs once).
"""
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl

# Attributes of the task (baked in, not passed as arguments).
KH, KW, STRIDE, PAD, DILATION, GROUPS = 3, 3, 1, 1, 1, 1


def _make_conv_kernel(Cin, Cout, Ho, Wo):
    cin_g, cout_g = Cin // GROUPS, Cout // GROUPS

    def conv_kernel(x_ref, w_ref, b_ref, y_ref):
        # x_ref: (Cin, Hp, Wp) padded image n   (the batch dim is squeezed away by `None` below)
        # w_ref: (KH*KW, Cout, Cin/groups)     one (Cout, Cin/groups) matrix per tap
        # b_ref: (Cout, 1)                     bias as a column, so it broadcasts over pixels
        # y_ref: (Cout, Ho, Wo)                output image n
        for g in range(GROUPS):
            acc = jnp.zeros((cout_g, Ho * Wo), jnp.float32)
            for u in range(KH):
                for v in range(KW):
                    # The input pixels tap (u, v) reads for every output pixel: a strided window
                    # of the padded image (pl.ds(start, size, stride) is start:start+size*stride).
                    patch = x_ref[pl.ds(g * cin_g, cin_g),
                                  pl.ds(u * DILATION, Ho, STRIDE),
                                  pl.ds(v * DILATION, Wo, STRIDE)]
                    tap = w_ref[u * KW + v, pl.ds(g * cout_g, cout_g), :]
                    # (Cout/g, Cin/g) @ (Cin/g, Ho*Wo): HIGHEST keeps the f32 products exact-ish
                    # (the default may use reduced-precision passes on some accelerators).
                    acc += jnp.dot(tap, patch.reshape(cin_g, Ho * Wo),
                                   preferred_element_type=jnp.float32,
                                   precision=jax.lax.Precision.HIGHEST)
            acc += b_ref[pl.ds(g * cout_g, cout_g), :]
            y_ref[pl.ds(g * cout_g, cout_g), :, :] = acc.reshape(cout_g, Ho, Wo)

    return conv_kernel


def kernel(x, w, b, *, N, Cin, Cout, H, W):
    Ho = (H + 2 * PAD - DILATION * (KH - 1) - 1) // STRIDE + 1
    Wo = (W + 2 * PAD - DILATION * (KW - 1) - 1) // STRIDE + 1
    Hp, Wp = H + 2 * PAD, W + 2 * PAD

    # Layout prep outside the kernel: zero padding, and the weights as one matrix per tap.
    xp = jnp.pad(x, ((0, 0), (0, 0), (PAD, PAD), (PAD, PAD)))
    w_taps = w.transpose(2, 3, 0, 1).reshape(KH * KW, Cout, Cin // GROUPS)
    b_col = b.reshape(Cout, 1)

    return pl.pallas_call(
        _make_conv_kernel(Cin, Cout, Ho, Wo),
        grid=(N,),  # one program per image
        in_specs=[
            # `None` squeezes the batch dim: the kernel sees image n as a (Cin, Hp, Wp) ref.
            pl.BlockSpec((None, Cin, Hp, Wp), lambda n: (n, 0, 0, 0)),
            # Weights and bias: the same (whole) block for every program.
            pl.BlockSpec((KH * KW, Cout, Cin // GROUPS), lambda n: (0, 0, 0)),
            pl.BlockSpec((Cout, 1), lambda n: (0, 0)),
        ],
        out_specs=pl.BlockSpec((None, Cout, Ho, Wo), lambda n: (n, 0, 0, 0)),
        out_shape=jax.ShapeDtypeStruct((N, Cout, Ho, Wo), jnp.float32),
    )(xp, w_taps, b_col)
