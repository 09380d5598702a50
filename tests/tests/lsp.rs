//! The language server over stdio, against the real binary.

use interview_lens_tests::lsp_client::{LspClient, apply_text_edits, pos};
use interview_lens_tests::{project, run_in};
use serde_json::{Value, json};

const URI: &str = "file:///tmp/interview-lens-test/app.py";
const MUTABLE: &str = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n";

fn change(client: &mut LspClient, uri: &str, version: i64, changes: Value) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
    );
}

#[test]
fn open_diagnose_hover_fix_and_clear() {
    let mut client = LspClient::start();
    let init = client.initialize(json!({}), Value::Null);
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["textDocumentSync"]["change"], 2, "incremental sync");
    assert_eq!(caps["hoverProvider"], true);

    client.open(URI, MUTABLE);
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["source"], "interview-lens");
    assert_eq!(d["code"], "mutable-default-argument");
    assert_eq!(d["severity"], 2);
    assert_eq!(d["range"], json!({"start": pos(0, 21), "end": pos(0, 23)}));
    // Code actions re-read the analysis; nothing reads a payload in `data`, so none is sent.
    assert!(d.get("data").is_none(), "{d}");

    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.starts_with("**`bucket=[]` is created once"), "{markdown}");
    // Compact by default: the question, the red flag in a sentence, the strong-answer line, a link.
    for part in [
        "**Interview question:** What is wrong with `def add_tag(tag, tags=[])`",
        "**Red flag:** `def f(x, acc=[])` or `def f(opts={})` whose body appends to or updates the default, so state leaks from one call into the next and tests pass or fail depending on the order they run in.\n",
        "**Scored strong:** says the default is evaluated once",
        "(command:interview-lens.showCard?%5B%22mutable-default-argument%22%5D)",
        "`:InterviewLensCard`",
    ] {
        assert!(markdown.contains(part), "{part} missing in {markdown}");
    }
    for part in ["**Strong answer.**", "**Follow-ups.**", "```"] {
        assert!(!markdown.contains(part), "the compact hover has {part}: {markdown}");
    }
    assert!(!markdown.contains('<'), "no raw HTML");

    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = actions.as_array().unwrap();
    let titles: Vec<&str> = actions.iter().map(|a| a["title"].as_str().unwrap()).collect();
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().contains("None` sentinel"))
        .unwrap_or_else(|| panic!("{titles:?}"));
    assert_eq!(fix["isPreferred"], false, "unsafe fixes are not preferred");
    assert_eq!(fix["diagnostics"][0]["code"], "mutable-default-argument");
    assert!(titles.iter().any(|t| t.starts_with("Ignore `mutable-default-argument` on this line")), "{titles:?}");
    let card = actions.iter().find(|a| a["title"].as_str().unwrap().starts_with("Show interview card")).unwrap();
    assert_eq!(card["command"]["command"], "interview-lens.showCard");

    let edits = fix["edit"]["changes"][URI].as_array().unwrap();
    let fixed = apply_text_edits(MUTABLE, edits);
    assert!(fixed.contains("if bucket is None:"), "{fixed}");
    change(&mut client, URI, 2, json!([{"text": fixed}]));
    assert!(client.diagnostics(URI, Some(2)).is_empty(), "the finding is gone");

    // The link's command returns the whole card.
    let markdown = client.request(
        "workspace/executeCommand",
        json!({"command": "interview-lens.showCard", "arguments": ["mutable-default-argument"]}),
    );
    let markdown = markdown.as_str().unwrap();
    for part in ["**Interview question:**", "**Strong answer.**", "**Red flag.**", "**Follow-ups.**", "**Flagged:**"] {
        assert!(markdown.contains(part), "{part} missing in {markdown}");
    }
    assert_eq!(client.shutdown_and_exit(), 0);
}

/// `hover = "full"` keeps the whole card in the hover.
#[test]
fn the_full_hover_setting_shows_the_whole_card() {
    let mut client = LspClient::start();
    client.initialize(json!({}), json!({"hover": "full"}));
    client.open(URI, MUTABLE);
    client.diagnostics(URI, Some(1));
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
    let markdown = hover["contents"]["value"].as_str().unwrap();
    for part in [
        "**`bucket=[]` is created once",
        "**Interview question:**",
        "**Strong answer.**",
        "**Red flag.**",
        "**How it is scored.**",
        "**Follow-ups.**",
    ] {
        assert!(markdown.contains(part), "{part} missing in {markdown}");
    }
    assert!(!markdown.contains("command:"), "{markdown}");
    assert_eq!(client.shutdown_and_exit(), 0);
}

