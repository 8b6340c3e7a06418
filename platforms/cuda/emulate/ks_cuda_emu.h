// ks_cuda_emu.h: just enough of CUDA to compile a plain kernelsmith `baseline.cu` with g++ and run it
// on the CPU, so that a wrong index, a missing bounds check or a forgotten initialisation in a
// baseline is caught on a machine without a GPU (see README.md next to this file).
//
// run_baselines.py translates the source first (`k<<<g, b, s, st>>>(args)` becomes
// `ks_emu::launch<...>(...)`, `extern __shared__ T s[];` becomes a pointer to the block's dynamic
// buffer, `__shared__` arrays become function-local statics) and then includes this header.
//
// The execution model, and why:
// - Blocks run one after another, in x-fastest order (reversed when the runner asks, see
//   State::reverse). That is what lets `__shared__` storage be a function-local `static`, and it
//   makes "last block done" patterns (atomic counter + threadfence) work, as they do on a GPU.
// - A kernel that can reach __syncthreads (the translator decides per kernel) runs the threads of a
//   block as coroutines ("fibers") on the calling OS thread: __syncthreads switches to the next
//   thread and a barrier completes when every live thread has reached it. An OpenMP team of
//   blockDim OS threads (`#pragma omp parallel num_threads(blockDim.x*y*z)`) does the same job and is
//   kept behind KS_EMU_TEAM=omp, but with up to 1024 threads on a 2-core machine its barriers cost
//   ~1-4 ms each against ~0.1 ms for fibers, which decides whether the catalogue is checked in
//   minutes or in an hour. Fibers also run in a fixed order, so a failure reproduces.
// - Kernels that never synchronise run their threads in a plain loop: same results, cheapest.
// - In both barrier modes a thread that returns from the kernel stops being counted (like
//   std::barrier::arrive_and_drop and like current GPUs); a plain `omp barrier` would hang on the
//   common `if (i >= n) return; ... __syncthreads();`. Such a block is reported as a warning.
// - Every device allocation (the harness's buffers, cudaMalloc*, the dynamic shared buffer) ends
//   against a PROT_NONE guard page, with poisoned slack around it, and device memory is PROT_NONE
//   while host code runs, so an out-of-bounds access or a host-side dereference of a device pointer
//   is reported by name instead of silently reading a neighbour. Shared memory and fresh
//   allocations are filled with a NaN pattern at the start of each block / allocation, so reading
//   them before writing shows up in the outputs.
// - Anything this emulation cannot model faithfully (warp shuffles and votes, cooperative groups,
//   __syncwarp, textures, extra streams, events) fails to compile with a message that starts with
//   "ks-cuda-emu:"; run_baselines.py rejects inline PTX, clusters, WMMA and library headers.
//
// What it cannot find: data races, missing __syncthreads that the sequential order happens to
// satisfy, warp-synchronous assumptions, memory-model bugs, the accuracy of fast-math intrinsics
// beyond what is modelled below, FMA contraction and flush-to-zero differences, and performance
// problems. It is a check of baselines, not a platform.
#pragma once

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>

#include <float.h>
#include <limits.h>
#include <linux/futex.h>
#include <math.h>
#include <omp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

// ---------------------------------------------------------------------------------------------
// Keywords and predefined macros.
// ---------------------------------------------------------------------------------------------
#define __global__
#define __device__
#define __host__
#define __forceinline__
#define __noinline__
#define __constant__
#define __managed__
#define __grid_constant__
#define __launch_bounds__(...)
#define __maxnreg__(...)
#define __align__(n) __attribute__((aligned(n)))
// The translator rewrites `__shared__` itself; this covers declarations produced by macros.
#define __shared__ static
#define __builtin_assume(x) ((void)0)
#define __CUDACC__ 1
#define __NVCC__ 1
#define __CUDA_ARCH__ 900
#define CUDART_VERSION 13000
#define CUDA_VERSION 13000

namespace ks_emu {
template <class... T>
inline constexpr bool always_false_v = false;
}

// ---------------------------------------------------------------------------------------------
// Vector types, dim3 and the built-in index variables.
// ---------------------------------------------------------------------------------------------
#define KS_EMU_VEC(T, N, A)                                                                         \
    struct __attribute__((aligned(A))) N##1 { T x; };                                               \
    struct __attribute__((aligned(A * 2))) N##2 { T x, y; };                                        \
    struct N##3 { T x, y, z; };                                                                     \
    struct __attribute__((aligned(A * 4))) N##4 { T x, y, z, w; };                                  \
    inline N##1 make_##N##1(T x) { return N##1{x}; }                                                \
    inline N##2 make_##N##2(T x, T y) { return N##2{x, y}; }                                        \
    inline N##3 make_##N##3(T x, T y, T z) { return N##3{x, y, z}; }                                \
    inline N##4 make_##N##4(T x, T y, T z, T w) { return N##4{x, y, z, w}; }
KS_EMU_VEC(signed char, char, 1)
KS_EMU_VEC(unsigned char, uchar, 1)
KS_EMU_VEC(short, short, 2)
KS_EMU_VEC(unsigned short, ushort, 2)
KS_EMU_VEC(int, int, 4)
KS_EMU_VEC(unsigned int, uint, 4)
KS_EMU_VEC(long long, longlong, 8)
KS_EMU_VEC(unsigned long long, ulonglong, 8)
KS_EMU_VEC(float, float, 4)
KS_EMU_VEC(double, double, 8)
#undef KS_EMU_VEC

struct dim3 {
    unsigned int x, y, z;
    constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1) : x(vx), y(vy), z(vz) {}
    constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
    constexpr operator uint3() const { return uint3{x, y, z}; }
};

inline thread_local uint3 threadIdx{0, 0, 0};
inline thread_local uint3 blockIdx{0, 0, 0};
inline thread_local dim3 blockDim{1, 1, 1};
inline thread_local dim3 gridDim{1, 1, 1};
constexpr int warpSize = 32;

// ---------------------------------------------------------------------------------------------
// Runtime types.
// ---------------------------------------------------------------------------------------------
struct CUstream_st;
typedef CUstream_st* cudaStream_t;

enum cudaError_t {
    cudaSuccess = 0,
    cudaErrorInvalidValue = 1,
    cudaErrorMemoryAllocation = 2,
    cudaErrorInvalidConfiguration = 9,
    cudaErrorInvalidDevicePointer = 17,
    cudaErrorInvalidMemcpyDirection = 21,
    cudaErrorInvalidResourceHandle = 400,
    cudaErrorLaunchOutOfResources = 701,
    cudaErrorLaunchFailure = 719,
    cudaErrorNotSupported = 801,
};
typedef cudaError_t cudaError;

enum cudaMemcpyKind {
    cudaMemcpyHostToHost = 0,
    cudaMemcpyHostToDevice = 1,
    cudaMemcpyDeviceToHost = 2,
    cudaMemcpyDeviceToDevice = 3,
    cudaMemcpyDefault = 4,
};

enum cudaFuncAttribute {
    cudaFuncAttributeMaxDynamicSharedMemorySize = 8,
    cudaFuncAttributePreferredSharedMemoryCarveout = 9,
};

enum cudaDeviceAttr {
    cudaDevAttrMaxThreadsPerBlock = 1,
    cudaDevAttrMaxBlockDimX = 2,
    cudaDevAttrMaxBlockDimY = 3,
    cudaDevAttrMaxBlockDimZ = 4,
    cudaDevAttrMaxGridDimX = 5,
    cudaDevAttrMaxGridDimY = 6,
    cudaDevAttrMaxGridDimZ = 7,
    cudaDevAttrMaxSharedMemoryPerBlock = 8,
    cudaDevAttrWarpSize = 10,
    cudaDevAttrMultiProcessorCount = 16,
    cudaDevAttrMaxThreadsPerMultiProcessor = 39,
    cudaDevAttrComputeCapabilityMajor = 75,
    cudaDevAttrComputeCapabilityMinor = 76,
    cudaDevAttrMaxSharedMemoryPerMultiprocessor = 81,
    cudaDevAttrMaxSharedMemoryPerBlockOptin = 97,
};

enum cudaSharedMemConfig {
    cudaSharedMemBankSizeDefault = 0,
    cudaSharedMemBankSizeFourByte = 1,
    cudaSharedMemBankSizeEightByte = 2,
};

enum cudaFuncCache {
    cudaFuncCachePreferNone = 0,
    cudaFuncCachePreferShared = 1,
    cudaFuncCachePreferL1 = 2,
    cudaFuncCachePreferEqual = 3,
};

