//! The language server under hostile or heavy input, against the real binary over stdio: broken
//! framing, bursts of edits, fix-all beside hovers, and settings that arrive after `initialize`.

use interview_lens_tests::lsp_client::{LspClient, apply_text_edits, pos};
use interview_lens_tests::project;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/interview-lens-test/reliability.py";
const MUTABLE: &str = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n";

fn hover(client: &mut LspClient, uri: &str, line: u32, character: u32) -> Value {
    client.request("textDocument/hover", json!({"textDocument": {"uri": uri}, "position": pos(line, character)}))
}

/// The server still answers a request and still analyses a document.
fn assert_serving(client: &mut LspClient) {
    assert!(client.is_running(), "the server exited");
    let uri = "file:///tmp/interview-lens-test/still-serving.py";
    client.open(uri, MUTABLE);
    assert_eq!(client.diagnostics(uri, Some(1)).len(), 1);
    assert!(hover(client, uri, 0, 22)["contents"]["value"].as_str().is_some_and(|v| v.contains("bucket")));
}

fn hover_body(id: i64) -> String {
    json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
           "params": {"textDocument": {"uri": URI}, "position": pos(0, 0)}})
    .to_string()
}

#[test]
fn a_content_length_of_u64_max_is_an_error_for_that_request_and_serving_goes_on() {
    let mut client = LspClient::started();
    let mut bytes = b"Content-Length: 18446744073709551615\r\n\r\n".to_vec();
    bytes.extend_from_slice(hover_body(500).as_bytes());
    client.send_bytes(&bytes);
    let reply = client.wait_for(|m| m["id"] == 500).expect("an answer to the oversized request");
    assert_eq!(reply["error"]["code"], -32600, "{reply}");
    assert!(reply["error"]["message"].as_str().unwrap().contains("limit"), "{reply}");
    assert_serving(&mut client);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn a_lying_length_of_4e9_does_not_swallow_the_messages_after_it() {
    let mut client = LspClient::started();
    client.open(URI, MUTABLE);
    client.diagnostics(URI, Some(1));
    // A notification claiming 4 GB, followed at once by ordinary messages.
    let change = json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": "x = 1\n"}]}});
    let mut bytes = b"Content-Length: 4000000000\r\n\r\n".to_vec();
    bytes.extend_from_slice(change.to_string().as_bytes());
    client.send_bytes(&bytes);
    let reply = client.wait_for(|m| m.get("error").is_some()).expect("an error reply");
    assert!(reply["id"].is_null(), "no id to answer: JSON-RPC's null id ({reply})");
    let warning = client.wait_for(|m| m["method"] == "window/showMessage").expect("the user is told");
    assert!(warning["params"]["message"].as_str().unwrap().contains("skipped"), "{warning}");
    // The skipped change did not apply; the next one does.
    let answer = hover(&mut client, URI, 0, 22);
    assert!(answer["contents"]["value"].as_str().unwrap().contains("bucket"), "{answer}");
    assert_serving(&mut client);
}

#[test]
fn an_endless_header_line_is_not_buffered() {
    let mut client = LspClient::started();
    let pid = client.pid();
    // 200 MB in one header line; the server keeps only a few kilobytes of it.
    let chunk = vec![b'a'; 1 << 20];
    client.send_bytes(b"X-Junk: ");
    for _ in 0..200 {
        client.send_bytes(&chunk);
    }
    client.send_bytes(b"\r\n");
    client.send_raw(hover_body(600).as_bytes());
    let reply = client.wait_for(|m| m["id"] == 600).expect("the request after the long line is answered");
    assert!(reply.get("error").is_none(), "{reply}");
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let peak_kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    assert!(peak_kb < 150 * 1024, "peak RSS {peak_kb} kB after a 200 MB header line");
    // Too many header lines, and a header without a length: errors, then serving goes on.
    client.send_bytes("X-A: 1\r\n".repeat(100).as_bytes());
    client.send_bytes(b"\r\nX-B: 2\r\n\r\n");
    let reply = client.wait_for(|m| m["error"]["code"] == -32700).expect("a parse error");
    assert!(reply["id"].is_null());
    assert_serving(&mut client);
}

#[test]
fn a_body_shorter_than_its_length_resynchronises_on_the_next_header() {
    let mut client = LspClient::started();
    let body = hover_body(700);
    let mut bytes = format!("Content-Length: {}\r\n\r\n", body.len() - 10).into_bytes();
    bytes.extend_from_slice(body.as_bytes());
    client.send_bytes(&bytes);
    let reply = client.wait_for(|m| m["error"]["code"] == -32700).expect("the cut body is a parse error");
    assert!(reply["id"].is_null());
    assert_serving(&mut client);
}

/// A large module whose findings sit near the top; the edits toggle a character far below.
fn large_module(blocks: usize) -> String {
    let mut text = String::from(MUTABLE);
    for i in 0..blocks {
        text.push_str(&format!(
            "\n\ndef helper_{i}(values, limit=10):\n    \"\"\"Sums the values under the limit.\"\"\"\n    total = 0\n    for v in values:\n        if v < limit:\n            total += v\n    return total\n"
        ));
    }
    text
}

#[test]
fn a_burst_of_ten_thousand_changes_is_analysed_once_or_twice_not_per_change() {
    let mut client = LspClient::start_with_env(&[("INTERVIEW_LENS_TEST_HOOKS", "1")]);
    client.initialize(json!({}), Value::Null);
    let text = large_module(330);
    assert!(text.len() > 40_000, "{}", text.len());
    client.open(URI, &text);
    let on_open = client.diagnostics(URI, Some(1));
    assert_eq!(on_open.len(), 1);
    let stats = |client: &mut LspClient| {
        client.request("workspace/executeCommand", json!({"command": "interview-lens.testStats"}))["analyses"]
            .as_u64()
            .unwrap()
    };
    let before = stats(&mut client);
    let line = u32::try_from(text.lines().count() - 2).unwrap();
    let mut burst = Vec::new();
    for k in 0..10_000 {
        let insert = k % 2 == 0;
        let range = json!({"start": pos(line, 4), "end": pos(line, if insert { 4 } else { 5 })});
        burst.extend(LspClient::notification_frame(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": k + 2},
                   "contentChanges": [{"range": range, "text": if insert { "x" } else { "" }}]}),
        ));
    }
    // Applying 10,000 changes to a 44 kB text takes the debug build a while on a busy machine.
    client.set_timeout(std::time::Duration::from_secs(300));
    client.send_bytes(&burst);
    // The request after the burst sees the newest text (the finding is still at the top).
    let answer = hover(&mut client, URI, 0, 22);
    assert!(answer["contents"]["value"].as_str().unwrap().contains("bucket"), "{answer}");
    let last = client.diagnostics(URI, Some(10_001));
    assert_eq!(last, on_open, "ten thousand toggles restore the text");
    let analyses = stats(&mut client) - before;
    assert!(analyses < 1_000, "{analyses} analyses for 10,000 changes: not coalesced");
    // Every publish before the last one has been read by now.
    let publishes = client.take_read(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == URI);
    assert!(publishes.len() < 1_000, "{} publishes for 10,000 changes", publishes.len());
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn a_hover_is_answered_while_fix_alls_run() {
    let mut client = LspClient::started();
    // Many safe fixes: fix-all re-analyses the whole file, which takes far longer than a hover.
    let mut text = String::from(MUTABLE);
    for i in 0..3_000 {
        text.push_str(&format!("def check_{i}(x):\n    try:\n        x({i})\n    except:\n        raise\n"));
    }
    client.open(URI, &text);
    assert!(client.diagnostics(URI, Some(1)).len() > 3_000);
    let fix_all = json!({"textDocument": {"uri": URI}, "range": {"start": pos(0, 0), "end": pos(0, 0)},
                         "context": {"diagnostics": [], "only": ["source.fixAll"]}});
    let first = client.send_request("textDocument/codeAction", fix_all.clone());
    let second = client.send_request("textDocument/codeAction", fix_all);
    let hover_id =
        client.send_request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
    // Whatever comes first among the three answers must be the hover: fix-all no longer holds the
    // threads that answer requests.
    let first_answer = client
        .wait_for(|m| m.get("method").is_none() && [first, second, hover_id].iter().any(|id| m["id"] == *id))
        .expect("an answer");
    assert_eq!(first_answer["id"], hover_id, "a fix-all was answered before the hover");
    assert!(first_answer["result"]["contents"]["value"].as_str().unwrap().contains("bucket"));
    for id in [first, second] {
        let response = client.response(id);
        let action = &response["result"][0];
        assert_eq!(action["kind"], "source.fixAll.interview-lens", "{response}");
        let fixed = apply_text_edits(&text, action["edit"]["changes"][URI].as_array().unwrap());
        assert!(!fixed.contains("except:") && fixed.contains("    except BaseException:\n"), "safe fixes applied");
    }
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn settings_pulled_at_initialized_apply_to_the_first_diagnostics() {
    let mut client = LspClient::start();
    client.set_configuration(json!({"ignore": ["mutable-default-argument"]}));
    client.initialize(json!({"workspace": {"configuration": true}}), Value::Null);
    client.open(URI, &format!("{MUTABLE}def g(x):\n    return x is 1\n"));
    let diagnostics = client.diagnostics(URI, Some(1));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["is-vs-eq-literal"], "the ignored rule never shows");
}

