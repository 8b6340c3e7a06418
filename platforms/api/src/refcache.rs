//! Reference outputs cached on disk.
//!
//! At the `gpu` size some references take tens of seconds on a CPU (an FFT-based deblurring
//! network, say), and an evaluation needs several of them (three seeds, the precision band, the
//! held-out size, two timing spot checks). Inputs are a pure function of (task, size, seed), so the
//! expected outputs are too: they are computed once, in parallel where an evaluation needs several
//! ([`expected_all`]), and kept on disk keyed by everything they depend on — task id, size, the
//! seed tag, the resolved dims, attributes and input distributions, the reference function's
//! source, and the harness version — so editing a reference or a spec can never serve stale
//! answers.
//!
//! Only references that took at least [`ReferenceCache::min_compute`] are stored, so the cache
//! holds the slow ones; past [`ReferenceCache::max_bytes`] the least recently used entries are
//! removed. A file that is missing, truncated or unreadable is simply recomputed. Delete the
//! folder at any time.

use crate::content_hash;
use kernelsmith_reference::{Data, Tensor};
use kernelsmith_tasks::{Resolved, Task, TaskError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Where expected outputs are kept, and which are worth keeping.
#[derive(Clone, Debug)]
pub struct ReferenceCache {
    /// The cache folder (`<cache>/references`).
    pub dir: PathBuf,
    /// References faster than this are recomputed instead of stored.
    pub min_compute: Duration,
    /// The most the folder may hold; storing past it evicts the least recently used entries.
    pub max_bytes: u64,
}

impl ReferenceCache {
    /// A cache in `dir` storing references that take 200 ms or more, up to 8 GiB.
    pub fn new(dir: impl Into<PathBuf>) -> ReferenceCache {
        ReferenceCache { dir: dir.into(), min_compute: Duration::from_millis(200), max_bytes: 8 << 30 }
    }

    fn key(task: &Task, resolved: &Resolved, tag: &str) -> String {
        content_hash(&[
            b"reference-v1",
            task.id.as_bytes(),
            resolved.size.name().as_bytes(),
            tag.as_bytes(),
            format!("{:?}", resolved.dims).as_bytes(),
            format!("{:?}", task.attrs).as_bytes(),
            format!("{:?}", task.inputs).as_bytes(),
            format!("{:?}", task.outputs).as_bytes(),
            task.reference.path.as_bytes(),
            task.reference.source.as_bytes(),
            env!("CARGO_PKG_VERSION").as_bytes(),
        ])
    }

    fn load(&self, task: &Task, resolved: &Resolved, key: &str) -> Option<Vec<Tensor>> {
        let dir = self.dir.join(key);
        task.outputs
            .iter()
            .zip(&resolved.output_shapes)
            .enumerate()
            .map(|(i, (spec, shape))| {
                let bytes = std::fs::read(dir.join(format!("{i}.raw"))).ok()?;
                let n: usize = shape.iter().product();
                if bytes.len() != n * spec.dtype.size_bytes() {
                    return None;
                }
                Tensor::new(shape.clone(), Data::from_le_bytes(spec.dtype, &bytes)?).ok()
            })
            .collect::<Option<Vec<_>>>()
            .inspect(|_| {
                // Mark the entry used, for eviction (folder mtimes are the LRU order).
                let _ = std::fs::File::open(&dir).and_then(|f| f.set_modified(std::time::SystemTime::now()));
            })
    }

    /// Remove the least recently used entries until the folder holds at most `max_bytes`.
    fn evict(&self) {
        let Ok(read) = std::fs::read_dir(&self.dir) else { return };
        let mut entries: Vec<(std::time::SystemTime, u64, PathBuf)> = read
            .filter_map(Result::ok)
            .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
            .filter_map(|e| {
                let used = e.metadata().and_then(|m| m.modified()).ok()?;
                let bytes = std::fs::read_dir(e.path())
                    .ok()?
                    .filter_map(Result::ok)
                    .filter_map(|f| f.metadata().ok())
                    .map(|m| m.len())
                    .sum();
                Some((used, bytes, e.path()))
            })
            .collect();
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        entries.sort_by_key(|e| e.0);
        for (_, bytes, path) in entries {
            if total <= self.max_bytes {
                break;
            }
            if std::fs::remove_dir_all(&path).is_ok() {
                total -= bytes;
            }
        }
    }

    /// Store atomically (a folder renamed into place), ignoring failures: a cache that cannot be
    /// written only costs time.
    fn store(&self, key: &str, outputs: &[Tensor]) {
        let tmp = self.dir.join(format!(".tmp-{key}-{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&tmp)?;
            for (i, t) in outputs.iter().enumerate() {
                std::fs::write(tmp.join(format!("{i}.raw")), t.data.to_le_bytes())?;
            }
            std::fs::rename(&tmp, self.dir.join(key))
        };
        if write().is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
    }
}

/// The expected outputs of `task` for `inputs`, which must be the inputs described by `tag`
/// (for example `seed:1234`): from the cache when present, else computed (and stored when slow).
/// `tag` is `None` for inputs no tag describes; they are always computed.
pub fn expected(
    cache: Option<&ReferenceCache>,
    task: &Task,
    resolved: &Resolved,
    inputs: &[Tensor],
    tag: Option<&str>,
) -> Result<Vec<Tensor>, TaskError> {
    let (Some(cache), Some(tag)) = (cache, tag) else { return task.run_reference(resolved, inputs) };
    let key = ReferenceCache::key(task, resolved, tag);
    if let Some(hit) = cache.load(task, resolved, &key) {
        return Ok(hit);
    }
    let t0 = Instant::now();
    let out = task.run_reference(resolved, inputs)?;
    if t0.elapsed() >= cache.min_compute {
        cache.store(&key, &out);
        cache.evict();
    }
    Ok(out)
}

/// [`expected`] for several input sets at once, each on its own thread (at most the machine's
/// parallelism at a time), in the order given.
pub fn expected_all(
    cache: Option<&ReferenceCache>,
    task: &Task,
    jobs: &[(&Resolved, &[Tensor], Option<String>)],
) -> Vec<Result<Vec<Tensor>, TaskError>> {
    let width = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).max(1);
    let mut out = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(width) {
        std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(r, inputs, tag)| s.spawn(move || expected(cache, task, r, inputs, tag.as_deref())))
                .collect();
            out.extend(handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))));
        });
    }
    out
}

/// Whether `dir` holds a cache entry for anything (used by tests and `--help` text).
pub fn entries(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(Result::ok).filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
        .unwrap_or(0)
}
