//! `swallowed-broad-exception` (peers: Ruff S110 for `pass`, S112 for `continue`). A handler that
//! catches everything (`except:`, `Exception`, `BaseException`, alone or in a tuple) and does
//! nothing with it turns every error in the `try` body, bugs included, into silent success.
//!
//! Ruff requires the body to be exactly `pass` (S110) or exactly `continue` (S112); we also accept
//! `...`, a docstring, and combinations such as `pass` then `continue`.
//!
//! Tiers:
//! - warning, when the code shows what is lost: the `try` is the body of a loop iteration and the
//!   handler ends it (`continue`, or nothing follows the `try`): every failing iteration is skipped
//!   without a trace, and a server loop fails forever in silence; the body
//!   does a lookup (`d[k]`, `del d[k]`) whose `KeyError`/`IndexError` is evidently what is meant,
//!   so the broad clause only adds hidden bugs; or the body is long (four statements or more), so
//!   a bug anywhere in it vanishes. The message names the evidence.
//! - hint, otherwise: the shape interviewers ask about, with nothing here showing the harm; also
//!   when a comment in the `try` statement or just above the `except` says why (deliberate, but `contextlib.suppress` of the
//!   specific error would say it in code), and around an optional import (a broken install is
//!   then ignored as silently as a missing one), and around best-effort cleanup calls only
//!   (`try: sock.close()` outside a cleanup method).
//! - nothing: best-effort cleanup, i.e. the `try` is inside a `finally:` block or in a method whose
//!   job is releasing resources (`__del__`, `close`, `__exit__`, `tearDown`, `cleanup`,
//!   `shutdown`...), where an error must not mask the real outcome and `__del__` could not raise
//!   anyway, or in `__repr__`/`__str__`, which must not raise; a `try` body that itself reports an error (`sys.excepthook(...)`,
//!   `traceback.print_exc()`, `logger.exception(...)`: the last-resort guard around error
//!   reporting); and a `try` body that only raises or `pass`es (the handler catches what the code
//!   raised itself: tests of exception semantics).
//!
//! Test code (a `test*` function or a method of a `Test*` class): a lookup or a long body is still
//! a warning (the test passes when it should fail), but a loop that skips failing iterations is a
//! hint there, since tests that exercise code for a crash or a leak swallow its errors on purpose.
//! Cleanup in `tearDown` and `finally:` is exempt as anywhere else.
//!
//! The fix (display-only: it adds output) logs the exception with its traceback in place of the
//! `pass`/`...`, or before the `continue`.

use ruff_python_ast::{ExceptHandlerExceptHandler, Expr, ExprContext, Stmt, StmtAssign, StmtReturn, StmtTry};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::helpers::handlers;
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeRef;

const BROAD: &[&str] = &["builtins.Exception", "builtins.BaseException"];

/// Module-level logger names reused by the fix when bound to `logging.getLogger(...)`.
const LOGGER_NAMES: &[&str] = &["logger", "log", "LOGGER", "LOG", "_logger", "_log"];