// ---------------------------------------------------------------------------------------------
// The emulator's state: device allocations, messages, launch bookkeeping.
// ---------------------------------------------------------------------------------------------
namespace ks_emu {

// The 32-bit pattern fresh device memory, slack bytes and shared memory are filled with: a quiet
// NaN as a float, and (doubled) as a double.
constexpr uint32_t kFillWord = 0x7FF8DEADu;
// The non-null handle the entry point passes as the harness's stream.
inline cudaStream_t harness_stream() { return reinterpret_cast<cudaStream_t>(uintptr_t{0x4b53}); }

constexpr size_t kPage = 4096;
// cudaMalloc guarantees 256 bytes; 16 (enough for float4/double2 accesses) keeps the slack between
// an allocation's end and the guard page small, so that reading just past the end faults or reads
// poison instead of going unnoticed.
constexpr size_t kAlign = 16;
constexpr size_t kMaxDynSmem = 232448;  // H100: 227 KiB per block with the opt-in attribute
constexpr size_t kDefaultDynSmem = 48 * 1024;

struct Region {
    char* map = nullptr;   // start of the mapping (a guard page)
    size_t map_len = 0;
    char* ptr = nullptr;   // the allocation, 256-byte aligned, ending at most 255 bytes before the tail guard
    size_t n = 0;
    size_t elem = 1;
    bool live = false;
    bool harness = false;  // allocated by the runner (inputs/outputs), not by the baseline
    char name[64] = {0};
};

constexpr int kMaxRegions = 4096;
struct State {
    std::mutex mu;
    Region regions[kMaxRegions];
    int n_regions = 0;
    bool device_protected = false;
    std::string messages;   // errors and warnings for the runner, one per line
    int n_messages = 0;
    cudaError_t last_error = cudaSuccess;
    size_t max_dyn_smem_attr = 0;
    uint64_t block_epoch = 1;
    void* dyn_smem = nullptr;   // this launch's `extern __shared__` buffer (a guarded region)
    size_t live_bytes = 0;    // bytes the baseline allocated and has not freed
    bool warned_default_stream = false;
    bool warned_divergent_barrier = false;
    // Run blocks, and the threads within a block, in reverse order (the runner's second call), so
    // that a result depending on the order (a missing barrier, one block reading what another
    // writes) changes between the calls.
    bool reverse = false;
};
inline State& st() {
    static State s;
    return s;
}

inline thread_local bool t_in_kernel = false;
inline thread_local void* t_barrier = nullptr;  // the block's barrier while running in a team

// Message kinds the runner understands: "error: ..." fails the task, "warning: ..." is shown.
inline void note(const char* kind, const char* fmt, ...) {
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    State& s = st();
    std::lock_guard<std::mutex> l(s.mu);
    if (s.n_messages >= 50) return;
    s.n_messages++;
    s.messages += kind;
    s.messages += ": ";
    s.messages += buf;
    s.messages += "\n";
}

inline void fill_words(void* p, size_t n) {
    unsigned char* b = static_cast<unsigned char*>(p);
    // Byte i gets byte (address % 4) of the fill word, so every aligned 4-byte word reads as a NaN.
    for (size_t i = 0; i < n; i++) {
        uintptr_t a = reinterpret_cast<uintptr_t>(b + i) & 3u;
        b[i] = static_cast<unsigned char>(kFillWord >> (8 * a));
    }
}

inline void set_protection_locked(State& s, bool device_accessible) {
    for (int i = 0; i < s.n_regions; i++) {
        Region& r = s.regions[i];
        if (!r.live) continue;
        mprotect(r.map + kPage, r.map_len - 2 * kPage, device_accessible ? (PROT_READ | PROT_WRITE) : PROT_NONE);
    }
    s.device_protected = !device_accessible;
}

// Device memory is readable only by kernels and the memcpy/memset emulation; host code touching it
// faults and the fault handler names the buffer.
struct DeviceAccess {
    bool was_protected;
    DeviceAccess() {
        State& s = st();
        std::lock_guard<std::mutex> l(s.mu);
        was_protected = s.device_protected;
        if (was_protected) set_protection_locked(s, true);
    }
    ~DeviceAccess() {
        State& s = st();
        std::lock_guard<std::mutex> l(s.mu);
        if (was_protected) set_protection_locked(s, false);
    }
};

inline void* alloc_region(size_t n, const char* name, size_t elem, bool harness) {
    State& s = st();
    size_t data = (n + kAlign - 1) / kAlign * kAlign + kAlign;
    size_t data_pages = (data + kPage - 1) / kPage * kPage;
    size_t len = data_pages + 2 * kPage;
    void* m = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return nullptr;
    char* map = static_cast<char*>(m);
    mprotect(map, kPage, PROT_NONE);
    mprotect(map + len - kPage, kPage, PROT_NONE);
    char* end = map + len - kPage;
    char* ptr = reinterpret_cast<char*>((reinterpret_cast<uintptr_t>(end) - n) / kAlign * kAlign);
    fill_words(map + kPage, data_pages);
    std::lock_guard<std::mutex> l(s.mu);
    int slot = -1;
    for (int i = 0; i < s.n_regions; i++)
        if (!s.regions[i].live) { slot = i; break; }
    if (slot < 0) {
        if (s.n_regions == kMaxRegions) {
            munmap(m, len);
            return nullptr;
        }
        slot = s.n_regions++;
    }
    Region& r = s.regions[slot];
    r.map = map;
    r.map_len = len;
    r.ptr = ptr;
    r.n = n;
    r.elem = elem ? elem : 1;
    r.live = true;
    r.harness = harness;
    snprintf(r.name, sizeof r.name, "%s", name);
    if (!harness) s.live_bytes += n;
    if (s.device_protected) mprotect(map + kPage, len - 2 * kPage, PROT_NONE);
    return ptr;
}

inline Region* find_region_locked(State& s, const void* p) {
    const char* c = static_cast<const char*>(p);
    for (int i = 0; i < s.n_regions; i++) {
        Region& r = s.regions[i];
        if (r.live && c >= r.map && c < r.map + r.map_len) return &r;
    }
    return nullptr;
}

// Checks the poisoned slack on both sides of an allocation; returns false (and describes the first
// overwritten byte in `out`) if a write landed outside [ptr, ptr + n).
inline bool slack_intact(const Region& r, char* out, size_t out_len) {
    const unsigned char* lo = reinterpret_cast<const unsigned char*>(r.map + kPage);
    const unsigned char* hi = reinterpret_cast<const unsigned char*>(r.map + r.map_len - kPage);
    const unsigned char* p = reinterpret_cast<const unsigned char*>(r.ptr);
    const unsigned char* e = p + r.n;
    auto expect = [](const unsigned char* a) {
        return static_cast<unsigned char>(kFillWord >> (8 * (reinterpret_cast<uintptr_t>(a) & 3u)));
    };
    for (const unsigned char* a = e; a < hi; a++) {
        if (*a != expect(a)) {
            size_t off = static_cast<size_t>(a - p);
            snprintf(out, out_len, "element %zu of `%s`, which has %zu, was written (byte %zu past its end)",
                     off / r.elem, r.name, r.n / r.elem, static_cast<size_t>(a - e));
            return false;
        }
    }
    for (const unsigned char* a = p; a-- > lo;) {
        if (*a != expect(a)) {
            snprintf(out, out_len, "a write landed %zu byte(s) before the start of `%s` (element -%zu)",
                     static_cast<size_t>(p - a), r.name, (static_cast<size_t>(p - a) + r.elem - 1) / r.elem);
            return false;
        }
    }
    return true;
}

inline void free_region(void* p, const char* who, int line) {
    State& s = st();
    if (!p) return;
    DeviceAccess da;  // while the region is live, so that its slack is readable
    Region copy;
    {
        std::lock_guard<std::mutex> l(s.mu);
        Region* r = find_region_locked(s, p);
        if (r && r->ptr == p) copy = *r;
    }
    if (!copy.live) {
        note("error", "%s(%p) at line %d: not a pointer returned by cudaMalloc/cudaMallocAsync (or freed twice)", who, p, line);
        return;
    }
    char msg[256];
    if (!slack_intact(copy, msg, sizeof msg)) note("error", "out-of-bounds write: %s", msg);
    {
        std::lock_guard<std::mutex> l(s.mu);
        Region* r = find_region_locked(s, p);
        r->live = false;
        if (!r->harness) s.live_bytes -= r->n;
    }
    munmap(copy.map, copy.map_len);
}

// Is [p, p + n) inside one device allocation (its slack included, so a pointer one past the end
// or a little before the start still counts)?
inline bool is_device(const void* p, size_t n) {
    State& s = st();
    std::lock_guard<std::mutex> l(s.mu);
    Region* r = find_region_locked(s, p);
    return r && static_cast<const char*>(p) + n <= r->map + r->map_len - kPage;
}

inline cudaError_t set_error(cudaError_t e) {
    if (e != cudaSuccess) st().last_error = e;
    return e;
}

inline void check_stream(cudaStream_t s, const char* what, int line) {
    State& g = st();
    if (s == harness_stream()) return;
    if (s == nullptr) {
        bool first;
        {
            std::lock_guard<std::mutex> l(g.mu);
            first = !g.warned_default_stream;
            g.warned_default_stream = true;
        }
        if (first)
            note("warning", "%s at line %d runs on the default stream (0), not on the `stream` argument (later ones not reported)", what, line);
        return;
    }
    note("error", "%s at line %d uses a stream that is not the `stream` argument", what, line);
}

// ---------------------------------------------------------------------------------------------
// The block barrier (see the header comment for why it is not `omp barrier`).
// ---------------------------------------------------------------------------------------------
inline void futex_wait(std::atomic<uint32_t>* a, uint32_t v) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAIT_PRIVATE, v, nullptr, nullptr, 0);
}
inline void futex_wake_all(std::atomic<uint32_t>* a) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(a), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr, nullptr, 0);
}

// Lock-free: one 64-bit word holds (alive << 32 | arrived), so an arrival or a drop is a single
// atomic operation and exactly one of them sees the barrier complete.
struct Barrier {
    std::atomic<uint64_t> word{0};
    std::atomic<uint32_t> gen{0};
    std::atomic<int> acc{0};
    int total = 0, result = 0;
    std::atomic<bool> diverged{false};

    void reset(int n) {
        total = n;
        word.store(static_cast<uint64_t>(n) << 32, std::memory_order_relaxed);
        acc.store(0, std::memory_order_relaxed);
    }
    // Called by the one thread that completed the barrier: every live thread has arrived.
    void release(uint64_t w) {
        const uint32_t alive = static_cast<uint32_t>(w >> 32);
        if (static_cast<int>(alive) < total) diverged.store(true, std::memory_order_relaxed);
        result = acc.exchange(0, std::memory_order_relaxed);
        word.fetch_sub(w & 0xFFFFFFFFu, std::memory_order_relaxed);  // arrived = 0
        gen.fetch_add(1, std::memory_order_release);
        futex_wake_all(&gen);
    }
    // Returns the number of arriving threads whose `pred` was non-zero (__syncthreads_count).
    int wait(int pred) {
        const uint32_t g = gen.load(std::memory_order_acquire);
        if (pred) acc.fetch_add(1, std::memory_order_relaxed);
        const uint64_t w = word.fetch_add(1, std::memory_order_acq_rel) + 1;
        if ((w & 0xFFFFFFFFu) == (w >> 32)) {
            release(w);
            return result;
        }
        while (gen.load(std::memory_order_acquire) == g) futex_wait(&gen, g);
        return result;
    }
    // A thread left the kernel: later barriers of this block no longer wait for it.
    void drop() {
        const uint64_t w = word.fetch_sub(uint64_t{1} << 32, std::memory_order_acq_rel) - (uint64_t{1} << 32);
        const uint32_t arrived = static_cast<uint32_t>(w & 0xFFFFFFFFu);
        if (arrived > 0) {
            diverged.store(true, std::memory_order_relaxed);
            if (arrived == (w >> 32)) release(w);
        }
    }
};

// Fibers: the default way to run a block whose kernel can reach __syncthreads. All threads of the
// block are coroutines on the calling OS thread; __syncthreads switches back to a scheduler that
// resumes the next thread, and a barrier completes when every live thread has reached it. A
// switch costs well under a microsecond, against several per thread per barrier for an OpenMP
// team of up to 1024 OS threads on two cores, and the order of execution is deterministic, so a
// failure reproduces. KS_EMU_TEAM=omp selects the OpenMP team instead.
#if defined(__x86_64__)
// A stack switch that saves only the callee-saved registers (swapcontext also makes a signal-mask
// system call on every switch, which made barriers ~50x slower). No fiber changes MXCSR or the x87
// control word, so they are not saved.
extern "C" void ks_emu_switch(void** save_sp, void* to_sp);
#define KS_EMU_ASM_SWITCH 1
#endif

struct Fibers {
    ucontext_t sched;
    ucontext_t* ctx = nullptr;  // the portable fallback (no KS_EMU_ASM_SWITCH)
    void** sp = nullptr;        // saved stack pointers (KS_EMU_ASM_SWITCH)
    void* sched_sp = nullptr;
    unsigned char* state = nullptr;  // 0 runnable, 1 waiting at a barrier, 2 finished
    int* pred = nullptr;
    int cap = 0, cur = 0, result = 0;
    char* stacks = nullptr;
    size_t stack_size = 0;
    void (*body)(void*) = nullptr;
    void* body_arg = nullptr;
};
inline Fibers& fibers() {
    static Fibers f;
    return f;
}
inline thread_local bool t_fiber_mode = false;

