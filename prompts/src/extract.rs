//! Taking code (and reasoning) back out of a model response.
//!
//! Rules, in order: `<think>…</think>` blocks are reasoning, not answer; among fenced blocks
//! (``` or ~~~) the last one tagged with one of the platform's languages wins (models often show a
//! fragment first and the full file last); failing that, a single untagged block is accepted.
//! Anything else is `extract_failed` with a reason the model can act on next turn.

use std::fmt;

/// Why no code could be extracted.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtractError(pub String);

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Split `<think>…</think>` reasoning from the answer. An unclosed `<think>` makes the rest of the
/// response reasoning (the model ran out of tokens while thinking).
pub fn split_reasoning(response: &str) -> (Option<String>, String) {
    let mut reasoning = Vec::new();
    let mut answer = String::new();
    let mut rest = response;
    while let Some(start) = rest.find("<think>") {
        answer.push_str(&rest[..start]);
        let after = &rest[start + "<think>".len()..];
        match after.find("</think>") {
            Some(end) => {
                reasoning.push(after[..end].trim().to_string());
                rest = &after[end + "</think>".len()..];
            }
            None => {
                reasoning.push(after.trim().to_string());
                rest = "";
            }
        }
    }
    answer.push_str(rest);
    let r = reasoning.join("\n\n");
    ((!r.is_empty()).then_some(r), answer)
}

struct Block {
    tag: String,
    body: String,
}

fn fenced_blocks(text: &str) -> Result<Vec<Block>, ExtractError> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String, Vec<&str>)> = None; // (fence, tag, lines)
    for line in text.lines() {
        let trimmed = line.trim_start();
        match &mut open {
            None => {
                for fence in ["```", "~~~"] {
                    if let Some(info) = trimmed.strip_prefix(fence) {
                        let tag =
                            info.trim().split(|c: char| c.is_whitespace() || c == '{').next().unwrap_or("").to_string();
                        open = Some((fence.to_string(), tag, Vec::new()));
                        break;
                    }
                }
            }
            Some((fence, tag, lines)) => {
                if trimmed.starts_with(fence.as_str())
                    && trimmed.trim_start_matches(fence.chars().next().unwrap()).trim().is_empty()
                {
                    blocks.push(Block { tag: std::mem::take(tag), body: lines.join("\n") });
                    open = None;
                } else {
                    lines.push(line);
                }
            }
        }
    }
    if let Some((_, tag, _)) = open
        && blocks.is_empty()
    {
        return Err(ExtractError(format!("the ```{tag} code block is never closed (was the response cut off?)")));
    }
    Ok(blocks)
}

/// The code of the answer, per the rules above. `fence_tags` are matched case-insensitively.
pub fn extract_code(response: &str, fence_tags: &[&str]) -> Result<String, ExtractError> {
    let (_, answer) = split_reasoning(response);
    let blocks = fenced_blocks(&answer)?;
    let tagged = blocks
        .iter()
        .rev()
        .find(|b| fence_tags.iter().any(|t| t.eq_ignore_ascii_case(&b.tag)) && !b.body.trim().is_empty());
    if let Some(b) = tagged {
        return Ok(b.body.clone() + "\n");
    }
    let untagged: Vec<&Block> = blocks.iter().filter(|b| b.tag.is_empty() && !b.body.trim().is_empty()).collect();
    if untagged.len() == 1 {
        return Ok(untagged[0].body.clone() + "\n");
    }
    let want = fence_tags.first().copied().unwrap_or("");
    Err(ExtractError(if blocks.is_empty() {
        format!("no fenced code block found; put the complete source in one ```{want} block")
    } else {
        let tags: Vec<String> =
            blocks.iter().map(|b| if b.tag.is_empty() { "(untagged)".to_string() } else { b.tag.clone() }).collect();
        format!(
            "no ```{want} code block found (blocks seen: {}); put the complete source in one ```{want} block",
            tags.join(", ")
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_block_in_the_platform_language_wins() {
        let r = "Idea:\n```c\nint partial;\n```\nFull:\n```python\nprint(1)\n```\n```C\nint relu(void) { return 0; }\n```\nDone.";
        assert_eq!(extract_code(r, &["c"]).unwrap(), "int relu(void) { return 0; }\n");
    }

    #[test]
    fn reasoning_is_split_off_and_its_code_ignored() {
        let r = "<think>maybe\n```c\nint wrong;\n```\n</think>\nAnswer:\n```c\nint right;\n```";
        let (reasoning, answer) = split_reasoning(r);
        assert!(reasoning.unwrap().contains("int wrong"));
        assert!(!answer.contains("wrong"));
        assert_eq!(extract_code(r, &["c"]).unwrap(), "int right;\n");
    }

    #[test]
    fn an_unclosed_think_is_all_reasoning_so_extraction_fails() {
        let r = "<think>long thoughts ```c\nint x;\n```";
        let (reasoning, answer) = split_reasoning(r);
        assert!(reasoning.is_some());
        assert_eq!(answer, "");
        assert!(extract_code(r, &["c"]).unwrap_err().0.contains("no fenced code block"));
    }

    #[test]
    fn a_single_untagged_block_is_accepted_but_not_two() {
        assert_eq!(extract_code("```\nint a;\n```", &["c"]).unwrap(), "int a;\n");
        let err = extract_code("```\nint a;\n```\n```\nint b;\n```", &["c"]).unwrap_err();
        assert!(err.0.contains("(untagged), (untagged)"), "{err}");
    }

    #[test]
    fn a_truncated_block_is_reported_as_cut_off() {
        let err = extract_code("Here:\n```c\nint relu(", &["c"]).unwrap_err();
        assert!(err.0.contains("never closed"), "{err}");
    }

    #[test]
    fn wrong_language_names_what_was_seen() {
        let err = extract_code("```python\nx=1\n```", &["c"]).unwrap_err();
        assert!(err.0.contains("blocks seen: python"), "{err}");
    }
}