/// A `try` body this long hides too much behind one silent handler.
const LONG_BODY: usize = 4;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandlerExceptHandler) {
    if handler.body.is_empty() || !handler.body.iter().all(is_silent) || !is_broad(checker, handler.type_.as_deref()) {
        return;
    }
    let try_stmt = handlers::owning_try(checker);
    if let Some(try_stmt) = try_stmt
        && (handlers::body_raises_itself(try_stmt)
            || handlers::cleanup_context(checker, try_stmt).is_some()
            || handlers::reporting_call(checker, &try_stmt.body).is_some())
    {
        return;
    }
    let caught = handler.type_.as_deref().map_or("except:".to_string(), |t| {
        let text = checker.source.slice(t);
        if text.len() > 40 || text.contains(['\n', '\r']) {
            "except Exception:".to_string()
        } else {
            format!("except {text}:")
        }
    });
    let action = if handler.body.iter().any(|s| matches!(s, Stmt::Continue(_))) { "continue" } else { "pass" };
    let place = match checker.function_like() {
        Some(Frame::Function(function)) => format!(" in `{}`", function.name.as_str()),
        _ => String::new(),
    };
    let head =
        format!("`{caught}` + `{action}`{place} silently discards every error from the `try` body, bugs included");
    let (message, severity) = match try_stmt.map(|t| tier(checker, handler, t)) {
        Some((evidence, severity)) => (format!("{head}: {evidence}"), severity),
        None => (format!("{head}: catch the specific exception, or at least log it"), Severity::Hint),
    };
    let fix = log_fix(checker, handler, try_stmt);
    let finding =
        Finding::new(Rule::SwallowedBroadException, anchor(checker, handler), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// The evidence and tier for a handler that is not exempt.
fn tier(checker: &Checker, handler: &ExceptHandlerExceptHandler, try_stmt: &StmtTry) -> (String, Severity) {
    let line = |offset: TextSize| checker.source.line_number(offset);
    if handlers::has_explaining_comment(checker, try_stmt, handler) {
        return (
            "the comment says this is deliberate; `contextlib.suppress(<the expected error>)` would say which \
             error is meant in code"
                .to_string(),
            Severity::Hint,
        );
    }
    if let Some(call) = handlers::cleanup_only_body(try_stmt) {
        return (
            format!(
                "around best-effort cleanup (`{}`), where a failure costs little; `contextlib.suppress(OSError)` \
                 (or whatever it may raise) says which failure is expected",
                checker.source.shown(call)
            ),
            Severity::Hint,
        );
    }
    if try_stmt.body.iter().all(|s| matches!(s, Stmt::Import(_) | Stmt::ImportFrom(_))) {
        return (
            "around an optional import, a broken install is ignored as silently as a missing one; \
             `except ImportError:` tells them apart"
                .to_string(),
            Severity::Hint,
        );
    }
    if skips_the_iteration(checker, handler, try_stmt) && handlers::in_test(checker) {
        return (
            "inside a test's loop, every failing iteration is skipped; tests that exercise code for a crash or \
             a leak do this on purpose, else the test passes when it should fail"
                .to_string(),
            Severity::Hint,
        );
    }
    if skips_the_iteration(checker, handler, try_stmt) {
        return (
            "inside a loop, every failing iteration is skipped without a trace; catch the specific exception, or \
             at least log it"
                .to_string(),
            Severity::Warning,
        );
    }
    if let Some(lookup) = first_lookup(checker, try_stmt) {
        return (
            format!(
                "`{}` (line {}) is a lookup whose `KeyError`/`IndexError` is what is meant, and the broad clause \
                 also hides every other error; catch that one",
                checker.source.shown(&lookup),
                line(lookup.start())
            ),
            Severity::Warning,
        );
    }
    let statements = try_stmt.body.iter().filter(|s| !helpers::is_docstring(s)).count();
    if statements >= LONG_BODY {
        return (
            format!(
                "the `try` body runs {statements} statements (from line {}), and a bug in any of them vanishes; \
                 catch the specific exception, or at least log it",
                line(try_stmt.start())
            ),
            Severity::Warning,
        );
    }
    (
        "nothing here shows which error is meant; if it is expected and harmless, \
         `contextlib.suppress(<that error>)` says so, else log it"
            .to_string(),
        Severity::Hint,
    )
}

/// The `try` is directly in a loop body and the handler ends the iteration (`continue`, or the
/// `try` is the last statement of the body): a failing iteration leaves no trace.
fn is_int_literal(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_) => true,
        Expr::UnaryOp(u) => u.operand.is_number_literal_expr(),
        _ => false,
    }
}

fn skips_the_iteration(checker: &Checker, handler: &ExceptHandlerExceptHandler, try_stmt: &StmtTry) -> bool {
    let model = checker.semantic();
    let Some(id) = checker.node_id() else { return false };
    let Some(NodeRef::Stmt(parent)) = model.parent_id(id).map(|p| model.node(p)) else { return false };
    let body = match parent {
        Stmt::For(f) => &f.body,
        Stmt::While(w) => &w.body,
        _ => return false,
    };
    let last = body.last().is_some_and(|s| matches!(s, Stmt::Try(t) if std::ptr::eq(t, try_stmt)));
    let in_body = body.iter().any(|s| matches!(s, Stmt::Try(t) if std::ptr::eq(t, try_stmt)));
    in_body && (last || handler.body.iter().any(|s| matches!(s, Stmt::Continue(_))))
}