/// Incremental edits, applied in order, end with the same findings `check` reports on the text.
#[test]
fn incremental_edits_match_check_on_the_final_text() {
    let mut client = LspClient::started();
    let uri = "file:///tmp/interview-lens-test/edits.py";
    client.open(uri, "x = 1\n");
    client.diagnostics(uri, Some(1));
    let edits = [
        (json!({"start": pos(1, 0), "end": pos(1, 0)}), "def f(a=[]):\n    a.append(1)\n"),
        (json!({"start": pos(0, 0), "end": pos(0, 5)}), "y = 'é😀'; w = y is 'z'"),
        (json!({"start": pos(1, 8), "end": pos(1, 10)}), "{}"),
        (json!({"start": pos(3, 0), "end": pos(3, 0)}), "def g(b=[], c=set()):\n    b.append(c)\n"),
        (json!({"start": pos(3, 8), "end": pos(3, 10)}), "None"),
    ];
    let mut version = 1;
    for (range, text) in edits {
        version += 1;
        change(&mut client, uri, version, json!([{"range": range, "text": text}]));
    }
    let diagnostics = client.diagnostics(uri, Some(version));
    let final_text =
        "y = 'é😀'; w = y is 'z'\ndef f(a={}):\n    a.append(1)\ndef g(b=None, c=set()):\n    b.append(c)\n";
    let dir = project(&[("edits.py", final_text)]);
    let cli: Vec<Value> =
        serde_json::from_str(&run_in(dir.path(), &["check", "--format", "json", "edits.py"]).stdout).unwrap();
    let from_lsp: Vec<(String, u64)> = diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap().to_string(), d["range"]["start"]["line"].as_u64().unwrap() + 1))
        .collect();
    let from_cli: Vec<(String, u64)> = cli
        .iter()
        .map(|i| (i["rule"].as_str().unwrap().to_string(), i["range"]["start"]["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(from_lsp, from_cli);
    assert!(from_cli.len() >= 3, "{from_cli:?}");
}

/// Columns after emoji and CJK text, in both encodings.
#[test]
fn both_position_encodings_handle_non_ascii_lines() {
    let text = "s = '😀漢字'; f = lambda a=[]: a\n";
    for (offered, expected_encoding, start) in
        [(json!(["utf-8", "utf-16"]), "utf-8", 31), (json!(["utf-16"]), "utf-16", 25)]
    {
        let mut client = LspClient::start();
        let init = client.initialize(json!({"general": {"positionEncodings": offered}}), Value::Null);
        assert_eq!(init["capabilities"]["positionEncoding"], expected_encoding);
        client.open(URI, text);
        let diagnostics = client.diagnostics(URI, Some(1));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0]["range"]["start"], pos(0, start), "{expected_encoding}");
        // Hover at the same position finds the finding again.
        let hover =
            client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, start + 1)}));
        assert!(hover["contents"]["value"].as_str().unwrap().contains("`a=[]`"), "{expected_encoding}: {hover}");
        // An edit after the emoji lands where the client meant it.
        change(
            &mut client,
            URI,
            2,
            json!([{"range": {"start": pos(0, start), "end": pos(0, start + 2)}, "text": "None"}]),
        );
        assert!(client.diagnostics(URI, Some(2)).is_empty(), "{expected_encoding}");
    }
}

#[test]
fn crlf_documents_keep_positions_right() {
    let mut client = LspClient::started();
    client.open(URI, "x = 1\r\ndef f(a=[]):\r\n    a.append(1)\r\n");
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(diagnostics[0]["range"], json!({"start": pos(1, 8), "end": pos(1, 10)}));
}

#[test]
fn a_half_typed_line_keeps_the_other_findings() {
    let mut client = LspClient::started();
    client.open(URI, "def f(a=[]):\n    a.append(1)\n\ndef g(b={}):\n    b[1] = 2\n");
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 2);
    change(&mut client, URI, 2, json!([{"range": {"start": pos(2, 0), "end": pos(2, 0)}, "text": "x = foo(1, "}]));
    let diagnostics = client.diagnostics(URI, Some(2));
    let codes: Vec<&str> = diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["mutable-default-argument", "mutable-default-argument"]);
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let mut client = LspClient::start();
    let init = client.initialize(
        json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}},
               "workspace": {"diagnostics": {"refreshSupport": true}}}),
        Value::Null,
    );
    assert_eq!(init["capabilities"]["diagnosticProvider"]["identifier"], "interview-lens");
    client.open(URI, MUTABLE);
    let report = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": URI}}));
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"][0]["code"], "mutable-default-argument");
    let unknown = client.request("textDocument/diagnostic", json!({"textDocument": {"uri": "file:///nowhere.py"}}));
    assert_eq!(unknown["items"], json!([]));
    assert_eq!(client.shutdown_and_exit(), 0);
}

