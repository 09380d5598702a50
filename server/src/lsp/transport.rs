//! Stdio framing in front of `tower-lsp-server`.
//!
//! The library stops reading its input for good after one undecodable message, trusts any
//! `Content-Length` (a huge one panics or swallows every later message) and buffers header lines
//! of any length. So frames are read and checked here, with bounds: well-formed ones go on to the
//! library through an in-memory pipe; anything else is answered with a JSON-RPC error (with the
//! request's id when it can be found, else a null id), the reader resynchronises on the next
//! `Content-Length` header, and serving continues.
//!
//! This runs on its own thread with blocking reads, so a busy blocking pool (analyses, fix-all)
//! never delays reading the next message.

use std::io::{BufRead, Read, Write as _};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use serde::Deserialize;
use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Request, Response};

/// The largest message body accepted. A 5 MB file is far below it; it bounds memory.
pub const MAX_MESSAGE: usize = 64 << 20;
/// The longest header line kept (`Content-Type: application/vscode-jsonrpc; charset=utf-8` is 55).
pub const MAX_HEADER_LINE: usize = 8 << 10;
/// Header lines before the blank line that ends the header block.
const MAX_HEADER_LINES: usize = 32;
/// Bytes kept from the end of an overlong line, to find a header glued to junk (a body shorter
/// than its `Content-Length` said is followed directly by the next header, on the same line).
const TAIL: usize = 128;
const CONTENT_LENGTH: &[u8] = b"content-length";

/// Stdout shared by the library's writer and the replies from [`filter`]. Each `poll_write`
/// writes its whole buffer under the lock, so frames never interleave.
#[derive(Clone)]
pub struct SharedStdout(Arc<Mutex<std::io::Stdout>>);

impl SharedStdout {
    pub fn new() -> Self {
        SharedStdout(Arc::new(Mutex::new(std::io::stdout())))
    }

    pub fn write_frame(&self, body: &str) {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = out.flush();
    }
}

impl tokio::io::AsyncWrite for SharedStdout {
    fn poll_write(self: Pin<&mut Self>, _: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        Poll::Ready(out.write_all(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.lock().unwrap_or_else(|e| e.into_inner()).flush())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        self.poll_flush(cx)
    }
}

/// Where [`filter`] sends what it read.
pub trait Sink {
    /// A checked frame (header and body) for the library; `false` stops reading.
    fn forward(&mut self, frame: &[u8], is_exit: bool) -> bool;
    /// A message to the client (an error response or a notification).
    fn reply(&mut self, message: &Value);
}

/// Is `body` something the library can decode (a request, notification or response)?
/// `Ok(true)` for the `exit` notification.
fn check(body: &[u8]) -> Result<bool, Value> {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(err) => return Err(error_reply(Value::Null, -32700, &format!("Parse error: {err}"))),
    };
    // The library's own types decide; a response must also carry `result` or `error`, or it
    // would be dropped silently as an answer to nothing.
    let has_method = value.get("method").is_some_and(Value::is_string);
    let is_request = has_method && Request::deserialize(&value).is_ok();
    let is_response = !has_method
        && (value.get("result").is_some() || value.get("error").is_some())
        && Response::deserialize(&value).is_ok();
    if is_request || is_response {
        return Ok(value.get("method").and_then(Value::as_str) == Some("exit"));
    }
    let id = value.get("id").filter(|id| id.is_string() || id.is_number()).cloned().unwrap_or(Value::Null);
    Err(error_reply(id, -32600, "Invalid request: not a JSON-RPC 2.0 request, notification or response"))
}

