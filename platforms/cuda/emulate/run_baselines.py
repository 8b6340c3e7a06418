#!/usr/bin/env python3
"""Run kernelsmith's CUDA baselines on the CPU and compare them with the Rust reference.

There is no GPU where baselines are written or where CI runs, so nvcc can compile a `baseline.cu`
but nothing can run it. This script translates each baseline into plain C++ (launch syntax, shared
memory), compiles it with g++ against ks_cuda_emu.h (an emulation of the subset of CUDA that plain
baselines use), runs it on the task's exported inputs and compares every output elementwise with
the reference, `|got - ref| <= atol + rtol*|ref|`, the harness's comparator. A wrong index, a
missing bounds check, a forgotten initialisation or a host-side dereference of a device pointer is
caught here, before anyone reaches a GPU. Races, warp-level and memory-model bugs are not: see
README.md next to this file.

    run_baselines.py [--tasks a,b | --category c] [--sizes tiny,heldout] [--jobs 2] [--allow-missing]
    run_baselines.py --source k.cu --tasks relu      # check another .cu against one task

Prints one line per task and a summary; exits 1 if any task fails (or is missing, unless
--allow-missing), 2 on usage errors.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import ctypes
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
HEADER = os.path.join(HERE, "ks_cuda_emu.h")
# The seed `kernelsmith run` uses by default, so the inputs are the ones models are judged on.
DEFAULT_SEED = 0x6B736D74

C_TYPES = {"f32": "float", "f16": "uint16_t", "bf16": "uint16_t", "i8": "int8_t", "i32": "int32_t",
           "i64": "int64_t", "u8": "uint8_t"}

# CUDA headers a plain baseline may include: each becomes a one-line shim including the emulation.
SHIM_HEADERS = ["cuda_runtime.h", "cuda_runtime_api.h", "cuda.h", "cuda_fp16.h", "cuda_bf16.h",
                "math_constants.h", "device_launch_parameters.h", "device_functions.h", "vector_types.h",
                "driver_types.h", "cuda_fp16.hpp", "cuda_bf16.hpp", "crt/math_functions.h",
                "sm_60_atomic_functions.h", "sm_20_intrinsics.h"]
# Includes that name a feature the emulation does not have, with the reason given to the writer.
UNSUPPORTED_INCLUDES = [
    (r"cooperative_groups", "cooperative groups are not emulated"),
    (r"(cub|thrust|cuda)/", "CUB, Thrust and libcu++ are not emulated (plain CUDA only)"),
    (r"mma\.h$", "WMMA / tensor-core fragments are not emulated"),
    (r"cuda_pipeline|cuda_awbarrier", "asynchronous copies and barriers are not emulated"),
    (r"cuda_fp8|cuda_fp4|cuda_fp6", "8/6/4-bit float types are not emulated"),
    (r"^(cublas|cublasLt|cudnn|cufft|curand|cusparse|cusolver|nccl|nvrtc|cutlass)", "CUDA libraries are not linked by the harness"),
    (r"texture_|surface_", "textures and surfaces are not emulated"),
]
# Source constructs rejected before compiling, with a message (the header rejects the rest).
UNSUPPORTED_SOURCE = [
    (r"\b(asm|__asm__|__asm)\b\s*(volatile|__volatile__)?\s*\(", "inline assembly (PTX asm) is not emulated"),
    (r"\b__cluster_dims__\b", "thread block clusters are not emulated"),
    (r"\bcooperative_groups\b", "cooperative groups are not emulated"),
    (r"\b(nvcuda|wmma)::", "WMMA / tensor-core fragments are not emulated"),
    (r"\bcudaStream(PerThread|Legacy)\b", "use the `stream` argument, not the per-thread or legacy default stream"),
]


class TranslateError(Exception):
    def __init__(self, line: int, msg: str):
        super().__init__(f"line {line}: {msg}")
        self.line, self.msg = line, msg


# ------------------------------------------------------------------------------------------------
# Translation
# ------------------------------------------------------------------------------------------------
def mask(src: str) -> str:
    """The source with comments and the contents of string/char literals blanked (same length, same
    newlines), so that the scanners below only see code."""
    out = list(src)
    i, n = 0, len(src)

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            blank(i, j)
            i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            blank(i, j)
            i = j
        elif c == '"' or (c == "'" and not (i > 0 and src[i - 1].isalnum() and i + 1 < n and src[i + 1].isalnum())):
            j = i + 1
            while j < n and src[j] != c and src[j] != "\n":
                j += 2 if src[j] == "\\" else 1
            blank(i + 1, min(j, n))
            i = j + 1
        else:
            i += 1
    return "".join(out)


def line_of(src: str, pos: int) -> int:
    return src.count("\n", 0, pos) + 1


def match_forward(m: str, i: int, open_c: str, close_c: str) -> int:
    """Index of the bracket closing the one at m[i], skipping nested ()[]{}."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack = []
    for j in range(i, len(m)):
        c = m[j]
        if c in pairs:
            stack.append(pairs[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                return -1
            if not stack:
                return j
    return -1


def match_backward(m: str, i: int, open_c: str, close_c: str) -> int:
    """Index of the bracket opening the one at m[i] (a `)` or `>`)."""
    depth = 0
    for j in range(i, -1, -1):
        if m[j] == close_c:
            depth += 1
        elif m[j] == open_c:
            depth -= 1
            if depth == 0:
                return j
    return -1


IDENT = re.compile(r"[A-Za-z_]\w*")
FUNC_TAIL = re.compile(r"\)\s*(?:(?:const|noexcept|override|final|mutable)\s*)*(?:->\s*[\w:<>,\s*&]+)?\s*$")


def scan_functions(m: str):
    """Top-level function bodies: [(name, header_start, body_open, body_close)]. A `{` opens a
    function body when the code before it ends with a parameter list `)`; braces of namespaces,
    classes, `extern "C"` and initialisers do not."""
    funcs, stack = [], []
    stmt_start = 0
    for i, c in enumerate(m):
        if c == "{":
            if any(kind == "func" for kind, *_ in stack):
                stack.append(("inner",))
            else:
                before = m[stmt_start:i]
                # drop preprocessor lines from the header text
                code = "\n".join(l for l in before.split("\n") if not l.lstrip().startswith("#"))
                if FUNC_TAIL.search(code):
                    close = before.rstrip()
                    k = stmt_start + len(close) - 1
                    while m[k] != ")":
                        k -= 1
                    op = match_backward(m, k, "(", ")")
                    name = ""
                    if op > 0:
                        mm = re.search(r"([A-Za-z_]\w*)\s*(<[^(){};]*>)?\s*$", m[stmt_start:op])
                        name = mm.group(1) if mm else ""
                    stack.append(("func", name, stmt_start, i))
                else:
                    stack.append(("other",))
            stmt_start = i + 1
        elif c == "}":
            if stack:
                top = stack.pop()
                if top[0] == "func":
                    funcs.append((top[1], top[2], top[3], i))
            stmt_start = i + 1
        elif c == ";":
            stmt_start = i + 1
    return funcs


def analyse(m: str):
    """Per function name: can it reach __syncthreads (directly, through a called function or a
    macro), and its literal __launch_bounds__ thread count (0 if none or not a literal)."""
    funcs = scan_functions(m)
    idents, bounds = {}, {}
    for name, hs, bo, bc in funcs:
        if not name:
            continue
        idents.setdefault(name, set()).update(IDENT.findall(m[bo:bc]))
        lb = re.search(r"__launch_bounds__\s*\(\s*(\d+)\s*[,)]", m[hs:bo])
        val = int(lb.group(1)) if lb else 0
        bounds[name] = val if bounds.get(name, val) == val else 0
    for mac in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+([A-Za-z_]\w*)((?:.*\\\n)*.*)$", m, re.M):
        idents.setdefault(mac.group(1), set()).update(IDENT.findall(mac.group(2)))
    sync = {n for n, ids in idents.items() if ids & {"__syncthreads", "__syncthreads_count", "__syncthreads_and", "__syncthreads_or"}}
    changed = True
    while changed:
        changed = False
        for n, ids in idents.items():
            if n not in sync and ids & sync:
                sync.add(n)
                changed = True
    return funcs, sync, bounds, set(idents)


def in_function(funcs, pos: int) -> bool:
    return any(bo < pos < bc for _, _, bo, bc in funcs)


def on_preprocessor_line(m: str, pos: int) -> bool:
    ls = m.rfind("\n", 0, pos) + 1
    return m[ls:pos].lstrip().startswith("#")


def statement_bounds(m: str, pos: int):
    s = max(m.rfind(";", 0, pos), m.rfind("{", 0, pos), m.rfind("}", 0, pos)) + 1
    # skip preprocessor lines and blank space in front of the statement
    while True:
        ls = s
        while ls < pos and m[ls] in " \t\n":
            ls += 1
        if m[ls] == "#":
            nl = m.find("\n", ls)
            s = nl + 1
            continue
        s = ls
        break
    e = m.find(";", pos)
    return s, e


def strip_attrs(t: str) -> str:
    t = re.sub(r"\b(__align__|alignas|__attribute__)\s*\(", lambda mo: "\0" + mo.group(0), t)
    out, i = [], 0
    while i < len(t):
        if t[i] == "\0":
            j = t.index("(", i)
            k = match_forward(t, j, "(", ")")
            out.append(" ")
            i = k + 1
        else:
            out.append(t[i])
            i += 1
    return "".join(out)


def split_declarators(t: str):
    parts, depth, angle, cur = [], 0, 0, []
    for c in t:
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "<" and depth == 0:
            angle += 1
        elif c == ">" and depth == 0:
            angle -= 1
        if c == "," and depth == 0 and angle == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def translate(src: str) -> str:
    """CUDA source -> C++ for ks_cuda_emu.h, line for line (so compiler messages and the emulator's
    line numbers point into the original file)."""
    m = mask(src)
    for pat, why in UNSUPPORTED_SOURCE:
        mo = re.search(pat, m)
        if mo:
            raise TranslateError(line_of(src, mo.start()), why)
    for mo in re.finditer(r'^[ \t]*#[ \t]*include[ \t]*[<"]([^>"]+)[>"]', src, re.M):
        for pat, why in UNSUPPORTED_INCLUDES:
            if re.search(pat, mo.group(1)):
                raise TranslateError(line_of(src, mo.start()), f"#include <{mo.group(1)}>: {why}")
    funcs, sync, bounds, known = analyse(m)
    edits = []  # (start, end, replacement)

    # Launches: name<<<cfg>>>(args)  ->  ks_emu::launch<sync, bounds>(__LINE__, ks_emu::cfg(cfg), lambda, args)
    for mo in re.finditer(r"<<<", m):
        p = mo.start()
        e = p
        while e > 0 and m[e - 1] in " \t\n":
            e -= 1
        j = e
        if j > 0 and m[j - 1] == ">":
            j = match_backward(m, j - 1, "<", ">")
            if j < 0:
                raise TranslateError(line_of(src, p), "cannot find the start of the kernel's template arguments before <<<")
        if j > 0 and m[j - 1] == ")":
            j = match_backward(m, j - 1, "(", ")")
        else:
            while True:
                k = j
                while k > 0 and (m[k - 1].isalnum() or m[k - 1] == "_"):
                    k -= 1
                j = k
                if j >= 2 and m[j - 2:j] == "::":
                    j -= 2
                    continue
                break
        callee = src[j:e]
        if not callee.strip():
            raise TranslateError(line_of(src, p), "no kernel name before <<<")
        # the configuration ends at the first `>>>` outside brackets
        depth, q = 0, p + 3
        while q < len(m):
            c = m[q]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif depth == 0 and m.startswith(">>>", q):
                break
            q += 1
        else:
            raise TranslateError(line_of(src, p), "no >>> closing this launch configuration")
        cfg_text = src[p + 3:q]
        r = q + 3
        while r < len(m) and m[r] in " \t\n":
            r += 1
        if r >= len(m) or m[r] != "(":
            raise TranslateError(line_of(src, p), "expected the kernel's argument list after >>>")
        close = match_forward(m, r, "(", ")")
        if close < 0:
            raise TranslateError(line_of(src, p), "unbalanced parentheses in the kernel's arguments")
        args = src[r + 1:close]
        base = re.match(r"(?:\w+::)*(\w+)", re.sub(r"\s", "", callee.split("<")[0]).lstrip("(*&"))
        base = base.group(1) if base else ""
        is_sync = base in sync or base not in known  # unknown (a function pointer, say): assume it syncs
        lb = bounds.get(base, 0)
        gap = src[e:p] + src[q + 3:r]
        rep = (f"ks_emu::launch<{'true' if is_sync else 'false'}, {lb}u>(__LINE__, ks_emu::cfg({cfg_text}), "
               f"[&](const auto&... ks_a) {{ {callee}(ks_a...); }}{gap}"
               + (f", {args})" if m[r + 1:close].strip() else f"{args})"))
        edits.append((j, close + 1, rep))

    # Shared memory.
    for mo in re.finditer(r"\b__shared__\b", m):
        p = mo.start()
        if on_preprocessor_line(m, p):
            edits.append((p, mo.end(), "static    "))
            continue
        s, e = statement_bounds(m, p)
        if e < 0:
            raise TranslateError(line_of(src, p), "no `;` after this __shared__ declaration")
        stmt = m[s:e]
        nl = src[s:e].count("\n")
        inside = in_function(funcs, p)
        if re.match(r"extern\b", stmt):
            body = strip_attrs(re.sub(r"\b(extern|__shared__)\b", " ", stmt))
            dm = re.fullmatch(r"\s*(.*?)\s*\b([A-Za-z_]\w*)\s*\[\s*\]\s*", body, re.S)
            if not dm or "," in body:
                raise TranslateError(line_of(src, p), "expected `extern __shared__ T name[];` (one unsized array)")
            ty, name = " ".join(dm.group(1).split()), dm.group(2)
            if inside:
                rep = f"{ty}* {name} = reinterpret_cast<{ty}*>(ks_emu::dyn_smem());" + "\n" * nl
                edits.append((s, e + 1, rep))
            else:
                ls = m.rfind("\n", 0, s) + 1
                if m[ls:s].strip():
                    raise TranslateError(line_of(src, p), "put a file-scope `extern __shared__` declaration on its own line")
                rep = f"#define {name} (reinterpret_cast<{ty}*>(ks_emu::dyn_smem()))" + "\n" * nl
                edits.append((s, e + 1, rep))
            continue
        edits.append((p, mo.end(), "static    "))
        if inside:
            decl = strip_attrs(m[mo.end():e])
            pois = []
            for part in split_declarators(decl):
                head = re.split(r"[\[=]", part, 1)[0]
                ids = IDENT.findall(head)
                if not ids:
                    raise TranslateError(line_of(src, p), "cannot find the name in this __shared__ declaration")
                pois.append(f"ks_emu::poison_shared((void*)&{ids[-1]}, sizeof({ids[-1]}), ks_ep{len(pois)});")
            decls = " ".join(f"static ks_emu::SharedEpoch ks_ep{k};" for k in range(len(pois)))
            # a block of its own, so the epoch statics do not clash with the next declaration's
            edits.append((e + 1, e + 1, f" {{ {decls} {' '.join(pois)} }}"))

    edits.sort(key=lambda x: (x[0], x[1]))
    for a, b in zip(edits, edits[1:]):
        if b[0] < a[1]:
            raise TranslateError(line_of(src, b[0]), "overlapping constructs the translator cannot rewrite (a launch inside a launch?)")
    out = src
    for s, e, rep in reversed(edits):
        out = out[:s] + rep + out[e:]
    return out


def abi_params(man: dict) -> list[str]:
    ps = [f"const {C_TYPES[t['dtype']]}* {t['name']}" for t in man["inputs"]]
    ps += [f"{C_TYPES[t['dtype']]}* {t['name']}" for t in man["outputs"]]
    ps += [f"int64_t {d}" for d in man["dim_order"]]
    return ps + ["cudaStream_t stream"]


def translation_unit(task: str, src_path: str, translated: str, man: dict) -> str:
    """The file g++ compiles: the emulation, the exact ABI prototype (as the harness force-includes
    it, so a mismatching signature fails here too), the translated source and the ctypes entry."""
    n_in, n_out = len(man["inputs"]), len(man["outputs"])
    casts = [f"(const {C_TYPES[t['dtype']]}*)b[{i}]" for i, t in enumerate(man["inputs"])]
    casts += [f"({C_TYPES[t['dtype']]}*)b[{n_in + i}]" for i, t in enumerate(man["outputs"])]
    casts += [f"d[{i}]" for i in range(len(man["dim_order"]))]
    casts.append("ks_emu::harness_stream()")
    assert len(casts) == n_in + n_out + len(man["dim_order"]) + 1
    return (f"// Generated by run_baselines.py from {src_path}\n"
            f'#include "ks_cuda_emu.h"\n'
            f'extern "C" int {task}({", ".join(abi_params(man))});\n'
            f'#line 1 "{src_path}"\n'
            f"{translated}\n"
            f'#line 1 "ks_entry"\n'
            f'extern "C" __attribute__((visibility("default"))) int ks_entry(void** b, const int64_t* d) {{\n'
            f"    return {task}({', '.join(casts)});\n"
            f"}}\n")


# -fstack-clash-protection probes every page of a large stack frame, so a kernel thread whose local
# arrays overflow its stack hits the guard page (and is reported) instead of another thread's stack.
CXXFLAGS = ["-std=c++17", "-O1", "-fopenmp", "-fPIC", "-w", "-U_FORTIFY_SOURCE", "-fstack-clash-protection"]


def prepare_root(root: str, cxx: str):
    """Once per run: the shim headers, and the emulation header precompiled (it is most of each
    task's compile time; g++ falls back to the copied header if the .gch cannot be used)."""
    write_shims(os.path.join(root, "shim"))
    pch = os.path.join(root, "pch")
    os.makedirs(pch)
    shutil.copy(HEADER, os.path.join(pch, "ks_cuda_emu.h"))
    subprocess.run([cxx, *CXXFLAGS, "-x", "c++-header", os.path.join(pch, "ks_cuda_emu.h"), "-o",
                    os.path.join(pch, "ks_cuda_emu.h.gch")], capture_output=True)


def write_shims(d: str):
    for h in SHIM_HEADERS:
        p = os.path.join(d, h)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write('#pragma once\n#include "ks_cuda_emu.h"\n')


def summarise_compile_errors(out: str, src_path: str) -> str:
    lines = out.splitlines()
    emu = [l for l in lines if "ks-cuda-emu:" in l]
    if emu:
        msg = emu[0][emu[0].index("ks-cuda-emu:"):].strip().rstrip('"')
        where = [l for l in lines if l.startswith(src_path) and re.match(r".*:\d+:\d+:", l)]
        loc = re.match(r".*?:(\d+):", where[-1]).group(1) if where else "?"
        return f"line {loc}: {msg}"
    errs = [l for l in lines if ": error:" in l or "fatal error:" in l]
    if errs:
        first = errs[0].replace(src_path + ":", "line ")
        return first.strip()
    return (lines[-1] if lines else "g++ failed").strip()


# ------------------------------------------------------------------------------------------------
# The worker: loads the compiled baseline and checks it on exported inputs (one process per task,
# so that a crash or a hang is that task's failure and nothing else's).
# ------------------------------------------------------------------------------------------------
POISON = {"f32": (0x7FC0DEAD).to_bytes(4, "little"), "f16": (0x7FD5).to_bytes(2, "little"),
          "bf16": (0x7FD5).to_bytes(2, "little"), "i8": b"\xa5", "u8": b"\xa5", "i32": b"\xa5" * 4,
          "i64": b"\xa5" * 8}
ITEMSIZE = {"f32": 4, "f16": 2, "bf16": 2, "i8": 1, "u8": 1, "i32": 4, "i64": 8}


def as_f64(np, raw, dtype):
    if dtype == "f32":
        return raw.view(np.float32).astype(np.float64)
    if dtype == "f16":
        return raw.view(np.uint16).view(np.float16).astype(np.float64)
    if dtype == "bf16":
        return (raw.view(np.uint16).astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return raw.view({"i8": np.int8, "u8": np.uint8, "i32": np.int32, "i64": np.int64}[dtype]).astype(np.float64)


def compare(np, name, shape, dtype, got_raw, ref_raw, tol):
    """The harness's comparator (platforms/api/src/compare.rs): None if the output passes, else a
    one-line description of the failure."""
    g, e = as_f64(np, got_raw, dtype), as_f64(np, ref_raw, dtype)
    isz = ITEMSIZE[dtype]
    pois = np.frombuffer(POISON[dtype] * (len(got_raw) // isz), dtype=np.uint8)
    poison_bits = (got_raw.reshape(-1, isz) == pois.reshape(-1, isz)).all(axis=1)
    is_float = dtype in ("f32", "f16", "bf16")
    with np.errstate(invalid="ignore", over="ignore"):
        unwritten = poison_bits & ~(is_float & np.isnan(e)) if is_float else poison_bits & (g != e)
        finite = np.isfinite(g) & np.isfinite(e)
        d = np.where(finite, np.abs(g - e), 0.0)
        ok = np.where(np.isnan(e), np.isnan(g),
                      np.where(np.isinf(e), g == e, np.isfinite(g) & (d <= tol["atol"] + tol["rtol"] * np.abs(e))))
    ok &= ~unwritten
    bad = np.flatnonzero(~ok)
    if bad.size == 0:
        return None
    i = int(bad[0])
    pos = list(np.unravel_index(i, shape)) if shape else []
    n_unw = int(unwritten.sum())
    extra = f", {n_unw} never written (still the NaN poison)" if n_unw else ""
    return (f"output `{name}`: {bad.size} of {g.size} elements out of tolerance{extra}; first at index {i} "
            f"{[int(x) for x in pos]}: got {float(g[i])!r}, expected {float(e[i])!r}; max abs err {float(d.max()):.3g} "
            f"over finite pairs (atol {tol['atol']:g}, rtol {tol['rtol']:g})")


def worker(so_path: str, dirs: list[str], calls: int) -> int:
    import numpy as np

    lib = ctypes.CDLL(so_path)
    lib.ks_emu_alloc.restype = ctypes.c_void_p
    lib.ks_emu_alloc.argtypes = [ctypes.c_size_t, ctypes.c_char_p, ctypes.c_size_t]
    lib.ks_emu_free.argtypes = [ctypes.c_void_p]
    lib.ks_emu_check.restype = ctypes.c_char_p
    lib.ks_emu_check.argtypes = [ctypes.c_void_p]
    lib.ks_emu_take_messages.restype = ctypes.c_char_p
    lib.ks_emu_live_bytes.restype = ctypes.c_longlong
    lib.ks_entry.restype = ctypes.c_int
    lib.ks_entry.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_int64)]
    lib.ks_emu_install()

    for d in dirs:
        man = json.load(open(os.path.join(d, "manifest.json")))
        res = {"size": man["size"], "errors": [], "warnings": [], "seconds": 0.0}
        specs = [("input", t) for t in man["inputs"]] + [("output", t) for t in man["outputs"]]
        lib.ks_emu_protect(1)
        bufs, data, ptrs = [], [], []
        for kind, t in specs:
            a = np.load(os.path.join(d, t["file"]))
            raw = np.ascontiguousarray(a).view(np.uint8).reshape(-1)
            p = lib.ks_emu_alloc(max(raw.size, 1), f"{kind} {t['name']}".encode(), ITEMSIZE[t["dtype"]])
            if not p:
                raise MemoryError("ks_emu_alloc failed")
            bufs.append((kind, t, raw, p))
            ptrs.append(p)
            if kind == "input":
                ctypes.memmove(p, raw.ctypes.data, raw.size)
        arr = (ctypes.c_void_p * len(ptrs))(*ptrs)
        dims = (ctypes.c_int64 * max(1, len(man["dim_order"])))(*[man["dims"][k] for k in man["dim_order"]])
        live_after = []
        for call in range(calls):
            lib.ks_emu_protect(1)
            for kind, t, raw, p in bufs:
                if kind == "output":
                    pz = POISON[t["dtype"]] * (raw.size // ITEMSIZE[t["dtype"]])
                    ctypes.memmove(p, pz, len(pz))
            lib.ks_emu_reset_call(call % 2)  # odd calls run blocks and threads in reverse order
            lib.ks_emu_protect(0)
            t0 = time.perf_counter()
            rc = lib.ks_entry(arr, dims)
            res["seconds"] += time.perf_counter() - t0
            lib.ks_emu_protect(1)
            tag = "" if call == 0 else f" (call {call + 1}, blocks and threads in reverse order)" if call % 2 else f" (call {call + 1})"
            for line in lib.ks_emu_take_messages().decode(errors="replace").splitlines():
                kind, _, text = line.partition(": ")
                (res["errors"] if kind == "error" else res["warnings"]).append(text + tag)
            if rc != 0:
                res["errors"].append(f"returned {rc} (a CUDA error code){tag}")
            for kind, t, raw, p in bufs:
                msg = lib.ks_emu_check(p)
                if msg:
                    res["errors"].append(f"out-of-bounds write: {msg.decode()}{tag}")
                got = np.frombuffer(ctypes.string_at(p, raw.size), dtype=np.uint8)
                if kind == "input":
                    if not np.array_equal(got, raw):
                        nb = int(np.flatnonzero(got != raw)[0]) // ITEMSIZE[t["dtype"]]
                        res["errors"].append(f"input `{t['name']}` was modified (first at element {nb}){tag}")
                else:
                    msg = compare(np, t["name"], t["shape"], t["dtype"], got, raw, man["tolerance"])
                    if msg:
                        res["errors"].append(msg + tag)
            live_after.append(lib.ks_emu_live_bytes())
            if len(live_after) > 1 and live_after[-1] > live_after[-2]:
                res["errors"].append(f"leaks device memory: {live_after[-1] - live_after[-2]} bytes allocated and not freed per call")
            if res["errors"]:
                break
        for _, _, _, p in bufs:
            lib.ks_emu_free(p)
        for line in lib.ks_emu_take_messages().decode(errors="replace").splitlines():
            res["errors"].append(line.partition(": ")[2])
        print(json.dumps(res), flush=True)
    return 0


# ------------------------------------------------------------------------------------------------
# The driver.
# ------------------------------------------------------------------------------------------------
def find_tasks(tasks_dir: str) -> dict[str, str]:
    out = {}
    for y in sorted(glob.glob(os.path.join(tasks_dir, "*", "*", "task.yaml"))):
        d = os.path.dirname(y)
        out[os.path.basename(d)] = d
    return out


def worker_env(team: str) -> dict:
    env = dict(os.environ)
    env["KS_EMU_TEAM"] = team
    # A block is a team of up to 1024 OpenMP threads on a 2-core machine: exactly that many
    # (no dynamic adjustment), small stacks, and sleeping rather than spinning while they wait.
    env.update({"OMP_DYNAMIC": "false", "OMP_THREAD_LIMIT": "4096", "OMP_STACKSIZE": "1M",
                "OMP_WAIT_POLICY": "PASSIVE", "GOMP_SPINCOUNT": "0", "OMP_PROC_BIND": "false",
                "OMP_MAX_ACTIVE_LEVELS": "1"})
    return env


def check_task(task: str, task_dir: str, source: str, a) -> dict:
    t0 = time.perf_counter()
    r = {"task": task, "status": "ok", "detail": "", "warnings": [], "seconds": 0.0, "sizes": {}}
    if not os.path.exists(source):
        r.update(status="missing", detail=f"no {os.path.relpath(source, REPO)}")
        return r
    work = tempfile.mkdtemp(prefix=f"{task}-", dir=a.root)
    try:
        dirs = []
        for size in a.sizes:
            out = os.path.join(work, size)
            p = subprocess.run([a.kernelsmith, "--tasks-dir", a.tasks_dir, "tasks", "export", task, "--size", size,
                                "--seed", str(a.seed), "--out", out], capture_output=True, text=True)
            if p.returncode:
                r.update(status="error", detail=f"export --size {size} failed: {p.stderr.strip()[-500:]}")
                return r
            dirs.append(out)
        man = json.load(open(os.path.join(dirs[0], "manifest.json")))
        src = open(source, encoding="utf-8", errors="replace").read()
        try:
            translated = translate(src)
        except TranslateError as e:
            r.update(status="FAIL", detail=f"translate: {e}")
            return r
        tu = os.path.join(work, "tu.cpp")
        with open(tu, "w") as f:
            f.write(translation_unit(task, source, translated, man))
        so = os.path.join(work, "k.so")
        cmd = [a.cxx, *CXXFLAGS, "-shared", "-I", os.path.join(a.root, "shim"), "-I", os.path.join(a.root, "pch"),
               "-I", os.path.dirname(source), tu, "-o", so]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            r.update(status="FAIL", detail=f"compile: {summarise_compile_errors(p.stderr, source)}")
            if a.verbose:
                r["detail"] += "\n" + p.stderr
            return r
        try:
            p = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", so, "--calls", str(a.calls)] + dirs,
                               capture_output=True, text=True, timeout=a.timeout, env=worker_env(a.team))
        except subprocess.TimeoutExpired:
            r.update(status="FAIL", detail=f"run: no result after {a.timeout}s (a hang: a thread spinning on another block, or far too slow)")
            return r
        results = [json.loads(l) for l in p.stdout.splitlines() if l.startswith("{")]
        for res in results:
            r["sizes"][res["size"]] = res["seconds"]
            r["warnings"] += [f"{res['size']}: {w}" for w in res["warnings"]]
            if res["errors"] and r["status"] == "ok":
                more = f" (+{len(res['errors']) - 1} more)" if len(res["errors"]) > 1 else ""
                r.update(status="FAIL", detail=f"{res['size']}: {res['errors'][0]}{more}")
                r["all_errors"] = [f"{res['size']}: {x}" for x in res["errors"]]
        if p.returncode != 0:
            size = a.sizes[len(results)] if len(results) < len(a.sizes) else "?"
            emu = [l for l in p.stderr.splitlines() if l.startswith("ks-cuda-emu:")]
            if emu:
                why = emu[0][len("ks-cuda-emu: "):]
            elif p.returncode < 0:
                why = f"killed by {signal.Signals(-p.returncode).name}"
            else:
                tail = p.stderr.strip().splitlines()
                why = f"worker exited with {p.returncode}: {tail[-1] if tail else ''}"
            if r["status"] == "ok":
                r.update(status="FAIL", detail=f"{size}: crashed: {why}")
        elif len(results) != len(a.sizes) and r["status"] == "ok":
            r.update(status="FAIL", detail=f"worker returned {len(results)} results for {len(a.sizes)} sizes")
        return r
    finally:
        r["seconds"] = time.perf_counter() - t0
        if a.keep:
            r["work"] = work
        else:
            shutil.rmtree(work, ignore_errors=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", help="comma-separated task ids (default: all)")
    ap.add_argument("--category", help="only tasks of this category")
    ap.add_argument("--source", help="check this .cu instead of the task's baseline.cu (needs exactly one task)")
    ap.add_argument("--sizes", default="tiny,heldout", help="size presets to check (default tiny,heldout)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help="input seed (default: kernelsmith run's)")
    ap.add_argument("--jobs", type=int, default=2, help="tasks checked at once (default 2)")
    ap.add_argument("--calls", type=int, default=2, help="calls per size; the 2nd runs blocks and threads in reverse order and catches state left by the 1st (default 2)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per task for running both sizes (default 300)")
    ap.add_argument("--team", choices=["fibers", "omp"], default="fibers",
                    help="how threads of a block that use __syncthreads run: coroutines on one OS thread "
                         "(default, fast and deterministic) or an OpenMP team of blockDim OS threads")
    ap.add_argument("--allow-missing", action="store_true", help="tasks without baseline.cu do not fail the run")
    ap.add_argument("--kernelsmith", default=os.path.join(REPO, "target", "debug", "kernelsmith"), help="the kernelsmith binary")
    ap.add_argument("--tasks-dir", default=os.path.join(REPO, "tasks", "catalog"))
    ap.add_argument("--cxx", default=os.environ.get("CXX", "g++"), help="C++ compiler (default g++)")
    ap.add_argument("--work-dir", default=None, help="where temporary build folders go")
    ap.add_argument("--keep", action="store_true", help="keep each task's build folder (translated source, .so, inputs)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every error and the full compiler output")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("dirs", nargs="*", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.worker:
        return worker(a.worker, a.dirs, a.calls)

    a.sizes = [s for s in a.sizes.split(",") if s]
    if not os.path.exists(a.kernelsmith):
        print(f"error: no kernelsmith binary at {a.kernelsmith} (build it with `cargo build`, or pass --kernelsmith)", file=sys.stderr)
        return 2
    if shutil.which(a.cxx) is None:
        print(f"error: C++ compiler `{a.cxx}` not found (install g++ with OpenMP, or pass --cxx)", file=sys.stderr)
        return 2
    all_tasks = find_tasks(a.tasks_dir)
    if a.tasks:
        ids = [t for t in a.tasks.split(",") if t]
        unknown = [t for t in ids if t not in all_tasks]
        if unknown:
            print(f"error: unknown task(s): {', '.join(unknown)}", file=sys.stderr)
            return 2
    else:
        ids = list(all_tasks)
    if a.category:
        ids = [t for t in ids if os.path.basename(os.path.dirname(all_tasks[t])) == a.category]
        if not ids:
            print(f"error: no tasks in category `{a.category}`", file=sys.stderr)
            return 2
    if a.source:
        if len(ids) != 1:
            print("error: --source needs exactly one task (--tasks ID)", file=sys.stderr)
            return 2
        a.source = os.path.abspath(a.source)

    width = max(len(t) for t in ids)
    lock = threading.Lock()
    results = []

    def one(t):
        src = a.source or os.path.join(all_tasks[t], "baseline.cu")
        try:
            r = check_task(t, all_tasks[t], src, a)
        except Exception as e:  # a bug in this script: report it against the task, keep going
            r = {"task": t, "status": "error", "detail": f"{type(e).__name__}: {e}", "warnings": [], "seconds": 0.0, "sizes": {}}
        with lock:
            times = ", ".join(f"{k} {v:.2f}s" for k, v in r["sizes"].items())
            line = f"{r['status']:<7} {t:<{width}}  {r['detail'] or times}"
            if r["status"] == "ok":
                line += f"  (total {r['seconds']:.1f}s)"
            print(line, flush=True)
            for w in r["warnings"]:
                print(f"        warning: {w}", flush=True)
            if a.verbose:
                for x in r.get("all_errors", [])[1:]:
                    print(f"        also: {x}", flush=True)
            if "work" in r:
                print(f"        kept {r['work']}", flush=True)
            results.append(r)

    t0 = time.perf_counter()
    a.root = tempfile.mkdtemp(prefix="ks-cuda-emu-", dir=a.work_dir)
    try:
        prepare_root(a.root, a.cxx)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
            list(ex.map(one, ids))
    finally:
        if not a.keep:
            shutil.rmtree(a.root, ignore_errors=True)
    wall = time.perf_counter() - t0
    count = {s: sum(r["status"] == s for r in results) for s in ("ok", "FAIL", "error", "missing")}
    n_warn = sum(bool(r["warnings"]) for r in results)
    print(f"\n{len(results)} task(s): {count['ok']} ok, {count['FAIL']} failed, {count['error']} errors, "
          f"{count['missing']} missing baseline.cu, {n_warn} with warnings; {wall:.1f}s with --jobs {a.jobs}")
    failed = count["FAIL"] + count["error"] + (0 if a.allow_missing else count["missing"])
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into `head`
        sys.stderr.close()
        sys.exit(1)