/// A client that pulls but cannot be asked to pull again (Neovim 0.11) gets pushed diagnostics, so
/// a settings change still updates them.
#[test]
fn push_diagnostics_when_the_client_cannot_refresh_its_pulls() {
    let mut client = LspClient::start();
    let init = client.initialize(json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}}), Value::Null);
    assert!(init["capabilities"].get("diagnosticProvider").is_none(), "{init}");
    client.open(URI, MUTABLE);
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 1);
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"interviewLens": {"ignore": ["mutable-default-argument"]}}}),
    );
    assert!(client.diagnostics(URI, Some(1)).is_empty(), "the settings change is pushed");
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn concept_hovers_and_suppression_hovers() {
    let text = "import functools\n\n@functools.cache\ndef gen(n):\n    yield n\n\nx = [] * 2  # interview-lens: ignore[bare-except]\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    client.diagnostics(URI, Some(1));
    let hover = |client: &mut LspClient, line, character| -> String {
        let result = client
            .request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(line, character)}));
        result["contents"]["value"].as_str().unwrap_or_default().to_string()
    };
    assert!(hover(&mut client, 4, 6).contains("### "), "yield teaches generators");
    assert!(hover(&mut client, 4, 6).to_lowercase().contains("generator"));
    assert!(hover(&mut client, 2, 3).to_lowercase().contains("decorator"));
    let suppression = hover(&mut client, 6, 40);
    assert!(suppression.to_lowercase().contains("except"), "{suppression}");

    // Settings can turn concept hovers off.
    client.notify("workspace/didChangeConfiguration", json!({"settings": {"interviewLens": {"conceptHovers": false}}}));
    client.diagnostics(URI, None);
    assert_eq!(hover(&mut client, 4, 6), "");
}

#[test]
fn ignore_on_this_line_adds_or_extends_the_comment() {
    let text =
        "def f(a=[], b={}):  # interview-lens: ignore[bare-except]\n    a.append(b)\ndef g(c=[]):\n    c.append(1)\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(diagnostics.len(), 3);
    let ignore = |client: &mut LspClient, d: &Value| -> String {
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
        );
        let action = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"].as_str().unwrap().starts_with("Ignore"))
            .cloned()
            .unwrap();
        apply_text_edits(text, action["edit"]["changes"][URI].as_array().unwrap())
    };
    let first = ignore(&mut client, &diagnostics[0]);
    assert!(
        first.starts_with("def f(a=[], b={}):  # interview-lens: ignore[bare-except, mutable-default-argument]\n"),
        "{first}"
    );
    let third = ignore(&mut client, &diagnostics[2]);
    assert!(third.contains("def g(c=[]):  # interview-lens: ignore[mutable-default-argument]\n"), "{third}");
}

#[test]
fn settings_warnings_name_the_key_and_the_server_keeps_serving() {
    let mut client = LspClient::start();
    client.initialize(json!({}), json!({"level": "expert", "colour": 1}));
    let message = client
        .wait_for(|m| {
            m["method"] == "window/showMessage" && m["params"]["message"].as_str().unwrap().contains("`level`")
        })
        .unwrap();
    assert_eq!(message["params"]["type"], 2, "a warning");
    assert!(
        client
            .wait_for(|m| m["method"] == "window/showMessage"
                && m["params"]["message"].as_str().unwrap().contains("`colour`"))
            .is_some()
    );
    client.open(URI, MUTABLE);
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 1, "defaults still apply");
}

#[test]
fn pyproject_changes_reanalyse_open_files() {
    let dir = project(&[("pyproject.toml", "[tool.interview-lens]\nselect = [\"bare-except\"]\n"), ("m.py", MUTABLE)]);
    let uri = format!("file://{}/m.py", dir.path().display());
    let mut client = LspClient::start();
    client.initialize(json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}), Value::Null);
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability").expect("a watcher registration");
    assert_eq!(registration["params"]["registrations"][0]["method"], "workspace/didChangeWatchedFiles");
    assert_eq!(
        registration["params"]["registrations"][0]["registerOptions"]["watchers"][0]["globPattern"],
        "**/pyproject.toml"
    );
    client.open(&uri, MUTABLE);
    assert!(client.diagnostics(&uri, Some(1)).is_empty(), "pyproject selects another rule");
    std::fs::write(dir.path().join("pyproject.toml"), "[tool.interview-lens]\nlevel = \"senior\"\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": format!("file://{}/pyproject.toml", dir.path().display()), "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&uri, Some(1)).len(), 1);
}