fn error_reply(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

fn show_warning(message: &str) -> Value {
    json!({"jsonrpc": "2.0", "method": "window/showMessage", "params": {"type": 2, "message": message}})
}

enum Line {
    /// Without the line ending.
    Text(Vec<u8>),
    /// Longer than [`MAX_HEADER_LINE`]: its start and its last [`TAIL`] bytes.
    TooLong {
        head: Vec<u8>,
        tail: Vec<u8>,
    },
    Eof,
}

/// One line, starting with `prefix`, keeping at most [`MAX_HEADER_LINE`] bytes of it.
fn read_line(input: &mut impl BufRead, prefix: Vec<u8>) -> std::io::Result<Line> {
    let mut line = prefix;
    let mut tail: Option<Vec<u8>> = None;
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(Line::Eof);
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        match &mut tail {
            None if line.len() + chunk.len() <= MAX_HEADER_LINE => line.extend_from_slice(chunk),
            None => {
                let room = MAX_HEADER_LINE - line.len();
                line.extend_from_slice(&chunk[..room]);
                let mut kept = line[line.len().saturating_sub(TAIL)..].to_vec();
                kept.extend_from_slice(&chunk[room..]);
                tail = Some(kept[kept.len().saturating_sub(TAIL)..].to_vec());
            }
            Some(kept) => {
                kept.extend_from_slice(chunk);
                let excess = kept.len().saturating_sub(TAIL);
                kept.drain(..excess);
            }
        }
        let consumed = done.unwrap_or(buf.len());
        input.consume(consumed);
        if done.is_some() {
            let strip = |mut v: Vec<u8>| {
                if v.last() == Some(&b'\r') {
                    v.pop();
                }
                v
            };
            return Ok(match tail {
                None => Line::Text(strip(line)),
                Some(tail) => Line::TooLong { head: line, tail: strip(tail) },
            });
        }
    }
}

fn find_content_length(line: &[u8]) -> Option<usize> {
    line.windows(CONTENT_LENGTH.len()).position(|w| w.eq_ignore_ascii_case(CONTENT_LENGTH))
}

/// What a header block said about the body's length.
enum Length {
    Valid(usize),
    /// Over [`MAX_MESSAGE`]; the number as given.
    TooLarge(u64),
    /// Present but not a number (or beyond `u64`).
    Invalid,
    Missing,
}

/// Follows JSON structure through a body that is being skipped: finds a top-level `"id"`, the
/// end of the top-level value, and a `Content-Length` outside any string (which valid JSON
/// cannot contain, so it is the next frame's header).
#[derive(Default)]
struct Skipper {
    in_string: bool,
    escaped: bool,
    depth: u32,
    started: bool,
    /// At depth 1, the next string is a key.
    expect_key: bool,
    /// Bytes of the key or id string being read, when one is (capped).
    capture: Option<Vec<u8>>,
    capturing_id: bool,
    after_id_key: bool,
    awaiting_id: bool,
    number: Option<Vec<u8>>,
    matched: usize,
    id: Option<Value>,
}

enum Step {
    More,
    /// The top-level value ended with this byte.
    End,
    /// This byte completed `content-length` outside a string.
    Header,
}

impl Skipper {
    fn feed(&mut self, byte: u8) -> Step {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if byte == b'\\' {
                self.escaped = true;
            } else if byte == b'"' {
                self.in_string = false;
                self.string_ended();
                return Step::More;
            }
            if let Some(capture) = &mut self.capture
                && capture.len() < 256
            {
                capture.push(byte);
            }
            return Step::More;
        }
        if let Some(number) = &mut self.number {
            if byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.' | b'e' | b'E') {
                number.push(byte);
                if number.len() > 64 {
                    self.number = None;
                }
                return Step::More;
            }
            let text = self.number.take().unwrap_or_default();
            self.id = std::str::from_utf8(&text).ok().and_then(|t| serde_json::from_str(t).ok());
        }
        // `content-length` in any case, outside strings: the next header.
        if byte.eq_ignore_ascii_case(&CONTENT_LENGTH[self.matched]) {
            self.matched += 1;
            if self.matched == CONTENT_LENGTH.len() {
                return Step::Header;
            }
        } else {
            self.matched = usize::from(byte.eq_ignore_ascii_case(&CONTENT_LENGTH[0]));
        }
        match byte {
            b'"' => {
                self.in_string = true;
                if self.depth == 1 && self.expect_key {
                    self.capture = Some(Vec::new());
                    self.capturing_id = false;
                } else if self.depth == 1 && self.awaiting_id {
                    self.capture = Some(Vec::new());
                    self.capturing_id = true;
                }
            }
            b'{' | b'[' => {
                self.depth += 1;
                self.started = true;
                self.expect_key = self.depth == 1 && byte == b'{';
                self.awaiting_id = false;
            }
            b'}' | b']' => {
                self.depth = self.depth.saturating_sub(1);
                if self.started && self.depth == 0 {
                    return Step::End;
                }
            }
            b':' if self.depth == 1 && self.after_id_key => {
                self.after_id_key = false;
                self.awaiting_id = true;
            }
            b',' if self.depth == 1 => {
                self.expect_key = true;
                self.after_id_key = false;
                self.awaiting_id = false;
            }
            b'-' | b'0'..=b'9' if self.depth == 1 && self.awaiting_id => {
                self.awaiting_id = false;
                self.number = Some(vec![byte]);
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => self.awaiting_id = false,
        }
        Step::More
    }

    fn string_ended(&mut self) {
        let Some(text) = self.capture.take() else {
            self.awaiting_id = false;
            return;
        };
        if self.capturing_id {
            self.awaiting_id = false;
            let quoted = [b"\"".as_slice(), &text, b"\""].concat();
            self.id = serde_json::from_slice(&quoted).ok();
        } else {
            self.expect_key = false;
            self.after_id_key = text == b"id";
        }
    }
}

