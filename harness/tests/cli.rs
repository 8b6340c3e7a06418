//! End-to-end behaviour of the CLI verbs that scripts rely on.

mod common;
use common::{Env, copy_dir, json, repo, text};
use std::path::Path;

#[test]
fn tasks_check_passes_for_the_catalogue_and_fails_naming_a_broken_baseline() {
    let env = Env::new();
    let o = env.run(&["tasks", "check", "--platform", "cpu", "--size", "tiny"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let want = format!("all {} baselines match", common::n_tasks(&env));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&want), "{}", text(&o));

    let o = env.run(&[
        "tasks",
        "check",
        "--platform",
        "cpu",
        "--size",
        "tiny",
        "--tasks-dir",
        "harness/tests/kernels/broken_baseline",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("failed the check") && err.contains("relu"), "{err}");
    assert!(err.contains("mismatch"), "{err}");
}

#[test]
fn a_corrupt_task_file_is_a_clear_error_naming_file_line_and_field() {
    let env = Env::new();
    let cat = env.dir.path().join("catalog");
    copy_dir(&repo().join("tasks/catalog/activation/relu"), &cat.join("activation/relu"));
    let spec = cat.join("activation/relu/task.yaml");
    let text_in = std::fs::read_to_string(&spec).unwrap().replace("category: activation", "category: activations");
    std::fs::write(&spec, text_in).unwrap();
    let o = env.run(&["tasks", "list", "--tasks-dir", cat.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("activation/relu/task.yaml:2: field `category`: unknown category `activations`"), "{err}");

    std::fs::write(&spec, "id: relu\ncategory: [oops\n").unwrap();
    let o = env.run(&["tasks", "list", "--tasks-dir", cat.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("task.yaml:"), "{}", text(&o));
}

#[test]
fn tasks_list_and_show_emit_json_for_scripts() {
    let env = Env::new();
    let list = json(&env.run(&["tasks", "list", "--format", "json"]));
    let ids: Vec<&str> = list.as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    for id in [
        "relu",
        "gelu_erf",
        "std_softmax_lastdim",
        "std_layernorm_lastdim",
        "sum_reduce",
        "matmul",
        "std_conv2d_grouped",
        "std_depthwise_conv2d",
        "max_pool2d",
        "inception_dwconv2d",
        "eca_channel_attention",
        "natten_na1d",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(list.as_array().unwrap().iter().all(|t| t["category"].is_string() && t["source"].is_string()));

    let show = json(&env.run(&["tasks", "show", "std_conv2d_grouped", "--format", "json"]));
    assert_eq!(show["inputs"][1]["shape"], serde_json::json!(["Cout", "Cin // groups", "kh", "kw"]));
    assert_eq!(show["outputs"][0]["dtype"], "f32");
    assert_eq!(show["attrs"]["kh"], 3);
    assert_eq!(show["sizes"]["heldout"]["dims"]["Ho"], show["sizes"]["heldout"]["dims"]["H"]);
    assert!(show["sizes"]["cpu"]["flops"].as_f64().unwrap() > 0.0);
    assert!(show["tolerance"]["atol"].as_f64().unwrap() > 0.0);
}

fn read_npy_f32(path: &Path) -> (Vec<usize>, Vec<f32>) {
    let b = std::fs::read(path).unwrap();
    assert_eq!(&b[..8], b"\x93NUMPY\x01\x00");
    let hlen = u16::from_le_bytes([b[8], b[9]]) as usize;
    assert_eq!((10 + hlen) % 64, 0, "header not aligned");
    let header = std::str::from_utf8(&b[10..10 + hlen]).unwrap();
    assert!(header.contains("'descr': '<f4'"), "{header}");
    let shape_s = header.split("'shape': (").nth(1).unwrap().split(')').next().unwrap();
    let shape: Vec<usize> =
        shape_s.split(',').filter(|s| !s.trim().is_empty()).map(|s| s.trim().parse().unwrap()).collect();
    let data = b[10 + hlen..].chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect();
    (shape, data)
}

#[test]
fn export_writes_npy_inputs_and_outputs_that_agree_with_each_other() {
    let env = Env::new();
    let out = env.dir.path().join("exp");
    let o = env.run(&["tasks", "export", "relu", "--size", "tiny", "--seed", "7", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["seed"], 7);
    assert_eq!(manifest["inputs"][0]["file"], "x.npy");
    let (xs, x) = read_npy_f32(&out.join("x.npy"));
    let (ys, y) = read_npy_f32(&out.join("y.npy"));
    assert_eq!(xs, ys);
    assert!(x.iter().any(|v| *v < 0.0));
    for (a, b) in x.iter().zip(&y) {
        assert_eq!(*b, a.max(0.0));
    }
    // Same seed, same bytes; another seed, other bytes.
    let out2 = env.dir.path().join("exp2");
    env.run(&["tasks", "export", "relu", "--size", "tiny", "--seed", "7", "--out", out2.to_str().unwrap()]);
    assert_eq!(std::fs::read(out.join("x.npy")).unwrap(), std::fs::read(out2.join("x.npy")).unwrap());
    env.run(&["tasks", "export", "relu", "--size", "tiny", "--seed", "8", "--out", out2.to_str().unwrap()]);
    assert_ne!(std::fs::read(out.join("x.npy")).unwrap(), std::fs::read(out2.join("x.npy")).unwrap());
}

#[test]
fn the_prompt_states_abi_description_sizes_reference_and_a_same_category_exemplar() {
    let env = Env::new();
    let o = env.run(&["prompt", "--task", "std_depthwise_conv2d", "--platform", "cpu"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    let p = String::from_utf8_lossy(&o.stdout);
    assert!(p.contains("int std_depthwise_conv2d(const float* x,"), "ABI missing");
    assert!(p.contains("pub fn std_depthwise_conv2d("), "reference source missing");
    assert!(p.contains("| cpu |"), "sizes missing");
    assert!(p.contains("another convolution task"), "exemplar is not category-aware");
    assert!(p.contains("int std_conv2d_grouped("), "exemplar baseline missing");
    // The held-out size is never shown.
    assert!(!p.contains("| heldout |"));
    // The exemplar task itself is shown another task of its category.
    let p = String::from_utf8_lossy(&env.run(&["prompt", "--task", "natten_na1d"]).stdout).into_owned();
    assert!(p.contains("another attention task"), "exemplar task got no same-category exemplar");
    // A category with a single task falls back to the generic exemplar.
    let dir = env.dir.path().join("one-task-catalogue");
    copy_dir(&repo().join("tasks/catalog/attention/natten_na1d"), &dir.join("attention/natten_na1d"));
    let o = env.run(&["prompt", "--task", "natten_na1d", "--tasks-dir", dir.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("vector_scale_add"), "generic exemplar missing: {}", text(&o));
}

#[test]
fn platforms_reports_cpu_available_and_others_with_reasons() {
    let env = Env::new();
    let j = json(&env.run(&["platforms", "--format", "json"]));
    let cpu = j.as_array().unwrap().iter().find(|p| p["platform"] == "cpu").unwrap();
    assert_eq!(cpu["can_execute"], true);
    let cuda = j.as_array().unwrap().iter().find(|p| p["platform"] == "cuda").unwrap();
    assert_eq!(cuda["can_execute"], false);
    assert!(!cuda["notes"].as_array().unwrap().is_empty());
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    let env = Env::new();
    let o = env.run(&["eval", "--task", "nope", "x.c"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no task `nope`"));
    let o = env.run(&["run", "--model", "gpt:x", "--platform", "cpu"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown provider `gpt`"), "{}", text(&o));
    let o = env.run(&["run", "--model", "replay:examples/replay", "--platform", "tpu"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown platform `tpu`"), "{}", text(&o));
}