#[test]
fn an_edited_pyproject_applies_on_the_next_change_without_a_watcher() {
    let dir = project(&[("pyproject.toml", "[tool.interview-lens]\nselect = [\"bare-except\"]\n"), ("m.py", MUTABLE)]);
    let uri = format!("file://{}/m.py", dir.path().display());
    let mut client = LspClient::started();
    client.open(&uri, MUTABLE);
    assert!(client.diagnostics(&uri, Some(1)).is_empty());
    let pyproject = dir.path().join("pyproject.toml");
    std::fs::write(&pyproject, "[tool.interview-lens]\nlevel = \"senior\"\n").unwrap();
    // A distinct modification time even on coarse file-system clocks.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    std::fs::File::options().write(true).open(&pyproject).unwrap().set_modified(later).unwrap();
    change(&mut client, &uri, 2, json!([{"text": MUTABLE}]));
    assert_eq!(client.diagnostics(&uri, Some(2)).len(), 1);
}

#[test]
fn robustness_bad_requests_get_errors_or_empty_results() {
    let mut client = LspClient::started();
    // Unknown document.
    let hover = client
        .request("textDocument/hover", json!({"textDocument": {"uri": "file:///nope.py"}, "position": pos(0, 0)}));
    assert!(hover.is_null());
    client.open(URI, MUTABLE);
    client.diagnostics(URI, Some(1));
    // Positions far past the end.
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(999, 999)}));
    assert!(hover.is_null() || hover.is_object());
    // Inverted range.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": pos(2, 0), "end": pos(0, 0)}, "context": {"diagnostics": []}}),
    );
    assert!(actions.as_array().is_some_and(|a| !a.is_empty()));
    // Malformed params.
    let response = client.request_full("textDocument/hover", json!({"textDocument": 42}));
    assert!(response.get("error").is_some(), "{response}");
    // Unknown command.
    let response = client.request_full("workspace/executeCommand", json!({"command": "nope", "arguments": []}));
    assert!(response.get("error").is_some());
    // A malformed JSON-RPC message, then a change past the end of the document.
    client.send_raw(b"{this is not json");
    let reply = client.wait_for(|m| m["error"]["code"] == -32700).expect("a parse error reply");
    assert!(reply["id"].is_null());
    client.send_raw(br#"{"jsonrpc": "2.0", "id": 77, "params": 3}"#);
    let reply = client.wait_for(|m| m["error"]["code"] == -32600).expect("an invalid request reply");
    assert_eq!(reply["id"], 77);
    change(&mut client, URI, 2, json!([{"range": {"start": pos(50, 3), "end": pos(40, 0)}, "text": "\nx = 1 is 1\n"}]));
    assert!(!client.diagnostics(URI, Some(2)).is_empty());
    assert!(client.is_running());
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn huge_and_deeply_nested_documents_are_served() {
    let mut client = LspClient::started();
    // 5 MB of ordinary code with a finding at each end.
    let filler = "def helper(x):\n    # a comment that takes some room\n    return [i * 2 for i in range(x)]\n\n";
    let huge = format!("{MUTABLE}{}{MUTABLE}", filler.repeat(5 * 1024 * 1024 / filler.len()));
    client.open(URI, &huge);
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 2);
    let deep_uri = "file:///tmp/interview-lens-test/deep.py";
    let deep = format!("x = {}{}\ndef f(a=[]):\n    a.append(1)\n", "(".repeat(100_000), ")".repeat(100_000));
    client.open(deep_uri, &deep);
    assert_eq!(client.diagnostics(deep_uri, Some(1)).len(), 1);
    let hover =
        client.request("textDocument/hover", json!({"textDocument": {"uri": deep_uri}, "position": pos(0, 50_000)}));
    assert!(hover.is_null() || hover.is_object());
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn a_panic_inside_a_request_is_an_error_and_serving_goes_on() {
    let mut client = LspClient::start_with_env(&[("INTERVIEW_LENS_TEST_HOOKS", "1")]);
    client.initialize(json!({}), Value::Null);
    let response = client
        .request_full("workspace/executeCommand", json!({"command": "interview-lens.testPanic", "arguments": []}));
    assert_eq!(response["error"]["code"], -32603, "{response}");
    client.open(URI, MUTABLE);
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 1);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_one() {
    let mut client = LspClient::started();
    client.notify("exit", Value::Null);
    assert_eq!(client.wait_exit(), 1);
}

/// `pos` for the first occurrence of `needle` in an ASCII `text`, `skip` characters into it.
fn pos_of(text: &str, needle: &str, skip: usize) -> Value {
    let offset = text.find(needle).unwrap_or_else(|| panic!("{needle} not in the text")) + skip;
    let line = text[..offset].matches('\n').count();
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    pos(line as u32, (offset - line_start) as u32)
}

// catalogue wave 1: concepts
#[test]
fn wave1_concept_hovers_show_their_cards_and_refactors_apply() {
    let text = "import copy\nfrom collections import OrderedDict\n\ndef f(items, *args, **kwargs):\n    a = copy.copy(items)\n    d = OrderedDict()\n    if (m := len(items)):\n        pass\n    match m:\n        case 1:\n            pass\n    x = 1\n    x = 'one'\n    if hasattr(items, 'get'):\n        pass\n    return [i * 2 for i in items], {(1, 2): x}, (a, d)\n\ndef g(items):\n    n = items.get(1)\n    if n:\n        return n\n    return None\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    assert!(client.diagnostics(URI, Some(1)).is_empty(), "the text is clean");
    let hover = |client: &mut LspClient, at: Value| -> String {
        let result = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": at}));
        result["contents"]["value"].as_str().unwrap_or_default().to_string()
    };
    for (needle, skip, title) in [
        ("*args", 1, "### *args, **kwargs and keyword-only parameters"),
        ("copy.copy", 6, "### Shallow and deep copies"),
        ("OrderedDict()", 2, "### Ordered dicts and OrderedDict"),
        ("m := len", 2, "### Assignment expressions (:=)"),
        ("match m", 2, "### Structural pattern matching"),
        ("case 1", 1, "### Structural pattern matching"),
        ("hasattr(items", 3, "### Duck typing, Protocols and ABCs"),
        ("[i * 2", 0, "### Comprehensions"),
        (", {(1, 2)", 0, "### List or tuple"),
        ("(1, 2): x", 1, "### List or tuple"),
    ] {
        let markdown = hover(&mut client, pos_of(text, needle, skip));
        assert!(markdown.contains(title), "{needle}: {markdown}");
        // The compact hover (the default) links to the whole card.
        assert!(markdown.contains("command:interview-lens.showCard"), "{needle}: {markdown}");
    }
    // The rebinding's hover names both bindings above the card.
    let markdown = hover(&mut client, pos_of(text, "x = 'one'", 0));
    assert!(
        markdown.starts_with("**`x` was bound to a number on line 12; here the same name is rebound to a str**"),
        "{markdown}"
    );
    assert!(markdown.contains("### Dynamic typing: one name, two types"), "{markdown}");
    // Plain names are not anchors, inside a comprehension or a returned tuple either.
    assert_eq!(hover(&mut client, pos_of(text, "items.get", 1)), "");
    assert_eq!(hover(&mut client, pos_of(text, "i * 2", 4)), "");

    let refactor = |client: &mut LspClient, at: Value, title: &str| -> String {
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
        );
        let action = actions
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["title"] == title)
            .cloned()
            .unwrap_or_else(|| panic!("no {title} in {actions}"));
        assert_eq!(action["kind"], "refactor.rewrite");
        assert_ne!(action["isPreferred"], true, "a refactor is never the preferred fix");
        let fixed = apply_text_edits(text, action["edit"]["changes"][URI].as_array().unwrap());
        interview_lens_tests::cpython_parses(&fixed).unwrap_or_else(|e| panic!("{fixed}\n{e}"));
        fixed
    };
    let deep = refactor(&mut client, pos_of(text, "copy.copy", 6), "Switch to deepcopy");
    assert!(deep.contains("    a = copy.deepcopy(items)\n"), "{deep}");
    let merged = refactor(&mut client, pos_of(text, "n = items", 0), "Use assignment expression");
    assert!(merged.contains("def g(items):\n    if (n := items.get(1)):\n        return n\n"), "{merged}");
    assert_eq!(client.shutdown_and_exit(), 0);
}