/// The first `x[k]` read or `del x[k]` in the `try` body with a computed or string key (not a
/// slice, which raises neither; not a literal position like `parts[1]`, usually checked by a
/// `len` test first; not a type expression like `list[int]` in an annotation).
fn first_lookup(checker: &Checker, try_stmt: &StmtTry) -> Option<TextRange> {
    let model = checker.semantic();
    try_stmt.body.iter().filter_map(|s| model.stmt_id(s)).find_map(|id| {
        model.descendant_ids(id).find_map(|(child, node)| match node {
            NodeRef::Expr(Expr::Subscript(sub))
                if sub.ctx != ExprContext::Store
                    && !sub.slice.is_slice_expr()
                    && !is_int_literal(&sub.slice)
                    && !matches!(model.parent_id(child).map(|p| model.node(p)), Some(NodeRef::Stmt(Stmt::AnnAssign(a))) if a.annotation.range() == sub.range)
                    && !checker.resolve(&sub.value).is_some_and(|q| q.segments().first().is_some_and(|m| matches!(*m, "typing" | "builtins" | "collections"))) =>
            {
                Some(sub.range)
            }
            _ => None,
        })
    })
}

/// `pass`, `...`, `continue` or a string statement: nothing observes the exception.
fn is_silent(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Pass(_) | Stmt::Continue(_) => true,
        Stmt::Expr(e) => e.value.is_ellipsis_literal_expr() || e.value.is_string_literal_expr(),
        _ => false,
    }
}

fn is_broad(checker: &Checker, type_: Option<&Expr>) -> bool {
    match type_ {
        None => true,
        Some(Expr::Tuple(tuple)) => tuple.elts.iter().any(|e| is_broad_name(checker, e)),
        Some(expr) => is_broad_name(checker, expr),
    }
}

fn is_broad_name(checker: &Checker, expr: &Expr) -> bool {
    checker.resolves_to_any(expr, BROAD).is_some()
}

/// `except Exception` (the keyword through the type), or just `except` for a bare handler.
fn anchor(checker: &Checker, handler: &ExceptHandlerExceptHandler) -> TextRange {
    let keyword = TextRange::at(handler.start(), TextSize::of("except"));
    match handler.type_.as_deref() {
        Some(type_) if checker.source.slice(&keyword) == "except" => TextRange::new(handler.start(), type_.end()),
        _ => keyword,
    }
}

/// Replace the first `pass`/`...` with `logging.exception("...")`, else insert it before the
/// `continue`, else after the docstring.
fn log_fix(checker: &Checker, handler: &ExceptHandlerExceptHandler, try_stmt: Option<&StmtTry>) -> Option<Fix> {
    let (logger, import) = logger(checker)?;
    let call = format!("{logger}.exception(\"{}\")", describe(checker, try_stmt));
    let edit = placement_edit(checker, &handler.body, &call)?;
    let mut edits = vec![edit];
    edits.extend(import);
    Fix::display_only(format!("Log the swallowed exception with `{logger}.exception(...)`"), edits)
}

fn placement_edit(checker: &Checker, body: &[Stmt], call: &str) -> Option<Edit> {
    let nl = checker.source.line_ending();
    let is_placeholder =
        |s: &&Stmt| matches!(s, Stmt::Pass(_)) || matches!(s, Stmt::Expr(e) if e.value.is_ellipsis_literal_expr());
    if let Some(placeholder) = body.iter().find(is_placeholder) {
        return Some(Edit::replace(placeholder.range(), call));
    }
    if let Some(cont) = body.iter().find(|s| matches!(s, Stmt::Continue(_))) {
        return Some(match checker.source.indentation_at(cont.start()) {
            Some(indent) => Edit::insert(cont.start(), format!("{call}{nl}{indent}")),
            // `except Exception: continue` on one line.
            None => Edit::insert(cont.start(), format!("{call}; ")),
        });
    }
    let last = body.last()?;
    Some(match checker.source.indentation_at(last.start()) {
        Some(indent) if checker.source.nothing_after_on_line(last.end()) => {
            let at = checker.source.full_line_end(last.end());
            let before = checker.source.text().get(..at.to_usize()).unwrap_or("");
            let lead = if before.ends_with(['\n', '\r']) { "" } else { nl };
            Edit::insert(at, format!("{lead}{indent}{call}{nl}"))
        }
        _ => Edit::insert(last.end(), format!("; {call}")),
    })
}

