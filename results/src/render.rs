//! Turning result tables into text, Markdown, CSV or JSON strings.
//!
//! Rendering returns a `String` and never prints: the harness decides where it goes (terminal,
//! `-`, a file refreshed after each task). Leaderboard JSON is produced by serializing
//! [`LeaderRow`] directly; [`Format::Json`] here is for the other, ad-hoc tables.

use std::fmt::Write as _;
use std::str::FromStr;

use crate::error::ResultsError;
use crate::rows::{GroupBy, LeaderRow};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Aligned columns with a header underline, for terminals.
    Text,
    /// A GitHub-flavoured pipe table.
    Markdown,
    /// Comma-separated values with RFC 4180 quoting.
    Csv,
    /// An array of objects keyed by header, every value a string.
    Json,
}

impl FromStr for Format {
    type Err = ResultsError;

    fn from_str(s: &str) -> Result<Format, ResultsError> {
        match s.to_ascii_lowercase().as_str() {
            "text" => Ok(Format::Text),
            "markdown" | "md" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err(ResultsError::UnknownFormat { format: s.to_owned() }),
        }
    }
}

/// A table of already-formatted cells. Rows shorter than the header are padded with empty cells.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// Renders a table; every format ends with a newline.
pub fn render(table: &Table, fmt: Format) -> String {
    match fmt {
        Format::Text => render_text(table),
        Format::Markdown => render_markdown(table),
        Format::Csv => render_csv(table),
        Format::Json => render_json(table),
    }
}

fn cell(row: &[String], i: usize) -> &str {
    row.get(i).map_or("", String::as_str)
}

/// A column is right-aligned when every non-empty cell reads as a number (allowing a leading `$`,
/// a trailing `x` or `%`, and `-` for "none").
fn numeric_columns(table: &Table) -> Vec<bool> {
    (0..table.headers.len())
        .map(|i| {
            let mut cells = table.rows.iter().map(|r| cell(r, i)).filter(|c| !c.is_empty() && *c != "-");
            let mut any = false;
            let all = cells.all(|c| {
                any = true;
                let c = c.strip_suffix(['x', '%']).unwrap_or(c);
                let c = c.strip_prefix('$').unwrap_or(c);
                c.parse::<f64>().is_ok()
            });
            any && all
        })
        .collect()
}

fn render_text(table: &Table) -> String {
    let one_line = |s: &str| s.replace(['\n', '\r'], " ");
    let header: Vec<String> = table.headers.iter().map(|h| one_line(h)).collect();
    let rows: Vec<Vec<String>> =
        table.rows.iter().map(|r| (0..header.len()).map(|i| one_line(cell(r, i))).collect()).collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| rows.iter().map(|r| r[i].chars().count()).chain([header[i].chars().count()]).max().unwrap_or(0))
        .collect();
    let numeric = numeric_columns(table);
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                out.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - c.chars().count());
            if numeric[i] {
                out.push_str(&pad);
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&pad);
            }
        }
        out.trim_end().to_owned()
    };
    let mut out = line(&header);
    out.push('\n');
    let underline: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&underline.join("  "));
    out.push('\n');
    for r in &rows {
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

fn render_markdown(table: &Table) -> String {
    let escape =
        |s: &str| s.replace('\\', "\\\\").replace('|', "\\|").replace("\r\n", "<br>").replace(['\n', '\r'], "<br>");
    let numeric = numeric_columns(table);
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        out.push('|');
        for c in cells {
            out.push(' ');
            out.push_str(&c);
            out.push_str(" |");
        }
        out.push('\n');
    };
    line(&mut out, table.headers.iter().map(|h| escape(h)).collect());
    line(&mut out, numeric.iter().map(|n| if *n { "---:".to_owned() } else { "---".to_owned() }).collect());
    for r in &table.rows {
        line(&mut out, (0..table.headers.len()).map(|i| escape(cell(r, i))).collect());
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
}

fn render_csv(table: &Table) -> String {
    let mut out = String::new();
    let fields: Vec<String> = table.headers.iter().map(|h| csv_field(h)).collect();
    out.push_str(&fields.join(","));
    out.push('\n');
    for r in &table.rows {
        let fields: Vec<String> = (0..table.headers.len()).map(|i| csv_field(cell(r, i))).collect();
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}

fn render_json(table: &Table) -> String {
    // Written by hand so keys keep column order (serde_json's map would sort them).
    let string = |s: &str| serde_json::Value::from(s).to_string();
    let mut out = String::from("[");
    for (n, r) in table.rows.iter().enumerate() {
        out.push_str(if n == 0 { "\n  {" } else { ",\n  {" });
        for (i, h) in table.headers.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}: {}", string(h), string(cell(r, i)));
        }
        out.push('}');
    }
    out.push_str(if table.rows.is_empty() { "]\n" } else { "\n]\n" });
    out
}

/// A fraction as a percentage with one decimal, e.g. `66.7%`.
pub fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

/// A speedup such as `1.83x`, or `-` when there is none.
pub fn speedup(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{v:.2}x"))
}

/// A token count scaled for reading: `950`, `12.3k`, `4.5M`.
pub fn tokens(n: i64) -> String {
    let a = n.unsigned_abs() as f64;
    let sign = if n < 0 { "-" } else { "" };
    if a >= 1e6 {
        format!("{sign}{:.1}M", a / 1e6)
    } else if a >= 1e3 {
        format!("{sign}{:.1}k", a / 1e3)
    } else {
        n.to_string()
    }
}

/// US dollars for reading: `$0` for nothing (or unknown), four decimals below $100 (`$0.0123`),
/// cents above (`$123.46`).
pub fn usd(value: f64) -> String {
    if value == 0.0 {
        "$0".to_owned()
    } else if value.abs() < 100.0 {
        format!("${value:.4}")
    } else {
        format!("${value:.2}")
    }
}

