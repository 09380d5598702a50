//! Facts about an `except` handler shared by `bare-except` and `swallowed-broad-exception`: what
//! its earlier siblings already catch, whether it re-raises, ends the process or reports the
//! exception, whether it sits in a loop, in cleanup code, or under a comment that explains it.

use ruff_python_ast::{ExceptHandler, ExceptHandlerExceptHandler, Expr, ExprCall, Stmt, StmtTry};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::{Checker, Frame};

/// The `try` statement that owns the handler being checked (the checker stands at it).
pub fn owning_try<'a>(checker: &Checker<'a>) -> Option<&'a StmtTry> {
    match checker.current_statement() {
        Some(Stmt::Try(t)) => Some(t),
        _ => None,
    }
}

/// What the handlers before `handler` in the same `try` already catch of the exceptions that
/// only `BaseException` covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Covered {
    pub keyboard_interrupt: bool,
    pub system_exit: bool,
}

impl Covered {
    pub fn both(self) -> bool {
        self.keyboard_interrupt && self.system_exit
    }
}

pub fn covered_by_siblings(checker: &Checker, try_stmt: &StmtTry, handler: &ExceptHandlerExceptHandler) -> Covered {
    let mut covered = Covered::default();
    for ExceptHandler::ExceptHandler(sibling) in &try_stmt.handlers {
        if std::ptr::eq(sibling, handler) {
            break;
        }
        let Some(type_) = sibling.type_.as_deref() else { continue };
        let types: &[Expr] = match type_ {
            Expr::Tuple(tuple) => &tuple.elts,
            other => std::slice::from_ref(other),
        };
        for t in types {
            match checker
                .resolves_to_any(t, &["builtins.BaseException", "builtins.KeyboardInterrupt", "builtins.SystemExit"])
            {
                Some("builtins.BaseException") => {
                    covered.keyboard_interrupt = true;
                    covered.system_exit = true;
                }
                Some("builtins.KeyboardInterrupt") => covered.keyboard_interrupt = true,
                Some("builtins.SystemExit") => covered.system_exit = true,
                _ => {}
            }
        }
    }
    covered
}

/// The first top-level `raise` of the handler body: a bare `raise` re-raises, `raise X` replaces.
pub fn top_level_raise(body: &[Stmt]) -> Option<&ruff_python_ast::StmtRaise> {
    body.iter().find_map(|s| match s {
        Stmt::Raise(raise) => Some(raise),
        _ => None,
    })
}

const EXITS: &[&str] =
    &["sys.exit", "os._exit", "posix._exit", "nt._exit", "os.abort", "builtins.exit", "builtins.quit"];

/// A top-level call in the body that ends the process (`os._exit(127)`, `sys.exit(1)`).
pub fn exits_process<'a>(checker: &Checker, body: &'a [Stmt]) -> Option<&'a ExprCall> {
    body.iter().find_map(|s| match s {
        Stmt::Expr(e) => match &*e.value {
            Expr::Call(call)
                if checker.resolves_to_any(&call.func, EXITS).is_some()
                    || matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "_exit" && checker.binding_of(n).is_none()) =>
            {
                Some(call)
            }
            _ => None,
        },
        _ => None,
    })
}

const REPORTERS: &[&str] = &[
    "sys.exc_info",
    "sys.exception",
    "sys.excepthook",
    "traceback.print_exc",
    "traceback.format_exc",
    "traceback.print_exception",
    "traceback.format_exception",
    "logging.exception",
];

/// A call in the handler's own statements (not its nested handlers) that reports or forwards
/// the exception: `traceback.print_exc()`, `sys.exc_info()`, `logger.exception(...)`, any call
/// with `exc_info=`, or a method whose name says it handles the error (`self._error_exc()`,
/// `self.handle_error()`, `t.print_exc()`).
pub fn reporting_call<'a>(checker: &Checker<'a>, body: &'a [Stmt]) -> Option<&'a ExprCall> {
    let model = checker.semantic();
    body.iter().filter_map(|s| model.stmt_id(s)).flat_map(|id| model.calls_within(id)).find(|call| {
        if checker.resolves_to_any(&call.func, REPORTERS).is_some() || call.arguments.find_keyword("exc_info").is_some()
        {
            return true;
        }
        match &*call.func {
            Expr::Attribute(attr) => reports_by_name(attr.attr.as_str()),
            Expr::Name(name) => checker.binding_of(name).is_some() && reports_by_name(name.id.as_str()),
            _ => false,
        }
    })
}

