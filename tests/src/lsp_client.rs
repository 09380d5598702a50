//! A minimal LSP client over stdio for driving the real server in tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub struct LspClient {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    /// Messages read but not yet consumed (notifications while waiting for a response, ...).
    backlog: Vec<Value>,
    next_id: i64,
    /// The answer to `workspace/configuration` (one value per item asked for).
    configuration: Value,
    /// Answers for items with these `scopeUri`s (workspace folders); others get `configuration`.
    scoped: std::collections::HashMap<String, Value>,
    /// How long to wait for any one message.
    timeout: Duration,
    /// The server's data folder and the home it must not write to (checked when the client drops,
    /// after the server is ended).
    sandbox: crate::Sandbox,
}

pub const TIMEOUT: Duration = Duration::from_secs(20);

impl LspClient {
    pub fn start() -> LspClient {
        Self::start_with_env(&[])
    }

    /// A server started and initialized with no capabilities and no options.
    pub fn started() -> LspClient {
        let mut client = Self::start();
        client.initialize(json!({}), Value::Null);
        client
    }

    /// A server in a fresh [`crate::Sandbox`], with `env` set on top of the sandbox's variables.
    pub fn start_with_env(env: &[(&str, &str)]) -> LspClient {
        let sandbox = crate::Sandbox::new();
        let mut child = sandbox
            .command()
            .args(["serve", "--stdio"])
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting the server");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let Some(length) = length else { return };
                let mut body = vec![0; length];
                if reader.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(value) = serde_json::from_slice::<Value>(&body) else { return };
                if tx.send(value).is_err() {
                    return;
                }
            }
        });
        // Drain stderr so the server never blocks on a full pipe.
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut BufReader::new(stderr), &mut std::io::sink());
        });
        let stdin = child.stdin.take();
        LspClient {
            child,
            stdin,
            messages: rx,
            backlog: Vec::new(),
            next_id: 1,
            configuration: Value::Null,
            scoped: std::collections::HashMap::new(),
            timeout: TIMEOUT,
            sandbox,
        }
    }

    /// The server's `INTERVIEW_LENS_DATA_DIR` (unless the test set its own).
    pub fn data_dir(&self) -> std::path::PathBuf {
        self.sandbox.data_dir()
    }

    /// Waits up to `timeout` for each message from now on (default [`TIMEOUT`]): for tests that
    /// send the debug build a lot of work.
    pub fn set_timeout(&mut self, timeout: Duration) {
        self.timeout = timeout;
    }

    /// What the client answers to `workspace/configuration` from now on (default: null).
    pub fn set_configuration(&mut self, value: Value) {
        self.configuration = value;
    }

    /// What the client answers for items scoped to `scope_uri` from now on.
    pub fn set_scoped_configuration(&mut self, scope_uri: &str, value: Value) {
        self.scoped.insert(scope_uri.to_string(), value);
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One body with its `Content-Length` header.
    pub fn frame(body: &[u8]) -> Vec<u8> {
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        frame
    }

    /// A notification as a frame, to send many in one write with [`LspClient::send_bytes`].
    pub fn notification_frame(method: &str, params: Value) -> Vec<u8> {
        let message = json!({"jsonrpc": "2.0", "method": method, "params": params});
        Self::frame(serde_json::to_string(&message).expect("json").as_bytes())
    }

    /// Bytes as they are, framing included (or deliberately broken).
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        self.send_bytes(&Self::frame(body));
    }

    /// Sends a request without waiting; returns its id (see [`LspClient::response`]).
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// The response to request `id`.
    pub fn response(&mut self, id: i64) -> Value {
        self.wait_for(|m| m.get("id") == Some(&json!(id)) && m.get("method").is_none())
            .unwrap_or_else(|| panic!("no response to request {id}"))
    }

    fn send(&mut self, message: Value) {
        self.send_raw(serde_json::to_string(&message).expect("json").as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and returns the whole response (`result` or `error`).
    pub fn request_full(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request and returns its `result`, panicking on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_full(method, params);
        if let Some(error) = response.get("error") {
            panic!("{method} failed: {error}");
        }
        response["result"].clone()
    }

    /// The next message matching `pred` (from the backlog first), answering server requests
    /// (`client/registerCapability`, `workspace/configuration`) as a plain client would.
    pub fn wait_for(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Option<Value> {
        if let Some(i) = self.backlog.iter().position(&mut pred) {
            return Some(self.backlog.remove(i));
        }
        let deadline = Instant::now() + self.timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) => {
                    if message.get("method").is_some() && message.get("id").is_some() {
                        let reply = match message["method"].as_str() {
                            Some("workspace/configuration") => {
                                let items = message["params"]["items"].as_array().cloned().unwrap_or_default();
                                let answer = |item: &Value| {
                                    item["scopeUri"]
                                        .as_str()
                                        .and_then(|uri| self.scoped.get(uri))
                                        .unwrap_or(&self.configuration)
                                        .clone()
                                };
                                Value::Array(items.iter().map(answer).collect())
                            }
                            _ => Value::Null,
                        };
                        self.send(json!({"jsonrpc": "2.0", "id": message["id"], "result": reply}));
                    }
                    if pred(&message) {
                        return Some(message);
                    }
                    self.backlog.push(message);
                }
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    /// Removes and returns the messages already read that match `pred`, without waiting.
    pub fn take_read(&mut self, mut pred: impl FnMut(&Value) -> bool) -> Vec<Value> {
        let (taken, kept) = std::mem::take(&mut self.backlog).into_iter().partition(|m| pred(m));
        self.backlog = kept;
        taken
    }

    /// The next `publishDiagnostics` for `uri` (at `version`, when given).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let message = self
            .wait_for(|m| {
                m["method"] == "textDocument/publishDiagnostics"
                    && m["params"]["uri"] == uri
                    && version.is_none_or(|v| m["params"]["version"] == v)
            })
            .unwrap_or_else(|| panic!("no diagnostics for {uri} (version {version:?})"));
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    pub fn initialize(&mut self, capabilities: Value, options: Value) -> Value {
        let result = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities, "initializationOptions": options}),
        );
        self.notify("initialized", json!({}));
        result
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}}),
        );
    }

    /// `shutdown`, `exit`, and the exit code.
    pub fn shutdown_and_exit(mut self) -> i32 {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    pub fn wait_exit(&mut self) -> i32 {
        drop(self.stdin.take());
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn is_running(&mut self) -> bool {
        self.child.try_wait().expect("wait").is_none()
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An LSP `Position`.
pub fn pos(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// Applies LSP `TextEdit`s (UTF-16 positions) to `text`.
pub fn apply_text_edits(text: &str, edits: &[Value]) -> String {
    let offset = |pos: &Value| -> usize {
        let line = pos["line"].as_u64().unwrap() as usize;
        let character = pos["character"].as_u64().unwrap() as usize;
        let mut start = 0;
        for _ in 0..line {
            start += text[start..].find('\n').map_or(text.len() - start, |i| i + 1);
        }
        let mut units = 0;
        let mut at = start;
        for c in text[start..].chars() {
            if units >= character || c == '\n' {
                break;
            }
            units += c.len_utf16();
            at += c.len_utf8();
        }
        at
    };
    let mut spans: Vec<(usize, usize, String)> = edits
        .iter()
        .map(|e| (offset(&e["range"]["start"]), offset(&e["range"]["end"]), e["newText"].as_str().unwrap().to_string()))
        .collect();
    spans.sort_by_key(|s| std::cmp::Reverse((s.0, s.1)));
    let mut out = text.to_string();
    for (start, end, new) in spans {
        out.replace_range(start..end, &new);
    }
    out
}
