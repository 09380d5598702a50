//! Any text: the analysis never panics; every fix's edits are in range, on character boundaries
//! and non-overlapping; and when the text parsed, every offered fix (each alone, whatever its
//! applicability), every refactor and the editor's fix-all (safe fixes together) leave code that
//! still parses.
#![no_main]

use interview_lens::analysis::fixer::{apply_edits, fix_all};
use interview_lens::analysis::{AnalysisOptions, Applicability, Edit, analyze};
use libfuzzer_sys::fuzz_target;

fn parses(text: &str) -> bool {
    ruff_python_parser::parse_module(text).is_ok()
}

/// Panics (a libFuzzer crash, input saved under `artifacts/analyze/`) if `edits` break `text`.
fn assert_still_parses(text: &str, edits: &[Edit], what: &str) {
    let fixed = apply_edits(text, edits);
    assert!(
        parses(&fixed),
        "{what} turned code that parsed into code that does not:\n--- before\n{text}\n--- after\n{fixed}"
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let options = AnalysisOptions::default();
    let analysis = analyze(text, &options);
    for finding in &analysis.findings {
        assert!(finding.range.end().to_usize() <= text.len());
        assert!(text.is_char_boundary(finding.range.start().to_usize()));
        if let Some(fix) = &finding.fix {
            let mut last = 0;
            for edit in &fix.edits {
                assert!(edit.range.start().to_usize() >= last, "overlapping edits in {}", finding.rule);
                assert!(edit.range.end().to_usize() <= text.len());
                assert!(text.is_char_boundary(edit.range.start().to_usize()));
                assert!(text.is_char_boundary(edit.range.end().to_usize()));
                last = edit.range.end().to_usize();
            }
        }
    }
    // Only code that parsed is held to it: fixes on broken code may stay broken.
    if !analysis.syntax_errors.is_empty() || !parses(text) {
        for finding in &analysis.findings {
            if let Some(fix) = &finding.fix {
                let _ = apply_edits(text, &fix.edits);
            }
        }
        return;
    }
    for finding in &analysis.findings {
        if let Some(fix) = &finding.fix {
            let what = format!("the {} fix of `{}` ({:?})", fix.applicability.as_str(), finding.rule.id(), fix.title);
            assert_still_parses(text, &fix.edits, &what);
        }
    }
    for refactor in &analysis.refactors {
        assert_still_parses(text, &refactor.fix.edits, &format!("the refactor {:?}", refactor.fix.title));
    }
    let all = fix_all(text, &options, Applicability::Safe);
    assert!(
        parses(&all.text),
        "fix-all (safe fixes) broke code that parsed:\n--- before\n{text}\n--- after\n{}",
        all.text
    );
});