/// The refactor titled `title` offered at `at` (an empty range), applied to `text`: it must be a
/// `refactor.rewrite` that is never preferred, and leave code CPython parses.
fn apply_refactor(client: &mut LspClient, text: &str, at: Value, title: &str) -> String {
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at}, "context": {"diagnostics": []}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("no {title} in {actions}"));
    assert_eq!(action["kind"], "refactor.rewrite");
    assert_ne!(action["isPreferred"], true, "a refactor is never the preferred fix");
    let fixed = apply_text_edits(text, action["edit"]["changes"][URI].as_array().unwrap());
    interview_lens_tests::cpython_parses(&fixed).unwrap_or_else(|e| panic!("{fixed}\n{e}"));
    fixed
}

#[test]
fn convert_to_match_is_offered_on_a_long_if_chain() {
    let text = "def label(code):\n    if code == 200:\n        return 'ok'\n    elif code == 404:\n        return 'missing'\n    elif code == Status.GONE or code is None:\n        return 'gone'\n    elif isinstance(code, str):\n        return 'text'\n    else:\n        return 'other'\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    assert!(client.diagnostics(URI, Some(1)).is_empty(), "the text is clean");
    let converted = apply_refactor(&mut client, text, pos_of(text, "if code", 1), "Convert to match (Python 3.10+)");
    assert_eq!(
        converted,
        "def label(code):\n    match code:\n        case 200:\n            return 'ok'\n        case 404:\n            return 'missing'\n        case Status.GONE | None:\n            return 'gone'\n        case str():\n            return 'text'\n        case _:\n            return 'other'\n"
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn rename_second_binding_is_offered_where_the_hover_names_both_bindings() {
    let text = "def f(items):\n    x = len(items)\n    x = 1\n    print(x)\n    x = 'one'\n    return x.upper()\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    assert!(client.diagnostics(URI, Some(1)).is_empty(), "the text is clean");
    let renamed =
        apply_refactor(&mut client, text, pos_of(text, "x = 'one'", 0), "Rename second binding of `x` to `x_str`");
    assert_eq!(
        renamed,
        "def f(items):\n    x = len(items)\n    x = 1\n    print(x)\n    x_str = 'one'\n    return x_str.upper()\n"
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn use_assignment_expression_is_offered_on_a_while_loop() {
    let text = "def drain(q):\n    item = q.get()\n    while item is not None:\n        print(item)\n        item = q.get()\n    return 'done'\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    assert!(client.diagnostics(URI, Some(1)).is_empty(), "the text is clean");
    let merged = apply_refactor(&mut client, text, pos_of(text, "item = q", 0), "Use assignment expression");
    assert_eq!(
        merged,
        "def drain(q):\n    while (item := q.get()) is not None:\n        print(item)\n    return 'done'\n"
    );
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn an_ordered_dict_used_as_a_dict_is_a_hint_with_replace_with_dict() {
    let text = "from collections import OrderedDict\n\ndef count(words):\n    seen = OrderedDict()\n    for w in words:\n        seen[w] = seen.get(w, 0) + 1\n    return sorted(seen.items())\n";
    let mut client = LspClient::started();
    client.open(URI, text);
    let diagnostics = client.diagnostics(URI, Some(1));
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    let d = &diagnostics[0];
    assert_eq!(d["code"], "ordered-dict-since-37");
    assert_eq!(d["severity"], 4, "a hint");
    assert!(d["message"].as_str().unwrap().contains("so nothing goes wrong here"), "{d}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": pos_of(text, "OrderedDict()", 2)}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(markdown.starts_with("**`seen` is an `OrderedDict`"), "{markdown}");
    assert!(markdown.contains("Ordered dicts and OrderedDict"), "{markdown}");
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "Replace with dict (unsafe: review the change)")
        .cloned()
        .unwrap_or_else(|| panic!("no Replace with dict in {actions}"));
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], false, "unsafe fixes are not preferred");
    let fixed = apply_text_edits(text, fix["edit"]["changes"][URI].as_array().unwrap());
    assert!(fixed.contains("    seen = dict()\n"), "{fixed}");
    change(&mut client, URI, 2, json!([{"text": fixed}]));
    // The hint is gone (a plain dict counting by hand may meet other rules).
    let after = client.diagnostics(URI, Some(2));
    assert!(after.iter().all(|d| d["code"] != "ordered-dict-since-37"), "{after:?}");
    assert_eq!(client.shutdown_and_exit(), 0);
}
