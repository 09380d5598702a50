//! Any text: the analysis never panics, and every fix's edits are in range, on character
//! boundaries and non-overlapping. (Whether a fix leaves code that parses is checked on real code:
//! the rules' unit tests, the card tests and bench/compare_ruff.py --fix-check.)
#![no_main]

use interview_lens::analysis::{AnalysisOptions, analyze, fixer::apply_edits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let analysis = analyze(text, &AnalysisOptions::default());
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
            let _ = apply_edits(text, &fix.edits);
        }
    }
    for refactor in &analysis.refactors {
        let _ = apply_edits(text, &refactor.fix.edits);
    }
});
