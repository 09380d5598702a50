//! Syntax errors are results: an entry in every format, and a failing exit status. CPython's
//! `TabError` (mixed tabs and spaces, accepted by the parser) is reported the way python3 does.

use std::process::Command;

use interview_lens_tests::{project, run_in};
use serde_json::Value;

fn json(run: &interview_lens_tests::Run) -> Vec<Value> {
    serde_json::from_str::<Value>(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr: {}", run.stdout, run.stderr))
        .as_array()
        .expect("a JSON array")
        .clone()
}

#[test]
fn a_syntax_error_is_a_json_entry_and_fails_the_run() {
    let dir = project(&[("bad.py", "def f(:\n    pass\n")]);
    let run = run_in(dir.path(), &["check", "--format", "json", "bad.py"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let items = json(&run);
    assert!(!items.is_empty(), "a syntax error must be reported: {}", run.stdout);
    let first = &items[0];
    assert_eq!(first["rule"], "syntax-error");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["path"], "bad.py");
    assert_eq!(first["card"], Value::Null);
    assert_eq!(first["range"]["start"], serde_json::json!({"line": 1, "column": 7}));
    assert_eq!(first["byte_range"], serde_json::json!([6, 7]));
    assert!(first["message"].as_str().unwrap().contains("parameter"), "the parser's message: {first}");

    let run = run_in(dir.path(), &["check", "bad.py"]);
    assert_eq!(run.code, 1, "text mode fails too: {}", run.stdout);
    assert!(run.stdout.contains("bad.py:1:7: syntax-error "), "{}", run.stdout);
    assert!(!run.stdout.contains("All checked"), "{}", run.stdout);

    let run = run_in(dir.path(), &["check", "--exit-zero", "--format", "json", "bad.py"]);
    assert_eq!(run.code, 0, "--exit-zero covers syntax errors as it covers findings");
}

#[test]
fn syntax_errors_and_findings_are_reported_together_in_position_order() {
    let dir = project(&[("m.py", "def f(a=[]):\n    a.append(1)\nx = (\n")]);
    let items = json(&run_in(dir.path(), &["check", "--format", "json"]));
    let rules: Vec<&str> = items.iter().map(|i| i["rule"].as_str().unwrap()).collect();
    assert_eq!(rules.first(), Some(&"mutable-default-argument"), "{rules:?}");
    assert!(rules.iter().skip(1).all(|r| *r == "syntax-error") && rules.len() >= 2, "{rules:?}");
}

/// A small deterministic generator of indentation mixes (no external crate needed).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

fn generated_file(rng: &mut Lcg) -> String {
    const INDENTS: [&[&str]; 4] = [
        &[""],
        &["\t", "    ", "        ", " \t", "  \t", "\t ", "       \t"],
        &["\t\t", "        ", "\t    ", "    \t", "                ", "\t        ", "        \t"],
        &["\t\t\t", "            ", "\t\t    ", "        \t", "\t        \t"],
    ];
    let lines = 3 + rng.next(6);
    let mut depth = 0usize;
    let mut out = String::new();
    for i in 0..lines {
        let indent = INDENTS[depth][rng.next(INDENTS[depth].len())];
        let deeper = depth < 3 && i + 1 < lines && rng.next(2) == 0;
        if deeper {
            out.push_str(&format!("{indent}if x{i}:\n"));
            depth += 1;
        } else {
            out.push_str(&format!("{indent}y{i} = {i}\n"));
            depth = rng.next(depth + 1);
        }
    }
    if depth > 0 {
        out.push_str(&format!("{}pass\n", INDENTS[depth][0]));
    }
    out
}

/// python3's verdict per file: `("TabError" | "IndentationError" | "SyntaxError" | "ok", line)`.
fn cpython_verdicts(dir: &std::path::Path, names: &[String]) -> Vec<(String, usize)> {
    let script = "import sys\nfor p in sys.argv[1:]:\n    try:\n        compile(open(p, 'rb').read(), p, 'exec')\n        print('ok 0')\n    except SyntaxError as e:\n        print(type(e).__name__, e.lineno)\n";
    let output = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(names)
        .current_dir(dir)
        .output()
        .expect("python3 is needed by the tests");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (kind, line) = l.split_once(' ').unwrap();
            (kind.to_string(), line.parse().unwrap())
        })
        .collect()
}

#[test]
fn tab_errors_match_python3_verdicts() {
    let mut rng = Lcg(20_240_601);
    let mut files = vec![
        ("hand_1.py".to_string(), "if x:\n\tif y:\n        pass\n".to_string()),
        ("hand_2.py".to_string(), "def f():\n\tx = (1,\n        2)\n\treturn x\n".to_string()),
        ("hand_3.py".to_string(), "if x:\n  \tpass\n".to_string()),
        ("hand_4.py".to_string(), "def f():\n\ts = '''\n        x'''\n        return s\n".to_string()),
    ];
    for i in 0..300 {
        files.push((format!("gen_{i:03}.py"), generated_file(&mut rng)));
    }
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let dir = project(&refs);
    let names: Vec<String> = files.iter().map(|(n, _)| n.clone()).collect();
    let verdicts = cpython_verdicts(dir.path(), &names);
    assert_eq!(verdicts.len(), files.len());

    let items = json(&run_in(dir.path(), &["check", "--format", "json", "--exit-zero", "."]));
    let ours = |name: &str| -> Option<usize> {
        items
            .iter()
            .find(|i| {
                i["path"].as_str().is_some_and(|p| p.ends_with(name))
                    && i["message"] == "inconsistent use of tabs and spaces in indentation"
            })
            .map(|i| i["range"]["start"]["line"].as_u64().unwrap() as usize)
    };
    let (mut tab_errors, mut clean, mut mismatches) = (0, 0, Vec::new());
    for ((name, text), (verdict, line)) in files.iter().zip(&verdicts) {
        match verdict.as_str() {
            "TabError" => {
                tab_errors += 1;
                if ours(name) != Some(*line) {
                    mismatches
                        .push(format!("{name}: python3 TabError on line {line}, ours {:?}\n{text:?}", ours(name)));
                }
            }
            "ok" => {
                clean += 1;
                if let Some(ours) = ours(name) {
                    mismatches.push(format!("{name}: python3 compiles it, ours TabError on line {ours}\n{text:?}"));
                }
            }
            // Another indentation error comes first for CPython; it stops there.
            _ => {}
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches.join("\n"));
    // The generator must exercise both verdicts, or this test proves nothing.
    assert!(tab_errors >= 20 && clean >= 20, "{tab_errors} TabErrors, {clean} clean files");
}