fn reports_by_name(name: &str) -> bool {
    let name = name.trim_start_matches('_').to_ascii_lowercase();
    name == "exception"
        || name.contains("print_exc")
        || name.contains("format_exc")
        || name.contains("excepthook")
        || name.contains("exc_info")
        || name.contains("error_exc")
        || name.starts_with("handle_error")
        || name.starts_with("handleerror")
        || name.starts_with("report_exc")
        || name.starts_with("log_exc")
}

/// The handler's `try` is in the body of a loop of the same function.
pub fn in_loop(checker: &Checker) -> bool {
    checker
        .frames()
        .take_while(|f| !matches!(f, Frame::Function(_) | Frame::Lambda(_) | Frame::Class(_)))
        .any(|f| matches!(f, Frame::Loop(_)))
}

/// Methods whose whole job is releasing resources; errors there are routinely ignored.
const CLEANUP_METHODS: &[&str] = &[
    "__del__",
    "__exit__",
    "__aexit__",
    "close",
    "aclose",
    "_close",
    "cleanup",
    "_cleanup",
    "tearDown",
    "tearDownClass",
    "teardown",
    "teardown_method",
    "teardown_class",
    "doCleanups",
    "shutdown",
    "_shutdown",
    "dispose",
    "release",
    "terminate",
    // Must not raise: a failing repr would turn a log line or a traceback into a second error.
    "__repr__",
    "__str__",
];

/// Best-effort cleanup: the `try` is inside a `finally:` block, or in a method whose job is
/// releasing resources (`__del__`, `close`, `__exit__`, `tearDown`...) or that must not raise
/// (`__repr__`, `__str__`). Returns what to call it.
pub fn cleanup_context(checker: &Checker, try_stmt: &StmtTry) -> Option<String> {
    let start = try_stmt.start();
    for node in checker.ancestors() {
        match node.as_stmt() {
            Some(Stmt::Try(outer)) if in_block(&outer.finalbody, start) => {
                return Some("a `finally:` block".to_string());
            }
            Some(Stmt::FunctionDef(f)) => {
                return CLEANUP_METHODS.contains(&f.name.as_str()).then(|| format!("`{}`", f.name.as_str()));
            }
            _ => {}
        }
    }
    None
}

fn in_block(body: &[Stmt], offset: ruff_text_size::TextSize) -> bool {
    match (body.first(), body.last()) {
        (Some(first), Some(last)) => TextRange::new(first.start(), last.end()).contains(offset),
        _ => false,
    }
}

/// A comment in the `try` statement up to the end of the handler (on the `except` line, inside
/// the handler, in the body, on the line above the `except`): code that explains itself. A to-do
/// (`# FIXME: save error info here?`) says the handler is unfinished, the opposite of a reason.
pub fn has_explaining_comment(checker: &Checker, try_stmt: &StmtTry, handler: &ExceptHandlerExceptHandler) -> bool {
    let source = &checker.source;
    let range = TextRange::new(try_stmt.start(), source.full_line_end(handler.end()).max(try_stmt.start()));
    source.comments().any(|c| {
        let text = source.slice(&c);
        range.contains_range(c) && !is_pragma(text) && !is_todo(text)
    })
}

fn is_todo(comment: &str) -> bool {
    let text = comment.trim_start_matches('#').trim_start();
    ["TODO", "FIXME", "XXX"].iter().any(|mark| text.get(..mark.len()).is_some_and(|t| t.eq_ignore_ascii_case(mark)))
}