inline size_t fiber_stack_bytes() {
    const char* e = getenv("KS_EMU_STACK_KB");
    size_t kb = e ? strtoul(e, nullptr, 10) : 256;
    return (kb < 64 ? 64 : kb) * 1024;
}
inline bool use_omp_team() {
    static const bool omp = [] {
        const char* e = getenv("KS_EMU_TEAM");
        return e && strcmp(e, "omp") == 0;
    }();
    return omp;
}
// Is `a` inside the guard page below one of the fiber stacks?
inline bool in_fiber_guard(const void* a) {
    Fibers& f = fibers();
    if (!f.stacks) return false;
    const char* c = static_cast<const char*>(a);
    size_t slot = f.stack_size + kPage;
    if (c < f.stacks || c >= f.stacks + slot * f.cap) return false;
    return static_cast<size_t>(c - f.stacks) % slot < kPage;
}
inline void fiber_reserve(int n) {
    Fibers& f = fibers();
    if (n <= f.cap) return;
    if (f.stacks) munmap(f.stacks, (f.stack_size + kPage) * f.cap);
    free(f.ctx);
    free(f.sp);
    free(f.state);
    free(f.pred);
    f.stack_size = fiber_stack_bytes();
    size_t slot = f.stack_size + kPage;
    void* m = mmap(nullptr, slot * n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (m == MAP_FAILED) {
        fprintf(stderr, "ks-cuda-emu: cannot map %d thread stacks\n", n);
        _exit(88);
    }
    f.stacks = static_cast<char*>(m);
    f.ctx = static_cast<ucontext_t*>(calloc(n, sizeof(ucontext_t)));
    f.sp = static_cast<void**>(calloc(n, sizeof(void*)));
    f.state = static_cast<unsigned char*>(calloc(n, 1));
    f.pred = static_cast<int*>(calloc(n, sizeof(int)));
    for (int i = 0; i < n; i++) {
        mprotect(f.stacks + slot * i, kPage, PROT_NONE);  // overflow lands here
        getcontext(&f.ctx[i]);
    }
    f.cap = n;
}
inline void fiber_entry() {
    Fibers& f = fibers();
    f.body(f.body_arg);
    f.state[f.cur] = 2;
#ifdef KS_EMU_ASM_SWITCH
    void* dead;
    ks_emu_switch(&dead, f.sched_sp);  // never resumed
    __builtin_unreachable();
#endif
    // (ucontext) returning resumes uc_link, the scheduler
}
// Prepare thread t of the block to start at fiber_entry on a fresh stack.
inline void fiber_start(Fibers& f, int t) {
    char* lo = f.stacks + (f.stack_size + kPage) * t + kPage;
#ifdef KS_EMU_ASM_SWITCH
    uintptr_t top = (reinterpret_cast<uintptr_t>(lo) + f.stack_size) & ~uintptr_t{15};
    void** frame = reinterpret_cast<void**>(top) - 8;
    for (int i = 0; i < 6; i++) frame[i] = nullptr;  // r15 r14 r13 r12 rbx rbp
    frame[6] = reinterpret_cast<void*>(&fiber_entry);  // popped by `ret`
    frame[7] = nullptr;                                 // fiber_entry's (absent) return address
    f.sp[t] = frame;
#else
    f.ctx[t].uc_stack.ss_sp = lo;
    f.ctx[t].uc_stack.ss_size = f.stack_size;
    f.ctx[t].uc_link = &f.sched;
    makecontext(&f.ctx[t], fiber_entry, 0);
#endif
}
inline void fiber_resume(Fibers& f, int t) {
#ifdef KS_EMU_ASM_SWITCH
    ks_emu_switch(&f.sched_sp, f.sp[t]);
#else
    swapcontext(&f.sched, &f.ctx[t]);
#endif
}
inline void fiber_yield(Fibers& f, int t) {
#ifdef KS_EMU_ASM_SWITCH
    ks_emu_switch(&f.sp[t], f.sched_sp);
#else
    swapcontext(&f.ctx[t], &f.sched);
#endif
}

inline int sync_block(int pred, const char* what) {
    Barrier* b = static_cast<Barrier*>(t_barrier);
    if (!t_in_kernel) {
        note("error", "%s called from host code", what);
        return 0;
    }
    if (t_fiber_mode) {
        Fibers& f = fibers();
        const int me = f.cur;
        f.pred[me] = pred != 0;
        f.state[me] = 1;
        fiber_yield(f, me);
        return f.result;
    }
    if (!b) {
        if (blockDim.x * blockDim.y * blockDim.z == 1) return pred != 0;
        fprintf(stderr, "ks-cuda-emu: internal error: %s reached in a kernel the translator judged barrier-free\n", what);
        fflush(stderr);
        _exit(87);
    }
    return b->wait(pred);
}

// Shared memory is uninitialised on a GPU; each block here starts with it filled with NaNs.
struct SharedEpoch {
    std::atomic<uint64_t> epoch{0};
};
inline std::mutex& shared_poison_mu() {
    static std::mutex m;
    return m;
}
inline void poison_shared(void* p, size_t n, SharedEpoch& e) {
    uint64_t now = st().block_epoch;
    if (e.epoch.load(std::memory_order_acquire) == now) return;
    std::lock_guard<std::mutex> l(shared_poison_mu());
    if (e.epoch.load(std::memory_order_relaxed) == now) return;
    fill_words(p, n);
    e.epoch.store(now, std::memory_order_release);
}

inline void* dyn_smem() { return st().dyn_smem; }

// ---------------------------------------------------------------------------------------------
// Launch.
// ---------------------------------------------------------------------------------------------
struct LaunchCfg {
    dim3 grid, block;
    size_t shmem;
    cudaStream_t stream;
};
inline LaunchCfg cfg(dim3 g, dim3 b, size_t shmem = 0, cudaStream_t s = nullptr) { return LaunchCfg{g, b, shmem, s}; }

template <class T>
inline void check_pointer_arg(const T& a, int index, int line, bool& ok) {
    if constexpr (std::is_pointer_v<T> && !std::is_function_v<std::remove_pointer_t<T>>) {
        if (a != nullptr && !is_device(a, 0)) {
            note("error", "kernel launched at line %d: argument %d (%p) is not device memory", line, index + 1,
                 static_cast<const void*>(a));
            ok = false;
        }
    }
}

// Sync: the kernel can reach __syncthreads. MaxThreads: its literal __launch_bounds__ (0: none).
template <bool Sync, unsigned MaxThreads, class F, class... A>
void launch(int line, const LaunchCfg& c, F&& f, A&&... a) {
    State& s = st();
    check_stream(c.stream, "kernel launch", line);
    const unsigned long long nt = 1ull * c.block.x * c.block.y * c.block.z;
    const unsigned long long nb = 1ull * c.grid.x * c.grid.y * c.grid.z;
    const char* bad = nullptr;
    if (nt == 0 || nb == 0) bad = "an empty grid or block";
    else if (c.block.x > 1024 || c.block.y > 1024 || c.block.z > 64 || nt > 1024) bad = "more than 1024 threads per block (or blockDim.z > 64)";
    else if (c.grid.y > 65535 || c.grid.z > 65535 || c.grid.x > 2147483647u) bad = "a grid beyond (2^31-1, 65535, 65535) blocks";
    else if (MaxThreads && nt > MaxThreads) bad = "more threads per block than the kernel's __launch_bounds__";
    if (bad) {
        note("error", "kernel launch at line %d fails on a GPU (cudaErrorInvalidConfiguration): grid (%u,%u,%u), block (%u,%u,%u) has %s",
             line, c.grid.x, c.grid.y, c.grid.z, c.block.x, c.block.y, c.block.z, bad);
        set_error(cudaErrorInvalidConfiguration);
        return;
    }
    if (c.shmem > kMaxDynSmem || (c.shmem > kDefaultDynSmem && c.shmem > s.max_dyn_smem_attr)) {
        note("error", "kernel launch at line %d asks for %zu bytes of dynamic shared memory: above 48 KiB needs cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, n) and at most %zu",
             line, c.shmem, kMaxDynSmem);
        set_error(cudaErrorInvalidValue);
        return;
    }
    // Arguments are evaluated once, as for a real launch; every thread then calls the kernel with
    // (copies of) the same values.
    const std::tuple<std::decay_t<A>...> args(std::forward<A>(a)...);
    bool args_ok = true;
    std::apply([&](const auto&... v) {
        int i = 0;
        (check_pointer_arg(v, i++, line, args_ok), ...);
    }, args);
    if (!args_ok) {
        set_error(cudaErrorInvalidValue);
        return;
    }
    // The dynamic shared buffer is a guarded region too: indexing past the bytes the launch asked
    // for is reported like any other out-of-bounds access.
    s.dyn_smem = alloc_region(c.shmem, "extern __shared__ buffer", 1, true);
    struct SmemRelease {
        int line;
        ~SmemRelease() {
            State& g = st();
            free_region(g.dyn_smem, "extern __shared__ release", line);
            g.dyn_smem = nullptr;
        }
    } smem_release{line};
    DeviceAccess da;
    const dim3 g = c.grid, b = c.block;
    const int nthreads = static_cast<int>(nt);
    auto set_block = [&](unsigned long long bi) {
        blockIdx = uint3{static_cast<unsigned>(bi % g.x), static_cast<unsigned>(bi / g.x % g.y),
                         static_cast<unsigned>(bi / (1ull * g.x * g.y))};
    };
    auto set_thread = [&](int t) {
        threadIdx = uint3{static_cast<unsigned>(t) % b.x, static_cast<unsigned>(t) / b.x % b.y,
                          static_cast<unsigned>(t) / (b.x * b.y)};
    };
    if (!Sync || nthreads == 1) {
        blockDim = b;
        gridDim = g;
        t_in_kernel = true;
        t_barrier = nullptr;
        const bool rev = s.reverse;
        for (unsigned long long k = 0; k < nb; k++) {
            s.block_epoch++;
            fill_words(s.dyn_smem, c.shmem);
            set_block(rev ? nb - 1 - k : k);
            for (int u = 0; u < nthreads; u++) {
                set_thread(rev ? nthreads - 1 - u : u);
                std::apply(f, args);
            }
        }
        t_in_kernel = false;
        return;
    }
    if (!use_omp_team()) {
        Fibers& fb = fibers();
        fiber_reserve(nthreads);
        auto call = [&] { std::apply(f, args); };
        fb.body = [](void* p) { (*static_cast<decltype(call)*>(p))(); };
        fb.body_arg = &call;
        blockDim = b;
        gridDim = g;
        t_in_kernel = true;
        t_fiber_mode = true;
        bool diverged = false;
        const bool rev = s.reverse;
        for (unsigned long long k = 0; k < nb; k++) {
            s.block_epoch++;
            fill_words(s.dyn_smem, c.shmem);
            set_block(rev ? nb - 1 - k : k);
            for (int t = 0; t < nthreads; t++) {
                fb.state[t] = 0;
                fiber_start(fb, t);
            }
            for (;;) {
                int waiting = 0, count = 0, finished = 0;
                for (int u = 0; u < nthreads; u++) {
                    const int t = rev ? nthreads - 1 - u : u;
                    if (fb.state[t] == 2) {
                        finished++;
                        continue;
                    }
                    fb.state[t] = 0;
                    fb.cur = t;
                    set_thread(t);
                    fiber_resume(fb, t);
                    if (fb.state[t] == 1) {
                        waiting++;
                        count += fb.pred[t];
                    } else {
                        finished++;
                    }
                }
                if (waiting == 0) break;
                if (finished > 0) diverged = true;
                fb.result = count;
            }
        }
        t_fiber_mode = false;
        t_in_kernel = false;
        if (diverged) {
            bool first;
            {
                std::lock_guard<std::mutex> l(s.mu);
                first = !s.warned_divergent_barrier;
                s.warned_divergent_barrier = true;
            }
            if (first)
                note("warning", "kernel launched at line %d: some threads left the kernel while others still reached __syncthreads (undefined in CUDA; it works on current GPUs)", line);
        }
        return;
    }
    // One team for the whole grid: each thread runs its part of every block in turn; `block_end`
    // keeps blocks apart (shared storage is reused), `bar` is __syncthreads within a block.
    Barrier bar, block_end;
    bar.reset(nthreads);
    block_end.reset(nthreads);
    s.block_epoch++;
    fill_words(s.dyn_smem, c.shmem);
    omp_set_dynamic(0);
    bool team_ok = true;
    bool diverged = false;
#pragma omp parallel num_threads(nthreads)
    {
        if (omp_get_num_threads() != nthreads) {
#pragma omp single
            team_ok = false;
        } else {
            const int t = omp_get_thread_num();
            blockDim = b;
            gridDim = g;
            set_thread(t);
            t_in_kernel = true;
            t_barrier = &bar;
            for (unsigned long long k = 0; k < nb; k++) {
                set_block(s.reverse ? nb - 1 - k : k);
                std::apply(f, args);
                bar.drop();
                // The last thread to finish the block re-arms the barrier for the next one.
                const uint32_t gen = block_end.gen.load(std::memory_order_acquire);
                const uint64_t w = block_end.word.fetch_add(1, std::memory_order_acq_rel) + 1;
                if ((w & 0xFFFFFFFFu) == (w >> 32)) {
                    if (bar.diverged.load(std::memory_order_relaxed)) diverged = true;
                    bar.reset(nthreads);
                    bar.diverged.store(false, std::memory_order_relaxed);
                    s.block_epoch++;
                    fill_words(s.dyn_smem, c.shmem);
                    block_end.release(w);
                } else {
                    while (block_end.gen.load(std::memory_order_acquire) == gen) futex_wait(&block_end.gen, gen);
                }
            }
            t_in_kernel = false;
            t_barrier = nullptr;
        }
    }
    if (!team_ok) {
        fprintf(stderr, "ks-cuda-emu: could not start an OpenMP team of %d threads (set OMP_THREAD_LIMIT, OMP_DYNAMIC=false)\n", nthreads);
        fflush(stderr);
        _exit(88);
    }
    if (diverged) {
        bool first;
        {
            std::lock_guard<std::mutex> l(s.mu);
            first = !s.warned_divergent_barrier;
            s.warned_divergent_barrier = true;
        }
        if (first)
            note("warning", "kernel launched at line %d: some threads left the kernel while others still reached __syncthreads (undefined in CUDA; it works on current GPUs)", line);
    }
}

template <class... A>
struct Unsupported {
    static_assert(always_false_v<A...>, "ks-cuda-emu: not emulated");
};

}  // namespace ks_emu