/// Multi-root workspaces: each folder's settings (asked for by `scopeUri`) apply to its files, and
/// a settings change or a new folder asks again.
#[test]
fn settings_per_workspace_folder() {
    let dir = project(&[("a/app.py", MUTABLE), ("b/app.py", MUTABLE), ("c/app.py", MUTABLE)]);
    let uri = |folder: &str| format!("file://{}/{folder}", dir.path().display());
    let file = |folder: &str| format!("{}/app.py", uri(folder));
    let mut client = LspClient::start();
    client.set_configuration(json!({}));
    client.set_scoped_configuration(&uri("b"), json!({"ignore": ["mutable-default-argument"]}));
    client.request(
        "initialize",
        json!({"processId": null, "capabilities": {"workspace": {"configuration": true, "workspaceFolders": true}},
               "workspaceFolders": [{"uri": uri("a"), "name": "a"}, {"uri": uri("b"), "name": "b"}]}),
    );
    client.notify("initialized", json!({}));
    client.open(&file("a"), MUTABLE);
    assert_eq!(client.diagnostics(&file("a"), Some(1)).len(), 1, "folder a: the default settings");
    client.open(&file("b"), MUTABLE);
    assert!(client.diagnostics(&file("b"), Some(1)).is_empty(), "folder b ignores the rule");

    // A changed folder setting is asked for again on didChangeConfiguration.
    client.set_scoped_configuration(&uri("a"), json!({"ignore": ["mutable-default-argument"]}));
    client.set_scoped_configuration(&uri("b"), json!({}));
    client.notify("workspace/didChangeConfiguration", json!({"settings": null}));
    let mut seen = std::collections::HashMap::new();
    while seen.len() < 2 {
        let m = client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics").expect("diagnostics");
        seen.insert(
            m["params"]["uri"].as_str().unwrap().to_string(),
            m["params"]["diagnostics"].as_array().unwrap().len(),
        );
    }
    assert_eq!((seen[&file("a")], seen[&file("b")]), (0, 1), "{seen:?}");

    // A folder added later gets its own settings too.
    client.set_scoped_configuration(&uri("c"), json!({"ignore": ["mutable-default-argument"]}));
    client.notify(
        "workspace/didChangeWorkspaceFolders",
        json!({"event": {"added": [{"uri": uri("c"), "name": "c"}], "removed": []}}),
    );
    client.open(&file("c"), MUTABLE);
    // The folder's settings arrive asynchronously: a file opened before they are applied is
    // published once with the defaults, then again when every open file is refreshed.
    let c = file("c");
    let settled = client.wait_for(|m| {
        m["method"] == "textDocument/publishDiagnostics"
            && m["params"]["uri"] == c.as_str()
            && m["params"]["diagnostics"].as_array().is_some_and(Vec::is_empty)
    });
    assert!(settled.is_some(), "folder c ignores the rule");
    assert_eq!(client.shutdown_and_exit(), 0);
}

