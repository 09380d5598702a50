//! Stdio framing in front of `tower-lsp-server`.
//!
//! The library stops reading its input for good after one undecodable message, which would leave
//! the editor with a dead server. So messages are read and checked here: well-formed ones go on to
//! the library through an in-memory pipe; a malformed one is answered with a JSON-RPC error
//! (-32700 or -32600) directly, and serving continues.

use std::io::Write as _;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use serde::Deserialize;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, DuplexStream};
use tower_lsp_server::jsonrpc::{Request, Response};

/// Stdout shared by the library's writer and the error replies from [`filter_stdin`]. Each
/// `poll_write` writes its whole buffer under the lock, so frames never interleave.
#[derive(Clone)]
pub struct SharedStdout(Arc<Mutex<std::io::Stdout>>);

impl SharedStdout {
    pub fn new() -> Self {
        SharedStdout(Arc::new(Mutex::new(std::io::stdout())))
    }

    fn write_frame(&self, body: &str) {
        let mut out = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let _ = write!(out, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = out.flush();
    }
}

impl AsyncWrite for SharedStdout {
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

/// Copies well-formed frames from `input` to `to_server`; answers malformed ones on `stdout`.
/// Ends when `input` ends.
///
/// `exit_seen` is notified once an `exit` notification has been passed on, so the caller can stop
/// even if some handler is still waiting on the client.
pub async fn filter_stdin(
    input: impl AsyncRead + Unpin,
    mut to_server: DuplexStream,
    stdout: SharedStdout,
    exit_seen: Arc<tokio::sync::Notify>,
) {
    let mut reader = BufReader::new(input);
    loop {
        let mut length: Option<usize> = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue; // stray blank lines between messages
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':')
                && name.trim().eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().ok();
            }
        }
        let Some(length) = length else {
            tracing::error!("a message without a valid Content-Length header was skipped");
            stdout.write_frame(&error_reply(Value::Null, -32700, "Parse error: missing Content-Length").to_string());
            continue;
        };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        match check(&body) {
            Ok(is_exit) => {
                let header = format!("Content-Length: {length}\r\n\r\n");
                if to_server.write_all(header.as_bytes()).await.is_err() || to_server.write_all(&body).await.is_err() {
                    return;
                }
                if is_exit {
                    exit_seen.notify_one();
                }
            }
            Err(reply) => {
                tracing::error!("malformed message answered with an error: {reply}");
                stdout.write_frame(&reply.to_string());
            }
        }
    }
}
