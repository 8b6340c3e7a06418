//! Benchmark metrics as pure functions: pass@k, geometric means and the leaderboard aggregation.
//!
//! Kept apart from SQL so every number on a leaderboard can be unit-tested on hand-built samples;
//! the store only fetches raw rows and hands them to [`leaderboard_rows`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::rows::{GENERATION_ERROR, GroupBy, LeaderRow, NOT_COMPILED, NOT_EVALUATED, OUTCOMES};

/// Unbiased pass@k estimator `1 − C(n−c, k) / C(n, k)` for `n` samples of which `c` are correct.
///
/// Computed as `1 − Π_{i=n−c+1}^{n} (1 − k/i)`, which never forms a binomial coefficient and so
/// stays exact enough for any `n`. Edge cases: `n == 0` or `c == 0` or `k == 0` give 0; `c` is
/// clamped to `n` and `k` to `n` (drawing more samples than exist draws them all); `n − c < k`
/// gives 1 (every draw of `k` contains a correct sample).
pub fn pass_at_k(n: u32, c: u32, k: u32) -> f64 {
    let c = c.min(n);
    let k = k.min(n);
    if n == 0 || c == 0 || k == 0 {
        return 0.0;
    }
    if n - c < k {
        return 1.0;
    }
    let k = f64::from(k);
    let all_wrong: f64 = (n - c + 1..=n).map(|i| 1.0 - k / f64::from(i)).product();
    1.0 - all_wrong
}

/// Geometric mean; `None` for an empty slice or when any value is not a finite positive number.
pub fn geomean(values: &[f64]) -> Option<f64> {
    if values.is_empty() || values.iter().any(|v| !(v.is_finite() && *v > 0.0)) {
        return None;
    }
    let mean_ln = values.iter().map(|v| v.ln()).sum::<f64>() / values.len() as f64;
    Some(mean_ln.exp())
}

/// The final state of one sample (run, task, sample index): the input of [`leaderboard_rows`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleOutcome {
    /// Run id.
    pub run_id: String,
    /// Model of the run.
    pub model: String,
    /// Platform of the run.
    pub platform: String,
    /// Task id.
    pub task_id: String,
    /// Task category.
    pub category: String,
    /// Sample index.
    pub sample_idx: u32,
    /// Outcome of the last turn's evaluation, if it has one.
    pub outcome: Option<String>,
    /// Whether the last turn's generation failed (its `error` is set).
    pub generation_error: bool,
    /// Speedup of the last turn's evaluation.
    pub speedup: Option<f64>,
    /// The defence that fired on the last turn's evaluation, if any.
    pub hack_label: Option<String>,
    /// A person's verdict on a `suspicious` evaluation (`accepted` / `rejected`), if any.
    pub review: Option<String>,
    /// Prompt tokens over every turn.
    pub prompt_tokens: i64,
    /// Completion tokens over every turn.
    pub completion_tokens: i64,
    /// Reasoning tokens over every turn.
    pub reasoning_tokens: i64,
    /// Cost in US dollars over every turn (unknown costs count as 0).
    pub cost_usd: f64,
}

impl SampleOutcome {
    /// The outcome key this sample is counted under in [`LeaderRow::outcomes`].
    pub fn outcome_key(&self) -> &str {
        match (&self.outcome, self.generation_error) {
            (Some(outcome), _) => outcome,
            (None, true) => GENERATION_ERROR,
            (None, false) => NOT_EVALUATED,
        }
    }

    /// Whether the candidate got past extraction, static checks and compilation.
    pub fn compiled(&self) -> bool {
        self.outcome.as_deref().is_some_and(|o| !NOT_COMPILED.contains(&o))
    }

    /// Whether the candidate passed (a suspicious pass a reviewer rejected does not).
    pub fn passed(&self) -> bool {
        self.outcome.as_deref() == Some("passed") && self.review.as_deref() != Some("rejected")
    }

    /// Whether a defence fired on this sample.
    pub fn flagged(&self) -> bool {
        self.hack_label.is_some()
    }

    /// The speedup that counts: none while a suspicious result waits for review.
    pub fn counted_speedup(&self) -> Option<f64> {
        let pending = self.hack_label.as_deref() == Some("suspicious") && self.review.as_deref() != Some("accepted");
        if pending || !self.passed() { None } else { self.speedup }
    }

