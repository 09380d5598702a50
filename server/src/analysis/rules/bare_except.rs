//! `bare-except` (peer: Ruff E722). `except:` catches `BaseException`, so it also swallows
//! `KeyboardInterrupt`, `SystemExit`, `GeneratorExit` and `asyncio.CancelledError`.
//!
//! Ruff skips a handler that contains a top-level bare `raise`; we still report it (the intent is
//! clearer spelled out) but at information level. The fix names the exception: `except Exception:`,
//! or `except BaseException:` for a cleanup-and-re-raise handler, where narrowing would skip the
//! cleanup on Ctrl+C.

use ruff_python_ast::{ExceptHandlerExceptHandler, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;

const KEYWORD: &str = "except";

pub(crate) fn check<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandlerExceptHandler) {
    if handler.type_.is_some() {
        return;
    }
    let keyword = TextRange::at(handler.start(), TextSize::of(KEYWORD));
    if checker.source.slice(&keyword) != KEYWORD {
        // A half-typed handler whose range does not start at the keyword: nothing sensible to anchor.
        return;
    }
    let reraises = handler.body.iter().any(is_bare_raise);
    let place = enclosing_name(checker);
    let (message, replacement) = if reraises {
        (
            format!(
                "bare `except:`{place} re-raises, so it only runs cleanup: write `except BaseException:` (or use `finally`) to say so"
            ),
            "BaseException",
        )
    } else {
        (
            format!(
                "bare `except:`{place} also catches `KeyboardInterrupt` and `SystemExit`: name the exceptions you expect, or at least `except Exception:`"
            ),
            "Exception",
        )
    };
    let mut finding = Finding::new(Rule::BareExcept, anchor(checker, keyword), message);
    if reraises {
        finding = finding.with_severity(Severity::Info);
    }
    // A local or imported `Exception` would change what the new clause catches.
    if checker.lookup(replacement).is_none() {
        let edit = Edit::insert(keyword.end(), format!(" {replacement}"));
        finding = finding.with_fix(Fix::unsafe_(format!("Replace with `except {replacement}:`"), vec![edit]));
    }
    checker.report(finding);
}

/// `except:` including its colon when the colon follows directly, else just the keyword.
fn anchor(checker: &Checker, keyword: TextRange) -> TextRange {
    match checker.source.token_after(keyword.end()) {
        Some(colon) if checker.source.slice(colon) == ":" => TextRange::new(keyword.start(), colon.end()),
        _ => keyword,
    }
}

fn is_bare_raise(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Raise(raise) if raise.exc.is_none())
}

/// " in `name`" for the innermost function, or nothing at module level.
fn enclosing_name(checker: &Checker) -> String {
    match checker.function_like() {
        Some(Frame::Function(function)) => format!(" in `{}`", function.name.as_str()),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::BareExcept as R;

    #[test]
    fn flags_bare_except_only() {
        assert_count("try:\n    pass\nexcept:\n    pass\n", R, 1);
        assert_count("for x in y:\n    try: pass\n    except: continue\n", R, 1);
        assert_clean("try:\n    pass\nexcept Exception:\n    pass\nexcept (ValueError, TypeError):\n    pass\n", R);
        assert_clean("try:\n    pass\nexcept* ValueError:\n    pass\n", R);
    }

    #[test]
    fn message_and_range_name_the_clause_and_function() {
        let src = "def parse(text):\n    try:\n        return int(text)\n    except :\n        return 0\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "except :");
        assert!(
            found[0].message.contains("in `parse`") && found[0].message.contains("KeyboardInterrupt"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn reraise_is_information_only() {
        let src = "try:\n    pass\nexcept:\n    cleanup()\n    raise\n";
        let found = findings(src, R);
        assert_eq!(found[0].severity, Severity::Info);
        assert_eq!(fixed(src, R), "try:\n    pass\nexcept BaseException:\n    cleanup()\n    raise\n");
        // A `raise` nested in an `if` does not always run: full severity.
        let found = findings("try:\n    pass\nexcept:\n    if x:\n        raise\n", R);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn fix_names_exception() {
        assert_eq!(fixed("try:\n    pass\nexcept:\n    pass\n", R), "try:\n    pass\nexcept Exception:\n    pass\n");
        assert_eq!(fixed("try: pass\r\nexcept : x = 1\r\n", R), "try: pass\r\nexcept Exception : x = 1\r\n");
        let found = findings("try:\n    pass\nexcept:\n    pass\n", R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn no_fix_when_exception_is_shadowed() {
        let found = findings("from mylib import Exception\ntry:\n    pass\nexcept:\n    pass\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["try:\n    pass\nexcept", "try:\n    pass\nexcept:", "try:\nexcept:\n", "except:\n    pass\n"] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
