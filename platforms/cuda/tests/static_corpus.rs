//! The CUDA adversarial corpus (`harness/tests/adversarial/cuda/`) without a GPU: every kernel
//! expected to be `static_rejected` gets exactly its label from the static rules, and every other
//! kernel (runtime cheats and honest kernels, judged on a GPU by harness/tests/adversarial.rs)
//! passes the static rules, so the rules neither miss a cheat nor punish honest CUDA.

use kernelsmith_platform_cuda::rules::check_cuda;
use std::path::PathBuf;

fn corpus() -> Vec<(PathBuf, String, Option<String>, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../harness/tests/adversarial/cuda");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "cu"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).unwrap();
            let field = |key: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("// {key}:")).map(|v| v.trim().to_string()))
                    .unwrap_or_else(|| panic!("{}: no `// {key}:` line", f.display()))
            };
            let expected = field("expected");
            let mut it = expected.split_whitespace();
            let outcome = it.next().unwrap().to_string();
            let label = it.next().filter(|l| *l != "-").map(String::from);
            let task = field("task");
            (f, outcome, label, task)
        })
        .collect()
}

#[test]
fn static_cheats_get_their_exact_label_and_everything_else_passes_the_rules() {
    let cases = corpus();
    assert!(cases.len() >= 20, "only {} CUDA corpus kernels", cases.len());
    let statics = cases.iter().filter(|c| c.1 == "static_rejected").count();
    assert!(statics >= 8, "only {statics} static cheats");
    let mut failures = Vec::new();
    for (file, outcome, label, task) in &cases {
        let source = std::fs::read_to_string(file).unwrap();
        let got: Vec<&str> = check_cuda(&source, task).iter().map(|v| v.label).collect();
        let name = file.file_name().unwrap().to_string_lossy();
        if outcome == "static_rejected" {
            if got.first().map(|s| s.to_string()) != *label {
                failures.push(format!("{name}: expected first label {label:?}, got {got:?}"));
            }
        } else if !got.is_empty() {
            failures.push(format!("{name}: must pass the static rules (it is judged at run time) but got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
