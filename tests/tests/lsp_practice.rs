//! The practice side of the language server, against the real binary: the code lens above each
//! function with findings, the quiz over `workspace/executeCommand`, and the practice events the
//! server records (a card seen in a hover, a finding fixed by an edit).

use std::path::Path;
use std::time::{Duration, Instant};

use interview_lens_tests::lsp_client::{LspClient, pos};
use interview_lens_tests::run_in;
use serde_json::{Value, json};

const URI: &str = "file:///tmp/interview-lens-practice/app.py";
/// Two functions with findings (two cards, then one), one without, and a module-level finding.
const CODE: &str = "\
def add(item, bucket=[]):
    for i in range(len(bucket)):
        print(bucket[i])
    bucket.append(item)
    return bucket


def clean(x):
    return x + 1


def log(tag, tags=[]):
    tags.append(tag)
    return tags


try:
    import json
except:
    json = None
";

fn server(data: &Path) -> LspClient {
    let data = data.to_str().unwrap();
    let mut client = LspClient::start_with_env(&[("INTERVIEW_LENS_DATA_DIR", data)]);
    let init = client.initialize(json!({}), Value::Null);
    let caps = &init["capabilities"];
    assert_eq!(caps["codeLensProvider"], json!({"resolveProvider": false}));
    let commands = caps["executeCommandProvider"]["commands"].as_array().unwrap();
    for command in
        ["interviewLens.quiz.start", "interviewLens.quiz.reveal", "interviewLens.quiz.grade", "interviewLens.quiz.undo"]
    {
        assert!(commands.contains(&json!(command)), "{command} not advertised: {commands:?}");
    }
    client
}

fn progress(data: &Path) -> Value {
    let run = interview_lens_tests::Sandbox::new()
        .command()
        .args(["progress", "--format", "json"])
        .env("INTERVIEW_LENS_DATA_DIR", data)
        .output()
        .expect("progress");
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    serde_json::from_slice(&run.stdout).expect("progress JSON")
}

fn card_stat(data: &Path, id: &str, key: &str) -> u64 {
    let json = progress(data);
    let card = json["cards"].as_array().unwrap().iter().find(|c| c["id"] == id).cloned().unwrap_or_default();
    card[key].as_u64().unwrap_or(0)
}