// Anything that must not compile: the message names the feature.
#define KS_EMU_UNSUPPORTED(name, what)                                                               \
    template <class... A>                                                                           \
    inline int name(A...) {                                                                         \
        static_assert(ks_emu::always_false_v<A...>, "ks-cuda-emu: " #name ": " what);              \
        return 0;                                                                                   \
    }

// ---------------------------------------------------------------------------------------------
// Runtime API.
// ---------------------------------------------------------------------------------------------
inline cudaError_t cudaGetLastError() {
    cudaError_t e = ks_emu::st().last_error;
    ks_emu::st().last_error = cudaSuccess;
    return e;
}
inline cudaError_t cudaPeekAtLastError() { return ks_emu::st().last_error; }
inline const char* cudaGetErrorString(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "no error";
        case cudaErrorInvalidValue: return "invalid argument";
        case cudaErrorMemoryAllocation: return "out of memory";
        case cudaErrorInvalidConfiguration: return "invalid configuration argument";
        case cudaErrorInvalidDevicePointer: return "invalid device pointer";
        case cudaErrorInvalidMemcpyDirection: return "invalid copy direction for memcpy";
        case cudaErrorNotSupported: return "operation not supported";
        default: return "unknown error";
    }
}
inline const char* cudaGetErrorName(cudaError_t e) {
    switch (e) {
        case cudaSuccess: return "cudaSuccess";
        case cudaErrorInvalidValue: return "cudaErrorInvalidValue";
        case cudaErrorMemoryAllocation: return "cudaErrorMemoryAllocation";
        case cudaErrorInvalidConfiguration: return "cudaErrorInvalidConfiguration";
        default: return "cudaErrorUnknown";
    }
}

inline cudaError_t cudaMalloc(void** p, size_t n) {
    if (!p) return ks_emu::set_error(cudaErrorInvalidValue);
    *p = ks_emu::alloc_region(n, "cudaMalloc buffer", 1, false);
    return *p ? cudaSuccess : ks_emu::set_error(cudaErrorMemoryAllocation);
}
template <class T>
inline cudaError_t cudaMalloc(T** p, size_t n) {
    return cudaMalloc(reinterpret_cast<void**>(p), n);
}
// The trailing `line` parameters default to the caller's line (GCC's __builtin_LINE), for messages.
inline cudaError_t cudaMallocAsync(void** p, size_t n, cudaStream_t s, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaMallocAsync", line);
    if (!p) return ks_emu::set_error(cudaErrorInvalidValue);
    *p = ks_emu::alloc_region(n, "cudaMallocAsync buffer", 1, false);
    return *p ? cudaSuccess : ks_emu::set_error(cudaErrorMemoryAllocation);
}
template <class T>
inline cudaError_t cudaMallocAsync(T** p, size_t n, cudaStream_t s, int line = __builtin_LINE()) {
    return cudaMallocAsync(reinterpret_cast<void**>(p), n, s, line);
}
inline cudaError_t cudaFree(void* p, int line = __builtin_LINE()) {
    ks_emu::free_region(p, "cudaFree", line);
    return cudaSuccess;
}
inline cudaError_t cudaFreeAsync(void* p, cudaStream_t s, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaFreeAsync", line);
    ks_emu::free_region(p, "cudaFreeAsync", line);
    return cudaSuccess;
}

namespace ks_emu {
inline cudaError_t memset_impl(void* p, int v, size_t n, const char* who, int line) {
    if (n == 0) return cudaSuccess;
    if (!is_device(p, n)) {
        note("error", "%s(%p, %zu bytes) at line %d: not (entirely) inside one device allocation", who, p, n, line);
        return set_error(cudaErrorInvalidValue);
    }
    DeviceAccess da;
    memset(p, v, n);
    return cudaSuccess;
}
inline cudaError_t memcpy_impl(void* d, const void* sp, size_t n, cudaMemcpyKind k, const char* who, int line) {
    if (n == 0) return cudaSuccess;
    const bool dd = is_device(d, n), sd = is_device(sp, n);
    const bool want_dd = k == cudaMemcpyHostToDevice || k == cudaMemcpyDeviceToDevice;
    const bool want_sd = k == cudaMemcpyDeviceToHost || k == cudaMemcpyDeviceToDevice;
    if (k == cudaMemcpyDefault ? false : (dd != want_dd || sd != want_sd)) {
        note("error", "%s of %zu bytes at line %d: the pointers do not match the copy kind %d (destination %s device memory, source %s)",
             who, n, line, static_cast<int>(k), dd ? "is" : "is not", sd ? "is" : "is not");
        return set_error(cudaErrorInvalidValue);
    }
    DeviceAccess da;
    memmove(d, sp, n);
    return cudaSuccess;
}
}  // namespace ks_emu

inline cudaError_t cudaMemset(void* p, int v, size_t n, int line = __builtin_LINE()) {
    ks_emu::check_stream(nullptr, "cudaMemset", line);
    return ks_emu::memset_impl(p, v, n, "cudaMemset", line);
}
inline cudaError_t cudaMemsetAsync(void* p, int v, size_t n, cudaStream_t s = nullptr, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaMemsetAsync", line);
    return ks_emu::memset_impl(p, v, n, "cudaMemsetAsync", line);
}
inline cudaError_t cudaMemcpy(void* d, const void* s, size_t n, cudaMemcpyKind k, int line = __builtin_LINE()) {
    ks_emu::check_stream(nullptr, "cudaMemcpy", line);
    return ks_emu::memcpy_impl(d, s, n, k, "cudaMemcpy", line);
}
inline cudaError_t cudaMemcpyAsync(void* d, const void* s, size_t n, cudaMemcpyKind k, cudaStream_t st = nullptr, int line = __builtin_LINE()) {
    ks_emu::check_stream(st, "cudaMemcpyAsync", line);
    return ks_emu::memcpy_impl(d, s, n, k, "cudaMemcpyAsync", line);
}
// __constant__ and __device__ variables are ordinary host globals here.
template <class T>
inline cudaError_t cudaMemcpyToSymbol(T& sym, const void* src, size_t n, size_t off = 0, cudaMemcpyKind = cudaMemcpyHostToDevice) {
    if (off + n > sizeof(T)) return ks_emu::set_error(cudaErrorInvalidValue);
    ks_emu::DeviceAccess da;
    memmove(reinterpret_cast<char*>(&sym) + off, src, n);
    return cudaSuccess;
}
template <class T>
inline cudaError_t cudaMemcpyToSymbolAsync(T& sym, const void* src, size_t n, size_t off = 0, cudaMemcpyKind k = cudaMemcpyHostToDevice, cudaStream_t s = nullptr, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaMemcpyToSymbolAsync", line);
    return cudaMemcpyToSymbol(sym, src, n, off, k);
}
template <class T>
inline cudaError_t cudaMemcpyFromSymbol(void* dst, const T& sym, size_t n, size_t off = 0, cudaMemcpyKind = cudaMemcpyDeviceToHost) {
    if (off + n > sizeof(T)) return ks_emu::set_error(cudaErrorInvalidValue);
    ks_emu::DeviceAccess da;
    memmove(dst, reinterpret_cast<const char*>(&sym) + off, n);
    return cudaSuccess;
}
template <class T>
inline cudaError_t cudaMemcpyFromSymbolAsync(void* dst, const T& sym, size_t n, size_t off = 0, cudaMemcpyKind k = cudaMemcpyDeviceToHost, cudaStream_t s = nullptr, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaMemcpyFromSymbolAsync", line);
    return cudaMemcpyFromSymbol(dst, sym, n, off, k);
}

