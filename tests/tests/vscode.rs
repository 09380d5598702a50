//! The VS Code extension in real VS Code (code-server 4.100.3) driven through Chromium: squiggle,
//! compact hover and its link to the whole card, quick fix written to disk, finding cleared, a
//! settings change without reload, fix on save through `editor.codeActionsOnSave`, and the
//! quiz from the code lens in its webview panel (answer, reveal, grade, undo, finish; the reviews
//! reach the store), and the missing-binary notification; the .vsix is one bundle without
//! node_modules. Screenshots land in target/e2e-artifacts/vscode/.

use std::process::Command;

use interview_lens_tests::{Sandbox, binary, editor_tool, workspace};

#[test]
fn vscode_squiggle_hover_quick_fix_and_settings() {
    let Some(code_server) = editor_tool("INTERVIEW_LENS_CODE_SERVER", "code-server/node_modules/.bin/code-server")
    else {
        return;
    };
    let node_modules = code_server.parent().and_then(|p| p.parent()).expect("node_modules").to_path_buf();
    let scratch = tempfile::tempdir().unwrap();
    let vsix = scratch.path().join("interview-lens-test.vsix");

    // Package the extension as a user would install it, bundling this build of the server.
    let package = Command::new("bash")
        .arg(workspace().join("editors/vscode/scripts/package.sh"))
        .env("INTERVIEW_LENS_BINARY", binary())
        .env("VSIX_OUT", &vsix)
        .output()
        .expect("running package.sh");
    assert!(
        package.status.success(),
        "packaging failed:\n{}\n{}",
        String::from_utf8_lossy(&package.stdout),
        String::from_utf8_lossy(&package.stderr)
    );

    // One esbuild bundle: the .vsix ships no node_modules.
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))"])
        .arg(&vsix)
        .output()
        .expect("listing the .vsix");
    let files = String::from_utf8_lossy(&listing.stdout);
    assert!(files.contains("extension/out/extension.js") && files.contains("extension/bin/interview-lens"), "{files}");
    assert!(!files.contains("node_modules"), "the .vsix ships node_modules:\n{files}");
    assert!(files.lines().count() < 10, "{files}");

    // The language server code-server starts inherits INTERVIEW_LENS_DATA_DIR. Only the data folder:
    // code-server and Chromium keep their own files in the scratch home e2e.mjs gives them, which
    // checks that the server's store is not among them.
    let sandbox = Sandbox::new();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let output = Command::new("timeout")
        .args(["300", "node"])
        .arg(workspace().join("tests/editors/vscode/e2e.mjs"))
        .env("IL_CODE_SERVER", &code_server)
        .env("IL_NODE_MODULES", &node_modules)
        .env("IL_VSIX", &vsix)
        .env("IL_WORK", scratch.path().join("work"))
        .env("IL_ARTIFACTS", workspace().join("target/e2e-artifacts/vscode"))
        .env("IL_PORT", port.to_string())
        .env("INTERVIEW_LENS_DATA_DIR", sandbox.data_dir())
        .output()
        .expect("running node");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "exit {:?}\n{stdout}\n{stderr}", output.status.code());
    assert!(stdout.contains("ok vscode"), "{stdout}\n{stderr}");

    // The quiz panel's reviews reached the store: two cards, graded Easy (the undone Good is gone).
    let progress = sandbox.command().args(["progress", "--format", "json"]).output().expect("progress");
    assert!(progress.status.success(), "{}", String::from_utf8_lossy(&progress.stderr));
    let json: serde_json::Value = serde_json::from_slice(&progress.stdout).expect("progress JSON");
    assert_eq!(json["reviews"], 2, "{json}");
    for id in ["mutable-default-argument", "range-len-loop"] {
        let card =
            json["cards"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{id}: {json}"));
        assert_eq!(card["last_grade"], 4, "{id}: {card}");
        assert_eq!(card["reviews"], 1, "{id}: {card}");
    }
}