/// How skipping a body ended.
enum Skipped {
    /// All of it, or up to the end of its top-level value.
    Done,
    /// At the next frame's header: the header reader goes on after `Content-Length`.
    AtHeader,
    Eof,
}

/// Discards up to `limit` bytes (`None`: no limit) of a body that will not be read, reporting a
/// top-level id as soon as it is seen.
fn skip_body(
    input: &mut impl BufRead,
    limit: Option<u64>,
    mut on_id: impl FnMut(Value),
) -> std::io::Result<(Skipped, Option<Value>)> {
    let mut skipper = Skipper::default();
    let mut left = limit;
    let mut reported = false;
    loop {
        if left == Some(0) {
            return Ok((Skipped::Done, skipper.id));
        }
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok((Skipped::Eof, skipper.id));
        }
        let take = left.map_or(buf.len(), |l| buf.len().min(usize::try_from(l).unwrap_or(usize::MAX)));
        let mut outcome = None;
        let mut used = take;
        for (i, &byte) in buf[..take].iter().enumerate() {
            match skipper.feed(byte) {
                Step::More => {}
                Step::End => {
                    outcome = Some(Skipped::Done);
                    used = i + 1;
                    break;
                }
                Step::Header => {
                    outcome = Some(Skipped::AtHeader);
                    used = i + 1;
                    break;
                }
            }
            if !reported && let Some(id) = &skipper.id {
                on_id(id.clone());
                reported = true;
            }
        }
        input.consume(used);
        left = left.map(|l| l - used as u64);
        if let Some(outcome) = outcome {
            let id = if reported { None } else { skipper.id };
            return Ok((outcome, id));
        }
    }
}

/// The server's [`Sink`]: frames into the library's input pipe, replies onto stdout.
struct Stdio {
    runtime: tokio::runtime::Handle,
    to_server: tokio::io::DuplexStream,
    stdout: SharedStdout,
    exit_seen: Arc<tokio::sync::Notify>,
}

impl Sink for Stdio {
    fn forward(&mut self, frame: &[u8], is_exit: bool) -> bool {
        use tokio::io::AsyncWriteExt as _;
        // Blocks while the library is not reading: back-pressure, not buffering.
        let ok = self.runtime.block_on(self.to_server.write_all(frame)).is_ok();
        if is_exit {
            self.exit_seen.notify_one();
        }
        ok
    }

    fn reply(&mut self, message: &Value) {
        self.stdout.write_frame(&message.to_string());
    }
}

/// Reads stdin on a thread of its own until it ends; `exit_seen` is notified once an `exit`
/// notification has been passed on.
pub fn spawn_stdin_reader(
    to_server: tokio::io::DuplexStream,
    stdout: SharedStdout,
    exit_seen: Arc<tokio::sync::Notify>,
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Handle::current();
    std::thread::Builder::new().name("interview-lens-stdin".into()).spawn(move || {
        let input = std::io::BufReader::with_capacity(64 << 10, std::io::stdin().lock());
        filter(input, &mut Stdio { runtime, to_server, stdout, exit_seen });
    })?;
    Ok(())
}

/// Reads frames from `input` until it ends (or the sink stops), forwarding checked ones and
/// answering the rest.
pub fn filter(mut input: impl BufRead, sink: &mut impl Sink) {
    let _ = filter_inner(&mut input, sink);
}

