"""The worker process of kernelsmith's `xla` platform: JAX/Pallas candidates, run for real.

The Rust harness embeds this file in its binary, writes it to its cache folder and starts it with
the project's venv Python inside the same sandbox as every other worker (rlimits, a private
network namespace, Landlock: writes only beneath the private temporary directory and /dev). It is
the only place candidate Python code is imported. Modes:

  --serve   protocol v2 of platforms/api/src/protocol.rs: JSON lines on stdin, one reply line
            with the same `id` per request, tensors as raw little-endian files named in the
            requests (no pickle). The eval worker.
  --check   the compile step. Answers `hello`, then one `load` whose `candidate` is a check spec
            (JSON, written by the harness): static rules on the source (Python `ast`), then import,
            trace at each size with ShapeDtypeStructs (no data), output shape/dtype check, the
            jaxpr rule (work must happen inside `pallas_call`) and, when asked, a TPU lowering
            with `jax.export`. The verdict goes to the spec's `result` file; the reply is `ok`.
  --probe   prints one JSON object: Python, JAX and jaxlib versions, backend and devices.

Only the standard library is imported at module level, so tests can import this file to compare
`hash_bytes` with the Rust one without JAX.
"""

import ast
import functools
import json
import math
import os
import sys
import time
import traceback

PROTOCOL_VERSION = 2

# The poison patterns of platforms/api/src/compare.rs, written for outputs nobody produced.
POISON_F32 = 0x7FC0DEAD
POISON_HALF = 0x7FD5
POISON_BYTE = 0xA5

_MASK64 = (1 << 64) - 1
_FNV_PRIME = 0x0000_0100_0000_01B3


def hash_bytes(data):
    """Exactly `kernelsmith_platform::protocol::hash_bytes`: FNV-1a over little-endian 8-byte
    words with an xor-shift after each multiply, then the leftover bytes one at a time; 16 hex
    digits. The harness compares it with its own hash of what it sent."""
    h = 0xCBF2_9CE4_8422_2325
    mv = memoryview(data).cast("B")
    n8 = len(mv) // 8
    if sys.byteorder == "little":
        words = mv[: n8 * 8].cast("Q")
    else:
        words = (int.from_bytes(mv[i * 8 : i * 8 + 8], "little") for i in range(n8))
    for w in words:
        h = ((h ^ w) * _FNV_PRIME) & _MASK64
        h ^= h >> 29
    for b in mv[n8 * 8 :]:
        h = ((h ^ b) * _FNV_PRIME) & _MASK64
    return "%016x" % h


# ---------------------------------------------------------------------------------------------
# Static rules: constructs a kernel has no honest use for, each with a stable label (the
# evaluation's `hack_label`). Imports are an allow-list: anything else is refused, so a candidate
# cannot reach the process, the file system or this worker's own state (it shares an
# interpreter with the checker that judges it). The sandbox stops the same things at run time.
# ---------------------------------------------------------------------------------------------

ALLOWED_IMPORTS = frozenset(
    ["jax", "numpy", "ml_dtypes", "math", "functools", "itertools", "operator", "typing",
     "dataclasses", "enum", "collections", "numbers", "__future__"]
)

_PROCESS = ("forbidden_process", "kernels may not create processes, run programs or send signals")
_NETWORK = ("forbidden_network", "kernels may not use the network")
_DYNAMIC = ("forbidden_dynamic_loading", "kernels may not load native code, import dynamically or evaluate strings as code")
_THREAD = ("forbidden_thread", "kernels may not start threads (JAX parallelises inside the device)")
_FILE = ("forbidden_file_io", "kernels may not open or touch files (a cache on disk would outlive a call)")
_INTRO = ("forbidden_introspection", "kernels may not inspect or reach into the interpreter, the worker or JAX internals")
_TIMER = ("forbidden_timer", "kernels may not read clocks (behaviour must not depend on timing)")
_CALLBACK = ("forbidden_host_callback", "kernels may not call back into Python on the host (pure_callback, io_callback, host_callback, jax.debug)")
_PATCH = ("forbidden_monkeypatch", "kernels may not modify imported modules or JAX's global configuration (x64, jit, caches)")
_IMPORT = ("forbidden_import", "only jax, numpy, ml_dtypes, math, functools, itertools, operator, typing, dataclasses, enum, collections and numbers may be imported")

MODULE_RULES = {}
for _names, _rule in [
    (["subprocess", "multiprocessing", "os", "posix", "pty", "signal", "resource", "shlex", "sched"], _PROCESS),
    (["socket", "ssl", "http", "urllib", "urllib3", "requests", "ftplib", "smtplib", "asyncio", "selectors",
      "xmlrpc", "websocket", "websockets", "grpc", "telnetlib", "poplib", "imaplib"], _NETWORK),
    (["ctypes", "cffi", "importlib", "imp", "pkgutil", "runpy", "zipimport", "marshal", "pickle", "dill",
      "cloudpickle", "code", "codeop", "numba", "cython"], _DYNAMIC),
    (["threading", "_thread", "concurrent", "queue"], _THREAD),
    (["io", "pathlib", "shutil", "tempfile", "glob", "fileinput", "mmap", "sqlite3", "shelve", "dbm", "zipfile",
      "tarfile"], _FILE),
    (["sys", "gc", "inspect", "builtins", "__builtin__", "traceback", "weakref", "types", "atexit", "faulthandler",
      "tracemalloc", "ctypes", "dis", "site", "sysconfig", "jaxlib"], _INTRO),
    (["time", "timeit", "datetime"], _TIMER),
]:
    for _n in _names:
        MODULE_RULES.setdefault(_n, _rule)

