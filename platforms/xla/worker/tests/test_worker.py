"""Unit tests of the xla worker's pure parts: the static rules (both directions, one case per
label), the jaxpr rule's thresholds, the output checks and hash_bytes. Run by the Rust test
`python_unit_tests_pass` (platforms/xla/tests/checks.rs) with the venv's Python, or directly:

    .venv/bin/python -m unittest discover -s platforms/xla/worker/tests
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import kernelsmith_xla_worker as w  # noqa: E402

GOOD = '''
import functools
import math
import jax
import jax.numpy as jnp
from jax.experimental import pallas as pl
from jax.experimental.pallas import tpu as pltpu

def _body(x_ref, y_ref):
    y_ref[...] = jnp.maximum(x_ref[...], 0.0)

@functools.partial(jax.jit, static_argnames=("N",))
def kernel(x, *, N):
    out = pl.pallas_call(_body, out_shape=jax.ShapeDtypeStruct((N,), x.dtype))(x)
    if __name__ == "__main__":
        pass
    return out
'''


def labels(src):
    return sorted(label for label, _ in w.static_rules(src))


def with_body(extra, top=""):
    """GOOD with `top` added at module level and `extra` as the first line of kernel."""
    src = GOOD.replace("def kernel(x, *, N):\n", "def kernel(x, *, N):\n    " + extra + "\n")
    return top + "\n" + src


class StaticRules(unittest.TestCase):
    def test_a_clean_pallas_kernel_has_no_violations(self):
        self.assertEqual(labels(GOOD), [])

    def test_each_forbidden_construct_has_its_label(self):
        cases = [
            ("import os", "", "forbidden_process"),
            ("import subprocess", "", "forbidden_process"),
            ("from multiprocessing import Pool", "", "forbidden_process"),
            ("import socket", "", "forbidden_network"),
            ("import urllib.request", "", "forbidden_network"),
            ("import ctypes", "", "forbidden_dynamic_loading"),
            ("import importlib", "", "forbidden_dynamic_loading"),
            ("", "eval('1')", "forbidden_dynamic_loading"),
            ("", "exec('x = 1')", "forbidden_dynamic_loading"),
            ("", "__import__('os')", "forbidden_dynamic_loading"),
            ("import threading", "", "forbidden_thread"),
            ("from concurrent import futures", "", "forbidden_thread"),
            ("", "open('/tmp/cache', 'w')", "forbidden_file_io"),
            ("import pathlib", "", "forbidden_file_io"),
            ("import sys", "", "forbidden_introspection"),
            ("import gc", "", "forbidden_introspection"),
            ("", "getattr(jnp, 'maximum')", "forbidden_introspection"),
            ("", "x.__class__", "forbidden_introspection"),
            ("", "y = __builtins__", "forbidden_introspection"),
            ("from jax._src import core", "", "forbidden_introspection"),
            ("", "jax._src", "forbidden_introspection"),
            ("import time", "", "forbidden_timer"),
            ("", "jax.pure_callback(print, x, x)", "forbidden_host_callback"),
            ("from jax.experimental import io_callback", "", "forbidden_host_callback"),
            ("import jax.experimental.host_callback", "", "forbidden_host_callback"),
            ("", "jax.debug.print('{}', x)", "forbidden_host_callback"),
            ("", "jax.debug.callback(print, x)", "forbidden_host_callback"),
            ("", "jax.config.update('jax_enable_x64', True)", "forbidden_monkeypatch"),
            ("from jax import config", "", "forbidden_monkeypatch"),
            ("pl.pallas_call = None", "", "forbidden_monkeypatch"),
            ("jnp.maximum = jnp.minimum", "", "forbidden_monkeypatch"),
            ("import scipy", "", "forbidden_import"),
            ("from . import helper", "", "forbidden_import"),
            ("from math import *", "", "forbidden_import"),
        ]
        for top, body, label in cases:
            src = with_body(body, top) if body else top + "\n" + GOOD
            with self.subTest(top=top, body=body):
                self.assertIn(label, labels(src))

    def test_names_the_module_binds_itself_are_not_builtins(self):
        src = with_body("input = x; open = 1; vars = (input, open)")
        self.assertEqual(labels(src), [])

    def test_comments_and_strings_do_not_count(self):
        src = with_body('note = "import os; eval(x); jax.pure_callback"', "# import subprocess\n")
        self.assertEqual(labels(src), [])

    def test_no_pallas_call_and_missing_entry(self):
        self.assertEqual(labels("import jax.numpy as jnp\ndef kernel(x, *, N):\n    return jnp.maximum(x, 0)\n"),
                         ["no_pallas_call"])
        self.assertEqual(labels(GOOD.replace("def kernel(", "def relu(")), ["missing_entry"])
        self.assertEqual(labels(GOOD.replace("def kernel(", "def relu(") + "\nkernel = relu\n"), [])

    def test_syntax_errors_raise(self):
        with self.assertRaises(SyntaxError):
            w.static_rules("def kernel(:\n")


class JaxprRule(unittest.TestCase):
    """Thresholds of the jaxpr rule, both directions, on hand-made programs."""

    @classmethod
    def setUpClass(cls):
        import jax

        cls.jax = jax
        w.install_pallas_mode("interpret")

    def violations(self, fn, *shapes, out=None):
        import jax.numpy as jnp

        jax = self.jax
        sds = [jax.ShapeDtypeStruct(s, jnp.float32) for s in shapes]
        closed = jax.make_jaxpr(fn)(*sds)
        sizes = [w._numel(s) for s in sds] + [w._numel(a) for a in closed.out_avals]
        largest_out = max(w._numel(a) for a in closed.out_avals) if out is None else out
        return [label for label, _ in w.jaxpr_violations(closed, max(sizes), largest_out, "test")]

    @staticmethod
    def copy(x):
        import jax
        from jax.experimental import pallas as pl

        def body(a, b):
            b[...] = a[...]

        return pl.pallas_call(body, out_shape=jax.ShapeDtypeStruct(x.shape, x.dtype))(x)

    def test_elementwise_at_output_size_outside_is_flagged(self):
        import jax.numpy as jnp

        self.assertEqual(self.violations(lambda x: self.copy(jnp.maximum(x, 0.0)), (4096,)), ["work_outside_pallas"])

    def test_layout_ops_outside_are_fine(self):
        import jax.numpy as jnp

        def f(x):
            y = self.copy(jnp.pad(x, (0, 96)).reshape(32, 131).T)
            return y.T.reshape(-1)[:4096].astype(jnp.float32)

        self.assertEqual(self.violations(f, (4096,)), [])

    def test_small_glue_below_a_sixteenth_is_fine_and_above_is_not(self):
        import jax.numpy as jnp

        # Partial sums [64, 8] of a [64, 1024] input: 512 elements < 65536/16.
        ok = lambda x: jnp.sum(self.copy(x[:, :8]), axis=1)  # noqa: E731
        self.assertEqual(self.violations(ok, (64, 1024)), [])
        bad = lambda x: jnp.sum(self.copy(x), axis=1)  # noqa: E731
        self.assertEqual(self.violations(bad, (64, 1024)), ["work_outside_pallas"])

    def test_scalar_arithmetic_on_a_result_is_fine(self):
        # A mean: Pallas produces the sum (here: stands in with a copy of one element), the
        # division by N outside touches one element.
        self.assertEqual(self.violations(lambda x: self.copy(x[:1]) / 4096.0, (4096,)), [])

    def test_matmul_outside_is_flagged_even_inside_jit_and_cond(self):
        import jax
        import jax.numpy as jnp

        def f(a, b):
            c = jax.jit(lambda a, b: jax.lax.cond(True, lambda: a @ b, lambda: a @ b))(a, b)
            return self.copy(c)

        self.assertEqual(self.violations(f, (64, 64), (64, 64)), ["work_outside_pallas"])

    def test_per_row_work_in_a_scan_counts_its_length(self):
        import jax
        import jax.numpy as jnp

        def f(x):
            _, rows = jax.lax.scan(lambda c, r: (c, jnp.exp(r)), 0.0, x)
            return self.copy(rows)

        self.assertEqual(self.violations(f, (256, 256)), ["work_outside_pallas"])

    def test_array_work_in_a_while_loop_is_flagged(self):
        import jax
        import jax.numpy as jnp

        def f(x):
            _, y = jax.lax.while_loop(lambda s: s[0] < 3, lambda s: (s[0] + 1, jnp.tanh(s[1][:4])), (0, x[:4]))
            return self.copy(x) + 0 * jnp.sum(y)

        self.assertIn("work_outside_pallas", self.violations(f, (4096,)))

    def test_an_output_not_computed_by_pallas_is_flagged(self):
        def f(x):
            self.copy(x)
            return x

        self.assertEqual(self.violations(f, (4096,)), ["work_outside_pallas"])

    def test_no_pallas_call_at_all(self):
        import jax.numpy as jnp

        self.assertEqual(self.violations(lambda x: jnp.maximum(x, 0.0), (4096,)), ["no_pallas_call"])


class Outputs(unittest.TestCase):
    def test_count_dtype_and_shape_mismatches_are_named(self):
        specs = [{"name": "y", "dtype": "f32", "np_dtype": "float32", "shape": [4, 5]}]
        self.assertIsNone(w.output_problems([("float32", (4, 5))], specs))
        self.assertIn("returned 2 output(s)", w.output_problems([None, None], specs))
        self.assertIn("output `y` is bfloat16[4,5]", w.output_problems([("bfloat16", (4, 5))], specs))
        self.assertIn("needs float32[4,5]", w.output_problems([("float32", (20,))], specs))


class Hash(unittest.TestCase):
    def test_every_byte_matters(self):
        data = bytearray(1001)
        h0 = w.hash_bytes(bytes(data))
        for i in (0, 7, 8, 999, 1000):
            data[i] ^= 1
            self.assertNotEqual(w.hash_bytes(bytes(data)), h0, i)
            data[i] ^= 1
        self.assertEqual(w.hash_bytes(bytes(data)), h0)
        self.assertEqual(len(h0), 16)


if __name__ == "__main__":
    unittest.main()