inline cudaError_t cudaStreamSynchronize(cudaStream_t s, int line = __builtin_LINE()) {
    ks_emu::check_stream(s, "cudaStreamSynchronize", line);
    return cudaSuccess;
}
inline cudaError_t cudaDeviceSynchronize() { return cudaSuccess; }
inline cudaError_t cudaGetDevice(int* d) {
    if (d) *d = 0;
    return cudaSuccess;
}
inline cudaError_t cudaGetDeviceCount(int* n) {
    if (n) *n = 1;
    return cudaSuccess;
}
inline cudaError_t cudaSetDevice(int d) { return d == 0 ? cudaSuccess : ks_emu::set_error(cudaErrorInvalidValue); }
// The values of one H100 (sm_90), so launch-shape arithmetic behaves as on the benchmark GPU.
inline cudaError_t cudaDeviceGetAttribute(int* v, cudaDeviceAttr a, int device) {
    if (!v || device != 0) return ks_emu::set_error(cudaErrorInvalidValue);
    switch (a) {
        case cudaDevAttrMaxThreadsPerBlock: *v = 1024; break;
        case cudaDevAttrMaxBlockDimX: *v = 1024; break;
        case cudaDevAttrMaxBlockDimY: *v = 1024; break;
        case cudaDevAttrMaxBlockDimZ: *v = 64; break;
        case cudaDevAttrMaxGridDimX: *v = 2147483647; break;
        case cudaDevAttrMaxGridDimY: *v = 65535; break;
        case cudaDevAttrMaxGridDimZ: *v = 65535; break;
        case cudaDevAttrMaxSharedMemoryPerBlock: *v = 49152; break;
        case cudaDevAttrWarpSize: *v = 32; break;
        case cudaDevAttrMultiProcessorCount: *v = 132; break;
        case cudaDevAttrMaxThreadsPerMultiProcessor: *v = 2048; break;
        case cudaDevAttrComputeCapabilityMajor: *v = 9; break;
        case cudaDevAttrComputeCapabilityMinor: *v = 0; break;
        case cudaDevAttrMaxSharedMemoryPerMultiprocessor: *v = 233472; break;
        case cudaDevAttrMaxSharedMemoryPerBlockOptin: *v = 232448; break;
        default: return ks_emu::set_error(cudaErrorInvalidValue);
    }
    return cudaSuccess;
}
template <class F>
inline cudaError_t cudaFuncSetAttribute(F*, cudaFuncAttribute a, int v) {
    if (a == cudaFuncAttributeMaxDynamicSharedMemorySize) {
        if (v < 0 || static_cast<size_t>(v) > ks_emu::kMaxDynSmem) return ks_emu::set_error(cudaErrorInvalidValue);
        ks_emu::State& s = ks_emu::st();
        s.max_dyn_smem_attr = std::max(s.max_dyn_smem_attr, static_cast<size_t>(v));
    }
    return cudaSuccess;
}
template <class F>
inline cudaError_t cudaFuncSetCacheConfig(F*, cudaFuncCache) { return cudaSuccess; }
inline cudaError_t cudaDeviceSetCacheConfig(cudaFuncCache) { return cudaSuccess; }
inline cudaError_t cudaDeviceSetSharedMemConfig(cudaSharedMemConfig) { return cudaSuccess; }
// A rough H100 occupancy: limited by threads (2048 per SM) and dynamic shared memory only.
template <class F>
inline cudaError_t cudaOccupancyMaxActiveBlocksPerMultiprocessor(int* n, F*, int block, size_t smem) {
    if (!n || block <= 0) return ks_emu::set_error(cudaErrorInvalidValue);
    int by_threads = 2048 / block;
    int by_smem = smem ? static_cast<int>(233472 / smem) : 32;
    *n = std::max(0, std::min({by_threads, by_smem, 32}));
    return cudaSuccess;
}

KS_EMU_UNSUPPORTED(cudaStreamCreate, "extra streams are not emulated; use the `stream` argument")
KS_EMU_UNSUPPORTED(cudaStreamCreateWithFlags, "extra streams are not emulated; use the `stream` argument")
KS_EMU_UNSUPPORTED(cudaStreamCreateWithPriority, "extra streams are not emulated; use the `stream` argument")
KS_EMU_UNSUPPORTED(cudaStreamDestroy, "extra streams are not emulated; use the `stream` argument")
KS_EMU_UNSUPPORTED(cudaStreamWaitEvent, "events and extra streams are not emulated")
KS_EMU_UNSUPPORTED(cudaEventCreate, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaEventCreateWithFlags, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaEventRecord, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaEventSynchronize, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaEventDestroy, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaEventElapsedTime, "events are not emulated")
KS_EMU_UNSUPPORTED(cudaLaunchKernel, "use the <<<...>>> launch syntax")
KS_EMU_UNSUPPORTED(cudaLaunchKernelEx, "use the <<<...>>> launch syntax")
KS_EMU_UNSUPPORTED(cudaLaunchCooperativeKernel, "cooperative launches (grid-wide sync) are not emulated")
KS_EMU_UNSUPPORTED(cudaMallocHost, "pinned host memory is not emulated (baselines get device pointers)")
KS_EMU_UNSUPPORTED(cudaHostAlloc, "pinned host memory is not emulated (baselines get device pointers)")
KS_EMU_UNSUPPORTED(cudaMallocManaged, "managed memory is not emulated")
KS_EMU_UNSUPPORTED(cudaMallocPitch, "pitched allocations are not emulated")
KS_EMU_UNSUPPORTED(cudaMemcpy2D, "2-D copies are not emulated")
KS_EMU_UNSUPPORTED(cudaMemcpy2DAsync, "2-D copies are not emulated")
KS_EMU_UNSUPPORTED(cudaGraphCreate, "CUDA graphs are not emulated")
KS_EMU_UNSUPPORTED(cudaStreamBeginCapture, "CUDA graphs are not emulated")
KS_EMU_UNSUPPORTED(cudaCreateTextureObject, "textures are not emulated")
KS_EMU_UNSUPPORTED(cudaCreateSurfaceObject, "surfaces are not emulated")
KS_EMU_UNSUPPORTED(cudaGetDeviceProperties, "use cudaDeviceGetAttribute")

// ---------------------------------------------------------------------------------------------
// Device-side synchronisation and fences.
// ---------------------------------------------------------------------------------------------
inline void __syncthreads() { ks_emu::sync_block(1, "__syncthreads"); }
inline int __syncthreads_count(int p) { return ks_emu::sync_block(p, "__syncthreads_count"); }
inline int __syncthreads_and(int p) {
    return ks_emu::sync_block(p, "__syncthreads_and") == static_cast<int>(blockDim.x * blockDim.y * blockDim.z);
}
inline int __syncthreads_or(int p) { return ks_emu::sync_block(p, "__syncthreads_or") != 0; }
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_block() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __threadfence_system() { std::atomic_thread_fence(std::memory_order_seq_cst); }
inline void __nanosleep(unsigned) {}
inline long long clock64() {
    timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}
[[noreturn]] inline void __trap() {
    fprintf(stderr, "ks-cuda-emu: __trap() in block (%u,%u,%u) thread (%u,%u,%u)\n", blockIdx.x, blockIdx.y, blockIdx.z,
            threadIdx.x, threadIdx.y, threadIdx.z);
    fflush(stderr);
    _exit(89);
}
[[noreturn]] inline void __brkpt() { __trap(); }

// Warp-level and grid-level features: each fails to compile, naming itself.
KS_EMU_UNSUPPORTED(__syncwarp, "warp-level synchronisation is not emulated (threads of a block are not run in lockstep)")
KS_EMU_UNSUPPORTED(__shfl_sync, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_up_sync, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_down_sync, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_xor_sync, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_up, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_down, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__shfl_xor, "warp shuffles are not emulated; use shared memory and __syncthreads")
KS_EMU_UNSUPPORTED(__ballot_sync, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__any_sync, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__all_sync, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__uni_sync, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__ballot, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__any, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__all, "warp votes are not emulated")
KS_EMU_UNSUPPORTED(__activemask, "warp masks are not emulated")
KS_EMU_UNSUPPORTED(__match_any_sync, "warp matching is not emulated")
KS_EMU_UNSUPPORTED(__match_all_sync, "warp matching is not emulated")
KS_EMU_UNSUPPORTED(__reduce_add_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__reduce_min_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__reduce_max_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__reduce_and_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__reduce_or_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__reduce_xor_sync, "warp reductions are not emulated")
KS_EMU_UNSUPPORTED(__lane_id, "lane ids are not emulated")
KS_EMU_UNSUPPORTED(tex1Dfetch, "textures are not emulated")
KS_EMU_UNSUPPORTED(tex1D, "textures are not emulated")
KS_EMU_UNSUPPORTED(tex2D, "textures are not emulated")
KS_EMU_UNSUPPORTED(tex3D, "textures are not emulated")
KS_EMU_UNSUPPORTED(surf2Dread, "surfaces are not emulated")
KS_EMU_UNSUPPORTED(surf2Dwrite, "surfaces are not emulated")
KS_EMU_UNSUPPORTED(__pipeline_memcpy_async, "asynchronous copies are not emulated")
KS_EMU_UNSUPPORTED(__pipeline_commit, "asynchronous copies are not emulated")
KS_EMU_UNSUPPORTED(__pipeline_wait_prior, "asynchronous copies are not emulated")
KS_EMU_UNSUPPORTED(__cvta_generic_to_shared, "address-space conversions are not emulated")

// ---------------------------------------------------------------------------------------------
// Atomics: real atomics on ordinary memory (GCC builtins), CUDA's overload set.
// ---------------------------------------------------------------------------------------------
namespace ks_emu {
template <class T>
inline T atomic_add(T* p, T v) { return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST); }
template <class T, class U, class F>
inline T atomic_update_bits(T* p, F op) {
    static_assert(sizeof(T) == sizeof(U));
    U* q = reinterpret_cast<U*>(p);
    U old = __atomic_load_n(q, __ATOMIC_SEQ_CST);
    for (;;) {
        T o;
        memcpy(&o, &old, sizeof o);
        T n = op(o);
        U nb;
        memcpy(&nb, &n, sizeof nb);
        if (__atomic_compare_exchange_n(q, &old, nb, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) return o;
    }
}
}  // namespace ks_emu