# Builtins refused when read as a name the module does not bind itself.
NAME_RULES = {
    "eval": _DYNAMIC, "exec": _DYNAMIC, "compile": _DYNAMIC, "__import__": _DYNAMIC,
    "open": _FILE, "input": _INTRO,
    "globals": _INTRO, "locals": _INTRO, "vars": _INTRO, "getattr": _INTRO, "setattr": _INTRO,
    "delattr": _INTRO, "breakpoint": _INTRO, "exit": _PROCESS, "quit": _PROCESS,
}
CALLBACK_NAMES = frozenset(["pure_callback", "io_callback", "host_callback", "debug_callback"])
CONFIG_NAMES = frozenset(["config", "enable_x64", "disable_x64", "disable_jit", "enable_checks",
                          "compilation_cache", "jax_enable_x64", "update_config"])


def static_rules(source, filename="kernel.py"):
    """Violations [(label, message)] of the rules above; raises SyntaxError for invalid Python.
    Also `no_pallas_call` (the source never mentions pallas_call) and `missing_entry` (no
    top-level `kernel`)."""
    tree = ast.parse(source, filename=filename)
    found = {}  # label -> (why, [what])

    def hit(rule, what):
        label, why = rule
        items = found.setdefault(label, (why, []))[1]
        if what not in items:
            items.append(what)

    bound = set()
    module_aliases = set()
    mentions_pallas_call = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound.add(node.id)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.Import):
            for a in node.names:
                alias = a.asname or a.name.split(".")[0]
                bound.add(alias)
                module_aliases.add(alias)
        elif isinstance(node, ast.ImportFrom):
            for a in node.names:
                bound.add(a.asname or a.name)
                module_aliases.add(a.asname or a.name)

    def check_module(path):
        parts = path.split(".")
        root = parts[0]
        if root not in ALLOWED_IMPORTS:
            hit(MODULE_RULES.get(root, _IMPORT), "import " + path)
            return
        if any(p.startswith("_") and p != "__future__" for p in parts):
            hit(_INTRO, "import " + path)
        if any(p in CALLBACK_NAMES for p in parts) or (root == "jax" and "debug" in parts):
            hit(_CALLBACK, "import " + path)
        if any(p in CONFIG_NAMES for p in parts):
            hit(_PATCH, "import " + path)

    def root_name(node):
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def check_target(t):
        if isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                check_target(e)
        elif isinstance(t, ast.Starred):
            check_target(t.value)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            r = root_name(t)
            if r in module_aliases:
                hit(_PATCH, "assignment to " + ast.unparse(t))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                check_module(a.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                hit(_IMPORT, "relative import")
                continue
            mod = node.module or ""
            check_module(mod)
            for a in node.names:
                if a.name == "*":
                    hit(_IMPORT, "from %s import *" % mod)
                elif a.name == "pallas_call":
                    mentions_pallas_call = True
                elif a.name in CALLBACK_NAMES or (mod.split(".")[-1] == "debug"):
                    hit(_CALLBACK, "from %s import %s" % (mod, a.name))
                elif a.name in CONFIG_NAMES:
                    hit(_PATCH, "from %s import %s" % (mod, a.name))
                elif a.name.startswith("_"):
                    hit(_INTRO, "from %s import %s" % (mod, a.name))
        elif isinstance(node, ast.Attribute):
            attr = node.attr
            if attr == "pallas_call":
                mentions_pallas_call = True
            if attr.startswith("__") and attr.endswith("__"):
                hit(_INTRO, "." + attr)
            elif attr.startswith("_") and root_name(node) in module_aliases:
                hit(_INTRO, ast.unparse(node))
            if attr in CALLBACK_NAMES:
                hit(_CALLBACK, ast.unparse(node))
            elif attr in ("callback", "print", "breakpoint") and isinstance(node.value, (ast.Attribute, ast.Name)):
                base = node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id
                if base == "debug":
                    hit(_CALLBACK, ast.unparse(node))
            if attr in CONFIG_NAMES and root_name(node) in module_aliases:
                hit(_PATCH, ast.unparse(node))
        elif isinstance(node, ast.Name):
            if node.id == "pallas_call":
                mentions_pallas_call = True
            if isinstance(node.ctx, ast.Load):
                if node.id in NAME_RULES and node.id not in bound:
                    hit(NAME_RULES[node.id], node.id)
                elif node.id.startswith("__") and node.id.endswith("__") and node.id != "__name__":
                    hit(_INTRO, node.id)
                elif node.id in CALLBACK_NAMES:
                    hit(_CALLBACK, node.id)
        elif isinstance(node, (ast.Assign, ast.Delete)):
            for t in node.targets:
                check_target(t)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            check_target(node.target)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
            check_target(node.target)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            check_target(node.optional_vars)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            pass  # module state cannot cache results across jitted calls: harmless

    out = [(label, "uses %s: %s" % (", ".join(items), why)) for label, (why, items) in found.items()]
    if not mentions_pallas_call:
        out.append(("no_pallas_call",
                    "the source never calls pl.pallas_call: the work must be done by a Pallas kernel "
                    "(from jax.experimental import pallas as pl)"))
    has_entry = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "kernel":
            has_entry = True
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "kernel" for t in node.targets):
            has_entry = True
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == "kernel":
            has_entry = True
    if not has_entry:
        out.append(("missing_entry", "no top-level function `kernel` is defined: the entry point must be "
                                     "`def kernel(<inputs>, *, <dims>)`"))
    return out


