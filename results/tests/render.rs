//! Rendering tests: every format on a table whose cells hold a comma and a quote, and the
//! leaderboard table's columns.

use std::collections::BTreeMap;

use kernelsmith_results::render::{Format, Table, leaderboard_table, render};
use kernelsmith_results::{GroupBy, LeaderRow};

fn tricky() -> Table {
    Table {
        headers: vec!["task".into(), "reason".into(), "speedup".into()],
        rows: vec![
            vec!["softmax".into(), "bad index 3, \"x\" was NaN".into(), "1.83x".into()],
            vec!["relu".into(), "ok".into(), "12.00x".into()],
        ],
    }
}

#[test]
fn text_aligns_columns_under_an_underline() {
    let out = render(&tricky(), Format::Text);
    let expected = "\
task     reason                    speedup
-------  ------------------------  -------
softmax  bad index 3, \"x\" was NaN    1.83x
relu     ok                         12.00x
";
    assert_eq!(out, expected);
}

#[test]
fn markdown_is_a_pipe_table_with_numbers_right_aligned() {
    let mut table = tricky();
    table.rows[1][1] = "a|b".into();
    let expected = "\
| task | reason | speedup |
| --- | --- | ---: |
| softmax | bad index 3, \"x\" was NaN | 1.83x |
| relu | a\\|b | 12.00x |
";
    assert_eq!(render(&table, Format::Markdown), expected);
}

#[test]
fn csv_quotes_fields_with_commas_and_doubles_quotes() {
    let expected = "\
task,reason,speedup
softmax,\"bad index 3, \"\"x\"\" was NaN\",1.83x
relu,ok,12.00x
";
    assert_eq!(render(&tricky(), Format::Csv), expected);
}

#[test]
fn json_is_an_array_of_objects_keyed_by_header_in_column_order() {
    let out = render(&tricky(), Format::Json);
    let expected = "[\n  {\"task\": \"softmax\", \"reason\": \"bad index 3, \\\"x\\\" was NaN\", \"speedup\": \"1.83x\"},\n  {\"task\": \"relu\", \"reason\": \"ok\", \"speedup\": \"12.00x\"}\n]\n";
    assert_eq!(out, expected);
    let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(parsed[0]["reason"], "bad index 3, \"x\" was NaN");
}

fn leader(model: &str, group: Option<&str>, k: Option<(u32, f64)>) -> LeaderRow {
    let outcomes: BTreeMap<String, u32> = [
        ("passed", 3),
        ("mismatch", 1),
        ("compile_failed", 2),
        ("timeout", 1),
        ("generation_error", 1),
        ("crashed", 0),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    LeaderRow {
        model: model.into(),
        platform: "cpu".into(),
        group: group.map(str::to_owned),
        n_tasks: 4,
        n_samples: 8,
        outcomes,
        comp_at_1: 0.625,
        pass_at_1: 0.375,
        pass_at_k: k,
        fast_1: 0.25,
        geomean_speedup: Some(1.8349),
        best_speedup: Some(3.0),
        prompt_tokens: 12_345,
        completion_tokens: 678,
        reasoning_tokens: 0,
        cost_usd: 0.0123,
        runs: 1,
        flagged: 0,
    }
}

#[test]
fn leaderboard_table_has_the_documented_columns() {
    let table = leaderboard_table(&[leader("m", Some("elementwise"), Some((2, 0.5)))], GroupBy::Category);
    assert_eq!(
        table.headers,
        [
            "model",
            "platform",
            "category",
            "tasks",
            "samples",
            "passed",
            "mismatch",
            "compile_failed",
            "other failures",
            "flagged",
            "comp@1",
            "pass@1",
            "pass@2",
            "fast_1",
            "geomean speedup",
            "tokens in/out/reasoning",
            "cost",
        ]
    );
    assert_eq!(
        table.rows[0],
        [
            "m",
            "cpu",
            "elementwise",
            "4",
            "8",
            "3",
            "1",
            "2",
            "2",
            "0",
            "62.5%",
            "37.5%",
            "50.0%",
            "25.0%",
            "1.83x",
            "12.3k/678/0",
            "$0.0123"
        ]
    );
}

#[test]
fn leaderboard_table_names_k_per_cell_when_rows_differ_and_drops_the_column_when_absent() {
    let table =
        leaderboard_table(&[leader("a", None, Some((2, 0.5))), leader("b", None, Some((4, 1.0)))], GroupBy::Model);
    assert_eq!(table.headers[2], "tasks");
    let k = table.headers.iter().position(|h| h == "pass@k").unwrap();
    assert_eq!(table.rows[0][k], "50.0% (k=2)");
    assert_eq!(table.rows[1][k], "100.0% (k=4)");

    let table = leaderboard_table(&[leader("a", Some("t1"), None)], GroupBy::Task);
    assert_eq!(table.headers[2], "task");
    assert!(!table.headers.iter().any(|h| h.starts_with("pass@") && h != "pass@1"));
}

#[test]
fn leaderboard_cost_is_in_dollars_and_right_aligned() {
    let mut free = leader("b", None, None);
    free.cost_usd = 0.0;
    let table = leaderboard_table(&[leader("a", None, None), free], GroupBy::Model);
    assert_eq!(table.headers.last().map(String::as_str), Some("cost"));
    assert_eq!(table.rows[0].last().map(String::as_str), Some("$0.0123"));
    assert_eq!(table.rows[1].last().map(String::as_str), Some("$0"));
    let markdown = render(&table, Format::Markdown);
    assert!(markdown.lines().nth(1).unwrap().ends_with("| --- | ---: |"), "{markdown}");
}