    /// Whether the candidate passed and beat the baseline (suspicious speedups count only once a
    /// reviewer accepted them).
    pub fn fast(&self) -> bool {
        self.counted_speedup().is_some_and(|s| s > 1.0)
    }
}

#[derive(Default)]
struct TaskCounts {
    n: u32,
    compiled: u32,
    passed: u32,
    fast: u32,
}

#[derive(Default)]
struct GroupAcc {
    tasks: BTreeMap<String, TaskCounts>,
    outcomes: BTreeMap<String, u32>,
    flagged: u32,
    speedups: Vec<f64>,
    prompt_tokens: i64,
    completion_tokens: i64,
    reasoning_tokens: i64,
    cost_usd: f64,
    runs: BTreeSet<String>,
}

/// Aggregates samples into leaderboard rows grouped by (model, platform) and, for
/// [`GroupBy::Category`] / [`GroupBy::Task`], the category or task.
///
/// Rates are computed per task, then averaged over the tasks of the row. pass@k uses the smallest
/// per-task sample count of the row as k (so the estimator is defined for every task) and is
/// `None` when that is 1. Rows are sorted by group, then best pass@1, fast_1, then model, platform.
pub fn leaderboard_rows(samples: &[SampleOutcome], by: GroupBy) -> Vec<LeaderRow> {
    let mut groups: BTreeMap<(String, String, Option<String>), GroupAcc> = BTreeMap::new();
    for s in samples {
        let group = match by {
            GroupBy::Model => None,
            GroupBy::Category => Some(s.category.clone()),
            GroupBy::Task => Some(s.task_id.clone()),
        };
        let acc = groups.entry((s.model.clone(), s.platform.clone(), group)).or_default();
        let task = acc.tasks.entry(s.task_id.clone()).or_default();
        task.n += 1;
        task.compiled += u32::from(s.compiled());
        task.passed += u32::from(s.passed());
        task.fast += u32::from(s.fast());
        *acc.outcomes.entry(s.outcome_key().to_owned()).or_default() += 1;
        acc.flagged += u32::from(s.flagged());
        if let Some(speedup) = s.counted_speedup().filter(|v| v.is_finite() && *v > 0.0) {
            acc.speedups.push(speedup);
        }
        acc.prompt_tokens += s.prompt_tokens;
        acc.completion_tokens += s.completion_tokens;
        acc.reasoning_tokens += s.reasoning_tokens;
        acc.cost_usd += s.cost_usd;
        acc.runs.insert(s.run_id.clone());
    }

    let mut rows: Vec<LeaderRow> = groups
        .into_iter()
        .map(|((model, platform, group), mut acc)| {
            for key in OUTCOMES.iter().copied().chain([GENERATION_ERROR]) {
                acc.outcomes.entry(key.to_owned()).or_default();
            }
            let tasks: Vec<&TaskCounts> = acc.tasks.values().collect();
            let mean_over_tasks =
                |f: &dyn Fn(&TaskCounts) -> f64| tasks.iter().map(|t| f(t)).sum::<f64>() / tasks.len() as f64;
            let k = tasks.iter().map(|t| t.n).min().unwrap_or(0);
            LeaderRow {
                model,
                platform,
                group,
                n_tasks: count_u32(tasks.len()),
                n_samples: tasks.iter().map(|t| t.n).sum(),
                outcomes: acc.outcomes,
                comp_at_1: mean_over_tasks(&|t| f64::from(t.compiled) / f64::from(t.n)),
                pass_at_1: mean_over_tasks(&|t| f64::from(t.passed) / f64::from(t.n)),
                pass_at_k: (k > 1).then(|| (k, mean_over_tasks(&|t| pass_at_k(t.n, t.passed, k)))),
                fast_1: mean_over_tasks(&|t| f64::from(t.fast) / f64::from(t.n)),
                geomean_speedup: geomean(&acc.speedups),
                best_speedup: acc.speedups.iter().copied().reduce(f64::max),
                prompt_tokens: acc.prompt_tokens,
                completion_tokens: acc.completion_tokens,
                reasoning_tokens: acc.reasoning_tokens,
                cost_usd: acc.cost_usd,
                runs: count_u32(acc.runs.len()),
                flagged: acc.flagged,
            }
        })
        .collect();

    rows.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(b.pass_at_1.total_cmp(&a.pass_at_1))
            .then(b.fast_1.total_cmp(&a.fast_1))
            .then_with(|| a.model.cmp(&b.model))
            .then_with(|| a.platform.cmp(&b.platform))
    });
    rows
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn pass_at_k_matches_hand_computed_values() {
        assert!(close(pass_at_k(5, 2, 1), 0.4));
        assert!(close(pass_at_k(5, 2, 2), 0.7));
        assert!(close(pass_at_k(10, 0, 1), 0.0));
        assert!(close(pass_at_k(10, 0, 5), 0.0));
        assert!(close(pass_at_k(3, 3, 1), 1.0));
        assert!(close(pass_at_k(3, 3, 3), 1.0));
        // 1 - C(7,3)/C(10,3) = 1 - 35/120
        assert!(close(pass_at_k(10, 3, 3), 1.0 - 35.0 / 120.0));
        // n - c < k
        assert!(close(pass_at_k(4, 3, 2), 1.0));
    }

    #[test]
    fn pass_at_k_edge_cases_are_defined() {
        assert_eq!(pass_at_k(0, 0, 1), 0.0);
        assert_eq!(pass_at_k(5, 2, 0), 0.0);
        // k larger than n draws everything; c larger than n is clamped.
        assert_eq!(pass_at_k(3, 1, 10), 1.0);
        assert_eq!(pass_at_k(3, 0, 10), 0.0);
        assert_eq!(pass_at_k(3, 7, 1), 1.0);
    }

    fn binomial(n: u32, k: u32) -> u128 {
        if k > n {
            return 0;
        }
        (0..k).fold(1u128, |acc, i| acc * u128::from(n - i) / u128::from(i + 1))
    }

    /// Property-style sweep: for every n ≤ 40, c ≤ n, 1 ≤ k ≤ n the stable product agrees with the
    /// exact binomial ratio, lies in [0, 1], equals c/n at k = 1 and grows with c and with k.
    #[test]
    fn pass_at_k_agrees_with_exact_binomials_and_is_monotone() {
        for n in 1..=40u32 {
            for c in 0..=n {
                for k in 1..=n {
                    let got = pass_at_k(n, c, k);
                    let exact = 1.0 - binomial(n - c, k) as f64 / binomial(n, k) as f64;
                    assert!((got - exact).abs() < 1e-9, "n={n} c={c} k={k}: {got} vs {exact}");
                    assert!((0.0..=1.0).contains(&got), "n={n} c={c} k={k}: {got}");
                    if k == 1 {
                        assert!(close(got, f64::from(c) / f64::from(n)));
                    }
                    if c < n {
                        assert!(pass_at_k(n, c + 1, k) >= got - 1e-12, "not monotone in c at n={n} c={c} k={k}");
                    }
                    if k < n {
                        assert!(pass_at_k(n, c, k + 1) >= got - 1e-12, "not monotone in k at n={n} c={c} k={k}");
                    }
                }
            }
        }
    }

    #[test]
    fn geomean_of_known_values() {
        assert!(close(geomean(&[2.0, 8.0]).unwrap(), 4.0));
        assert!(close(geomean(&[3.0]).unwrap(), 3.0));
        assert!(close(geomean(&[1.0, 10.0, 100.0]).unwrap(), 10.0));
    }

    #[test]
    fn geomean_rejects_empty_and_non_positive_input() {
        assert_eq!(geomean(&[]), None);
        assert_eq!(geomean(&[1.0, 0.0]), None);
        assert_eq!(geomean(&[1.0, -2.0]), None);
        assert_eq!(geomean(&[1.0, f64::NAN]), None);
        assert_eq!(geomean(&[1.0, f64::INFINITY]), None);
    }

    fn sample(task: &str, outcome: Option<&str>, speedup: Option<f64>) -> SampleOutcome {
        SampleOutcome {
            run_id: "r".into(),
            model: "m".into(),
            platform: "cpu".into(),
            task_id: task.into(),
            category: "c".into(),
            sample_idx: 0,
            outcome: outcome.map(str::to_owned),
            generation_error: outcome.is_none(),
            speedup,
            hack_label: None,
            review: None,
            prompt_tokens: 10,
            completion_tokens: 20,
            reasoning_tokens: 5,
            cost_usd: 0.25,
        }
    }

    #[test]
    fn suspicious_speedups_count_only_once_accepted_and_rejected_ones_are_not_passes() {
        let mut s = sample("a", Some("passed"), Some(80.0));
        s.hack_label = Some("suspicious".into());
        let row = |s: &SampleOutcome| leaderboard_rows(std::slice::from_ref(s), GroupBy::Model).remove(0);
        let pending = row(&s);
        assert_eq!((pending.pass_at_1, pending.fast_1, pending.geomean_speedup, pending.flagged), (1.0, 0.0, None, 1));
        s.review = Some("accepted".into());
        let accepted = row(&s);
        assert_eq!((accepted.pass_at_1, accepted.fast_1), (1.0, 1.0));
        assert!(accepted.geomean_speedup.is_some_and(|g| (g - 80.0).abs() < 1e-9), "{:?}", accepted.geomean_speedup);
        s.review = Some("rejected".into());
        let rejected = row(&s);
        assert_eq!((rejected.pass_at_1, rejected.fast_1, rejected.geomean_speedup), (0.0, 0.0, None));
        // Any other label marks a failed sample; it is flagged but changes no rate by itself.
        let mut m = sample("a", Some("mismatch"), None);
        m.hack_label = Some("stale_cache".into());
        let r = row(&m);
        assert_eq!((r.pass_at_1, r.flagged), (0.0, 1));
    }

    #[test]
    fn rates_are_averaged_per_task_not_per_sample() {
        // Task a: 1 of 1 passed; task b: 1 of 3 passed. Per task: (1 + 1/3) / 2 = 2/3, while
        // per sample it would be 2/4.
        let samples = vec![
            sample("a", Some("passed"), Some(2.0)),
            sample("b", Some("passed"), Some(0.5)),
            sample("b", Some("mismatch"), None),
            sample("b", None, None),
        ];
        let rows = leaderboard_rows(&samples, GroupBy::Model);
        assert_eq!(rows.len(), 1);
        let row = &rows[0];
        assert_eq!((row.n_tasks, row.n_samples, row.runs), (2, 4, 1));
        assert!(close(row.pass_at_1, (1.0 + 1.0 / 3.0) / 2.0));
        assert!(close(row.comp_at_1, (1.0 + 2.0 / 3.0) / 2.0));
        assert!(close(row.fast_1, 0.5));
        assert_eq!(row.pass_at_k, None, "task a has one sample, so k = 1");
        assert!(close(row.geomean_speedup.unwrap(), 1.0));
        assert_eq!(row.best_speedup, Some(2.0));
        assert_eq!(row.outcomes["passed"], 2);
        assert_eq!(row.outcomes["mismatch"], 1);
        assert_eq!(row.outcomes[GENERATION_ERROR], 1);
        assert_eq!(row.outcomes["timeout"], 0);
        assert!(!row.outcomes.contains_key(NOT_EVALUATED));
        assert_eq!(row.outcomes.values().sum::<u32>(), row.n_samples);
        assert_eq!((row.prompt_tokens, row.completion_tokens, row.reasoning_tokens), (40, 80, 20));
        assert!(close(row.cost_usd, 1.0));
    }

    #[test]
    fn pass_at_k_uses_the_smallest_task_sample_count() {
        let samples = vec![
            sample("a", Some("passed"), None),
            sample("a", Some("mismatch"), None),
            sample("a", Some("mismatch"), None),
            sample("b", Some("mismatch"), None),
            sample("b", Some("passed"), None),
        ];
        let rows = leaderboard_rows(&samples, GroupBy::Task);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].group.as_deref(), Some("a"));
        assert!(close(rows[0].pass_at_k.unwrap().1, pass_at_k(3, 1, 3)));
        assert_eq!(rows[1].pass_at_k, Some((2, 1.0)));
        let model = leaderboard_rows(&samples, GroupBy::Model);
        let (k, value) = model[0].pass_at_k.unwrap();
        assert_eq!(k, 2);
        assert!(close(value, (pass_at_k(3, 1, 2) + pass_at_k(2, 1, 2)) / 2.0));
    }

    #[test]
    fn no_samples_give_no_rows() {
        assert!(leaderboard_rows(&[], GroupBy::Category).is_empty());
    }
}