# ---------------------------------------------------------------------------------------------
# The jaxpr rule: the work must happen inside pallas_call.
#
# The candidate is traced (no data) and its jaxpr walked, recursing into every sub-jaxpr (jit,
# custom_jvp/custom_vjp, cond branches, scan and while bodies, remat, ...) but never into a
# pallas_call's own kernel body. With T = the element count of the task's largest tensor (inputs
# and outputs) and O = that of its largest output at the traced size, an equation outside any
# pallas_call is flagged when:
#   * it is a HEAVY primitive (contractions, convolutions, reductions, scans, sorts, FFTs,
#     gathers/scatters, windowed reductions, factorizations) whose largest operand or result has
#     at least T/16 elements; or
#   * it is any other primitive that is not a cheap LAYOUT op (elementwise arithmetic, math
#     functions, select, comparisons, random bits, ...) whose largest result has at least
#     max(O, T/16) elements.
# Inside a scan, sizes are multiplied by the scan length. A while_loop outside pallas_call whose
# body does any heavy or non-scalar non-layout work is flagged as such (its trip count is unknown).
# LAYOUT ops (reshape, transpose, broadcast, pad, slicing, concatenation, dtype converts, iota)
# are allowed outside at any size. Small work outside (combining per-block partial sums, scaling
# a scalar, preparing a bias vector) stays below the thresholds. Separately, at least one output
# must be computed from a pallas_call result (data flow), so a decorative pallas_call beside jnp
# code is caught even for pure layout tasks.
# ---------------------------------------------------------------------------------------------

HEAVY_FRACTION = 16

LAYOUT_PRIMS = frozenset([
    "reshape", "transpose", "broadcast_in_dim", "squeeze", "expand_dims", "pad", "slice", "dynamic_slice",
    "dynamic_update_slice", "concatenate", "convert_element_type", "bitcast_convert_type", "rev", "copy",
    "copy_p", "iota", "device_put", "split", "reduce_precision", "optimization_barrier", "stop_gradient",
    "squeeze_p", "sharding_constraint", "mesh_cast", "pvary",
])

HEAVY_PRIMS = frozenset([
    "dot_general", "ragged_dot_general", "conv_general_dilated", "reduce_sum", "reduce_max", "reduce_min",
    "reduce_prod", "reduce_and", "reduce_or", "reduce_xor", "reduce", "argmax", "argmin", "cumsum", "cumprod",
    "cummax", "cummin", "cumlogsumexp", "fft", "sort", "top_k", "approx_top_k", "gather", "scatter",
    "scatter-add", "scatter_add", "scatter-mul", "scatter_mul", "scatter-min", "scatter_min", "scatter-max",
    "scatter_max", "select_and_scatter_add", "select_and_gather_add", "reduce_window_sum", "reduce_window_max",
    "reduce_window_min", "reduce_window", "triangular_solve", "cholesky", "lu", "qr", "eigh", "eig", "svd",
    "householder_product", "tridiagonal_solve", "psum", "all_gather",
])

PALLAS_PRIMS = frozenset(["pallas_call"])


def _numel(aval):
    shape = getattr(aval, "shape", ())
    n = 1
    for d in shape:
        n *= int(d)
    return n


def _aval_text(aval):
    dt = getattr(aval, "dtype", None)
    shape = getattr(aval, "shape", ())
    return "%s[%s]" % (dt, ",".join(str(int(d)) for d in shape))


def _sub_jaxprs(params):
    from jax._src import core as jcore

    def gen(v):
        if isinstance(v, jcore.ClosedJaxpr):
            yield v.jaxpr
        elif isinstance(v, jcore.Jaxpr):
            yield v
        elif isinstance(v, (tuple, list)):
            for x in v:
                yield from gen(x)

    for v in params.values():
        yield from gen(v)