inline int atomicAdd(int* p, int v) { return ks_emu::atomic_add(p, v); }
inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return ks_emu::atomic_add(p, v); }
inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) { return ks_emu::atomic_add(p, v); }
inline float atomicAdd(float* p, float v) {
    return ks_emu::atomic_update_bits<float, uint32_t>(p, [v](float o) { return o + v; });
}
inline double atomicAdd(double* p, double v) {
    return ks_emu::atomic_update_bits<double, uint64_t>(p, [v](double o) { return o + v; });
}
inline int atomicSub(int* p, int v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); }
inline unsigned int atomicSub(unsigned int* p, unsigned int v) { return __atomic_fetch_sub(p, v, __ATOMIC_SEQ_CST); }
inline int atomicExch(int* p, int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
inline unsigned int atomicExch(unsigned int* p, unsigned int v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
inline unsigned long long atomicExch(unsigned long long* p, unsigned long long v) { return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST); }
inline float atomicExch(float* p, float v) {
    return ks_emu::atomic_update_bits<float, uint32_t>(p, [v](float) { return v; });
}
#define KS_EMU_MINMAX_ATOMIC(T)                                                                     \
    inline T atomicMin(T* p, T v) {                                                                 \
        return ks_emu::atomic_update_bits<T, T>(p, [v](T o) { return v < o ? v : o; });              \
    }                                                                                               \
    inline T atomicMax(T* p, T v) {                                                                 \
        return ks_emu::atomic_update_bits<T, T>(p, [v](T o) { return v > o ? v : o; });              \
    }
KS_EMU_MINMAX_ATOMIC(int)
KS_EMU_MINMAX_ATOMIC(unsigned int)
KS_EMU_MINMAX_ATOMIC(long long)
KS_EMU_MINMAX_ATOMIC(unsigned long long)
#undef KS_EMU_MINMAX_ATOMIC
inline unsigned int atomicInc(unsigned int* p, unsigned int lim) {
    return ks_emu::atomic_update_bits<unsigned, unsigned>(p, [lim](unsigned o) { return o >= lim ? 0u : o + 1; });
}
inline unsigned int atomicDec(unsigned int* p, unsigned int lim) {
    return ks_emu::atomic_update_bits<unsigned, unsigned>(p, [lim](unsigned o) { return (o == 0 || o > lim) ? lim : o - 1; });
}
inline int atomicCAS(int* p, int cmp, int v) {
    __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}
inline unsigned int atomicCAS(unsigned int* p, unsigned int cmp, unsigned int v) {
    __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}
inline unsigned long long atomicCAS(unsigned long long* p, unsigned long long cmp, unsigned long long v) {
    __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}
inline unsigned short atomicCAS(unsigned short* p, unsigned short cmp, unsigned short v) {
    __atomic_compare_exchange_n(p, &cmp, v, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return cmp;
}
#define KS_EMU_BIT_ATOMIC(name, builtin)                                                            \
    inline int name(int* p, int v) { return builtin(p, v, __ATOMIC_SEQ_CST); }                      \
    inline unsigned int name(unsigned int* p, unsigned int v) { return builtin(p, v, __ATOMIC_SEQ_CST); } \
    inline unsigned long long name(unsigned long long* p, unsigned long long v) { return builtin(p, v, __ATOMIC_SEQ_CST); }
KS_EMU_BIT_ATOMIC(atomicAnd, __atomic_fetch_and)
KS_EMU_BIT_ATOMIC(atomicOr, __atomic_fetch_or)
KS_EMU_BIT_ATOMIC(atomicXor, __atomic_fetch_xor)
#undef KS_EMU_BIT_ATOMIC
// Scoped variants: every scope is the whole machine here.
#define KS_EMU_SCOPED(name)                                                                         \
    template <class P, class... A>                                                                  \
    inline auto name##_block(P p, A... a) { return name(p, a...); }                                 \
    template <class P, class... A>                                                                  \
    inline auto name##_system(P p, A... a) { return name(p, a...); }
KS_EMU_SCOPED(atomicAdd)
KS_EMU_SCOPED(atomicSub)
KS_EMU_SCOPED(atomicExch)
KS_EMU_SCOPED(atomicMin)
KS_EMU_SCOPED(atomicMax)
KS_EMU_SCOPED(atomicCAS)
KS_EMU_SCOPED(atomicAnd)
KS_EMU_SCOPED(atomicOr)
KS_EMU_SCOPED(atomicXor)
#undef KS_EMU_SCOPED

// Cache-hinted loads and stores are plain accesses.
template <class T> inline T __ldg(const T* p) { return *p; }
template <class T> inline T __ldcg(const T* p) { return *p; }
template <class T> inline T __ldca(const T* p) { return *p; }
template <class T> inline T __ldcs(const T* p) { return *p; }
template <class T> inline T __ldlu(const T* p) { return *p; }
template <class T> inline T __ldcv(const T* p) { return *p; }
template <class T> inline void __stcg(T* p, T v) { *p = v; }
template <class T> inline void __stcs(T* p, T v) { *p = v; }
template <class T> inline void __stwb(T* p, T v) { *p = v; }
template <class T> inline void __stwt(T* p, T v) { *p = v; }

// ---------------------------------------------------------------------------------------------
// Bit reinterpretation and integer intrinsics.
// ---------------------------------------------------------------------------------------------
namespace ks_emu {
template <class To, class From>
inline To bits(From f) {
    static_assert(sizeof(To) == sizeof(From));
    To t;
    memcpy(&t, &f, sizeof t);
    return t;
}
}  // namespace ks_emu
inline int __float_as_int(float x) { return ks_emu::bits<int>(x); }
inline float __int_as_float(int x) { return ks_emu::bits<float>(x); }
inline unsigned int __float_as_uint(float x) { return ks_emu::bits<unsigned int>(x); }
inline float __uint_as_float(unsigned int x) { return ks_emu::bits<float>(x); }
inline long long __double_as_longlong(double x) { return ks_emu::bits<long long>(x); }
inline double __longlong_as_double(long long x) { return ks_emu::bits<double>(x); }
inline int __double2hiint(double x) { return static_cast<int>(ks_emu::bits<unsigned long long>(x) >> 32); }
inline int __double2loint(double x) { return static_cast<int>(ks_emu::bits<unsigned long long>(x)); }
inline double __hiloint2double(int hi, int lo) {
    return ks_emu::bits<double>((static_cast<unsigned long long>(static_cast<unsigned>(hi)) << 32) | static_cast<unsigned>(lo));
}

inline int __popc(unsigned int x) { return __builtin_popcount(x); }
inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }
inline int __clzll(long long x) { return x == 0 ? 64 : __builtin_clzll(static_cast<unsigned long long>(x)); }
inline int __ffs(int x) { return __builtin_ffs(x); }
inline int __ffsll(long long x) { return __builtin_ffsll(x); }
inline unsigned int __brev(unsigned int x) {
    x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
    x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
    x = ((x >> 4) & 0x0F0F0F0Fu) | ((x & 0x0F0F0F0Fu) << 4);
    return __builtin_bswap32(x);
}
inline unsigned long long __brevll(unsigned long long x) {
    return (static_cast<unsigned long long>(__brev(static_cast<unsigned>(x))) << 32) | __brev(static_cast<unsigned>(x >> 32));
}
inline int __mul24(int a, int b) { return ((a << 8) >> 8) * ((b << 8) >> 8); }
inline unsigned int __umul24(unsigned a, unsigned b) { return (a & 0xFFFFFFu) * (b & 0xFFFFFFu); }
inline int __mulhi(int a, int b) { return static_cast<int>((static_cast<long long>(a) * b) >> 32); }
inline unsigned int __umulhi(unsigned a, unsigned b) { return static_cast<unsigned>((static_cast<unsigned long long>(a) * b) >> 32); }
inline long long __mul64hi(long long a, long long b) { return static_cast<long long>((static_cast<__int128>(a) * b) >> 64); }
inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) {
    return static_cast<unsigned long long>((static_cast<unsigned __int128>(a) * b) >> 64);
}
inline unsigned int __sad(int a, int b, unsigned c) { return c + static_cast<unsigned>(a > b ? a - b : b - a); }
inline unsigned int __usad(unsigned a, unsigned b, unsigned c) { return c + (a > b ? a - b : b - a); }
inline int __hadd(int a, int b) { return static_cast<int>((static_cast<long long>(a) + b) >> 1); }
inline int __rhadd(int a, int b) { return static_cast<int>((static_cast<long long>(a) + b + 1) >> 1); }
inline unsigned int __byte_perm(unsigned x, unsigned y, unsigned s) {
    unsigned long long v = (static_cast<unsigned long long>(y) << 32) | x;
    unsigned r = 0;
    for (int i = 0; i < 4; i++) r |= static_cast<unsigned>((v >> (8 * ((s >> (4 * i)) & 7))) & 0xFF) << (8 * i);
    return r;
}

// ---------------------------------------------------------------------------------------------
// Float math: libm, plus CUDA's intrinsics. The fast-math intrinsics are modelled on how the GPU
// computes them (e.g. __expf is ex2.approx(x * log2(e)), so its error grows with |x| as on the GPU);
// the remaining ~2 ulp of the hardware approximations are not modelled.
// ---------------------------------------------------------------------------------------------
inline float __expf(float x) { return exp2f(x * 1.44269504088896340736f); }
inline float __exp10f(float x) { return exp2f(x * 3.32192809488736234787f); }
inline float __logf(float x) { return log2f(x) * 0.693147180559945309417f; }
inline float __log2f(float x) { return log2f(x); }
inline float __log10f(float x) { return log2f(x) * 0.301029995663981195214f; }
inline float __powf(float x, float y) { return exp2f(y * log2f(x)); }
inline float __sinf(float x) { return sinf(x); }
inline float __cosf(float x) { return cosf(x); }
inline float __tanf(float x) { return sinf(x) / cosf(x); }
inline void __sincosf(float x, float* s, float* c) {
    *s = sinf(x);
    *c = cosf(x);
}
// __fdividef returns 0 for 2^126 < |y| < 2^128 and otherwise x * (1/y), rounded twice.
inline float __fdividef(float x, float y) {
    float ay = fabsf(y);
    if (ay > 8.507059173e37f && ay < INFINITY) return 0.0f * x;
    return x * (1.0f / y);
}
inline float fdividef(float x, float y) { return x / y; }
inline float __frcp_rn(float x) { return 1.0f / x; }
inline float __fsqrt_rn(float x) { return sqrtf(x); }
inline float __frsqrt_rn(float x) { return 1.0f / sqrtf(x); }
inline float __fadd_rn(float a, float b) { return a + b; }
inline float __fsub_rn(float a, float b) { return a - b; }
inline float __fmul_rn(float a, float b) { return a * b; }
inline float __fdiv_rn(float a, float b) { return a / b; }
inline float __fmaf_rn(float a, float b, float c) { return fmaf(a, b, c); }
inline double __dadd_rn(double a, double b) { return a + b; }
inline double __dsub_rn(double a, double b) { return a - b; }
inline double __dmul_rn(double a, double b) { return a * b; }
inline double __ddiv_rn(double a, double b) { return a / b; }
inline double __drcp_rn(double x) { return 1.0 / x; }
inline double __dsqrt_rn(double x) { return sqrt(x); }
inline double __fma_rn(double a, double b, double c) { return fma(a, b, c); }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline double rsqrt(double x) { return 1.0 / sqrt(x); }
inline float rcbrtf(float x) { return 1.0f / cbrtf(x); }
inline double rcbrt(double x) { return 1.0 / cbrt(x); }
inline float __saturatef(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }
// sinpi and friends are C23: where the C library declares them, its (non-template) versions win.
template <class = void> inline float sinpif(float x) { return static_cast<float>(sin(M_PI * static_cast<double>(x))); }
template <class = void> inline float cospif(float x) { return static_cast<float>(cos(M_PI * static_cast<double>(x))); }
template <class = void> inline double sinpi(double x) { return sin(M_PI * x); }
template <class = void> inline double cospi(double x) { return cos(M_PI * x); }
template <class = void> inline void sincospif(float x, float* s, float* c) {
    *s = sinpif(x);
    *c = cospif(x);
}
inline float normcdff(float x) { return 0.5f * erfcf(-x * 0.707106781186547524f); }
inline double normcdf(double x) { return 0.5 * erfc(-x * 0.707106781186547524); }
inline float norm3df(float a, float b, float c) { return sqrtf(a * a + b * b + c * c); }
inline float rnorm3df(float a, float b, float c) { return 1.0f / sqrtf(a * a + b * b + c * c); }
inline float norm4df(float a, float b, float c, float d) { return sqrtf(a * a + b * b + c * c + d * d); }
inline float rhypotf(float a, float b) { return 1.0f / hypotf(a, b); }
namespace ks_emu {
// erf^-1 in double: Giles' single-precision approximation, refined by two Newton steps.
inline double erfinv(double y) {
    if (y <= -1.0) return y == -1.0 ? -INFINITY : NAN;
    if (y >= 1.0) return y == 1.0 ? INFINITY : NAN;
    double w = -log((1.0 - y) * (1.0 + y)), p;
    if (w < 5.0) {
        w -= 2.5;
        p = 2.81022636e-08;
        for (double c : {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                         -0.00417768164, 0.246640727, 1.50140941})
            p = c + p * w;
    } else {
        w = sqrt(w) - 3.0;
        p = -0.000200214257;
        for (double c : {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                         0.00943887047, 1.00167406, 2.83297682})
            p = c + p * w;
    }
    double x = p * y;
    for (int i = 0; i < 2; i++) x -= (erf(x) - y) / (1.1283791670955126 * exp(-x * x));
    return x;
}
}  // namespace ks_emu
inline float erfinvf(float y) { return static_cast<float>(ks_emu::erfinv(y)); }
inline double erfinv(double y) { return ks_emu::erfinv(y); }
inline float erfcinvf(float y) { return static_cast<float>(ks_emu::erfinv(1.0 - static_cast<double>(y))); }
inline double erfcinv(double y) { return ks_emu::erfinv(1.0 - y); }
inline float normcdfinvf(float p) { return static_cast<float>(1.4142135623730951 * ks_emu::erfinv(2.0 * p - 1.0)); }
inline double normcdfinv(double p) { return 1.4142135623730951 * ks_emu::erfinv(2.0 * p - 1.0); }

