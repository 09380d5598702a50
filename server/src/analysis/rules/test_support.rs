//! Helpers for the rules' unit tests: run one rule, apply its fix, check the result parses.

use crate::analysis::finding::{Applicability, Finding, Severity};
use crate::analysis::fixer::apply_edits;
use crate::analysis::rule::{Rule, RuleSet};
use crate::analysis::{AnalysisOptions, analyze};

pub fn findings(source: &str, rule: Rule) -> Vec<Finding> {
    let mut rules = RuleSet::empty();
    rules.insert(rule);
    analyze(source, &AnalysisOptions { rules, is_stub: false, editor_data: true }).findings
}

/// Asserts `rule` fires exactly `count` times on `source`.
#[track_caller]
pub fn assert_count(source: &str, rule: Rule, count: usize) {
    let found = findings(source, rule);
    assert_eq!(found.len(), count, "{rule} on:\n{source}\nfound: {found:#?}");
}

#[track_caller]
pub fn assert_flags(source: &str, rule: Rule) {
    assert!(!findings(source, rule).is_empty(), "{rule} should fire on:\n{source}");
}

#[track_caller]
pub fn assert_clean(source: &str, rule: Rule) {
    let found = findings(source, rule);
    assert!(found.is_empty(), "{rule} should not fire on:\n{source}\nfound: {found:#?}");
}

/// The tier of the one finding `rule` reports on `source` (fails unless there is exactly one).
#[track_caller]
pub fn only_severity(source: &str, rule: Rule) -> Severity {
    let found = findings(source, rule);
    assert_eq!(found.len(), 1, "{source}: {found:#?}");
    found[0].severity
}

/// Asserts `rule` reports one finding on `source`, at `severity`, whose message contains `text`.
#[track_caller]
pub fn assert_tier(source: &str, rule: Rule, severity: Severity, text: &str) {
    let found = findings(source, rule);
    assert_eq!(found.len(), 1, "{source}\n{found:#?}");
    assert_eq!(found[0].severity, severity, "{source}\n{}", found[0].message);
    assert!(found[0].message.contains(text), "{source}\n{}", found[0].message);
}

/// The applicability of the first finding's fix.
pub fn first_fix_applicability(source: &str, rule: Rule) -> Option<Applicability> {
    findings(source, rule)[0].fix.as_ref().map(|f| f.applicability)
}

/// Applies the fix of the first finding, asserts the result parses, and returns it.
#[track_caller]
pub fn fixed(source: &str, rule: Rule) -> String {
    let found = findings(source, rule);
    let finding = found.first().unwrap_or_else(|| panic!("{rule} should fire on:\n{source}"));
    let fix = finding.fix.as_ref().unwrap_or_else(|| panic!("{rule} should offer a fix on:\n{source}"));
    let result = apply_edits(source, &fix.edits);
    let parsed = ruff_python_parser::parse_module(&result);
    assert!(parsed.is_ok(), "fix for {rule} does not parse:\n{result}\n{parsed:?}");
    result
}

/// The first finding's message.
#[track_caller]
pub fn message(source: &str, rule: Rule) -> String {
    findings(source, rule)
        .first()
        .map(|f| f.message.clone())
        .unwrap_or_else(|| panic!("{rule} should fire on:\n{source}"))
}

/// A card's examples are tests: the flagged one triggers `rule`, the better one triggers nothing.
#[track_caller]
pub fn assert_card_examples(rule: Rule) {
    let bank = crate::cards::Bank::builtin();
    let card = bank.get(rule.id()).unwrap_or_else(|| panic!("no card for {rule}"));
    let flagged = card.example.flagged.as_deref().expect("a flagged example");
    assert_flags(flagged, rule);
    let better = analyze(card.example.better.as_deref().expect("a better example"), &AnalysisOptions::default());
    assert!(better.findings.is_empty(), "{rule}'s better example: {:#?}", better.findings);
}

/// Runs `code` with `python3` and returns (success, stdout, stderr). Fix tests use it to check
/// that fixed code runs, and that a fix claiming to keep behaviour keeps the output.
pub fn run_python(code: &str) -> (bool, String, String) {
    let output = std::process::Command::new("python3")
        .args(["-X", "utf8", "-c", code])
        .output()
        .expect("python3 runs (the tests need it; see the README)");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Applies the first fix of `rule` to `source`, runs both versions followed by `driver` (code that
/// exercises them and prints), and asserts they print the same. Returns the fixed text.
#[track_caller]
pub fn assert_fix_keeps_output(source: &str, rule: Rule, driver: &str) -> String {
    let fixed_text = fixed(source, rule);
    let (ok_before, before, err_before) = run_python(&format!("{source}\n{driver}"));
    assert!(ok_before, "original does not run:\n{source}\n{driver}\n{err_before}");
    let (ok_after, after, err_after) = run_python(&format!("{fixed_text}\n{driver}"));
    assert!(ok_after, "fixed code does not run:\n{fixed_text}\n{driver}\n{err_after}");
    assert_eq!(before, after, "the fix changed the output:\n--- before\n{source}\n--- after\n{fixed_text}");
    fixed_text
}

/// Applies the first fix, runs the fixed code followed by `driver`, asserts it runs, and returns
/// what it printed (for fixes that change behaviour on purpose: the test states the new output).
#[track_caller]
pub fn fixed_output(source: &str, rule: Rule, driver: &str) -> String {
    let fixed_text = fixed(source, rule);
    let (ok, out, err) = run_python(&format!("{fixed_text}\n{driver}"));
    assert!(ok, "fixed code does not run:\n{fixed_text}\n{driver}\n{err}");
    out
}