/// How to call the logger: a module-level `logger = logging.getLogger(...)` when there is one,
/// else the `logging` module (imported if needed). `None` when a local name shadows it.
fn logger(checker: &Checker) -> Option<(String, Option<Edit>)> {
    for name in LOGGER_NAMES {
        if let Some(Expr::Call(call)) = checker.lookup(name).and_then(|b| b.value)
            && checker.resolves_to(&call.func, "logging.getLogger")
        {
            return Some(((*name).to_string(), None));
        }
    }
    let (name, edit) = helpers::import_module(checker, "logging");
    let visible = match checker.lookup(&name) {
        Some(binding) => binding.is_import_of("logging"),
        None => edit.is_some(),
    };
    visible.then_some((name, edit))
}

/// The log message: what raised, as precisely as the code allows.
fn describe(checker: &Checker, try_stmt: Option<&StmtTry>) -> String {
    let body: Vec<&Stmt> =
        try_stmt.map(|t| t.body.iter().filter(|s| !helpers::is_docstring(s)).collect()).unwrap_or_default();
    if let [only] = body.as_slice() {
        // The expression that raised, not its statement: `from json.loads(text)`, not
        // `from return json.loads(text)`.
        let text = match only {
            Stmt::Return(StmtReturn { value: Some(value), .. }) => checker.source.slice(&**value),
            Stmt::Assign(StmtAssign { value, .. }) => checker.source.slice(&**value),
            _ => checker.source.slice(*only),
        };
        if !text.is_empty() && text.len() <= 60 && !text.contains(['\n', '\r']) && !is_compound(only) {
            return format!("Ignoring exception from {}", escape(text));
        }
    }
    match checker.function_like() {
        Some(Frame::Function(function)) => format!("Ignoring exception in {}()", function.name.as_str()),
        _ => "Ignoring exception".to_string(),
    }
}

fn is_compound(stmt: &Stmt) -> bool {
    matches!(
        stmt,
        Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::Match(_)
            | Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
    )
}