// Conversions with CUDA's rounding and saturation (NaN -> 0, out of range -> the nearest limit).
namespace ks_emu {
template <class I, class F>
inline I sat_convert(F r) {
    if (r != r) return 0;
    if (r <= static_cast<F>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
    if (r >= static_cast<F>(std::numeric_limits<I>::max())) return std::numeric_limits<I>::max();
    return static_cast<I>(r);
}
}  // namespace ks_emu
inline int __float2int_rn(float x) { return ks_emu::sat_convert<int>(nearbyintf(x)); }
inline int __float2int_rz(float x) { return ks_emu::sat_convert<int>(truncf(x)); }
inline int __float2int_rd(float x) { return ks_emu::sat_convert<int>(floorf(x)); }
inline int __float2int_ru(float x) { return ks_emu::sat_convert<int>(ceilf(x)); }
inline unsigned int __float2uint_rn(float x) { return ks_emu::sat_convert<unsigned int>(nearbyintf(x)); }
inline unsigned int __float2uint_rz(float x) { return ks_emu::sat_convert<unsigned int>(truncf(x)); }
inline long long __float2ll_rn(float x) { return ks_emu::sat_convert<long long>(nearbyintf(x)); }
inline long long __float2ll_rz(float x) { return ks_emu::sat_convert<long long>(truncf(x)); }
inline int __double2int_rn(double x) { return ks_emu::sat_convert<int>(nearbyint(x)); }
inline int __double2int_rz(double x) { return ks_emu::sat_convert<int>(trunc(x)); }
inline long long __double2ll_rn(double x) { return ks_emu::sat_convert<long long>(nearbyint(x)); }
inline float __int2float_rn(int x) { return static_cast<float>(x); }
inline float __uint2float_rn(unsigned x) { return static_cast<float>(x); }
inline float __ll2float_rn(long long x) { return static_cast<float>(x); }
inline double __int2double_rn(int x) { return static_cast<double>(x); }
inline float __double2float_rn(double x) { return static_cast<float>(x); }

// CUDA's global min/max overloads; mixed types fall back to the usual arithmetic conversions.
#define KS_EMU_MINMAX(T)                                                                            \
    inline T min(T a, T b) { return b < a ? b : a; }                                                \
    inline T max(T a, T b) { return a < b ? b : a; }
KS_EMU_MINMAX(int)
KS_EMU_MINMAX(unsigned int)
KS_EMU_MINMAX(long)
KS_EMU_MINMAX(unsigned long)
KS_EMU_MINMAX(long long)
KS_EMU_MINMAX(unsigned long long)
#undef KS_EMU_MINMAX
inline float min(float a, float b) { return fminf(a, b); }
inline float max(float a, float b) { return fmaxf(a, b); }
inline double min(double a, double b) { return fmin(a, b); }
inline double max(double a, double b) { return fmax(a, b); }
template <class A, class B, class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B> && !std::is_same_v<A, B>>>
inline std::common_type_t<A, B> min(A a, B b) {
    return min(static_cast<std::common_type_t<A, B>>(a), static_cast<std::common_type_t<A, B>>(b));
}
template <class A, class B, class = std::enable_if_t<std::is_arithmetic_v<A> && std::is_arithmetic_v<B> && !std::is_same_v<A, B>>>
inline std::common_type_t<A, B> max(A a, B b) {
    return max(static_cast<std::common_type_t<A, B>>(a), static_cast<std::common_type_t<A, B>>(b));
}

// math_constants.h
#define CUDART_INF_F __int_as_float(0x7f800000)
#define CUDART_NAN_F __int_as_float(0x7fffffff)
#define CUDART_MIN_DENORM_F __int_as_float(0x00000001)
#define CUDART_MAX_NORMAL_F __int_as_float(0x7f7fffff)
#define CUDART_NEG_ZERO_F __int_as_float(0x80000000)
#define CUDART_ZERO_F 0.0f
#define CUDART_ONE_F 1.0f
#define CUDART_PI_F 3.141592654f
#define CUDART_PIO2_F 1.570796327f
#define CUDART_2_OVER_PI_F 0.636619772f
#define CUDART_SQRT_HALF_F 0.707106781f
#define CUDART_SQRT_2_OVER_PI_F 0.797884561f
#define CUDART_L2E_F 1.442695041f
#define CUDART_LN2_F 0.693147181f
#define CUDART_INF __longlong_as_double(0x7ff0000000000000ULL)
#define CUDART_NAN __longlong_as_double(0xfff8000000000000ULL)
#define CUDART_PI 3.1415926535897931e+0
#define CUDART_PIO2 1.5707963267948966e+0
#define CUDART_SQRT_HALF 7.0710678118654757e-1
#define CUDART_LN2 6.9314718055994529e-1

// ---------------------------------------------------------------------------------------------
// __half and __nv_bfloat16: 16-bit storage, arithmetic through float, round-to-nearest-even.
// ---------------------------------------------------------------------------------------------
namespace ks_emu {
inline uint16_t float_to_half_bits(float f) {
    uint32_t x = bits<uint32_t>(f);
    uint32_t sign = (x >> 16) & 0x8000u;
    uint32_t ax = x & 0x7FFFFFFFu;
    if (ax > 0x7F800000u) return static_cast<uint16_t>(sign | 0x7E00u | ((ax >> 13) & 0x3FFu));  // NaN stays NaN
    if (ax >= 0x477FF000u) return static_cast<uint16_t>(sign | 0x7C00u);  // rounds to >= 65520: inf
    if (ax < 0x38800000u) {  // below the smallest normal half: subnormal or zero
        if (ax < 0x33000001u) return static_cast<uint16_t>(sign);  // <= half of the smallest subnormal
        // value = mant * 2^(E - 150); in units of the smallest half subnormal (2^-24) that is
        // mant * 2^(E - 126), so shift right by 126 - E (14..24 here) and round to nearest even.
        uint32_t mant = (ax & 0x7FFFFFu) | 0x800000u;
        int rshift = 126 - static_cast<int>(ax >> 23);
        uint32_t q = mant >> rshift;
        uint32_t rem = mant & ((1u << rshift) - 1);
        uint32_t half = 1u << (rshift - 1);
        if (rem > half || (rem == half && (q & 1u))) q++;
        return static_cast<uint16_t>(sign | q);
    }
    uint32_t e = (ax >> 23) - 112;
    uint32_t m = ax & 0x7FFFFFu;
    uint32_t h = (e << 10) | (m >> 13);
    uint32_t rem = m & 0x1FFFu;
    if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) h++;  // may carry into the exponent: correct
    return static_cast<uint16_t>(sign | h);
}
inline float half_bits_to_float(uint16_t h) {
    uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t e = (h >> 10) & 0x1Fu, m = h & 0x3FFu;
    uint32_t x;
    if (e == 0) {
        if (m == 0) x = sign;
        else {
            float v = std::ldexp(static_cast<float>(m), -24);
            return (h & 0x8000u) ? -v : v;
        }
    } else if (e == 31) x = sign | 0x7F800000u | (m << 13);
    else x = sign | ((e + 112) << 23) | (m << 13);
    return bits<float>(x);
}
inline uint16_t float_to_bf16_bits(float f) {
    uint32_t x = bits<uint32_t>(f);
    if ((x & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
    uint32_t r = x + 0x7FFFu + ((x >> 16) & 1u);
    return static_cast<uint16_t>(r >> 16);
}
inline float bf16_bits_to_float(uint16_t b) { return bits<float>(static_cast<uint32_t>(b) << 16); }
}  // namespace ks_emu

struct __half_raw { unsigned short x; };
struct __nv_bfloat16_raw { unsigned short x; };

struct __half {
    unsigned short __x;
    __half() = default;
    __half(__half_raw r) : __x(r.x) {}
    __half(float f) : __x(ks_emu::float_to_half_bits(f)) {}
    __half(double f) : __x(ks_emu::float_to_half_bits(static_cast<float>(f))) {}
    __half(int v) : __x(ks_emu::float_to_half_bits(static_cast<float>(v))) {}
    operator float() const { return ks_emu::half_bits_to_float(__x); }
    operator __half_raw() const { return __half_raw{__x}; }
};
struct __nv_bfloat16 {
    unsigned short __x;
    __nv_bfloat16() = default;
    __nv_bfloat16(__nv_bfloat16_raw r) : __x(r.x) {}
    __nv_bfloat16(float f) : __x(ks_emu::float_to_bf16_bits(f)) {}
    __nv_bfloat16(double f) : __x(ks_emu::float_to_bf16_bits(static_cast<float>(f))) {}
    __nv_bfloat16(int v) : __x(ks_emu::float_to_bf16_bits(static_cast<float>(v))) {}
    operator float() const { return ks_emu::bf16_bits_to_float(__x); }
    operator __nv_bfloat16_raw() const { return __nv_bfloat16_raw{__x}; }
};
typedef __half half;
typedef __nv_bfloat16 nv_bfloat16;
struct __half2 { __half x, y; };
struct __nv_bfloat162 { __nv_bfloat16 x, y; };
typedef __half2 half2;
typedef __nv_bfloat162 nv_bfloat162;

#define KS_EMU_HALF_OPS(H)                                                                          \
    inline H operator+(H a, H b) { return H(float(a) + float(b)); }                                 \
    inline H operator-(H a, H b) { return H(float(a) - float(b)); }                                 \
    inline H operator*(H a, H b) { return H(float(a) * float(b)); }                                 \
    inline H operator/(H a, H b) { return H(float(a) / float(b)); }                                 \
    inline H operator-(H a) { H r = a; r.__x ^= 0x8000u; return r; }                                \
    inline H& operator+=(H& a, H b) { return a = a + b; }                                           \
    inline H& operator-=(H& a, H b) { return a = a - b; }                                           \
    inline H& operator*=(H& a, H b) { return a = a * b; }                                           \
    inline H& operator/=(H& a, H b) { return a = a / b; }                                           \
    inline bool operator==(H a, H b) { return float(a) == float(b); }                               \
    inline bool operator!=(H a, H b) { return float(a) != float(b); }                               \
    inline bool operator<(H a, H b) { return float(a) < float(b); }                                 \
    inline bool operator>(H a, H b) { return float(a) > float(b); }                                 \
    inline bool operator<=(H a, H b) { return float(a) <= float(b); }                               \
    inline bool operator>=(H a, H b) { return float(a) >= float(b); }
KS_EMU_HALF_OPS(__half)
KS_EMU_HALF_OPS(__nv_bfloat16)
#undef KS_EMU_HALF_OPS

inline float __half2float(__half h) { return float(h); }
inline __half __float2half(float f) { return __half(f); }
inline __half __float2half_rn(float f) { return __half(f); }
inline __half __double2half(double f) { return __half(static_cast<float>(f)); }
inline __half __int2half_rn(int v) { return __half(static_cast<float>(v)); }
inline int __half2int_rn(__half h) { return __float2int_rn(float(h)); }
inline int __half2int_rz(__half h) { return __float2int_rz(float(h)); }
inline __half __ushort_as_half(unsigned short b) { return __half(__half_raw{b}); }
inline unsigned short __half_as_ushort(__half h) { return h.__x; }
inline __half __short_as_half(short b) { return __half(__half_raw{static_cast<unsigned short>(b)}); }
inline short __half_as_short(__half h) { return static_cast<short>(h.__x); }
inline __half __hadd(__half a, __half b) { return a + b; }
inline __half __hsub(__half a, __half b) { return a - b; }
inline __half __hmul(__half a, __half b) { return a * b; }
inline __half __hdiv(__half a, __half b) { return a / b; }
inline __half __hneg(__half a) { return -a; }
inline __half __habs(__half a) { a.__x &= 0x7FFFu; return a; }
inline __half __hfma(__half a, __half b, __half c) { return __half(fmaf(float(a), float(b), float(c))); }
inline __half __hmax(__half a, __half b) { return __half(fmaxf(float(a), float(b))); }
inline __half __hmin(__half a, __half b) { return __half(fminf(float(a), float(b))); }
inline bool __hgt(__half a, __half b) { return a > b; }
inline bool __hlt(__half a, __half b) { return a < b; }
inline bool __hge(__half a, __half b) { return a >= b; }
inline bool __hle(__half a, __half b) { return a <= b; }
inline bool __heq(__half a, __half b) { return a == b; }
inline bool __hisnan(__half a) { return float(a) != float(a); }
inline __half hexp(__half a) { return __half(expf(float(a))); }
inline __half hlog(__half a) { return __half(logf(float(a))); }
inline __half hsqrt(__half a) { return __half(sqrtf(float(a))); }
inline __half hrsqrt(__half a) { return __half(1.0f / sqrtf(float(a))); }
inline __half2 __halves2half2(__half a, __half b) { return __half2{a, b}; }
inline __half2 __floats2half2_rn(float a, float b) { return __half2{__half(a), __half(b)}; }
inline __half2 __float2half2_rn(float a) { return __half2{__half(a), __half(a)}; }
inline float2 __half22float2(__half2 h) { return float2{float(h.x), float(h.y)}; }
inline __half2 __float22half2_rn(float2 f) { return __half2{__half(f.x), __half(f.y)}; }
inline float __low2float(__half2 h) { return float(h.x); }
inline float __high2float(__half2 h) { return float(h.y); }
inline __half __low2half(__half2 h) { return h.x; }
inline __half __high2half(__half2 h) { return h.y; }

inline float __bfloat162float(__nv_bfloat16 b) { return float(b); }
inline __nv_bfloat16 __float2bfloat16(float f) { return __nv_bfloat16(f); }
inline __nv_bfloat16 __float2bfloat16_rn(float f) { return __nv_bfloat16(f); }
inline __nv_bfloat16 __double2bfloat16(double f) { return __nv_bfloat16(static_cast<float>(f)); }
inline __nv_bfloat16 __ushort_as_bfloat16(unsigned short b) { return __nv_bfloat16(__nv_bfloat16_raw{b}); }
inline unsigned short __bfloat16_as_ushort(__nv_bfloat16 b) { return b.__x; }
inline __nv_bfloat16 __short_as_bfloat16(short b) { return __nv_bfloat16(__nv_bfloat16_raw{static_cast<unsigned short>(b)}); }
inline short __bfloat16_as_short(__nv_bfloat16 b) { return static_cast<short>(b.__x); }
inline __nv_bfloat162 __floats2bfloat162_rn(float a, float b) { return __nv_bfloat162{__nv_bfloat16(a), __nv_bfloat16(b)}; }
inline float2 __bfloat1622float2(__nv_bfloat162 h) { return float2{float(h.x), float(h.y)}; }
inline float __low2float(__nv_bfloat162 h) { return float(h.x); }
inline float __high2float(__nv_bfloat162 h) { return float(h.y); }
inline __nv_bfloat16 __hadd(__nv_bfloat16 a, __nv_bfloat16 b) { return a + b; }
inline __nv_bfloat16 __hsub(__nv_bfloat16 a, __nv_bfloat16 b) { return a - b; }
inline __nv_bfloat16 __hmul(__nv_bfloat16 a, __nv_bfloat16 b) { return a * b; }
inline __nv_bfloat16 __hdiv(__nv_bfloat16 a, __nv_bfloat16 b) { return a / b; }
inline __nv_bfloat16 __hfma(__nv_bfloat16 a, __nv_bfloat16 b, __nv_bfloat16 c) {
    return __nv_bfloat16(fmaf(float(a), float(b), float(c)));
}
inline __nv_bfloat16 __hmax(__nv_bfloat16 a, __nv_bfloat16 b) { return __nv_bfloat16(fmaxf(float(a), float(b))); }
inline __nv_bfloat16 __hmin(__nv_bfloat16 a, __nv_bfloat16 b) { return __nv_bfloat16(fminf(float(a), float(b))); }

// ---------------------------------------------------------------------------------------------
// The runner's side (called through ctypes): buffers, protection, messages, the fault handler.
// ---------------------------------------------------------------------------------------------
namespace ks_emu {
inline void write_str(const char* s) {
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}
inline void on_fault(int sig, siginfo_t* si, void*) {
    char buf[512];
    const char* what = sig == SIGFPE ? "arithmetic fault (integer division by zero?)" : sig == SIGBUS ? "bus error" : "invalid memory access";
    State& s = st();
    const char* a = static_cast<const char*>(si->si_addr);
    char detail[300] = "";
    if (sig != SIGFPE && in_fiber_guard(a)) {
        snprintf(detail, sizeof detail, ": stack overflow (each GPU thread gets %zu KiB here; set KS_EMU_STACK_KB for large local arrays)",
                 fibers().stack_size / 1024);
    } else if (sig != SIGFPE) {
        for (int i = 0; i < s.n_regions; i++) {
            const Region& r = s.regions[i];
            if (!r.live || a < r.map || a >= r.map + r.map_len) continue;
            if (a < r.map + kPage)
                snprintf(detail, sizeof detail, ": %zu bytes before the start of `%s` (element -%zu)",
                         static_cast<size_t>(r.ptr - a), r.name, (static_cast<size_t>(r.ptr - a) + r.elem - 1) / r.elem);
            else if (a < r.ptr)
                snprintf(detail, sizeof detail, ": %zu bytes before the start of `%s` (element -%zu)",
                         static_cast<size_t>(r.ptr - a), r.name, (static_cast<size_t>(r.ptr - a) + r.elem - 1) / r.elem);
            else if (a >= r.map + r.map_len - kPage)
                snprintf(detail, sizeof detail, ": element %zu of `%s`, which has %zu (byte %zu past its end)",
                         static_cast<size_t>(a - r.ptr) / r.elem, r.name, r.n / r.elem, static_cast<size_t>(a - (r.ptr + r.n)));
            else if (s.device_protected && !t_in_kernel)
                snprintf(detail, sizeof detail, ": host code dereferenced device buffer `%s` (element %zu); device pointers are only valid in kernels and cudaMemcpy",
                         r.name, static_cast<size_t>(a - r.ptr) / r.elem);
            break;
        }
    }
    if (t_in_kernel)
        snprintf(buf, sizeof buf, "ks-cuda-emu: %s in a kernel at block (%u,%u,%u) thread (%u,%u,%u), address %p%s\n", what,
                 blockIdx.x, blockIdx.y, blockIdx.z, threadIdx.x, threadIdx.y, threadIdx.z, static_cast<const void*>(a), detail);
    else
        snprintf(buf, sizeof buf, "ks-cuda-emu: %s in host code, address %p%s\n", what, static_cast<const void*>(a), detail);
    write_str(buf);
    _exit(86);
}
}  // namespace ks_emu

extern "C" {
__attribute__((visibility("default"), used)) void ks_emu_install() {
    // The handler runs on its own stack, so that it can report a kernel thread's stack overflow.
    static char alt[1 << 16];
    stack_t ss;
    memset(&ss, 0, sizeof ss);
    ss.ss_sp = alt;
    ss.ss_size = sizeof alt;
    sigaltstack(&ss, nullptr);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = ks_emu::on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
    sigaction(SIGFPE, &sa, nullptr);
    omp_set_dynamic(0);
}
__attribute__((visibility("default"), used)) void* ks_emu_alloc(size_t n, const char* name, size_t elem) { return ks_emu::alloc_region(n, name, elem, true); }
__attribute__((visibility("default"), used)) void ks_emu_free(void* p) { ks_emu::free_region(p, "ks_emu_free", 0); }
// 1: device memory is accessible (the runner copies data); 0: only kernels may touch it.
__attribute__((visibility("default"), used)) void ks_emu_protect(int host_may_touch) {
    ks_emu::State& s = ks_emu::st();
    std::lock_guard<std::mutex> l(s.mu);
    ks_emu::set_protection_locked(s, host_may_touch != 0);
}
// NULL if the slack around the buffer is intact, else a description of the first stray write.
__attribute__((visibility("default"), used)) const char* ks_emu_check(void* p) {
    static thread_local char msg[256];
    ks_emu::State& s = ks_emu::st();
    ks_emu::Region r;
    {
        std::lock_guard<std::mutex> l(s.mu);
        ks_emu::Region* f = ks_emu::find_region_locked(s, p);
        if (!f) return "not a registered buffer";
        r = *f;
    }
    return ks_emu::slack_intact(r, msg, sizeof msg) ? nullptr : msg;
}
// Messages since the last call ("error: ..." / "warning: ..." lines), then cleared.
__attribute__((visibility("default"), used)) const char* ks_emu_take_messages() {
    static std::string out;
    ks_emu::State& s = ks_emu::st();
    std::lock_guard<std::mutex> l(s.mu);
    out = s.messages;
    s.messages.clear();
    s.n_messages = 0;
    return out.c_str();
}
__attribute__((visibility("default"), used)) long long ks_emu_live_bytes() { return static_cast<long long>(ks_emu::st().live_bytes); }
__attribute__((visibility("default"), used)) int ks_emu_last_error() { return static_cast<int>(ks_emu::st().last_error); }
__attribute__((visibility("default"), used)) void ks_emu_reset_call(int reverse) {
    ks_emu::State& s = ks_emu::st();
    s.last_error = cudaSuccess;
    s.reverse = reverse != 0;
}
}

#ifdef KS_EMU_ASM_SWITCH
asm(R"(
    .text
    .p2align 4
    .globl ks_emu_switch
    .hidden ks_emu_switch
    .type ks_emu_switch, @function
ks_emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size ks_emu_switch, .-ks_emu_switch
)");
#endif
