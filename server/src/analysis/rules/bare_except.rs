//! `bare-except` (peer: Ruff E722). `except:` catches `BaseException`, so it also catches
//! `KeyboardInterrupt`, `SystemExit`, `GeneratorExit` and `asyncio.CancelledError`. The harm is a
//! handler that swallows those: Ctrl+C or `sys.exit()` inside the `try` body is lost.
//!
//! Tiers:
//! - warning: the handler carries on (`pass`, a fallback value, `return`...), so Ctrl+C and
//!   `sys.exit()` are swallowed. The message names what the handler does.
//! - hint: the catch-all is the shape interviewers ask about, but nothing is swallowed here: the
//!   handler re-raises (a top-level bare `raise`; Ruff skips these too), replaces the exception
//!   with another (`raise X`), ends the process (`sys.exit`, `os._exit`: the fork-child idiom),
//!   or reports it (`traceback.print_exc()`, `sys.exc_info()`, `logger.exception`, `exc_info=`,
//!   a method named for handling errors; in a loop that goes on, the message says Ctrl+C cannot
//!   stop it, which a REPL or supervisor loop wants and other loops do not); and a swallowing
//!   handler around best-effort cleanup only (`try: sock.close()`), in cleanup code (a `finally:`
//!   block, `__del__`, `close`, `shutdown`, `tearDown`...), around an optional import, or under a
//!   comment that says
//!   swallowing everything is meant. The message says so.
//! - nothing: earlier handlers of the same `try` already catch `KeyboardInterrupt` and
//!   `SystemExit` (or `BaseException`), so the bare clause only sees ordinary exceptions; and a
//!   `try` body that only raises (or only `pass`es): the handler catches what the code itself
//!   raised, which is how tests of exception semantics are written.
//!
//! Test code (a `test*` function, a method of a `Test*` class): a swallowing handler is a hint
//! there. The harm is one lost Ctrl+C in one test (the runner still stops), and tests of exception
//! handling write bare `except:` on purpose; the shape is still worth naming.
//!
//! Fixes: for the hint shapes, `except BaseException:` (safe: exactly what a bare `except:`
//! catches, and says it is meant); for the warnings, `except Exception:` (unsafe: Ctrl+C and
//! `sys.exit()` now pass through, which is the point, but code relying on catching them changes).
//! No fix when the replacement name is shadowed.

use ruff_python_ast::{ExceptHandlerExceptHandler, ExprCall, Stmt, StmtRaise, StmtTry};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::helpers::handlers::{self, Covered};
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;

const KEYWORD: &str = "except";

/// What the handler does with what it caught.
enum Shape<'a> {
    Reraises,
    Replaces(&'a StmtRaise),
    Exits(&'a ExprCall),
    Reports(&'a ExprCall),
    Swallows,
}

/// During the walk (the checker stands at the `try`): asks to see the `try` again once its
/// handlers' bodies are in the model (what a handler calls decides the tier).
pub(crate) fn check(checker: &mut Checker, handler: &ExceptHandlerExceptHandler) {
    let Some(try_stmt) = handlers::owning_try(checker) else { return };
    let first_bare = try_stmt.handlers.iter().find_map(|h| h.as_except_handler().filter(|h| h.type_.is_none()));
    if first_bare.is_some_and(|first| std::ptr::eq(first, handler))
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::BareExcept, node);
    }
}

/// After the walk, at the `try`: every bare handler of it.
pub(crate) fn check_try(checker: &mut Checker) {
    let Some(try_stmt) = handlers::owning_try(checker) else { return };
    for handler in &try_stmt.handlers {
        if let Some(handler) = handler.as_except_handler()
            && handler.type_.is_none()
        {
            check_handler(checker, try_stmt, handler);
        }
    }
}