fn filter_inner(input: &mut impl BufRead, sink: &mut impl Sink) -> std::io::Result<()> {
    // After resynchronising, the next header line starts with what was already read.
    let mut prefix = Vec::new();
    loop {
        let mut length = Length::Missing;
        let mut lines = 0;
        loop {
            let line = match read_line(input, std::mem::take(&mut prefix))? {
                Line::Eof => return Ok(()),
                Line::Text(line) => line,
                Line::TooLong { head, tail } => {
                    if head.trim_ascii_start().len() >= CONTENT_LENGTH.len()
                        && head.trim_ascii_start()[..CONTENT_LENGTH.len()].eq_ignore_ascii_case(CONTENT_LENGTH)
                    {
                        length = Length::Invalid;
                        lines += 1;
                        continue;
                    }
                    match find_content_length(&tail) {
                        Some(at) => tail[at..].to_vec(),
                        None => {
                            tracing::warn!("skipped a header line longer than {MAX_HEADER_LINE} bytes");
                            lines += 1;
                            continue;
                        }
                    }
                }
            };
            if line.trim_ascii().is_empty() {
                if lines > 0 {
                    break;
                }
                continue; // stray blank lines between messages
            }
            // A header glued to junk (the rest of a body shorter than its length said).
            let line = match find_content_length(&line) {
                Some(at) if at > 0 => {
                    tracing::warn!("skipped {at} bytes of junk before a Content-Length header");
                    line[at..].to_vec()
                }
                _ => line,
            };
            lines += 1;
            if lines > MAX_HEADER_LINES {
                sink.reply(&error_reply(
                    Value::Null,
                    -32700,
                    &format!("Parse error: more than {MAX_HEADER_LINES} header lines"),
                ));
                lines = 0;
                length = Length::Missing;
                continue;
            }
            if let Some(colon) = line.iter().position(|&b| b == b':')
                && line[..colon].trim_ascii().eq_ignore_ascii_case(CONTENT_LENGTH)
            {
                let value = std::str::from_utf8(&line[colon + 1..]).unwrap_or("").trim();
                length = match value.parse::<u64>() {
                    Ok(n) if n <= MAX_MESSAGE as u64 => Length::Valid(n as usize),
                    Ok(n) => Length::TooLarge(n),
                    Err(_) => Length::Invalid,
                };
            }
        }
        let limit = match length {
            Length::Valid(length) => {
                let mut body = Vec::new();
                // `take` grows the buffer as bytes arrive instead of trusting the length up front.
                input.by_ref().take(length as u64).read_to_end(&mut body)?;
                if body.len() < length {
                    return Ok(()); // input ended
                }
                match check(&body) {
                    Ok(is_exit) => {
                        let mut frame = format!("Content-Length: {length}\r\n\r\n").into_bytes();
                        frame.extend_from_slice(&body);
                        if !sink.forward(&frame, is_exit) {
                            return Ok(());
                        }
                    }
                    Err(reply) => {
                        tracing::error!("malformed message answered with an error: {reply}");
                        sink.reply(&reply);
                    }
                }
                continue;
            }
            Length::Missing => {
                tracing::error!("a message without a Content-Length header was skipped");
                sink.reply(&error_reply(Value::Null, -32700, "Parse error: missing Content-Length header"));
                continue;
            }
            Length::TooLarge(n) => Some(n),
            Length::Invalid => None,
        };
        let why = match limit {
            Some(n) => format!("a message of {n} bytes is over the {} MiB limit", MAX_MESSAGE >> 20),
            None => "a message with an invalid Content-Length".to_string(),
        };
        tracing::error!("{why}: skipped");
        let mut answered = false;
        let (outcome, id) = skip_body(input, limit, |id| {
            sink.reply(&error_reply(id, -32600, &format!("Invalid request: {why}")));
            answered = true;
        })?;
        if !answered {
            let notification = id.is_none();
            sink.reply(&error_reply(id.unwrap_or(Value::Null), -32600, &format!("Invalid request: {why}")));
            if notification {
                // A skipped change leaves the server's copy of a document behind: say so.
                sink.reply(&show_warning(&format!(
                    "interview-lens: {why} and was skipped; if it was a document change, close and reopen the file"
                )));
            }
        }
        match outcome {
            Skipped::Done => {}
            Skipped::AtHeader => prefix = CONTENT_LENGTH.to_vec(),
            Skipped::Eof => return Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        forwarded: Vec<Value>,
        replies: Vec<Value>,
    }

    impl Sink for Collect {
        fn forward(&mut self, frame: &[u8], _: bool) -> bool {
            let body = &frame[frame.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4..];
            self.forwarded.push(serde_json::from_slice(body).unwrap());
            true
        }
        fn reply(&mut self, message: &Value) {
            self.replies.push(message.clone());
        }
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    const PING: &str = r#"{"jsonrpc":"2.0","id":9,"method":"ping"}"#;

    fn run(input: &[u8]) -> Collect {
        let mut sink = Collect::default();
        filter(std::io::BufReader::with_capacity(7, input), &mut sink);
        sink
    }

    fn ids(values: &[Value]) -> Vec<Value> {
        values.iter().map(|v| v["id"].clone()).collect()
    }

    #[test]
    fn oversized_length_is_answered_with_the_id_and_the_next_frame_is_served() {
        for length in ["18446744073709551615", "4000000000", "99999999999999999999999", "-1"] {
            let mut input = format!("Content-Length: {length}\r\n\r\n").into_bytes();
            input.extend_from_slice(br#"{"jsonrpc":"2.0","id":"a\"b","method":"textDocument/hover","params":{}}"#);
            input.extend(frame(PING));
            let out = run(&input);
            assert_eq!(ids(&out.replies), [json!("a\"b")], "{length}");
            assert_eq!(out.replies[0]["error"]["code"], -32600);
            assert_eq!(ids(&out.forwarded), [json!(9)], "{length}");
        }
    }

    #[test]
    fn oversized_notification_gets_a_null_id_and_a_warning() {
        let mut input = b"Content-Length: 4000000000\r\n\r\n".to_vec();
        input.extend_from_slice(
            br#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"text":"Content-Length: 1"}}"#,
        );
        input.extend(frame(PING));
        let out = run(&input);
        assert_eq!(out.replies[0]["id"], Value::Null);
        assert_eq!(out.replies[1]["method"], "window/showMessage");
        assert_eq!(ids(&out.forwarded), [json!(9)]);
    }

    #[test]
    fn an_honest_oversized_body_is_skipped_whole() {
        let big = format!(
            r#"{{"jsonrpc":"2.0","method":"x","params":{{"t":"{}"}},"id":5}}"#,
            "Content-Length: 3\r\n".repeat(1000)
        );
        let mut input = format!("Content-Length: {}\r\n\r\n{big}", MAX_MESSAGE as u64 + 1).into_bytes();
        input.extend(frame(PING));
        let out = run(&input);
        // The id came after the params: answered once the body is skipped.
        assert_eq!(ids(&out.replies[..1]), [json!(5)]);
        assert_eq!(ids(&out.forwarded), [json!(9)]);
    }

    #[test]
    fn overlong_header_lines_are_not_buffered_and_a_glued_header_resyncs() {
        let mut input = format!("X-Junk: {}\r\n", "j".repeat(100_000)).into_bytes();
        input.extend(frame(PING));
        // A body shorter than its length: the rest runs into the next header on one line.
        input.extend(b"Content-Length: 5\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"a\"}");
        input.extend(frame(PING));
        input.extend(format!("Content-Length: {}\r\n\r\n", "0".repeat(20_000)).into_bytes());
        input.extend(frame(PING));
        let out = run(&input);
        assert_eq!(ids(&out.forwarded), [json!(9), json!(9), json!(9)]);
        let errors: Vec<&Value> = out.replies.iter().filter(|r| r.get("error").is_some()).collect();
        // The short body's parse error, then the invalid length of 20,000 digits.
        assert_eq!(
            errors.iter().map(|r| r["error"]["code"].clone()).collect::<Vec<_>>(),
            [json!(-32700), json!(-32600)]
        );
    }

    #[test]
    fn endless_header_blocks_and_missing_lengths_are_errors() {
        let mut input = "X-A: 1\r\n".repeat(40).into_bytes();
        input.extend(b"\r\n");
        input.extend(frame(PING));
        let out = run(&input);
        assert!(out.replies.iter().all(|r| r["id"].is_null() && r["error"]["code"] == -32700), "{:?}", out.replies);
        assert!(!out.replies.is_empty());
        assert_eq!(ids(&out.forwarded), [json!(9)]);
    }

    #[test]
    fn malformed_json_is_answered() {
        let mut input = frame("{nope");
        input.extend(frame(r#"{"jsonrpc":"2.0","id":77,"params":3}"#));
        let out = run(&input);
        assert_eq!(out.replies[0]["error"]["code"], -32700);
        assert_eq!(out.replies[1]["id"], 77);
    }
}