/// Events are recorded off the request path: poll until one lands.
fn wait_for_stat(data: &Path, id: &str, key: &str, want: u64) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while card_stat(data, id, key) != want {
        assert!(Instant::now() < deadline, "{id}: {key} never became {want} (is {})", card_stat(data, id, key));
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn lenses(client: &mut LspClient) -> Vec<Value> {
    client.request("textDocument/codeLens", json!({"textDocument": {"uri": URI}})).as_array().cloned().unwrap()
}

fn command(client: &mut LspClient, name: &str, argument: Value) -> Value {
    client.request("workspace/executeCommand", json!({"command": name, "arguments": [argument]}))
}

#[test]
fn a_code_lens_above_each_function_with_findings() {
    let data = tempfile::tempdir().unwrap();
    let mut client = server(data.path());
    client.open(URI, CODE);
    assert_eq!(client.diagnostics(URI, Some(1)).len(), 4);
    let lenses = lenses(&mut client);
    let titles: Vec<&str> = lenses.iter().map(|l| l["command"]["title"].as_str().unwrap()).collect();
    // No lens for `clean` (no findings) or for the module-level bare except.
    assert_eq!(titles, ["2 interview questions here — practise", "1 interview question here — practise"]);
    assert_eq!(lenses[0]["range"]["start"], pos(0, 4), "on the function's name");
    assert_eq!(lenses[1]["range"]["start"], pos(11, 4));
    let first = &lenses[0]["command"];
    assert_eq!(first["command"], "interviewLens.practise");
    let argument = &first["arguments"][0];
    assert_eq!(argument["uri"], URI);
    let cards = argument["cards"].as_array().unwrap();
    let ids: Vec<&str> = cards.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["mutable-default-argument", "range-len-loop"]);
    assert_eq!(
        cards[0],
        json!({"id": "mutable-default-argument", "uri": URI, "line": 1, "excerpt": "def add(item, bucket=[]):"})
    );
    assert_eq!(cards[1]["line"], 2);
    assert_eq!(cards[1]["excerpt"], "for i in range(len(bucket)):");

    // Fixing the only finding in `log` removes its lens.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": CODE.replace("def log(tag, tags=[]):\n    tags.append(tag)\n    return tags", "def log(tag):\n    return [tag]")}]}),
    );
    assert_eq!(client.diagnostics(URI, Some(2)).len(), 3);
    assert_eq!(self::lenses(&mut client).len(), 1);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn the_quiz_runs_over_execute_command_and_saves_the_reviews() {
    let data = tempfile::tempdir().unwrap();
    let mut client = server(data.path());
    client.open(URI, CODE);
    client.diagnostics(URI, Some(1));
    let cards = lenses(&mut client)[0]["command"]["arguments"][0]["cards"].clone();

    let view = command(&mut client, "interviewLens.quiz.start", json!({"cards": cards}));
    let session = view["session"].as_str().unwrap().to_string();
    assert_eq!(view["state"], "question");
    assert_eq!((view["position"].as_u64(), view["total"].as_u64()), (Some(0), Some(2)));
    let card = &view["card"];
    assert_eq!(card["id"], "mutable-default-argument");
    assert_eq!(card["level"], "junior");
    assert!(card["question"].as_str().unwrap().contains("def add_tag(tag, tags=[])"), "{card}");
    assert_eq!(card["excerpt"], "def add(item, bucket=[]):");
    assert_eq!(card["location"], json!({"uri": URI, "line": 1}));
    assert!(view.get("reveal").is_none(), "the answer is hidden until revealed: {view}");

    // Grading before revealing is refused, and the server goes on.
    let early = client.request_full(
        "workspace/executeCommand",
        json!({"command": "interviewLens.quiz.grade", "arguments": [{"session": session, "rating": 3}]}),
    );
    assert!(early["error"]["message"].as_str().unwrap().contains("reveal"), "{early}");

    let answer = "Defaults are evaluated once, at def time; use a None sentinel.";
    let view = command(&mut client, "interviewLens.quiz.reveal", json!({"session": session, "answer": answer}));
    assert_eq!(view["state"], "revealed");
    let reveal = &view["reveal"];
    assert_eq!(reveal["answer"], answer);
    assert!(reveal["strong_answer"].as_str().unwrap().contains("__defaults__"), "{reveal}");
    assert!(reveal["scoring"].as_str().unwrap().contains("**Strong:**"), "{reveal}");
    assert_eq!(reveal["follow_ups"].as_array().unwrap().len(), 3);
    // A new card: Again is minutes away, Easy days.
    let intervals = &view["intervals"];
    assert!(intervals["1"].as_str().unwrap().ends_with('m'), "{intervals}");
    assert!(intervals["4"].as_str().unwrap().ends_with('d'), "{intervals}");

    // Again puts the card back at the end of the session; undo takes that back.
    let view = command(&mut client, "interviewLens.quiz.grade", json!({"session": session, "rating": 1}));
    assert_eq!((view["state"].as_str(), view["total"].as_u64()), (Some("question"), Some(3)));
    assert_eq!(view["card"]["id"], "range-len-loop");
    let view = command(&mut client, "interviewLens.quiz.undo", json!({"session": session}));
    assert_eq!((view["card"]["id"].as_str(), view["total"].as_u64()), (Some("mutable-default-argument"), Some(2)));
    assert_eq!(progress(data.path())["reviews"], 0, "the undone review is gone from the store");

    for _ in 0..2 {
        command(&mut client, "interviewLens.quiz.reveal", json!({"session": session, "answer": "my answer"}));
        command(&mut client, "interviewLens.quiz.grade", json!({"session": session, "rating": 3}));
    }
    let done = command(&mut client, "interviewLens.quiz.undo", json!({"session": session}));
    assert_eq!(done["state"], "question", "undo after the last card brings it back");
    command(&mut client, "interviewLens.quiz.reveal", json!({"session": session, "answer": "again"}));
    let done = command(&mut client, "interviewLens.quiz.grade", json!({"session": session, "rating": 4}));
    assert_eq!(done["state"], "done");
    assert_eq!(done["summary"]["reviewed"], 2);
    assert_eq!(done["summary"]["ratings"], json!([0, 0, 1, 1]));

    let stored = progress(data.path());
    assert_eq!(stored["reviews"], 2);
    assert_eq!(card_stat(data.path(), "range-len-loop", "reviews"), 1);

    // A quiz by level and topic: practice-only cards are reachable too.
    let view = command(&mut client, "interviewLens.quiz.start", json!({"topic": "cap-theorem"}));
    assert_eq!(view["card"]["id"], "cap-theorem");
    assert_eq!(view["total"], 1);
    let unknown = client.request_full(
        "workspace/executeCommand",
        json!({"command": "interviewLens.quiz.reveal", "arguments": [{"session": "quiz-999", "answer": ""}]}),
    );
    assert!(unknown["error"]["message"].as_str().unwrap().contains("no quiz session"), "{unknown}");
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn hovers_and_fixes_are_recorded_as_practice_events() {
    let data = tempfile::tempdir().unwrap();
    let mut client = server(data.path());
    client.open(URI, CODE);
    client.diagnostics(URI, Some(1));
    for _ in 0..2 {
        let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
        assert!(hover["contents"]["value"].as_str().unwrap().contains("bucket=[]"));
    }
    wait_for_stat(data.path(), "mutable-default-argument", "seen_in_hover", 1);

    // An edit that removes `log`'s mutable default is a fixed finding; a half-typed edit is not.
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 2}, "contentChanges": [{"text": format!("{CODE}\ndef broken(:\n")}]}),
    );
    client.diagnostics(URI, Some(2));
    let fixed = CODE
        .replace("def log(tag, tags=[]):\n    tags.append(tag)\n    return tags", "def log(tag):\n    return [tag]");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": URI, "version": 3}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(URI, Some(3)).len(), 3);
    wait_for_stat(data.path(), "mutable-default-argument", "fixed_findings", 1);
    assert_eq!(card_stat(data.path(), "range-len-loop", "fixed_findings"), 0);
    assert_eq!(client.shutdown_and_exit(), 0);
}

#[test]
fn an_unusable_store_never_fails_hovers_and_the_quiz_says_why() {
    let dir = tempfile::tempdir().unwrap();
    // The data folder is a file: the store cannot be created.
    let blocker = dir.path().join("data");
    std::fs::write(&blocker, "").unwrap();
    let mut client = server(&blocker);
    client.open(URI, CODE);
    client.diagnostics(URI, Some(1));
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
    assert!(hover["contents"]["value"].as_str().is_some());
    assert_eq!(lenses(&mut client).len(), 2);
    let start = client.request_full(
        "workspace/executeCommand",
        json!({"command": "interviewLens.quiz.start", "arguments": [{"level": "junior"}]}),
    );
    assert!(start["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{start}");
    // Still serving.
    let hover = client.request("textDocument/hover", json!({"textDocument": {"uri": URI}, "position": pos(0, 22)}));
    assert!(hover["contents"]["value"].as_str().is_some());
    assert!(run_in(dir.path(), &["cards"]).stdout.contains("cap-theorem"));
    assert_eq!(client.shutdown_and_exit(), 0);
}
