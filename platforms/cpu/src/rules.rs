//! Static rules for C candidates on the cpu platform: the shared C-family rules
//! ([`kernelsmith_platform::c_rules`]) plus what only a CPU kernel must not do.

use kernelsmith_platform::Violation;
use kernelsmith_platform::c_rules::{COMMON_RULES, Rule, check};

/// Rules only the cpu platform has.
const CPU_RULES: &[Rule] = &[
    Rule {
        label: "forbidden_thread",
        why: "kernels may not start threads of their own (use OpenMP, which joins before returning)",
        anywhere: &["pthread_create", "thrd_create", "__clone", "clone3"],
        calls: &["clone"],
    },
    Rule {
        label: "forbidden_syscall",
        why: "kernels may not issue raw system calls or inline assembly (SIMD intrinsics are fine)",
        anywhere: &["syscall", "asm", "__asm", "__asm__"],
        calls: &[],
    },
    Rule {
        label: "forbidden_timer",
        why: "kernels may not read clocks: behaviour must not depend on whether a call is being timed",
        anywhere: &["clock_gettime", "gettimeofday", "__rdtsc", "__rdtscp", "omp_get_wtime", "clock_getres"],
        calls: &["clock", "time"],
    },
];

/// All rule violations of a C candidate for the entry point `entry`.
pub fn check_c(source: &str, entry: &str) -> Vec<Violation> {
    check(source, entry, &[CPU_RULES, COMMON_RULES])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(src: &str) -> Vec<&'static str> {
        check_c(src, "relu").into_iter().map(|v| v.label).collect()
    }

    #[test]
    fn comments_strings_and_lookalike_names_are_not_violations() {
        let src = r#"
            // we never fork(), and "system(" in a comment is fine
            /* pthread_create( */
            #include <stdint.h>
            #include <pthread.h>
            static const char* msg = "socket(";
            int relu(const float* x, float* y, int64_t n) {
                float signal = 1.0f, time = 2.0f, clock = 3.0f; int open = 0, read = 1;
                float forked = 1e5f; (void)signal; (void)time; (void)clock; (void)open; (void)read; (void)forked;
                for (int64_t i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
                return 0;
            }"#;
        assert_eq!(labels(src), Vec::<&str>::new());
    }

    #[test]
    fn each_rule_fires_on_its_construct() {
        let body = |s: &str| format!("int relu(const float* x, float* y, long n) {{ {s}; return 0; }}");
        for (snippet, label) in [
            ("pthread_t t; pthread_create(&t, 0, 0, 0)", "forbidden_thread"),
            ("fork()", "forbidden_process"),
            ("int (*f)(void) = fork", "forbidden_process"),
            ("system(\"ls\")", "forbidden_process"),
            ("socket(2, 1, 0)", "forbidden_network"),
            ("void* h = dlopen(0, 1)", "forbidden_dynamic_loading"),
            ("syscall(39)", "forbidden_syscall"),
            ("__asm__ volatile(\"nop\")", "forbidden_syscall"),
            ("signal(11, 0)", "forbidden_signal"),
            ("mprotect(0, 0, 0)", "forbidden_memory_protection"),
            ("FILE* f = fopen(\"c\", \"w\")", "forbidden_file_io"),
            ("struct timespec t; clock_gettime(1, &t)", "forbidden_timer"),
            ("void* fp = __builtin_frame_address(1)", "forbidden_introspection"),
            ("const char* p = \"/proc/self/mem\"", "forbidden_proc_access"),
            ("int a##b = 0", "forbidden_token_pasting"),
        ] {
            assert_eq!(labels(&body(snippet)), vec![label], "{snippet}");
        }
        assert_eq!(
            labels("__attribute__((constructor)) static void f(void) {} int relu(void) { return 0; }"),
            vec!["forbidden_constructor"]
        );
        assert_eq!(labels("int relux(void) { return 0; }"), vec!["missing_entry"]);
    }
}