const CARD: &str = "+++\nid = \"team-style\"\ntitle = \"Team style\"\nlevel = \"junior\"\nkind = \"practice\"\ntopic = \"Team\"\nquestion = \"Q?\"\nreferences = []\n+++\n## Strong answer\nA.\n## Red flag\nB.\n## How it is scored\nC.\n## Follow-ups\n- D?\n- E?\n## Example\n```python\nx = 1\n```\n";

fn card_ids(client: &mut LspClient) -> Vec<String> {
    let cards = client.request("workspace/executeCommand", json!({"command": "interview-lens.listCards"}));
    cards.as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn card_folders_from_settings_are_listed_before_any_document_is_open() {
    let other = CARD.replace("team-style", "review-style").replace("Team style", "Review style");
    let dir = project(&[("cards/team-style.md", CARD), ("more/review-style.md", &other)]);
    let folder = dir.path().join("cards").display().to_string();
    let mut client = LspClient::start();
    client.initialize(json!({}), json!({"cards": [folder]}));
    let ids = card_ids(&mut client);
    assert!(ids.iter().any(|id| id == "team-style"), "{ids:?}");
    assert!(ids.iter().any(|id| id == "mutable-default-argument"), "built-in cards stay");
    let card = client.request(
        "workspace/executeCommand",
        json!({"command": "interview-lens.showCard", "arguments": ["team-style"]}),
    );
    assert!(card.as_str().unwrap().contains("Team style"), "{card}");
    // Changed settings: the new folder replaces the old one.
    let folder = dir.path().join("more").display().to_string();
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"interviewLens": {"cards": [folder]}}}));
    let ids = card_ids(&mut client);
    assert!(ids.iter().any(|id| id == "review-style") && !ids.iter().any(|id| id == "team-style"), "{ids:?}");
}

#[test]
fn card_folders_pulled_at_initialized_are_listed() {
    let dir = project(&[("cards/team-style.md", CARD)]);
    let mut client = LspClient::start();
    client.set_configuration(json!({"cards": [dir.path().join("cards").display().to_string()]}));
    client.initialize(json!({"workspace": {"configuration": true}}), Value::Null);
    let ids = card_ids(&mut client);
    assert!(ids.iter().any(|id| id == "team-style"), "{ids:?}");
}