/// The human leaderboard table: model, platform, category or task, counts, rates, speedup, tokens,
/// cost. `flagged` counts samples whose last evaluation carries a hack label (list them with
/// `kernelsmith review --all`).
///
/// When every row shares one k the pass@k header names it (`pass@5`); otherwise each cell does.
pub fn leaderboard_table(rows: &[LeaderRow], by: GroupBy) -> Table {
    let ks: std::collections::BTreeSet<u32> = rows.iter().filter_map(|r| r.pass_at_k.map(|(k, _)| k)).collect();
    let single_k = (ks.len() == 1).then(|| ks.iter().next().copied()).flatten();

    let mut headers: Vec<String> = vec!["model".into(), "platform".into()];
    match by {
        GroupBy::Model => {}
        GroupBy::Category => headers.push("category".into()),
        GroupBy::Task => headers.push("task".into()),
    }
    headers.extend(
        ["tasks", "samples", "passed", "mismatch", "compile_failed", "other failures", "flagged", "comp@1", "pass@1"]
            .map(String::from),
    );
    if !ks.is_empty() {
        headers.push(single_k.map_or_else(|| "pass@k".to_owned(), |k| format!("pass@{k}")));
    }
    headers.extend(["fast_1", "geomean speedup", "tokens in/out/reasoning", "cost"].map(String::from));

    let table_rows = rows
        .iter()
        .map(|r| {
            let count = |key: &str| r.outcomes.get(key).copied().unwrap_or(0);
            let named = count("passed") + count("mismatch") + count("compile_failed");
            let other: u32 = r.outcomes.values().sum::<u32>().saturating_sub(named);
            let mut cells = vec![r.model.clone(), r.platform.clone()];
            if by != GroupBy::Model {
                cells.push(r.group.clone().unwrap_or_default());
            }
            cells.extend([
                r.n_tasks.to_string(),
                r.n_samples.to_string(),
                count("passed").to_string(),
                count("mismatch").to_string(),
                count("compile_failed").to_string(),
                other.to_string(),
                r.flagged.to_string(),
                percent(r.comp_at_1),
                percent(r.pass_at_1),
            ]);
            if !ks.is_empty() {
                cells.push(match (r.pass_at_k, single_k) {
                    (None, _) => "-".to_owned(),
                    (Some((_, v)), Some(_)) => percent(v),
                    (Some((k, v)), None) => format!("{} (k={k})", percent(v)),
                });
            }
            cells.extend([
                percent(r.fast_1),
                speedup(r.geomean_speedup),
                format!("{}/{}/{}", tokens(r.prompt_tokens), tokens(r.completion_tokens), tokens(r.reasoning_tokens)),
                usd(r.cost_usd),
            ]);
            cells
        })
        .collect();
    Table { headers, rows: table_rows }
}

/// The table of flagged evaluations shown by `kernelsmith review`. `reason_chars` shortens long
/// reasons for a terminal (marked with `…`); machine-readable output passes `None` and keeps them
/// whole.
pub fn flagged_table(rows: &[crate::FlaggedRow], reason_chars: Option<usize>) -> Table {
    let headers = ["id", "run", "task", "sample", "turn", "outcome", "label", "speedup", "review", "reason"]
        .map(String::from)
        .to_vec();
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.run_id.clone(),
                r.task_id.clone(),
                r.sample_idx.to_string(),
                r.turn.to_string(),
                r.outcome.clone(),
                r.hack_label.clone(),
                r.speedup.map_or("-".into(), |s| format!("{s:.2}x")),
                r.review
                    .clone()
                    .unwrap_or_else(|| if r.hack_label == "suspicious" { "pending".into() } else { "-".into() }),
                shorten(r.reason.as_deref().unwrap_or_default(), reason_chars),
            ]
        })
        .collect();
    Table { headers, rows }
}

fn shorten(text: &str, max_chars: Option<usize>) -> String {
    match max_chars {
        Some(n) if text.chars().count() > n => text.chars().take(n.saturating_sub(1)).chain(['…']).collect(),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_reasons_are_shortened_only_when_asked_and_say_so() {
        let long = "x".repeat(200);
        assert_eq!(shorten(&long, None), long);
        let short = shorten(&long, Some(160));
        assert_eq!(short.chars().count(), 160);
        assert!(short.ends_with('…'));
        assert_eq!(shorten("brief", Some(160)), "brief");
    }

    #[test]
    fn format_names_parse_and_unknown_names_say_what_is_allowed() {
        assert_eq!("Markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("json".parse::<Format>().unwrap(), Format::Json);
        let err = "yaml".parse::<Format>().unwrap_err().to_string();
        assert!(err.contains("yaml") && err.contains("csv"), "{err}");
    }

    #[test]
    fn tokens_scale() {
        assert_eq!(tokens(950), "950");
        assert_eq!(tokens(12_345), "12.3k");
        assert_eq!(tokens(4_500_000), "4.5M");
    }

    #[test]
    fn usd_is_readable() {
        assert_eq!(usd(0.0), "$0");
        assert_eq!(usd(0.0123), "$0.0123");
        assert_eq!(usd(0.03), "$0.0300");
        assert_eq!(usd(123.456), "$123.46");
    }

    #[test]
    fn short_rows_are_padded() {
        let t = Table { headers: vec!["a".into(), "b".into()], rows: vec![vec!["1".into()]] };
        assert_eq!(render(&t, Format::Csv), "a,b\n1,\n");
        assert_eq!(render(&t, Format::Json), "[\n  {\"a\": \"1\", \"b\": \"\"}\n]\n");
        assert_eq!(render(&Table { headers: vec!["a".into()], rows: vec![] }, Format::Json), "[]\n");
    }
}