def walk_jaxpr(closed_jaxpr, largest_tensor, largest_output):
    """Apply the rule above. Returns a dict: `pallas` (a pallas_call was seen), `outside`
    [(primitive, aval text)], `callbacks` [primitive names], `output_from_pallas` (bool)."""
    from jax._src import core as jcore

    heavy_min = max(1, largest_tensor // HEAVY_FRACTION)
    light_min = max(largest_output, heavy_min)
    res = {"pallas": False, "outside": [], "callbacks": [], "output_from_pallas": False}

    def note(prim, aval):
        entry = (prim, _aval_text(aval))
        if entry not in res["outside"] and len(res["outside"]) < 12:
            res["outside"].append(entry)

    def scan_callbacks(jaxpr):
        for eqn in jaxpr.eqns:
            if "callback" in eqn.primitive.name:
                if eqn.primitive.name not in res["callbacks"]:
                    res["callbacks"].append(eqn.primitive.name)
            for sj in _sub_jaxprs(eqn.params):
                scan_callbacks(sj)

    def is_var(v):
        return isinstance(v, jcore.Var)

    def array_work(jaxpr):
        """Whether a jaxpr (a while body) does heavy or non-scalar non-layout work."""
        for eqn in jaxpr.eqns:
            name = eqn.primitive.name
            if name in PALLAS_PRIMS:
                continue
            subs = list(_sub_jaxprs(eqn.params))
            if subs:
                if any(array_work(s) for s in subs):
                    return True
                continue
            if name in HEAVY_PRIMS:
                return True
            if name not in LAYOUT_PRIMS and any(_numel(v.aval) > 1 for v in eqn.outvars):
                return True
        return False

    def visit(jaxpr, tainted_in, mult):
        tainted = {}
        for v, t in zip(jaxpr.invars, tainted_in):
            tainted[v] = t
        for v in jaxpr.constvars:
            tainted[v] = False

        def t_of(v):
            return is_var(v) and tainted.get(v, False)

        for eqn in jaxpr.eqns:
            name = eqn.primitive.name
            any_in = any(t_of(v) for v in eqn.invars)
            outs = [any_in] * len(eqn.outvars)
            if name in PALLAS_PRIMS:
                res["pallas"] = True
                outs = [True] * len(eqn.outvars)
            else:
                subs = list(_sub_jaxprs(eqn.params))
                if subs:
                    m = mult
                    if name == "scan":
                        m = mult * max(1, int(eqn.params.get("length", 1)))
                    if name == "while":
                        body = eqn.params.get("body_jaxpr")
                        if body is not None and array_work(body.jaxpr):
                            note("while", eqn.outvars[0].aval if eqn.outvars else None)
                    for sj in subs:
                        r = visit(sj, [any_in] * len(sj.invars), m)
                        if len(r) == len(outs):
                            outs = [a or b for a, b in zip(outs, r)]
                else:
                    sizes_in = [_numel(v.aval) for v in eqn.invars if hasattr(v, "aval")]
                    sizes_out = [_numel(v.aval) for v in eqn.outvars]
                    biggest_out = max(sizes_out, default=0) * mult
                    biggest = max(sizes_in + sizes_out, default=0) * mult
                    if name in HEAVY_PRIMS:
                        if biggest >= heavy_min:
                            big = max(list(eqn.invars) + list(eqn.outvars), key=lambda v: _numel(v.aval) if hasattr(v, "aval") else 0)
                            note(name, big.aval)
                    elif name not in LAYOUT_PRIMS and "callback" not in name:
                        if biggest_out >= light_min:
                            note(name, max(eqn.outvars, key=lambda v: _numel(v.aval)).aval)
            for v, t in zip(eqn.outvars, outs):
                tainted[v] = t
        return [t_of(v) for v in jaxpr.outvars]

    jaxpr = closed_jaxpr.jaxpr
    scan_callbacks(jaxpr)
    out_t = visit(jaxpr, [False] * len(jaxpr.invars), 1)
    res["output_from_pallas"] = any(out_t)
    return res


def jaxpr_violations(closed_jaxpr, largest_tensor, largest_output, where):
    """The jaxpr rule as violations [(label, message)]."""
    r = walk_jaxpr(closed_jaxpr, largest_tensor, largest_output)
    out = []
    if r["callbacks"]:
        out.append(("forbidden_host_callback", "%s calls back into Python on the host (%s)" % (where, ", ".join(r["callbacks"]))))
    if not r["pallas"]:
        out.append(("no_pallas_call", "%s: the traced kernel contains no pl.pallas_call; the work must be done by a Pallas kernel" % where))
        return out
    if r["outside"]:
        what = ", ".join("%s (%s)" % p for p in r["outside"])
        out.append(("work_outside_pallas",
                    "%s: heavy work runs outside pl.pallas_call: %s. Do the computation inside the Pallas kernel; "
                    "layout ops (reshape, transpose, pad, slicing, broadcast, dtype casts) and small work below "
                    "1/%d of the largest tensor are fine outside" % (where, what, HEAVY_FRACTION)))
    elif not r["output_from_pallas"]:
        out.append(("work_outside_pallas",
                    "%s: no output of `kernel` is computed from a pl.pallas_call result; the Pallas kernel must "
                    "produce the answer" % where))
    return out


# ---------------------------------------------------------------------------------------------
# JAX set-up shared by every mode.
# ---------------------------------------------------------------------------------------------

def _np_dtypes():
    import ml_dtypes
    import numpy as np

    return {"f32": np.dtype(np.float32), "f16": np.dtype(np.float16), "bf16": np.dtype(ml_dtypes.bfloat16),
            "i8": np.dtype(np.int8), "i32": np.dtype(np.int32), "i64": np.dtype(np.int64), "u8": np.dtype(np.uint8)}


def import_jax():
    """Import JAX with the settings every worker uses: no persistent compilation cache (nothing is
    written outside the private directory, and no compiled state leaks between candidates)."""
    import jax

    jax.config.update("jax_enable_compilation_cache", False)
    return jax


def install_pallas_mode(mode):
    """Wrap `pallas_call` before any candidate is imported. `interpret`: on the CPU backend every
    call runs in Pallas interpret mode (a candidate never has to say `interpret=True`; an explicit
    `InterpretParams` it passes is kept). `compile`: interpret mode is switched off, so a TPU export
    really lowers the kernel through Mosaic. `native`: untouched (gpu, tpu)."""
    import jax.experimental.pallas as plmod
    from jax._src.pallas import pallas_call as pcmod

    orig = pcmod.pallas_call
    if getattr(orig, "_kernelsmith_mode", None) is not None:
        orig = orig._kernelsmith_orig

    @functools.wraps(orig)
    def pallas_call(*args, **kwargs):
        if mode == "interpret":
            cur = kwargs.get("interpret", False)
            if cur is None or cur is False:
                kwargs["interpret"] = True
        elif mode == "compile":
            kwargs["interpret"] = False
        return orig(*args, **kwargs)

    pallas_call._kernelsmith_mode = mode
    pallas_call._kernelsmith_orig = orig
    plmod.pallas_call = pallas_call
    pcmod.pallas_call = pallas_call


def use_tpu_chip(chip):
    """Let the Pallas TPU lowering run without a TPU. Its block-shape rules for rank-1 blocks (and
    a few op lowerings) ask `tpu_info.get_tpu_info()` for the chip's sublane/lane counts and
    generation, which it reads from the default device; on the CPU backend that device's kind is
    `cpu`, which the lowering rejects ("Unsupported TPU device kind: cpu"). The module keeps a
    registry of extra device kinds for exactly this; register `cpu` as the chip being targeted."""
    from jax._src.pallas.mosaic import tpu_info

    version = tpu_info.ChipVersion(chip)
    tpu_info.registry["cpu"] = lambda: tpu_info.get_tpu_info_for_chip(version, 1)


def load_module(path, name):
    """Import a candidate or baseline file as a fresh module and return its callable `kernel`."""
    import importlib.util

    _SOURCE_PATHS.append(os.path.abspath(path))

    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise RuntimeError("cannot import %s" % path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    fn = getattr(mod, "kernel", None)
    if fn is None:
        raise NameError("%s defines no `kernel`: the entry point must be `def kernel(<inputs>, *, <dims>)`" % os.path.basename(path))
    if not callable(fn):
        raise TypeError("`kernel` in %s is not callable" % os.path.basename(path))
    return fn


def user_traceback(exc, context=None):
    """`exc` as a compiler-style log: one line with the context and the error first (what a
    reader, and the harness's one-line reason, need), the full message, then only the frames in
    user code: this worker's own frames and JAX's internals are dropped, and the candidate's file
    is called `kernel.py` wherever it lives."""
    me = os.path.abspath(__file__)
    jax_dirs = []
    for name in ("jax", "jaxlib"):
        mod = sys.modules.get(name)
        if mod is not None and getattr(mod, "__file__", None):
            jax_dirs.append(os.path.dirname(os.path.abspath(mod.__file__)) + os.sep)

    def mine(f):
        p = os.path.abspath(f.filename)
        return p != me and not any(p.startswith(d) for d in jax_dirs) and "importlib" not in p

    frames = [f for f in traceback.extract_tb(exc.__traceback__) if mine(f)]
    for f in frames:
        if os.path.basename(f.filename) == "kernel.py":
            f.filename = "kernel.py"
    message = "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    # JAX appends a note about its traceback filtering; it says nothing about the kernel.
    message = "\n".join(l for l in message.splitlines()
                        if not l.startswith("For simplicity, JAX has removed") and l.strip("-") != "")
    head = message.splitlines()[0] if message else type(exc).__name__
    lines = [("%s: %s" % (context, head)) if context else head]
    lines += message.splitlines()[1:]
    if frames:
        lines.append("Traceback (user code, most recent call last):")
        lines.append("".join(traceback.format_list(frames)).rstrip())
    text = "\n".join(lines)
    for path in _SOURCE_PATHS:
        text = text.replace(path, "kernel.py")
    return text


# Where candidate files live (a cache folder): error texts call them `kernel.py`.
_SOURCE_PATHS = []


def flatten_outputs(out):
    if isinstance(out, (tuple, list)):
        return list(out)
    return [out]


def output_problems(got, specs):
    """Compare returned (dtype name, shape) pairs with the task's outputs; a message or None."""
    names = [s["name"] for s in specs]
    if len(got) != len(specs):
        return "`kernel` returned %d output(s); the task has %d (%s), returned as %s in this order" % (
            len(got), len(specs), ", ".join(names), "one array" if len(specs) == 1 else "a tuple")
    for (dt, shape), s in zip(got, specs):
        want_dt = s["np_dtype"]
        if dt != want_dt or list(shape) != list(s["shape"]):
            return "output `%s` is %s[%s]; the task needs %s[%s] (%s)" % (
                s["name"], dt, ",".join(map(str, shape)), want_dt, ",".join(map(str, s["shape"])), s["dtype"])
    return None


# ---------------------------------------------------------------------------------------------
# --check
# ---------------------------------------------------------------------------------------------

def run_check(spec):
    """The compile step for one source file; returns the verdict written to spec['result']."""
    t0 = time.perf_counter()
    verdict = {"ok": True, "violations": [], "log": "", "traced": [], "tpu_checked": False}
    path = spec["source"]
    role = spec["role"]
    with open(path, encoding="utf-8") as f:
        source = f.read()
    if role == "candidate":
        try:
            found = static_rules(source, "kernel.py")
        except SyntaxError as e:
            verdict.update(ok=False, log="".join(traceback.format_exception_only(type(e), e)).rstrip())
            return verdict
        # Any violation stops here, before a line of the candidate's code has run.
        if found:
            verdict["violations"] = [{"label": l, "message": m} for l, m in found]
            return verdict
    jax = import_jax()
    import jax.numpy as jnp  # noqa: F401  (candidates import it; importing first keeps tracebacks short)

    install_pallas_mode("interpret")
    dtypes = _np_dtypes()
    try:
        fn = load_module(path, "ks_" + role)
    except BaseException as e:  # noqa: BLE001 - any failure of the candidate's import is its verdict
        verdict.update(ok=False, log=user_traceback(e, "importing kernel.py failed"))
        return verdict
    dim_names = spec["dims"]
    for size in spec["sizes"]:
        dims = size["dims"]
        sds = [jax.ShapeDtypeStruct(tuple(i["shape"]), dtypes[i["dtype"]]) for i in size["inputs"]]
        outs = [dict(o, np_dtype=str(dtypes[o["dtype"]])) for o in size["outputs"]]
        ts = time.perf_counter()
        try:
            jitted = jax.jit(fn, static_argnames=tuple(dim_names))
            traced = jitted.trace(*sds, **{d: int(dims[d]) for d in dim_names})
            closed = traced.jaxpr
        except BaseException as e:  # noqa: BLE001
            verdict.update(ok=False, log=user_traceback(e, "tracing `kernel` at size %s failed" % size["name"]))
            return verdict
        got = [(str(a.dtype), tuple(int(d) for d in a.shape)) for a in closed.out_avals]
        problem = output_problems(got, outs)
        if problem is not None:
            verdict.update(ok=False, log="wrong outputs at size %s: %s" % (size["name"], problem))
            return verdict
        verdict["traced"].append({"size": size["name"], "ms": (time.perf_counter() - ts) * 1e3})
        if role == "candidate":
            tensors = [_numel(s) for s in sds] + [math.prod(o["shape"]) for o in outs]
            largest_out = max((math.prod(o["shape"]) for o in outs), default=1)
            found = jaxpr_violations(closed, max(tensors, default=1), largest_out, "at size %s" % size["name"])
            if found:
                verdict["violations"] = [{"label": l, "message": m} for l, m in found]
                return verdict
    if role == "candidate" and spec.get("tpu_check"):
        size = next(s for s in spec["sizes"] if s["name"] == spec.get("tpu_size", "gpu"))
        dims = {d: int(size["dims"][d]) for d in dim_names}
        sds = [jax.ShapeDtypeStruct(tuple(i["shape"]), dtypes[i["dtype"]]) for i in size["inputs"]]
        install_pallas_mode("compile")
        try:
            use_tpu_chip(spec.get("tpu_chip", "v5e"))
            jax.export.export(jax.jit(functools.partial(fn, **dims)), platforms=["tpu"])(*sds)
        except BaseException as e:  # noqa: BLE001
            verdict.update(ok=False, log=user_traceback(e, "TPU compile check failed (jax.export for TPU %s at size %s)" % (
                spec.get("tpu_chip", "v5e"), size["name"])))
            return verdict
        finally:
            install_pallas_mode("interpret")
        verdict["tpu_checked"] = True
    verdict["ms"] = (time.perf_counter() - t0) * 1e3
    return verdict


# ---------------------------------------------------------------------------------------------
# --serve
# ---------------------------------------------------------------------------------------------

def describe_sandbox():
    """The protections in force, as seen from inside (the Python port of
    `kernelsmith_platform::sandbox::describe`)."""
    import resource

    v = []
    status = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                k, _, rest = line.partition(":")
                status[k] = rest.strip()
    except OSError:
        pass
    if status.get("Seccomp") == "2":
        v.append("seccomp: filter installed")
    if status.get("NoNewPrivs") == "1":
        v.append("no_new_privs")
    try:
        with open("/proc/self/net/dev") as f:
            ifaces = [l.split(":")[0].strip() for l in f.read().splitlines()[2:]]
        if all(i == "lo" for i in ifaces):
            v.append("network: private namespace, loopback only")
    except OSError:
        pass
    tmp = os.environ.get("TMPDIR")
    if tmp:
        probe = os.path.join(os.path.dirname(os.path.abspath(tmp)), ".kernelsmith-landlock-probe-%d" % os.getpid())
        try:
            fd = os.open(probe, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
            os.unlink(probe)
        except PermissionError:
            v.append("landlock: writes only beneath %s" % tmp)
        except OSError:
            pass

    def lim(r):
        cur = resource.getrlimit(r)[0]
        return cur if cur != resource.RLIM_INFINITY else (1 << 64) - 1

    root = os.geteuid() == 0
    address_space = resource.getrlimit(resource.RLIMIT_AS)[0]
    address_space = ("unlimited (the XLA runtime reserves large virtual ranges)"
                     if address_space == resource.RLIM_INFINITY else "%d MiB" % (address_space >> 20))
    v.append("rlimits: address space %s, cpu %d s, file size %d MiB, processes %d%s, core dumps %s" % (
        address_space, lim(resource.RLIMIT_CPU), lim(resource.RLIMIT_FSIZE) >> 20,
        lim(resource.RLIMIT_NPROC), " (not enforced for root)" if root else "",
        "off" if lim(resource.RLIMIT_CORE) == 0 else "on"))
    return v


class Kernel:
    """A loaded `kernel`, jitted with its dims static."""

    def __init__(self, jax, fn, sig, check_jaxpr):
        self.jax = jax
        self.dims = sig["dims"]
        self.outputs = sig["outputs"]
        self.jitted = jax.jit(fn, static_argnames=tuple(self.dims))
        self.check_jaxpr = check_jaxpr
        self.checked = set()

    def kwargs(self, dim_values):
        if len(dim_values) != len(self.dims):
            raise ValueError("%d dims sent, the task declares %d" % (len(dim_values), len(self.dims)))
        return {n: int(v) for n, v in zip(self.dims, dim_values)}

    def __call__(self, arrays, dim_values, out_specs):
        kw = self.kwargs(dim_values)
        if self.check_jaxpr:
            key = (tuple((a.shape, str(a.dtype)) for a in arrays), tuple(dim_values))
            if key not in self.checked:
                # Re-check each shape actually compiled here (the compile step traced the preset
                # sizes; this catches a kernel that changes its mind between traces). The trace
                # is cached by jit, so the call below does not trace again.
                closed = self.jitted.trace(*arrays, **kw).jaxpr
                tensors = [a.size for a in arrays] + [math.prod(s["shape"]) for s in out_specs]
                largest_out = max((math.prod(s["shape"]) for s in out_specs), default=1)
                found = jaxpr_violations(closed, max(tensors, default=1), largest_out,
                                         "when compiled for shapes %s" % [list(a.shape) for a in arrays])
                if found:
                    raise KernelRejected("; ".join("%s: %s" % f for f in found))
                self.checked.add(key)
        return self.jitted(*arrays, **kw)


class KernelRejected(Exception):
    pass


class Worker:
    def __init__(self, jax, backend):
        import numpy as np

        self.jax = jax
        self.np = np
        self.backend = backend
        self.dtypes = _np_dtypes()
        self.kernels = {}
        self.prepared = None

    # -- tensors -------------------------------------------------------------------------------

    def read(self, tf):
        dt = self.dtypes.get(tf["dtype"])
        if dt is None:
            raise ValueError("unknown dtype %s" % tf["dtype"])
        with open(tf["path"], "rb") as f:
            raw = f.read()
        n = math.prod(tf["shape"])
        if len(raw) != n * dt.itemsize:
            raise ValueError("%s holds %d bytes, expected %d" % (tf["path"], len(raw), n * dt.itemsize))
        arr = self.np.frombuffer(raw, dtype=dt).reshape(tf["shape"])  # little-endian hosts only (checked at start)
        return raw, arr

    def to_device(self, arr):
        return self.jax.device_put(arr)

    def host_outputs(self, outs, specs):
        """Fetch results, check them against the requested files, return their bytes."""
        want = [dict(s, np_dtype=str(self.dtypes[s["dtype"]])) for s in specs]
        if len(outs) != len(specs):
            raise KernelRejected(output_problems([None] * len(outs), want))
        host = [self.np.asarray(o) for o in outs]
        problem = output_problems([(str(h.dtype), tuple(h.shape)) for h in host], want)
        if problem is not None:
            raise KernelRejected(problem)
        return [h.tobytes() for h in host]

    def poison_bytes(self, spec):
        n = math.prod(spec["shape"])
        dt = spec["dtype"]
        if dt == "f32":
            return POISON_F32.to_bytes(4, "little") * n
        if dt in ("f16", "bf16"):
            return POISON_HALF.to_bytes(2, "little") * n
        return bytes([POISON_BYTE]) * (n * self.dtypes[dt].itemsize)

    def kernel(self, which):
        k = self.kernels.get(which)
        if k is None:
            raise RuntimeError("no %s loaded" % which)
        return k

    def named_specs(self, which, files):
        names = [o["name"] for o in self.kernel(which).outputs]
        return [dict(f, name=names[i] if i < len(names) else "output%d" % i) for i, f in enumerate(files)]

    # -- requests ------------------------------------------------------------------------------

    def load(self, req):
        self.kernels = {}
        for which, path in (("candidate", req.get("candidate")), ("baseline", req.get("baseline"))):
            if path is None:
                continue
            sig_path = os.path.join(os.path.dirname(path), "signature.json")
            with open(sig_path, encoding="utf-8") as f:
                sig = json.load(f)
            try:
                fn = load_module(path, "ks_" + which)
            except BaseException as e:  # noqa: BLE001
                raise KernelRejected(user_traceback(e, "importing the %s failed" % which))
            # The jaxpr rule applies to candidates; the task's own baseline.py is plain jax.numpy.
            check = which == "candidate" and sig.get("role", "candidate") == "candidate"
            self.kernels[which] = Kernel(self.jax, fn, sig, check_jaxpr=check)
        return {"op": "ok"}

    def run(self, req):
        which = req["kernel"]
        k = self.kernel(which)
        raws, arrays = [], []
        for tf in req["inputs"]:
            raw, arr = self.read(tf)
            raws.append(raw)
            arrays.append(arr)
        before = [hash_bytes(r) for r in raws]
        dev = [self.to_device(a) for a in arrays]
        specs = self.named_specs(which, req["outputs"])
        # `poison` and `settle_ms` are accepted and ignored: a JAX kernel returns fresh immutable
        # arrays, so there is no output buffer whose prior contents it could read, and nothing
        # can write to its results after block_until_ready returned (late_write is always false).
        t0 = time.perf_counter_ns()
        out = self.call(k, dev, req["dims"], specs)
        elapsed = time.perf_counter_ns() - t0
        data = self.host_outputs(out, specs)
        after = []
        for d, raw, h in zip(dev, raws, before):
            now = self.np.asarray(d).tobytes()
            after.append(h if now == raw else hash_bytes(now))
        for b, tf in zip(data, req["outputs"]):
            with open(tf["path"], "wb") as f:
                f.write(b)
        return {"op": "ran", "status": 0, "input_hashes_before": before, "input_hashes_after": after,
                "elapsed_ns": float(elapsed), "late_write": False}

    def call(self, k, dev, dims, specs):
        try:
            out = k(dev, dims, specs)
            out = flatten_outputs(out)
            self.jax.block_until_ready(out)
            return out
        except KernelRejected:
            raise
        except BaseException as e:  # noqa: BLE001
            raise KernelRejected(user_traceback(e, "`kernel` raised"))

    def prepare(self, req):
        sets = []
        for s in req["sets"]:
            sets.append({
                "inputs": [self.to_device(self.read(tf)[1]) for tf in s["inputs"]],
                "input_files": s["inputs"],
                "outputs": s["outputs"],
                "last": None,            # the candidate's results of its last call on this set
                "baseline_last": None,   # the baseline's, kept apart
                "calls": 0,
            })
        if not sets:
            raise ValueError("no timing input sets")
        self.prepared = {"sets": sets, "dims": req["dims"]}
        return {"op": "ok"}

    def sample(self, req):
        if self.prepared is None:
            raise RuntimeError("sample before prepare")
        which = req["kernel"]
        k = self.kernel(which)
        sets = self.prepared["sets"]
        dims = self.prepared["dims"]
        n = len(sets)
        reps = max(1, int(req["reps"]))
        first = int(req["first_set"])
        results = []
        t0 = time.perf_counter_ns()
        try:
            for r in range(reps):
                i = (first + r) % n
                s = sets[i]
                out = flatten_outputs(k(s["inputs"], dims, s["outputs"]))
                results.append((i, out))
            self.jax.block_until_ready([o for _, o in results])
        except KernelRejected:
            raise
        except BaseException as e:  # noqa: BLE001
            raise KernelRejected(user_traceback(e, "`kernel` raised during timing"))
        worker_ns = time.perf_counter_ns() - t0
        for i, out in results:
            if which == "candidate":
                sets[i]["calls"] += 1
                sets[i]["last"] = out
            else:
                sets[i]["baseline_last"] = out
        return {"op": "sampled", "bad_status": None, "worker_ns": float(worker_ns)}

    def refill(self, req):
        if self.prepared is None:
            raise RuntimeError("refill before prepare")
        i = int(req["set"])
        sets = self.prepared["sets"]
        if not 0 <= i < len(sets):
            raise ValueError("no prepared set %d" % i)
        s = sets[i]
        new = []
        for tf, old in zip(req["inputs"], s["input_files"]):
            if tf["dtype"] != old["dtype"] or list(tf["shape"]) != list(old["shape"]):
                raise ValueError("%s does not match the prepared buffer" % tf["path"])
            new.append(self.to_device(self.read(tf)[1]))
        s["inputs"] = new
        s["last"] = None
        s["calls"] = 0
        return {"op": "ok"}

    def collect(self, req):
        if self.prepared is None:
            raise RuntimeError("collect before prepare")
        i = int(req["set"])
        sets = self.prepared["sets"]
        if not 0 <= i < len(sets):
            raise ValueError("no prepared set %d" % i)
        s = sets[i]
        specs = self.named_specs("candidate", s["outputs"])
        if s["last"] is None:
            data = [self.poison_bytes(tf) for tf in s["outputs"]]
        else:
            data = self.host_outputs(s["last"], specs)
        for b, tf in zip(data, s["outputs"]):
            with open(tf["path"], "wb") as f:
                f.write(b)
        return {"op": "collected", "late_write": False, "calls": s["calls"]}

    def handle(self, req):
        op = req.get("op")
        if op == "load":
            return self.load(req)
        if op == "run":
            return self.run(req)
        if op == "prepare":
            return self.prepare(req)
        if op == "sample":
            return self.sample(req)
        if op == "refill":
            return self.refill(req)
        if op == "collect":
            return self.collect(req)
        raise ValueError("unknown op %r" % op)


def protocol_channel():
    """Close inherited descriptors, keep the protocol on a private duplicate of fd 1, and point
    fd 1 at stderr, so whatever a candidate prints lands in the (bounded) log, never in replies."""
    os.closerange(3, 4096)
    sys.stdout.flush()
    proto = os.dup(1)
    os.dup2(2, 1)
    # fd 1 is a pipe now, where Python would buffer prints in blocks: line-buffer them, so what a
    # kernel printed is in the log even when the worker is killed right after.
    sys.stdout.reconfigure(line_buffering=True)
    return os.fdopen(proto, "w", encoding="utf-8", buffering=1)


def serve_loop(handler, out, on_exit=None):
    """Read requests, answer each with its id. `handler(req)` returns a reply dict."""
    stdin = sys.stdin.buffer
    while True:
        line = stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        exit_now = False
        try:
            req = json.loads(line)
        except ValueError as e:
            reply = {"id": 0, "op": "error", "message": "bad request: %s" % e}
        else:
            rid = req.get("id", 0) if isinstance(req, dict) else 0
            try:
                if not isinstance(req, dict):
                    raise ValueError("a request is a JSON object")
                op = req.get("op")
                if op == "hello":
                    body = {"op": "hello", "protocol": PROTOCOL_VERSION, "pid": os.getpid(),
                            "sandbox": describe_sandbox()}
                elif op == "exit":
                    body = {"op": "ok"}
                    exit_now = True
                else:
                    body = handler(req)
            except KernelRejected as e:
                body = {"op": "error", "message": str(e)}
            except BaseException as e:  # noqa: BLE001 - every failure is a reply, never a dead worker
                body = {"op": "error", "message": "%s: %s" % (type(e).__name__, e)}
            reply = dict(body, id=rid)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        out.write(json.dumps(reply) + "\n")
        out.flush()
        if exit_now:
            break


def setup_env():
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    sys.dont_write_bytecode = True
    os.environ.setdefault("JAX_ENABLE_COMPILATION_CACHE", "false")


def main_serve():
    setup_env()
    out = protocol_channel()
    try:
        jax = import_jax()
        backend = jax.default_backend()
        install_pallas_mode("interpret" if backend == "cpu" else "native")
    except BaseException as e:  # noqa: BLE001
        sys.stderr.write("kernelsmith xla worker: cannot start JAX: %s\n" % "".join(
            traceback.format_exception_only(type(e), e)))
        return 3
    worker = Worker(jax, backend)
    serve_loop(worker.handle, out)
    return 0


def main_check():
    setup_env()
    out = protocol_channel()
    try:
        import_jax()
    except BaseException as e:  # noqa: BLE001
        sys.stderr.write("kernelsmith xla worker: cannot start JAX: %s\n" % "".join(
            traceback.format_exception_only(type(e), e)))
        return 3

    def handle(req):
        if req.get("op") != "load":
            raise ValueError("the check worker answers hello, load (a check spec) and exit")
        with open(req["candidate"], encoding="utf-8") as f:
            spec = json.load(f)
        verdict = run_check(spec)
        with open(spec["result"], "w", encoding="utf-8") as f:
            json.dump(verdict, f)
        return {"op": "ok"}

    serve_loop(handle, out)
    return 0


def main_probe():
    setup_env()
    info = {"python": sys.version.split()[0], "executable": sys.executable}
    try:
        import importlib.metadata as md

        for dist in ("jax", "jaxlib", "numpy", "ml_dtypes"):
            try:
                info[dist] = md.version(dist)
            except md.PackageNotFoundError:
                info[dist] = None
        jax = import_jax()
        info["jax"] = jax.__version__
        info["backend"] = jax.default_backend()
        devs = jax.devices()
        info["devices"] = [str(d) for d in devs]
        info["device_kind"] = devs[0].device_kind if devs else ""
        import jax.experimental.pallas  # noqa: F401

        _np_dtypes()
    except BaseException as e:  # noqa: BLE001
        info["error"] = "".join(traceback.format_exception_only(type(e), e)).strip()
    print(json.dumps(info))
    return 0


def main(argv):
    if sys.byteorder != "little":
        sys.stderr.write("kernelsmith xla worker: tensors are little-endian files; this host is big-endian\n")
        return 2
    mode = argv[1] if len(argv) > 1 else "--serve"
    if mode == "--serve":
        return main_serve()
    if mode == "--check":
        return main_check()
    if mode == "--probe":
        return main_probe()
    sys.stderr.write("usage: kernelsmith_xla_worker.py [--serve | --check | --probe]\n")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