/// Contents for a double-quoted Python string literal.
fn escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| match c {
            '\\' => vec!['\\', '\\'],
            '"' => vec!['\\', '"'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::SwallowedBroadException as R;

    #[test]
    fn flags_broad_silent_handlers() {
        assert_count("try:\n    f()\nexcept Exception:\n    pass\n", R, 1);
        assert_count("try:\n    f()\nexcept BaseException:\n    ...\n", R, 1);
        assert_count("try:\n    f()\nexcept:\n    pass\n", R, 1);
        assert_count("try:\n    f()\nexcept (ValueError, Exception) as e:\n    pass\n", R, 1);
        assert_count("import builtins\ntry:\n    f()\nexcept builtins.Exception:\n    pass\n", R, 1);
        assert_count("for x in y:\n    try: f()\n    except Exception: continue\n", R, 1);
        assert_count(
            "for x in y:\n    try:\n        f()\n    except Exception:\n        \"why\"\n        pass\n        continue\n",
            R,
            1,
        );
        assert_count("try:\n    f()\nexcept Exception:\n    \"\"\"Best effort.\"\"\"\n", R, 1);
    }

    fn tier(src: &str) -> Severity {
        only_severity(src, R)
    }

    #[test]
    fn warnings_name_the_evidence() {
        let warn = |src: &str, evidence: &str| {
            assert_eq!(tier(src), Severity::Warning, "{src}");
            let msg = message(src, R);
            assert!(msg.contains(evidence), "{src}: {msg}");
        };
        warn("for x in y:\n    try:\n        f(x)\n    except Exception:\n        continue\n", "inside a loop");
        warn("while active:\n    try:\n        poll()\n    except:\n        pass\n", "inside a loop");
        warn("try:\n    del adapters[int]\nexcept:\n    pass\n", "`adapters[int]` (line 2) is a lookup");
        warn("def f(t, k):\n    try:\n        draw(t[k])\n    except Exception:\n        pass\n", "`t[k]` (line 3)");
        warn(
            "try:\n    a()\n    b()\n    c()\n    d()\nexcept Exception:\n    pass\n",
            "runs 4 statements (from line 1)",
        );
    }

    #[test]
    fn hints_say_nothing_here_shows_the_harm() {
        let hint = |src: &str, says: &str| {
            assert_eq!(tier(src), Severity::Hint, "{src}");
            let msg = message(src, R);
            assert!(msg.contains(says), "{src}: {msg}");
        };
        hint("try:\n    f()\nexcept Exception:\n    pass\n", "nothing here shows which error is meant");
        hint("try:\n    import numpy\nexcept Exception:\n    pass\n", "optional import");
        hint(
            "def test_leak(self):\n    for _ in range(50):\n        try:\n            run()\n        except Exception:\n            pass\n",
            "inside a test's loop",
        );
        hint("try:\n    sock.close()\nexcept Exception:\n    pass\n", "best-effort cleanup (`sock.close()`)");
        hint("try:\n    f(d[k])\nexcept Exception:\n    # best effort: see issue 8200\n    pass\n", "the comment says");
        hint(
            "for x in y:\n    try:\n        f(x)\n    except Exception:  # optional plugin\n        continue\n",
            "the comment says",
        );
        // A literal position, usually checked first, is not the evidence.
        hint(
            "try:\n    if len(parts) == 2:\n        v = parts[1]\nexcept Exception:\n    pass\n",
            "nothing here shows",
        );
        // A slice raises neither `KeyError` nor `IndexError`.
        hint("try:\n    send(buf[:n])\nexcept Exception:\n    pass\n", "nothing here shows");
        // A fallback inside a loop that goes on with the iteration.
        hint(
            "for n in names:\n    try:\n        l = str(eval(n))\n    except Exception:\n        pass\n    use(l)\n",
            "nothing here shows",
        );
        // A comment in the `try` body explains it.
        hint(
            "try:\n    # may fail when the peer closed first\n    send(d[k])\nexcept:\n    pass\n",
            "the comment says",
        );
        // A type expression is not a lookup.
        hint(
            "import typing\ntry:\n    cast(typing.Optional[int], v)\nexcept Exception:\n    pass\n",
            "nothing here shows",
        );
        // A directive that silences a broad-catch check says the catch-all was chosen.
        hint(
            "for c in classes:\n    try:\n        check(c)\n    except Exception:  # pylint: disable=broad-except\n        pass\n",
            "the comment says",
        );
        // Tool directives are not explanations.
        assert_eq!(tier("try:\n    f(d[k])\nexcept Exception:  # pragma: no cover\n    pass\n"), Severity::Warning);
    }

    #[test]
    fn best_effort_cleanup_and_self_raised_errors_are_not_reported() {
        for src in [
            "try:\n    run()\nfinally:\n    try:\n        conn.close()\n    except Exception:\n        pass\n",
            "class A:\n    def __del__(self):\n        try:\n            self.close()\n        except Exception:\n            pass\n",
            "class A:\n    def close(self):\n        try:\n            self.sock.close()\n        except Exception:\n            pass\n",
            "class T:\n    def tearDown(self):\n        try:\n            os.unlink(self.path)\n        except Exception:\n            pass\n",
            "class A:\n    def __repr__(self):\n        try:\n            v = repr(self.x)\n        except Exception:\n            pass\n        return 'A'\n",
            "class A:\n    def __exit__(self, *exc):\n        try:\n            self.f.close()\n        except:\n            pass\n",
            // The last-resort guard around error reporting itself.
            "import sys\ntry:\n    sys.excepthook(*sys.exc_info())\nexcept:\n    pass\n",
            "import traceback\ntry:\n    traceback.print_exc()\nexcept Exception:\n    pass\n",
            // The body raises what the handler catches: a test of exception semantics.
            "try:\n    raise ValueError('x')\nexcept Exception:\n    pass\n",
            "try:\n    pass\nexcept Exception:\n    pass\n",
        ] {
            assert_clean(src, R);
        }
        // Cleanup in an ordinary method, or the `try` body of the `finally` itself, is reported.
        assert_count(
            "class A:\n    def run(self):\n        try:\n            self.sock.close()\n        except Exception:\n            pass\n",
            R,
            1,
        );
        assert_count(
            "try:\n    try:\n        run()\n    except Exception:\n        pass\nfinally:\n    done()\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_specific_types_and_real_handling() {
        assert_clean("try:\n    f()\nexcept ValueError:\n    pass\n", R);
        assert_clean("try:\n    f()\nexcept (ValueError, TypeError):\n    pass\n", R);
        assert_clean("try:\n    f()\nexcept Exception:\n    log(1)\n", R);
        assert_clean("try:\n    f()\nexcept Exception:\n    raise\n", R);
        assert_clean("for x in y:\n    try:\n        f()\n    except Exception:\n        break\n", R);
        // A local class named Exception is not the builtin.
        assert_clean("class Exception(ValueError): pass\ntry:\n    f()\nexcept Exception:\n    pass\n", R);
    }

    #[test]
    fn message_and_anchor() {
        let src = "def load():\n    try:\n        f()\n    except Exception as e:\n        pass\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "except Exception");
        assert!(found[0].message.contains("`except Exception:` + `pass` in `load`"), "{}", found[0].message);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
    }

    #[test]
    fn fix_replaces_pass_and_imports_logging() {
        let src =
            "import json\n\ndef load(text):\n    try:\n        json.loads(text)\n    except Exception:\n        pass\n";
        assert_eq!(
            fixed(src, R),
            "import json\nimport logging\n\ndef load(text):\n    try:\n        json.loads(text)\n    except Exception:\n        logging.exception(\"Ignoring exception from json.loads(text)\")\n"
        );
    }

    #[test]
    fn fixed_code_runs_logs_the_traceback_and_goes_on() {
        let src = "import json\n\ndef load(text):\n    try:\n        return json.loads(text)\n    except Exception:\n        pass\n";
        let fixed_text = fixed(src, R);
        let (ok, out, err) = run_python(&format!("{fixed_text}\nprint(load('[1]'), load('{{'))\n"));
        assert!(ok, "{fixed_text}\n{err}");
        assert_eq!(out, "[1] None\n", "the same results as before the fix");
        assert!(err.contains("Ignoring exception from json.loads(text)") && err.contains("JSONDecodeError"), "{err}");
    }

    #[test]
    fn fix_reuses_logger_and_alias() {
        let src = "import logging\nlogger = logging.getLogger(__name__)\ntry:\n    a()\n    b()\nexcept:\n    ...\n";
        assert_eq!(
            fixed(src, R),
            "import logging\nlogger = logging.getLogger(__name__)\ntry:\n    a()\n    b()\nexcept:\n    logger.exception(\"Ignoring exception\")\n"
        );
        let src = "import logging as lg\ndef f():\n    try:\n        a['\"\\\\']\n    except Exception: pass\n";
        assert_eq!(
            fixed(src, R),
            "import logging as lg\ndef f():\n    try:\n        a['\"\\\\']\n    except Exception: lg.exception(\"Ignoring exception from a['\\\"\\\\\\\\']\")\n"
        );
    }

    #[test]
    fn fix_inserts_before_continue() {
        let src = "import logging\nfor x in y:\n    try:\n        f(x)\n        g(x)\n    except Exception:\n        continue\n";
        assert_eq!(
            fixed(src, R),
            "import logging\nfor x in y:\n    try:\n        f(x)\n        g(x)\n    except Exception:\n        logging.exception(\"Ignoring exception\")\n        continue\n"
        );
        let src = "import logging\r\nfor x in y:\r\n    try: f(x)\r\n    except Exception: continue\r\n";
        assert_eq!(
            fixed(src, R),
            "import logging\r\nfor x in y:\r\n    try: f(x)\r\n    except Exception: logging.exception(\"Ignoring exception from f(x)\"); continue\r\n"
        );
    }

    #[test]
    fn fix_after_docstring_only_body() {
        let src = "import logging\ntry:\n    f()\nexcept Exception:\n    \"\"\"Best effort.\"\"\"";
        assert_eq!(
            fixed(src, R),
            "import logging\ntry:\n    f()\nexcept Exception:\n    \"\"\"Best effort.\"\"\"\n    logging.exception(\"Ignoring exception from f()\")\n"
        );
    }

    #[test]
    fn no_fix_when_logging_is_shadowed_locally() {
        let found = findings("def f(logging):\n    try:\n        g()\n    except Exception:\n        pass\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in
            ["try:\n    f()\nexcept Exception:\n", "try:\nexcept (:\n    pass\n", "try:\n    f()\nexcept Exception"]
        {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