fn check_handler<'a>(checker: &mut Checker<'a>, try_stmt: &'a StmtTry, handler: &'a ExceptHandlerExceptHandler) {
    let keyword = TextRange::at(handler.start(), TextSize::of(KEYWORD));
    if checker.source.slice(&keyword) != KEYWORD {
        // A half-typed handler whose range does not start at the keyword: nothing sensible to anchor.
        return;
    }
    let covered = handlers::covered_by_siblings(checker, try_stmt, handler);
    if covered.both() || handlers::body_raises_itself(try_stmt) {
        return;
    }
    let shape = if let Some(raise) = handlers::top_level_raise(&handler.body) {
        if raise.exc.is_none() { Shape::Reraises } else { Shape::Replaces(raise) }
    } else if let Some(call) = handlers::exits_process(checker, &handler.body) {
        Shape::Exits(call)
    } else if let Some(call) = handlers::reporting_call(checker, &handler.body) {
        Shape::Reports(call)
    } else {
        Shape::Swallows
    };
    let place = enclosing_name(checker);
    let caught = caught_too(covered);
    let line = |offset: TextSize| checker.source.line_number(offset);
    let cleanup = handlers::cleanup_only_body(try_stmt);
    let (message, severity, replacement) = match shape {
        Shape::Reraises => (
            format!(
                "bare `except:`{place} re-raises, so {caught} still get through and nothing is swallowed here; \
                 `except BaseException:` says the catch-all is meant"
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Replaces(raise) => (
            format!(
                "bare `except:`{place} replaces every exception, {caught} included, with `{}` (line {}); nothing \
                 is swallowed, but `except BaseException:` or `except Exception:` says which is meant",
                checker.source.shown(raise),
                line(raise.start())
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Exits(call) => (
            format!(
                "bare `except:`{place} ends the process (`{}`, line {}) whatever was raised, so nothing is \
                 swallowed; `except BaseException:` says the catch-all is meant",
                checker.source.shown(call),
                line(call.start())
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Reports(call) if handlers::in_loop(checker) => (
            format!(
                "bare `except:`{place} reports the exception (`{}`, line {}) and the loop goes on, so {caught} \
                 cannot stop it; right for a REPL or a supervisor that must survive (then `except \
                 BaseException:` says so), else catch `Exception`",
                checker.source.shown(call),
                line(call.start())
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Swallows if handlers::cleanup_context(checker, try_stmt).is_some() => (
            format!(
                "bare `except:`{place} in {} also catches {caught}; losing a Ctrl+C during cleanup costs \
                 little, but naming the expected exception says what may fail",
                handlers::cleanup_context(checker, try_stmt).unwrap_or_default()
            ),
            Severity::Hint,
            "Exception",
        ),
        Shape::Swallows if handlers::has_explaining_comment(checker, try_stmt, handler) => (
            format!(
                "bare `except:`{place} also catches {caught}, and the comment says swallowing everything is \
                 meant; `except BaseException:` would say so in code"
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Swallows if try_stmt.body.iter().all(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_))) => (
            format!(
                "bare `except:`{place} around an optional import also catches {caught}; a Ctrl+C during the \
                 import is lost, and a broken install looks like a missing one: `except ImportError:` is meant"
            ),
            Severity::Hint,
            "Exception",
        ),
        Shape::Swallows if cleanup.is_some() => (
            format!(
                "bare `except:`{place} around best-effort cleanup (`{}`) also catches {caught}; losing a Ctrl+C \
                 there costs little, but naming the expected exception (`OSError`?) says what may fail",
                cleanup.map(|c| checker.source.shown(c)).unwrap_or_default()
            ),
            Severity::Hint,
            "Exception",
        ),
        Shape::Reports(call) => (
            format!(
                "bare `except:`{place} reports the exception (`{}`, line {}), so nothing is lost silently, but \
                 {caught} get handled as errors too: `except Exception:` lets them through, `except \
                 BaseException:` says the catch-all is meant",
                checker.source.shown(call),
                line(call.start())
            ),
            Severity::Hint,
            "BaseException",
        ),
        Shape::Swallows if handlers::in_test(checker) => (
            format!(
                "bare `except:`{place} also catches {caught}; in a test the cost is small (one Ctrl+C is lost, and \
                 tests of exception handling write this on purpose), but naming the expected exception says what \
                 the test means"
            ),
            Severity::Hint,
            "Exception",
        ),
        Shape::Swallows => {
            let what = match handler.body.first() {
                Some(first) => format!(" with `{}` (line {})", checker.source.shown(first), line(first.start())),
                None => String::new(),
            };
            (
                format!(
                    "bare `except:`{place} also catches {caught} and carries on{what}: Ctrl+C or `sys.exit()` in \
                     the `try` body is lost; name the exceptions you expect, or at least `except Exception:`"
                ),
                Severity::Warning,
                "Exception",
            )
        }
    };
    let mut finding = Finding::new(Rule::BareExcept, anchor(checker, keyword), message).with_severity(severity);
    // A local or imported `Exception` would change what the new clause catches.
    if checker.lookup(replacement).is_none() {
        let edit = Edit::insert(keyword.end(), format!(" {replacement}"));
        let title = format!("Replace with `except {replacement}:`");
        let fix =
            if replacement == "BaseException" { Fix::safe(title, vec![edit]) } else { Fix::unsafe_(title, vec![edit]) };
        finding = finding.with_fix(fix);
    }
    checker.report(finding);
}

/// The `BaseException`-only exceptions the earlier handlers leave to this one.
fn caught_too(covered: Covered) -> &'static str {
    match (covered.keyboard_interrupt, covered.system_exit) {
        (true, _) => "`SystemExit`",
        (_, true) => "`KeyboardInterrupt`",
        _ => "`KeyboardInterrupt` and `SystemExit`",
    }
}

/// `except:` including its colon when the colon follows directly, else just the keyword.
fn anchor(checker: &Checker, keyword: TextRange) -> TextRange {
    match checker.source.token_after(keyword.end()) {
        Some(colon) if checker.source.slice(colon) == ":" => TextRange::new(keyword.start(), colon.end()),
        _ => keyword,
    }
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

    fn tier(src: &str) -> Severity {
        only_severity(src, R)
    }

    #[test]
    fn flags_bare_except_only() {
        assert_count("try:\n    f()\nexcept:\n    pass\n", R, 1);
        assert_count("for x in y:\n    try: f()\n    except: continue\n", R, 1);
        assert_clean("try:\n    f()\nexcept Exception:\n    pass\nexcept (ValueError, TypeError):\n    pass\n", R);
        assert_clean("try:\n    f()\nexcept* ValueError:\n    pass\n", R);
    }

    #[test]
    fn swallowing_is_a_warning_that_names_the_handler() {
        let src = "def parse(text):\n    try:\n        return int(text)\n    except :\n        return 0\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "except :");
        assert_eq!(found[0].severity, Severity::Warning);
        let msg = &found[0].message;
        assert!(msg.contains("in `parse`") && msg.contains("KeyboardInterrupt"), "{msg}");
        assert!(msg.contains("carries on with `return 0` (line 5)"), "{msg}");
        // A `raise` nested in an `if` does not always run.
        assert_eq!(tier("try:\n    f()\nexcept:\n    if x:\n        raise\n"), Severity::Warning);
    }

    #[test]
    fn earlier_handlers_for_keyboard_interrupt_and_system_exit() {
        // Both already handled: the bare clause only sees ordinary exceptions.
        for src in [
            "try:\n    f()\nexcept KeyboardInterrupt:\n    raise\nexcept SystemExit:\n    raise\nexcept:\n    pass\n",
            "try:\n    f()\nexcept (KeyboardInterrupt, SystemExit):\n    raise\nexcept:\n    pass\n",
            "try:\n    f()\nexcept BaseException:\n    raise\nexcept:\n    pass\n",
        ] {
            assert_clean(src, R);
        }
        // Only one of them: the other is still swallowed, and the message says which.
        let src = "try:\n    f()\nexcept SystemExit:\n    raise\nexcept:\n    pass\n";
        assert_eq!(tier(src), Severity::Warning);
        let msg = message(src, R);
        assert!(msg.contains("also catches `KeyboardInterrupt` and carries on"), "{msg}");
        // A later sibling does not help.
        assert_count("try:\n    f()\nexcept:\n    pass\nexcept KeyboardInterrupt:\n    raise\n", R, 1);
    }

    #[test]
    fn handlers_that_let_the_exception_go_on_are_hints() {
        let reraise = "try:\n    f()\nexcept:\n    cleanup()\n    raise\n";
        assert_eq!(tier(reraise), Severity::Hint);
        assert!(message(reraise, R).contains("re-raises"), "{}", message(reraise, R));
        assert_eq!(tier("try:\n    f()\nexcept:\n    raise ImportError(5)\n"), Severity::Hint);
        assert_eq!(tier("import os\ntry:\n    f()\nexcept:\n    os._exit(127)\n"), Severity::Hint);
        assert_eq!(tier("import sys\ntry:\n    f()\nexcept:\n    sys.exit(1)\n"), Severity::Hint);
    }

    #[test]
    fn handlers_that_report_the_exception() {
        for src in [
            "import traceback\ndef main():\n    try:\n        f()\n    except:\n        traceback.print_exc()\n        return 1\n",
            "import sys\ntry:\n    f()\nexcept:\n    info = sys.exc_info()\n    handle(info)\n",
            "try:\n    f()\nexcept:\n    log.error('failed', exc_info=True)\n",
            "try:\n    f()\nexcept:\n    self._error_exc()\n",
            "try:\n    f()\nexcept:\n    logger.exception('failed')\n",
        ] {
            assert_eq!(tier(src), Severity::Hint, "{src}");
            assert!(message(src, R).contains("reports the exception"), "{}", message(src, R));
        }
        // In a loop that goes on, Ctrl+C cannot stop it: right for a REPL, so still a hint.
        let src =
            "import traceback\nwhile True:\n    try:\n        serve()\n    except:\n        traceback.print_exc()\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("the loop goes on"), "{}", message(src, R));
        // Best-effort cleanup.
        let src = "import sys\ntry:\n    sys.stdin.close()\nexcept:\n    pass\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("best-effort cleanup (`sys.stdin.close()`)"), "{}", message(src, R));
    }

    #[test]
    fn cleanup_and_commented_catch_alls_are_hints() {
        let src = "class H:\n    def shutdown(self):\n        try:\n            self.flush()\n            self.release()\n        except:\n            pass\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("in `shutdown`"), "{}", message(src, R));
        let src = "try:\n    h.flush()\n    h.close()\nexcept: # ignore everything, as we're shutting down\n    pass\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("the comment says"), "{}", message(src, R));
        // A to-do is not a reason (xml/sax/expatreader.py).
        let src =
            "def f(p):\n    try:\n        p.parse()\n    except:\n        return 0  # FIXME: save error info here?\n";
        assert_eq!(tier(src), Severity::Warning);
        assert_clean("try:\n    1/0\nexcept:\n    pass\n", R);
        let src = "try:\n    import fcntl\nexcept:\n    fcntl = None\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("optional import"), "{}", message(src, R));
    }

    #[test]
    fn swallowing_in_tests_is_a_hint() {
        let src = "class TestMath:\n    def test_tan(self):\n        try:\n            check(tan(INF))\n        except:\n            fallback()\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("in a test the cost is small"), "{}", message(src, R));
        assert_eq!(
            tier("def test_x(output):\n    try:\n        output.append(3)\n    except:\n        output.append(5)\n"),
            Severity::Hint
        );
        // A helper outside tests is not.
        assert_eq!(tier("def helper():\n    try:\n        f()\n    except:\n        pass\n"), Severity::Warning);
    }

    #[test]
    fn a_try_body_that_raises_itself_is_not_reported() {
        assert_clean(
            "try:\n    try:\n        raise Exception('inner')\n    except:\n        hit = True\n        raise Exception('outer')\nexcept:\n    hit = True\n",
            R,
        );
        // `_exit` from a star import (os.py) ends the process too.
        let src = "from posix import *\ntry:\n    f()\nexcept:\n    _exit(127)\n";
        assert_eq!(tier(src), Severity::Hint);
        assert_clean("try:\n    raise Exception('inner')\nexcept:\n    hit = True\n", R);
        assert_clean("try:\n    pass\nexcept:\n    hit = True\n", R);
        assert_count("try:\n    x = 1\n    f(x)\nexcept:\n    hit = True\n", R, 1);
    }

    #[test]
    fn fix_for_a_swallowing_handler_names_exception() {
        assert_eq!(fixed("try:\n    f()\nexcept:\n    pass\n", R), "try:\n    f()\nexcept Exception:\n    pass\n");
        assert_eq!(fixed("try: f()\r\nexcept : x = 1\r\n", R), "try: f()\r\nexcept Exception : x = 1\r\n");
        let found = findings("try:\n    f()\nexcept:\n    pass\n", R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let src = "def parse(t):\n    try:\n        return int(t)\n    except:\n        return 0\n";
        // The usual case keeps its output; Ctrl+C is what changes.
        assert_fix_keeps_output(src, R, "print(parse('1'), parse('x'), parse(None))\n");
    }

    #[test]
    fn base_exception_fix_is_exact_and_safe() {
        let src = "def g(e):\n    raise e\ndef f(e):\n    try:\n        g(e)\n    except:\n        print('cleanup')\n        raise\n";
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Safe));
        let fixed_text = assert_fix_keeps_output(
            src,
            R,
            "for e in (ValueError('v'), KeyboardInterrupt(), SystemExit(3), GeneratorExit()):\n    try:\n        f(e)\n    except BaseException as x:\n        print(type(x).__name__)\n",
        );
        assert!(fixed_text.contains("except BaseException:"), "{fixed_text}");
    }

    #[test]
    fn no_fix_when_exception_is_shadowed() {
        let found = findings("from mylib import Exception\ntry:\n    f()\nexcept:\n    pass\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
        let found = findings("BaseException = object\ntry:\n    f()\nexcept:\n    raise\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["try:\n    pass\nexcept", "try:\n    f()\nexcept:", "try:\nexcept:\n", "except:\n    pass\n"] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