/// `# noqa`, `# pragma: no cover`, `# type: ignore`, `# pylint: ...`: tool directives, not reasons;
/// except one that silences a broad-catch check (`# pylint: disable=broad-except`, `# noqa: BLE001`,
/// `# nosec`): that says the catch-all was chosen.
fn is_pragma(comment: &str) -> bool {
    let text = comment.trim_start_matches('#').trim().to_ascii_lowercase();
    const DELIBERATE: &[&str] = &[
        "broad-except",
        "broad-exception",
        "bare-except",
        "ble001",
        "s110",
        "s112",
        "e722",
        "w0703",
        "w0718",
        "w0702",
        "nosec",
    ];
    if DELIBERATE.iter().any(|d| text.contains(d)) {
        return false;
    }
    ["noqa", "pragma", "type:", "pylint", "nosec", "fmt:", "interview-lens", "pyright", "mypy"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// The `try` body only raises (`raise`, or the `1/0` idiom) or does nothing: the handler catches
/// what this code raised itself (tests of exception semantics), not an unknown failure. Nested `try` statements made
/// of the same count.
pub fn body_raises_itself(try_stmt: &StmtTry) -> bool {
    try_stmt.body.iter().all(trivial)
        && (try_stmt.body.iter().any(raises) || try_stmt.body.iter().all(Stmt::is_pass_stmt))
}

fn trivial(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Pass(_) | Stmt::Raise(_) => true,
        Stmt::Expr(e) if divides_by_zero(&e.value) => true,
        Stmt::Expr(e) => e.value.is_literal_expr(),
        Stmt::Assign(a) => a.value.is_literal_expr() || a.value.is_name_expr(),
        Stmt::Try(t) => {
            t.body.iter().chain(&t.orelse).chain(&t.finalbody).all(trivial)
                && t.handlers.iter().filter_map(|h| h.as_except_handler()).all(|h| h.body.iter().all(trivial))
        }
        _ => false,
    }
}

/// `1/0`: the idiom tests use to raise.
fn divides_by_zero(expr: &Expr) -> bool {
    use ruff_python_ast::{Number, Operator};
    matches!(expr, Expr::BinOp(b) if matches!(b.op, Operator::Div | Operator::FloorDiv | Operator::Mod)
        && matches!(&*b.right, Expr::NumberLiteral(n) if matches!(&n.value, Number::Int(i) if i.as_u8() == Some(0))))
}

fn raises(stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Raise(_) => true,
        Stmt::Expr(e) if divides_by_zero(&e.value) => true,
        Stmt::Try(t) => t
            .body
            .iter()
            .chain(t.handlers.iter().filter_map(|h| h.as_except_handler()).flat_map(|h| &h.body))
            .any(raises),
        _ => false,
    }
}

/// Code in a test: a function named `test*` or a method of a class named `Test*`/`*Test(s)`.
pub fn in_test(checker: &Checker) -> bool {
    checker.frames().any(|f| match f {
        Frame::Function(f) => f.name.as_str().starts_with("test"),
        Frame::Class(c) => {
            let name = c.name.as_str();
            name.starts_with("Test") || name.ends_with("Test") || name.ends_with("Tests")
        }
        _ => false,
    })
}

/// Calls that release something; a `try` around nothing but these is best-effort cleanup.
const CLEANUP_CALLS: &[&str] = &[
    "close",
    "aclose",
    "shutdown",
    "unlink",
    "remove",
    "rmdir",
    "rmtree",
    "cleanup",
    "terminate",
    "kill",
    "release",
    "cancel",
    "stop",
    "disconnect",
    "flush",
    "unregister",
    "detach",
];

/// The `try` body only calls cleanup methods (`sys.stdin.close()`, `os.unlink(p)`): best-effort
/// cleanup, whose failure (or a Ctrl+C during it) costs little.
pub fn cleanup_only_body(try_stmt: &StmtTry) -> Option<&ExprCall> {
    let mut first = None;
    for stmt in &try_stmt.body {
        let Stmt::Expr(e) = stmt else { return None };
        let Expr::Call(call) = &*e.value else { return None };
        let name = match &*call.func {
            Expr::Attribute(attr) => attr.attr.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => return None,
        };
        if !CLEANUP_CALLS.contains(&name) {
            return None;
        }
        first.get_or_insert(call);
    }
    first
}
