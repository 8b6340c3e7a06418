//! An incremental Server-Sent Events parser (the WHATWG `text/event-stream` rules that matter
//! for model APIs).
//!
//! Bytes arrive in arbitrary pieces (a UTF-8 character or a `\r\n` may be split across network
//! reads); [`SseParser::feed`] returns every event completed so far. Lines end with `\n`, `\r\n`
//! or `\r`; a blank line dispatches the event; `data:` lines are joined with `\n`; `event:` sets
//! the event name; lines starting with `:` are comments (keep-alives such as OpenRouter's
//! `: OPENROUTER PROCESSING`); `id:`, `retry:` and unknown fields are ignored.
//!
//! At the end of the stream ([`SseParser::finish`]) an event whose lines were complete but which
//! lacked the final blank line is still dispatched (some servers close right after
//! `data: [DONE]\n`); a partial last line is discarded, as the standard says.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field, if any (OpenAI streams have none; Anthropic names every event).
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// Incremental parser state.
#[derive(Debug, Default)]
pub struct SseParser {
    /// Bytes of the current, not yet terminated line.
    line: Vec<u8>,
    /// The previous byte was a `\r` (a following `\n` belongs to the same line ending).
    after_cr: bool,
    event: Option<String>,
    data: String,
    has_data: bool,
}

impl SseParser {
    pub fn new() -> SseParser {
        SseParser::default()
    }

    /// Feed the next bytes of the body; returns the events they completed.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut out = Vec::new();
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' | b'\r' => {
                    self.after_cr = b == b'\r';
                    let line = std::mem::take(&mut self.line);
                    self.line_done(&line, &mut out);
                }
                _ => {
                    self.after_cr = false;
                    self.line.push(b);
                }
            }
        }
        out
    }

    /// The body ended: dispatch a pending event whose lines were complete.
    pub fn finish(&mut self) -> Option<SseEvent> {
        self.line.clear();
        self.dispatch()
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<SseEvent>) {
        if line.is_empty() {
            out.extend(self.dispatch());
            return;
        }
        if line[0] == b':' {
            return; // comment / keep-alive
        }
        let line = String::from_utf8_lossy(line);
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line.as_ref(), ""),
        };
        match field {
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_string()),
            _ => {} // id, retry, unknown fields
        }
    }

    fn dispatch(&mut self) -> Option<SseEvent> {
        let event = self.event.take();
        if !self.has_data {
            return None;
        }
        self.has_data = false;
        Some(SseEvent { event, data: std::mem::take(&mut self.data) })
    }
}
