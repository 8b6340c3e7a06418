//! The on-disk reference cache returns exactly what the reference computes, keys on everything
//! the answer depends on, and recomputes damaged entries instead of trusting them.

use kernelsmith_platform::refcache::{ReferenceCache, entries, expected, expected_all};
use kernelsmith_tasks::{Registry, SizeName};
use std::time::Duration;

fn cache(dir: &std::path::Path) -> ReferenceCache {
    // Store everything, however fast, so the tiny size exercises the cache.
    ReferenceCache { dir: dir.to_path_buf(), min_compute: Duration::ZERO, max_bytes: u64::MAX }
}

#[test]
fn a_cached_reference_is_bit_identical_and_damaged_entries_are_recomputed() {
    let reg = Registry::embedded().unwrap();
    let task = reg.get("std_layernorm_lastdim").unwrap();
    let r = task.resolve(SizeName::Tiny).unwrap();
    let inputs = task.generate_inputs(&r, 7);
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path());

    let direct = task.run_reference(&r, &inputs).unwrap();
    let first = expected(Some(&c), task, &r, &inputs, Some("seed:7")).unwrap();
    assert_eq!(entries(dir.path()), 1, "the first computation is stored");
    let second = expected(Some(&c), task, &r, &inputs, Some("seed:7")).unwrap();
    for (a, b) in direct.iter().zip(&second) {
        assert_eq!(a.data.to_le_bytes(), b.data.to_le_bytes());
    }
    assert_eq!(first.len(), second.len());

    // Damage the stored file: a truncated entry must not be served.
    let entry = std::fs::read_dir(dir.path()).unwrap().next().unwrap().unwrap().path();
    let raw = entry.join("0.raw");
    let bytes = std::fs::read(&raw).unwrap();
    std::fs::write(&raw, &bytes[..bytes.len() / 2]).unwrap();
    let third = expected(Some(&c), task, &r, &inputs, Some("seed:7")).unwrap();
    assert_eq!(third[0].data.to_le_bytes(), direct[0].data.to_le_bytes());

    // A different tag is a different entry; no tag never touches the cache.
    expected(Some(&c), task, &r, &inputs, Some("seed:8")).unwrap();
    assert_eq!(entries(dir.path()), 2);
    expected(Some(&c), task, &r, &inputs, None).unwrap();
    assert_eq!(entries(dir.path()), 2);
}

#[test]
fn the_key_changes_with_the_spec_so_an_edited_task_never_gets_stale_answers() {
    let reg = Registry::embedded().unwrap();
    let task = reg.get("std_layernorm_lastdim").unwrap();
    let r = task.resolve(SizeName::Tiny).unwrap();
    let inputs = task.generate_inputs(&r, 1);
    let dir = tempfile::tempdir().unwrap();
    let c = cache(dir.path());
    expected(Some(&c), task, &r, &inputs, Some("seed:1")).unwrap();
    let mut edited = task.clone();
    let attr = edited.attrs.keys().next().cloned().expect("layernorm has an eps attribute");
    edited.attrs.insert(attr, kernelsmith_reference::AttrValue::Float(0.5));
    expected(Some(&c), &edited, &r, &inputs, Some("seed:1")).unwrap();
    assert_eq!(entries(dir.path()), 2, "an edited attribute must not reuse the old entry");
}

#[test]
fn parallel_references_come_back_in_order() {
    let reg = Registry::embedded().unwrap();
    let task = reg.get("relu").unwrap();
    let r = task.resolve(SizeName::Tiny).unwrap();
    let sets: Vec<_> = (0..5).map(|s| task.generate_inputs(&r, s)).collect();
    let jobs: Vec<_> = sets.iter().enumerate().map(|(i, s)| (&r, s.as_slice(), Some(format!("seed:{i}")))).collect();
    let got = expected_all(None, task, &jobs);
    for (s, g) in sets.iter().zip(got) {
        let want = task.run_reference(&r, s).unwrap();
        assert_eq!(g.unwrap()[0].data.to_le_bytes(), want[0].data.to_le_bytes());
    }
}

#[test]
fn past_its_size_limit_the_cache_evicts_the_least_recently_used_entries() {
    let reg = Registry::embedded().unwrap();
    let task = reg.get("relu").unwrap();
    let r = task.resolve(SizeName::Tiny).unwrap();
    let inputs = task.generate_inputs(&r, 0);
    let dir = tempfile::tempdir().unwrap();
    let entry_bytes = (r.output_shapes[0].iter().product::<usize>() * 4) as u64;
    // Room for two entries.
    let c = ReferenceCache { max_bytes: 2 * entry_bytes, ..cache(dir.path()) };
    let old = std::time::SystemTime::now() - Duration::from_secs(3600);
    expected(Some(&c), task, &r, &inputs, Some("seed:0")).unwrap();
    expected(Some(&c), task, &r, &inputs, Some("seed:1")).unwrap();
    // Make both look an hour old, then use seed:0 again: seed:1 is now the least recently used.
    for e in std::fs::read_dir(dir.path()).unwrap() {
        std::fs::File::open(e.unwrap().path()).unwrap().set_modified(old).unwrap();
    }
    expected(Some(&c), task, &r, &inputs, Some("seed:0")).unwrap();
    expected(Some(&c), task, &r, &inputs, Some("seed:2")).unwrap();
    assert_eq!(entries(dir.path()), 2, "the third entry evicted one");
    // seed:0 (used recently) survived: asking again stores nothing new.
    expected(Some(&c), task, &r, &inputs, Some("seed:0")).unwrap();
    assert_eq!(entries(dir.path()), 2);
    let c_all = ReferenceCache { max_bytes: u64::MAX, ..cache(dir.path()) };
    expected(Some(&c_all), task, &r, &inputs, Some("seed:1")).unwrap();
    assert_eq!(entries(dir.path()), 3, "seed:1 had been evicted, so it was stored again");
}
