//! `open-without-with` (peer: Ruff SIM115). A file (or archive, temporary file, database) opened
//! outside a `with` block is closed only by an explicit `close()` that an exception can skip, or by
//! the garbage collector, whose timing is an implementation detail.
//!
//! Decided after the walk, on the handle's binding and every read of it:
//! - warning, in a function, when the code shows a path on which the handle stays open: nothing
//!   closes it (no `close()`, no `with`, it does not leave the function), or a statement that can
//!   raise runs between the `open` and the only `close()` (named in the message), or the `close()`
//!   sits in a branch.
//! - hint, for the same shapes at module level (an exception ends the script, and the OS closes the
//!   file; in an imported module it is held for the life of the process, which the message says),
//!   for chained or passed-on use (`open(p).read()`, `json.load(open(p))`, `for line in open(p)`:
//!   CPython's reference counting closes it at once, other implementations when the collector
//!   runs), and for `self.x = open(...)` in a class with no method that closes it (callers may).
//! - nothing: a `with`/`async with` item (or anything inside one); an argument of
//!   `contextlib.closing(...)`, `<stack>.enter_context(...)`, unittest's `self.enterContext(...)`;
//!   `open(p).close()`; a handle closed in a `finally:` (or an `except` that re-raises) of a `try`
//!   that holds the `open` or follows it, with nothing that can raise in between; a handle closed
//!   by the very next statement (or first thing in the `else:` of a `try` around the `open`); a handle that leaves the code that opened it (returned, yielded,
//!   stored on an object or in a container, wrapped by a call whose result leaves (returned, stored on an object, or bound to a name that
//!   leaves in turn; a result kept in a local that stays takes nothing over), captured by a
//!   closure, passed to `with`, or whose `close` is registered as a callback such as
//!   `self.addCleanup(f.close)`); an `open` in a `try` body with handlers whose handle nothing
//!   reads (a probe of whether it opens, as tests of permissions write it); inside
//!   `with self.assertRaises(...)`/`pytest.raises(...)` (expected to fail) or a `mock.patch` of
//!   `open`; `self.x = open(...)` in a class that closes it
//!   (`self.x.close()` anywhere) or has a closing method (`close`, `__exit__`, `__del__`,
//!   `tearDown`...). `open` bound to anything else (`from os import open`, or `from os import *` /
//!   `from posix import *` as `os.py` does: a file descriptor) is not an opener; a star import of
//!   other modules leaves it the builtin.
//!
//! Test code gets no special treatment: a test that fails between `open` and `close` leaks the
//! handle (a `ResourceWarning`, and on Windows the `tearDown` cannot delete the file), and the
//! same `with` fixes it. One-shot scripts are module-level code: hints.
//!
//! Unlike Ruff we skip owned, wrapped-and-returned, closed-in-`finally` and callback-closed
//! handles, and we also cover `tempfile.TemporaryDirectory`, `zipfile.ZipFile`, `tarfile.TarFile`.
//!
//! Fix (unsafe: the close moves to the end of the block), for two shapes only:
//! `f = open(...)` ... `f.close()` in one suite becomes `with open(...) as f:` around the statements
//! in between; `x = open(...).read()` becomes `with open(...) as f:` / `x = f.read()`.

use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::helpers::messages::shown_call;
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{BindingId, NodeId, ScopeId, ScopeKind, Use, qualified};

const OPENERS: &[&str] = &[
    "builtins.open",
    "io.open",
    "_io.open",
    "io.open_code",
    "codecs.open",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "tempfile.SpooledTemporaryFile",
    "tempfile.TemporaryDirectory",
    "zipfile.ZipFile",
    "tarfile.open",
    "tarfile.TarFile",
    "tarfile.TarFile.open",
    "tarfile.TarFile.taropen",
    "gzip.open",
    "bz2.open",
    "lzma.open",
    "lzma.LZMAFile",
    "dbm.open",
    "dbm.gnu.open",
    "dbm.ndbm.open",
    "dbm.dumb.open",
    "shelve.open",
    "tokenize.open",
    "wave.open",
    "fileinput.input",
    "fileinput.FileInput",
];

const PATH_CLASSES: &[&str] = &["pathlib.Path", "pathlib.PosixPath", "pathlib.WindowsPath"];

/// Methods that close the handle (`TemporaryDirectory` has `cleanup`).
const CLOSERS: &[&str] = &["close", "aclose", "cleanup", "__exit__", "__aexit__"];

/// A class with one of these releases what it holds.
const OWNER_METHODS: &[&str] = &[
    "close",
    "aclose",
    "_close",
    "__exit__",
    "__aexit__",
    "__del__",
    "cleanup",
    "shutdown",
    "release",
    "dispose",
    "terminate",
    "tearDown",
    "tearDownClass",
    "teardown_method",
    "teardown",
];

/// During the walk: the shapes that are safe on their face; the rest waits for the model.
pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    if opener_name(checker, call).is_none() {
        return;
    }
    if in_with_item(checker, expr) || handed_to_manager(checker, expr) || is_factory_result(checker, expr) {
        return;
    }
    if is_closed_at_once(checker, expr) {
        return;
    }
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::OpenWithoutWith, node);
    }
}

/// After the walk, at the call: follow the handle.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let Some(expr) = checker.semantic().node(node).as_expr() else { return };
    let Expr::Call(call) = expr else { return };
    let Some(opener) = opener_name(checker, call) else { return };
    if expected_to_fail_or_mocked(checker) || (opener == "builtins.open" && star_imported(checker)) {
        return;
    }
    let shown = shown_call(checker, call);
    let module_level =
        matches!(checker.semantic().scope(checker.scope()).kind, ScopeKind::Module | ScopeKind::Class(_));
    let verdict = match checker.semantic().use_of_node(node) {
        Use::Stored { target } => match target {
            Expr::Name(name) if is_whole_value(checker, node) => match checker.semantic().resolve_name(name) {
                Some(binding) => follow_binding(checker, node, binding, &shown, module_level),
                None => None,
            },
            Expr::Attribute(attr) => owned_by_self(checker, attr, &shown),
            _ => None,
        },
        Use::Returned | Use::Yielded | Use::WithItem | Use::Raised => None,
        Use::Argument { call: outer } => passed_on(checker, outer, &shown),
        Use::MethodCall { method, .. } if CLOSERS.contains(&method) => None,
        Use::MethodCall { method, .. } | Use::AttributeLoad(method) => Some(Verdict::hint(format!(
            "{shown} is never closed explicitly: `.{method}` is used on it, and then the garbage collector closes \
             it (at once in CPython, by reference counting; later on PyPy); a `with` block closes it at a known point"
        ))),
        Use::Iterated => Some(Verdict::hint(format!(
            "{shown} is iterated and never closed explicitly: the garbage collector closes it after the loop (at \
             once in CPython; later on PyPy); `with open(...) as f: for line in f:` closes it at a known point"
        ))),
        // `try: open(p) except OSError: ...`: a probe of whether it opens, as tests write it.
        _ if in_try_with_handlers(checker, node) => None,
        _ => Some(Verdict::hint(format!(
            "{shown} is not kept or closed: the garbage collector closes it (at once in CPython; later on PyPy); \
             a `with` block closes it at a known point"
        ))),
    };
    let Some(verdict) = verdict else { return };
    let fix = if opener == "tempfile.TemporaryDirectory" { None } else { fix_for(checker, expr, &verdict) };
    let finding =
        Finding::new(Rule::OpenWithoutWith, call.func.range(), verdict.message).with_severity(verdict.severity);
    checker.report(finding.with_fix(fix));
}

/// Inside `with self.assertRaises(...)` / `with pytest.raises(...)` (the call is expected to fail:
/// no handle is made), or `with mock.patch("...open...")` (the opener is a mock).
fn expected_to_fail_or_mocked(checker: &Checker) -> bool {
    checker.ancestors().any(|node| {
        let Some(Stmt::With(with)) = node.as_stmt() else { return false };
        with.items.iter().any(|item| {
            let Expr::Call(call) = &item.context_expr else { return false };
            let name = match &*call.func {
                Expr::Attribute(attr) => attr.attr.as_str(),
                Expr::Name(name) => name.id.as_str(),
                _ => return false,
            };
            name.starts_with("assertRaises")
                || name == "raises"
                || (name.starts_with("patch") && checker.source.slice(&call.arguments).contains("open"))
        })
    })
}

/// `from posix import *` (as `os.py` does, inside an `if`) binds `open` to `os.open`, which
/// returns a file descriptor. Only the modules that export such an `open` count: a star import of
/// a project's helpers (`from .helpers import *`) does not make every `open` something else.
fn star_imported(checker: &Checker) -> bool {
    fn star(body: &[Stmt], depth: usize) -> bool {
        body.iter().any(|s| match s {
            Stmt::ImportFrom(i) => {
                i.level == 0
                    && i.module.as_ref().is_some_and(|m| matches!(m.as_str(), "os" | "posix" | "nt"))
                    && i.names.iter().any(|a| a.name.as_str() == "*")
            }
            Stmt::If(_) | Stmt::Try(_) if depth < 2 => {
                crate::analysis::semantic::suites::bodies(s).any(|b| star(b, depth + 1))
            }
            _ => false,
        })
    }
    star(checker.module_body(), 0)
}

/// The node's statement sits in the body of a `try` that has `except` handlers.
fn in_try_with_handlers(checker: &Checker, node: NodeId) -> bool {
    let model = checker.semantic();
    let Some(stmt) = model.statement(node) else { return false };
    let Some(parent) = model.statement_id(node).and_then(|id| model.parent_id(id)) else { return false };
    matches!(model.node(parent).as_stmt(), Some(Stmt::Try(t)) if !t.handlers.is_empty() && t.body.iter().any(|s| std::ptr::eq(s, stmt)))
}

struct Verdict {
    message: String,
    severity: Severity,
    /// For the close fix: the suite and the indices of the `open` and the `close()` statements.
    close: Option<(usize, usize)>,
}

impl Verdict {
    fn hint(message: String) -> Self {
        Verdict { message, severity: Severity::Hint, close: None }
    }
}

/// The call is the whole value of its assignment (`f = open(p)`, not `f = open(p) if a else b`).
fn is_whole_value(checker: &Checker, node: NodeId) -> bool {
    let call = checker.semantic().node(node);
    match checker.semantic().parent_id(node).map(|p| checker.semantic().node(p)) {
        Some(NodeRef::Stmt(Stmt::Assign(a))) => a.targets.len() == 1 && NodeRef::Expr(&a.value).is(call),
        Some(NodeRef::Stmt(Stmt::AnnAssign(a))) => a.value.as_deref().is_some_and(|v| NodeRef::Expr(v).is(call)),
        Some(NodeRef::Expr(Expr::Named(n))) => NodeRef::Expr(&n.value).is(call),
        _ => false,
    }
}

/// What the code does with the handle bound to a name.
fn follow_binding(
    checker: &Checker,
    node: NodeId,
    binding: BindingId,
    shown: &str,
    module_level: bool,
) -> Option<Verdict> {
    let model = checker.semantic();
    let b = model.binding(binding);
    let name = b.name;
    let open_stmt_id = model.statement_id(node)?;
    let open_stmt = model.node(open_stmt_id).as_stmt()?;
    let after = open_stmt.start();
    // Every read of the name in this scope after the `open`, whichever binding the walk tied it
    // to (`if a: f = open(x)` / `else: f = open(y)` / `f.close()` reads only the last one).
    let mut closes: Vec<(NodeId, TextSize)> = Vec::new();
    let mut passed_to: Option<&ExprCall> = None;
    // `output = open(output, 'wb')`: a read inside the `open` call is the path, read before the
    // handle exists.
    let opened = model.node(node).range();
    for other in model.bindings_of(b.scope, name) {
        for reference in model.references(other) {
            if reference.start() < after || opened.contains_range(reference.range) {
                continue;
            }
            if model.is_captured(reference, other) {
                return None;
            }
            match model.use_of(reference) {
                Use::MethodCall { method, .. } if CLOSERS.contains(&method) => {
                    closes.push((reference.node, reference.start()));
                }
                Use::AttributeLoad(attr) if CLOSERS.contains(&attr) => {
                    match bound_method_calls(checker, reference.node) {
                        // `close = f.close` ... `close()`: the calls are the closes.
                        Some(calls) => closes.extend(calls),
                        // `self.addCleanup(f.close)`, `atexit.register(f.close)`: arranged.
                        None => return None,
                    }
                }
                // `with f:` later: the code manages it with a `with` after all.
                Use::WithItem => return None,
                Use::Returned | Use::Yielded | Use::Stored { .. } | Use::Raised => return None,
                Use::Argument { call } if leaves(checker, call, Ownership::Named) => return None,
                Use::Argument { call } if !is_known_reader(checker, call) && passed_to.is_none() => {
                    passed_to = Some(call);
                }
                _ => {}
            }
        }
    }
    closes.sort_by_key(|(_, at)| *at);
    let line = |offset: TextSize| checker.source.line_number(offset);
    let quoted = format!("`{name} = {}`", shown.trim_matches('`'));
    let module_note = "at module level an exception ends the script and the OS closes the file, so this is \
                       harmless in a one-shot script; in an imported module the handle is held until the \
                       process exits";
    if closes.is_empty()
        && passed_to.is_none()
        && !model.is_used(binding)
        && in_try_with_handlers(checker, open_stmt_id)
    {
        // `try: fd = open(p, 'w') except OSError: ...` and nothing reads `fd`: a probe of whether
        // the open succeeds (tests of permissions), not a handle the code uses.
        return None;
    }
    if closes.is_empty() {
        let message = if module_level {
            format!(
                "{quoted}: nothing closes `{name}`; {module_note}; `with ... as {name}:` closes it when the block ends"
            )
        } else {
            let place = match checker.enclosing_function() {
                Some(f) => format!(" in `{}`", f.name.as_str()),
                None => String::new(),
            };
            format!(
                "{quoted}: nothing closes `{name}`{place} (no `{name}.close()`, and it does not leave the function), \
                 so it stays open until the garbage collector reclaims it; `with ... as {name}:` closes it when the \
                 block ends"
            )
        };
        if let Some(call) = passed_to {
            let message = format!(
                "{quoted}: nothing here closes `{name}`; it is passed to `{}()` (line {}), which may keep and close \
                 it, else the garbage collector does; if this code owns it, `with ... as {name}:` closes it when \
                 the block ends",
                checker.source.shown(&*call.func),
                line(call.start())
            );
            return Some(Verdict { message, severity: Severity::Hint, close: None });
        }
        let severity = if module_level { Severity::Hint } else { Severity::Warning };
        return Some(Verdict { message, severity, close: None });
    }
    // A `finally:` (or re-raising handler) that covers the `open`.
    for (close, _) in &closes {
        if let Some(verdict) = covered_by_try(checker, open_stmt_id, *close, &quoted, name, module_level) {
            return verdict;
        }
    }
    let (close, close_at) = closes[0];
    let close_stmt_id = model.statement_id(close)?;
    if closed_in_else_right_after(checker, open_stmt_id, close_stmt_id) {
        return None;
    }
    let (message, close_indices) = match lift_to_suite_of(checker, open_stmt_id, close_stmt_id) {
        Some((suite, open_index, close_index, lifted)) => {
            let between = &suite[open_index + 1..close_index];
            // Nothing in between can raise: the close always runs.
            let raising = between.iter().find(|s| can_raise(s))?;
            (
                format!(
                    "{quoted}: `{}` (line {}) can raise before `{name}.close()` (line {}), and then nothing closes \
                     `{name}`; use `with ... as {name}:`",
                    checker.source.shown(raising),
                    line(raising.start()),
                    line(close_at)
                ),
                (!lifted).then_some((open_index, close_index)),
            )
        }
        None => (
            format!(
                "{quoted}: `{name}.close()` (line {}) does not run on every path (an exception, or another branch, \
                 skips it); use `with ... as {name}:`",
                line(close_at)
            ),
            None,
        ),
    };
    let (message, severity) =
        if module_level { (format!("{message}; {module_note}"), Severity::Hint) } else { (message, Severity::Warning) };
    // Another close, or a rebinding, between the `open` and the chosen close rules the fix out.
    let clean = close_indices.is_some_and(|_| {
        closes.iter().all(|(_, at)| *at >= close_at)
            && model.bindings_of(b.scope, name).all(|o| {
                let r = model.binding(o).range;
                o == binding || r.start() < after || r.start() > close_at
            })
    });
    let close = if clean { close_indices } else { None };
    Some(Verdict { message, severity, close })
}

/// `close_stream = f.close` bound to a local name: where that name is called. `None` when the
/// bound method goes anywhere else (registered as a callback, stored on an object).
fn bound_method_calls(checker: &Checker, name_node: NodeId) -> Option<Vec<(NodeId, TextSize)>> {
    let model = checker.semantic();
    let attribute = model.parent_id(name_node)?;
    let Use::Stored { target: Expr::Name(target) } = model.use_of_node(attribute) else { return None };
    let binding = model.resolve_name(target)?;
    let calls: Vec<(NodeId, TextSize)> = model
        .references(binding)
        .filter(|r| matches!(model.use_of(r), Use::Called(_)))
        .map(|r| (r.node, r.start()))
        .collect();
    (!calls.is_empty() && model.references(binding).all(|r| !model.is_captured(r, binding))).then_some(calls)
}

/// `close` is in a `finally:` (or in an `except` that re-raises) of a `try` that holds the `open`,
/// or that follows it in the same block: `Some(None)` when nothing can raise before the `try`,
/// `Some(Some(warning))` naming the statement that can, `None` when this close is not such.
fn covered_by_try(
    checker: &Checker,
    open_stmt_id: NodeId,
    close: NodeId,
    quoted: &str,
    name: &str,
    module_level: bool,
) -> Option<Option<Verdict>> {
    let model = checker.semantic();
    let open_stmt = model.node(open_stmt_id).as_stmt()?;
    let close_at = model.node(close).start();
    for ancestor in model.ancestor_ids(close) {
        let Some(Stmt::Try(t)) = model.node(ancestor).as_stmt() else { continue };
        let in_finally = block_contains(&t.finalbody, close_at);
        let in_reraising_handler = t.handlers.iter().filter_map(|h| h.as_except_handler()).any(|h| {
            block_contains(&h.body, close_at) && h.body.iter().any(|s| matches!(s, Stmt::Raise(r) if r.exc.is_none()))
        });
        if !in_finally && !in_reraising_handler {
            continue;
        }
        if block_contains(&t.body, open_stmt.start()) {
            return Some(None);
        }
        // The `try` may be nested (`try: try: ... finally: f.close()`): climb to the statement that
        // shares a block with the `open`, through blocks where nothing before it can raise.
        let mut target = ancestor;
        let found = loop {
            if let Some(found) = lift_to_suite_of(checker, open_stmt_id, target) {
                break Some(found);
            }
            let Some((block, index)) = model.suite_of(target) else { break None };
            if block[..index].iter().any(can_raise) {
                break None;
            }
            match model.parent_id(target) {
                Some(parent) if matches!(model.node(parent).as_stmt(), Some(s) if !matches!(s, Stmt::FunctionDef(_) | Stmt::ClassDef(_))) =>
                {
                    target = parent;
                }
                _ => break None,
            }
        };
        let Some((suite, open_index, try_index, _)) = found else { continue };
        let between = &suite[open_index + 1..try_index];
        let Some(raising) = between.iter().find(|s| can_raise(s)) else { return Some(None) };
        let line = |offset: TextSize| checker.source.line_number(offset);
        let message = format!(
            "{quoted}: `{}` (line {}) runs before the `try:` (line {}) whose `finally:` closes `{name}`; if it \
             raises, nothing closes `{name}`: open it in a `with` block, or move the `open` next to the `try`",
            checker.source.shown(raising),
            line(raising.start()),
            line(t.start())
        );
        let severity = if module_level { Severity::Hint } else { Severity::Warning };
        return Some(Some(Verdict { message, severity, close: None }));
    }
    None
}

/// `try: f = open(p)` / `except OSError: ...` / `else: f.close()`: the `else:` runs right after the
/// `open`, the only statement of the `try` body, and closes it first thing.
fn closed_in_else_right_after(checker: &Checker, open_stmt_id: NodeId, close_stmt_id: NodeId) -> bool {
    let model = checker.semantic();
    let (Some(open_stmt), Some(close_stmt)) = (model.node(open_stmt_id).as_stmt(), model.node(close_stmt_id).as_stmt())
    else {
        return false;
    };
    let Some(Stmt::Try(t)) = model.parent_id(open_stmt_id).and_then(|p| model.node(p).as_stmt()) else { return false };
    matches!(t.body.as_slice(), [only] if std::ptr::eq(only, open_stmt))
        && t.orelse.first().is_some_and(|first| std::ptr::eq(first, close_stmt))
}

/// The block holding statement `later` and, in it, the `open` statement or the statement around
/// it (`if b: f = open(x)` ... `f.close()` after the `if`): the block, the index of the `open` (or
/// its enclosing statement), the index of `later`, and whether the `open` had to be lifted.
fn lift_to_suite_of<'a>(
    checker: &Checker<'a>,
    open_stmt_id: NodeId,
    later: NodeId,
) -> Option<(&'a [Stmt], usize, usize, bool)> {
    let model = checker.semantic();
    let (suite, later_index) = model.suite_of(later)?;
    let candidates = std::iter::once(open_stmt_id).chain(model.ancestor_ids(open_stmt_id));
    for (depth, candidate) in candidates.enumerate() {
        let Some(stmt) = model.node(candidate).as_stmt() else { continue };
        if depth > 0 && matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return None;
        }
        if let Some((s, index)) = model.suite_of(candidate)
            && std::ptr::eq(s, suite)
        {
            return (index < later_index).then_some((suite, index, later_index, depth > 0));
        }
    }
    None
}

fn block_contains(body: &[Stmt], offset: TextSize) -> bool {
    match (body.first(), body.last()) {
        (Some(first), Some(last)) => TextRange::new(first.start(), last.end()).contains(offset),
        _ => false,
    }
}

/// Could running `stmt` raise? Only the trivially safe ones say no: `pass`, a literal, binding a
/// literal, a name or a plain attribute (`path = f.name`), `global`.
fn can_raise(stmt: &Stmt) -> bool {
    let simple = |e: &Expr| {
        e.is_literal_expr()
            || e.is_name_expr()
            || matches!(e, Expr::Attribute(a) if a.value.is_name_expr())
            || matches!(e, Expr::List(l) if l.elts.is_empty())
            || matches!(e, Expr::Dict(d) if d.is_empty())
    };
    match stmt {
        Stmt::Pass(_) | Stmt::Global(_) | Stmt::Nonlocal(_) => false,
        Stmt::Expr(e) => !e.value.is_literal_expr(),
        Stmt::Assign(a) => !(simple(&a.value) && a.targets.iter().all(Expr::is_name_expr)),
        Stmt::AnnAssign(a) => !(a.value.as_deref().is_none_or(simple) && a.target.is_name_expr()),
        _ => true,
    }
}

/// The handle is handed to something that may keep it: a context manager or cleanup registry, a
/// container (`files.append(f)`), or a call whose result leaves or is kept (`return Reader(f)`,
/// `self.r = Wrapper(f)`, `t = loop.connect_write_pipe(p, f)`): that object may own the handle
/// now. A call known only to read it (`json.load(f)`) does not keep it.
fn leaves(checker: &Checker, call: &ExprCall, ownership: Ownership) -> bool {
    if is_manager_call(checker, call) {
        return true;
    }
    if let Expr::Attribute(attr) = &*call.func
        && (is_mutating_method(attr.attr.as_str()) || KEEPING_METHODS.contains(&attr.attr.as_str()))
    {
        return true;
    }
    if is_known_reader(checker, call) {
        return false;
    }
    let Some(id) = call_id(checker, call) else { return false };
    let model = checker.semantic();
    match model.use_of_node(id) {
        Use::Returned | Use::Yielded | Use::Raised => true,
        // `w = Wrapper(f)` for a named `f`: the result owns it if it leaves in turn or is closed
        // itself (`w.close()`, `self.addCleanup(w.close)`, `with w:`); `keys = helper(f)`, only
        // read here, takes nothing over (test_dbm.py).
        Use::Stored { target: Expr::Name(_) } if ownership == Ownership::Unnamed => true,
        Use::Stored { target: Expr::Name(name) } => model.resolve_name(name).is_some_and(|binding| {
            model.references(binding).any(|r| match model.use_of(r) {
                Use::Returned | Use::Yielded | Use::Stored { .. } | Use::Raised | Use::WithItem => true,
                Use::MethodCall { method, .. } | Use::AttributeLoad(method) => CLOSERS.contains(&method),
                _ => false,
            })
        }),
        Use::Stored { .. } => true,
        _ => false,
    }
}

/// How a handle reaches a call. `Wrapper(open(p))` leaves the wrapper the only way to reach it, so a
/// wrapper kept in a local owns it; a named handle `f` stays the code's own unless the wrapper it
/// was given leaves or is closed itself.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ownership {
    Named,
    Unnamed,
}

/// Methods that keep their argument (queues, registries).
const KEEPING_METHODS: &[&str] = &["put", "put_nowait", "register", "push", "setdefault", "enter_context"];

/// Calls that read (or write) a file they are given and keep no reference to it once they return:
/// the handle is still the caller's to close.
const READERS: &[&str] = &[
    "json.load",
    "json.dump",
    "pickle.load",
    "pickle.dump",
    "marshal.load",
    "marshal.dump",
    "plistlib.load",
    "plistlib.dump",
    "tomllib.load",
    "yaml.load",
    "yaml.safe_load",
    "yaml.dump",
    "yaml.safe_dump",
    "shutil.copyfileobj",
    "os.fstat",
    "os.fsync",
    "fcntl.fcntl",
    "fcntl.flock",
    "fcntl.lockf",
    "fcntl.ioctl",
];

/// A call known to read the handle without keeping it (`json.load(f)`, `print(..., file=f)`).
fn is_known_reader(checker: &Checker, call: &ExprCall) -> bool {
    checker.resolves_to_any(&call.func, READERS).is_some()
        || checker.semantic().is_read_only_call(call)
        || matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "print" && checker.binding_of(n).is_none())
}

/// The node id of a call the walk visited.
fn call_id(checker: &Checker, call: &ExprCall) -> Option<NodeId> {
    use ruff_python_ast::HasNodeIndex;
    let index = call.node_index().load().as_u32()?;
    let model = checker.semantic();
    model
        .nodes
        .iter()
        .nth(index as usize)
        .filter(|(_, node)| matches!(node, NodeRef::Expr(Expr::Call(c)) if std::ptr::eq(c, call)))
        .map(|(id, _)| id)
}

/// `closing(f)`, `stack.enter_context(f)`, `self.addCleanup(f.close)`-style hand-overs.
fn is_manager_call(checker: &Checker, call: &ExprCall) -> bool {
    match &*call.func {
        Expr::Attribute(attr) if ENTER_METHODS.contains(&attr.attr.as_str()) => true,
        func => checker.resolves_to_any(func, &["contextlib.closing", "unittest.enterModuleContext"]).is_some(),
    }
}

/// `json.load(open(p))`: passed on to a call.
fn passed_on(checker: &Checker, outer: &ExprCall, shown: &str) -> Option<Verdict> {
    if leaves(checker, outer, Ownership::Unnamed) {
        return None;
    }
    Some(Verdict::hint(format!(
        "{shown} is passed to `{}()` and never closed explicitly: the garbage collector closes it after the call \
         (at once in CPython, by reference counting; later on PyPy); `with open(...) as f:` closes it at a known point",
        checker.source.shown(&*outer.func)
    )))
}

/// `self.x = open(p)` in a method: the object owns the handle when its class closes it.
fn owned_by_self(checker: &Checker, attr: &ruff_python_ast::ExprAttribute, shown: &str) -> Option<Verdict> {
    let function = checker.enclosing_function()?;
    let class = checker.class_of_enclosing_method()?;
    let receiver = first_parameter(function)?;
    if !matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == receiver) {
        // Stored on another object: that object owns it now.
        return None;
    }
    let field = attr.attr.as_str();
    let methods = || {
        class.body.iter().filter_map(|s| match s {
            Stmt::FunctionDef(f) => Some(f),
            _ => None,
        })
    };
    if methods().any(|f| OWNER_METHODS.contains(&f.name.as_str())) {
        return None;
    }
    if methods().any(|f| closes_field(checker, f, field)) {
        return None;
    }
    Some(Verdict::hint(format!(
        "{shown} is stored on `{receiver}.{field}`, and no method of `{}` closes it (no `close`/`__exit__`/`__del__`, \
         no `{receiver}.{field}.close()`): callers may, but a `with` block or a `close()` method makes it certain",
        class.name.as_str()
    )))
}

/// Does method `f` call `<first parameter>.<field>.close()` (or pass `.close` on as a callback)?
fn closes_field(checker: &Checker, f: &StmtFunctionDef, field: &str) -> bool {
    let model = checker.semantic();
    let Some(receiver) = first_parameter(f) else { return false };
    let Some(scope) = function_scope(checker, f) else { return false };
    model.bindings_of(scope, receiver).any(|binding| {
        model.references(binding).any(|reference| {
            let Use::AttributeLoad(attr) = model.use_of(reference) else { return false };
            if attr != field {
                return false;
            }
            let Some(attribute) = model.parent_id(reference.node) else { return false };
            matches!(model.use_of_node(attribute), Use::MethodCall { method, .. } | Use::AttributeLoad(method) if CLOSERS.contains(&method))
        })
    })
}

fn function_scope(checker: &Checker, f: &StmtFunctionDef) -> Option<ScopeId> {
    checker.semantic().scopes().find_map(|(id, scope)| match scope.kind {
        ScopeKind::Function(g) if std::ptr::eq(g, f) => Some(id),
        _ => None,
    })
}

/// The opener's display name, for a call that opens something closable.
fn opener_name(checker: &Checker, call: &ExprCall) -> Option<String> {
    // Every call passes here: an attribute not named like an opener is ruled out by one `match`.
    if let Expr::Attribute(attr) = &*call.func
        && !is_opener_segment(attr.attr.as_str())
    {
        return None;
    }
    if let Some(resolved) = checker.resolve(&call.func) {
        // `len(x)` resolves to `builtins.len`: its last segment rules it out before the table.
        if !resolved.segments().last().is_some_and(|last| is_opener_segment(last)) {
            return None;
        }
        return qualified::which(&resolved, OPENERS).map(str::to_string);
    }
    // `Path(...).open()`: the receiver must visibly be a path built in place.
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Call(receiver) = &*attr.value else { return None };
    let class = checker.resolves_to_any(&receiver.func, PATH_CLASSES)?;
    (attr.attr.as_str() == "open").then(|| format!("{class}.open"))
}

/// The last segments of `OPENERS` (a test keeps them in step), and `open` for `Path(...).open()`.
fn is_opener_segment(name: &str) -> bool {
    matches!(
        name,
        "open"
            | "open_code"
            | "TemporaryFile"
            | "NamedTemporaryFile"
            | "SpooledTemporaryFile"
            | "TemporaryDirectory"
            | "ZipFile"
            | "TarFile"
            | "taropen"
            | "LZMAFile"
            | "input"
            | "FileInput"
    )
}

/// Anywhere inside the context expression of a `with` / `async with` item
/// (`with closing(open(p))`, `with io.TextIOWrapper(open(p))` hand it to a manager too).
fn in_with_item(checker: &Checker, expr: &Expr) -> bool {
    match checker.current_statement() {
        Some(Stmt::With(with)) => with.items.iter().any(|item| item.context_expr.range().contains_range(expr.range())),
        _ => false,
    }
}

/// `contextlib.closing(open(p))`, `stack.enter_context(open(p))`, unittest's
/// `self.enterContext(open(p))`.
fn handed_to_manager(checker: &Checker, expr: &Expr) -> bool {
    let Some(Expr::Call(parent)) = checker.parent_expr() else { return false };
    parent.arguments.args.iter().any(|a| a.range() == expr.range()) && is_manager_call(checker, parent)
}

const ENTER_METHODS: &[&str] = &[
    "enter_context",
    "enter_async_context",
    "enterContext",
    "enterAsyncContext",
    "enterClassContext",
    "addCleanup",
    "callback",
    "push",
];

/// The handle leaves the function: `return open(p)`, `yield open(p)`, `lambda: open(p)`, or
/// `return Reader(open(p))` (the returned object of a class owns it, as Ruff also assumes). Chained use such
/// as `return open(p).read()` is not a hand-over.
fn is_factory_result(checker: &Checker, expr: &Expr) -> bool {
    if matches!(checker.parent_expr(), Some(Expr::Attribute(attr)) if attr.value.range() == expr.range()) {
        return false;
    }
    let mut current = expr.range();
    for node in checker.ancestors() {
        match node {
            NodeRef::Expr(Expr::Yield(_)) => return true,
            NodeRef::Expr(Expr::Lambda(lambda)) => return lambda.body.range() == current,
            // `return json.load(open(p))` returns what the function read, not the handle.
            NodeRef::Expr(Expr::Call(call)) if is_known_reader(checker, call) => return false,
            NodeRef::Expr(inner) => current = inner.range(),
            NodeRef::Stmt(stmt) => return matches!(stmt, Stmt::Return(_)),
        }
    }
    false
}

fn first_parameter(function: &StmtFunctionDef) -> Option<&str> {
    function.parameters.iter().next().map(|p| p.name().as_str())
}

/// `open(p).close()`: closed on the spot.
fn is_closed_at_once(checker: &Checker, expr: &Expr) -> bool {
    matches!(checker.parent_expr(), Some(Expr::Attribute(attr)) if attr.attr.as_str() == "close" && attr.value.range() == expr.range())
}

/// The fix for the verdict's shape: the close fix for `f = open(p)` ... `f.close()` in one suite,
/// the chained fix for `x = open(p).read()`.
fn fix_for(checker: &Checker, expr: &Expr, verdict: &Verdict) -> Option<Fix> {
    let stmt = checker.current_statement()?;
    if let Some((open_index, close_index)) = verdict.close {
        let (suite, _) = checker.current_suite()?;
        let Stmt::Assign(assign) = stmt else { return None };
        let [Expr::Name(name)] = &assign.targets[..] else { return None };
        return close_fix(checker, &suite[open_index..=close_index], expr, name.id.as_str());
    }
    let Some(Expr::Attribute(attr)) = checker.parent_expr() else { return None };
    if attr.value.range() != expr.range() {
        return None;
    }
    let value = match stmt {
        Stmt::Assign(assign) => &*assign.value,
        Stmt::AnnAssign(assign) => assign.value.as_deref()?,
        _ => return None,
    };
    if is_chain_root(value, expr) { chained_fix(checker, stmt, expr) } else { None }
}

/// `value` is a chain of calls, attributes and subscripts starting at `root`
/// (`open(p).read().splitlines()[0]`), so the handle is used nowhere else.
fn is_chain_root(value: &Expr, root: &Expr) -> bool {
    let mut current = value;
    for _ in 0..64 {
        if current.range() == root.range() {
            return true;
        }
        current = match current {
            Expr::Call(call) => &call.func,
            Expr::Attribute(attr) => &attr.value,
            Expr::Subscript(sub) => &sub.value,
            _ => return false,
        };
    }
    false
}

/// Every statement starts and ends its own lines (no `;` neighbours, no body on a header line).
fn on_own_lines(checker: &Checker, stmts: &[Stmt]) -> bool {
    stmts
        .iter()
        .all(|s| checker.source.indentation_at(s.start()).is_some() && checker.source.nothing_after_on_line(s.end()))
}

/// Text the fix would move must not hold comments (lost) or multi-line strings (re-indented).
fn movable(checker: &Checker, range: TextRange) -> bool {
    !checker.source.has_comments(range) && !checker.source.has_multiline_string(range)
}

/// `f = open(p)` / body / `f.close()` -> `with open(p) as f:` / indented body.
fn close_fix(checker: &Checker, stmts: &[Stmt], call: &Expr, name: &str) -> Option<Fix> {
    let (first, last) = (stmts.first()?, stmts.last()?);
    let block = helpers::statements_block(checker, first, last);
    if !on_own_lines(checker, stmts) || !movable(checker, block) {
        return None;
    }
    let indent = checker.source.indentation_at(first.start())?;
    let unit = checker.source.indent_unit();
    let nl = checker.source.line_ending();
    // Everything between the assignment's line and the close's line, blank lines included.
    let between = TextRange::new(checker.source.full_line_end(first.end()), checker.source.line_start(last.start()));
    let between = if between.is_empty() { "" } else { checker.source.slice(&between) };
    let body = if between.trim().is_empty() {
        format!("{indent}{unit}pass{nl}")
    } else {
        helpers::indent_lines(between, unit)
    };
    let header = format!("{indent}with {} as {name}:{nl}", checker.source.slice(call));
    let edit = Edit::replace(block, format!("{header}{body}"));
    Fix::unsafe_(format!("Open `{name}` in a `with` block (drops `{name}.close()`)"), vec![edit])
}

/// `x = open(p).read()` -> `with open(p) as f:` / `x = f.read()`.
fn chained_fix(checker: &Checker, stmt: &Stmt, call: &Expr) -> Option<Fix> {
    if !on_own_lines(checker, std::slice::from_ref(stmt)) || !movable(checker, stmt.range()) {
        return None;
    }
    let indent = checker.source.indentation_at(stmt.start())?;
    let name = helpers::fresh_name("f", &taken_names(checker));
    let before = checker.source.slice(&TextRange::new(stmt.start(), call.start()));
    let after = checker.source.slice(&TextRange::new(call.end(), stmt.end()));
    let unit = checker.source.indent_unit();
    let nl = checker.source.line_ending();
    let text = format!("with {} as {name}:{nl}{indent}{unit}{before}{name}{after}", checker.source.slice(call));
    Fix::unsafe_(format!("Use the file inside `with ... as {name}:`"), vec![Edit::replace(stmt.range(), text)])
}

/// Names the new `with` target must not clash with: every name bound in this scope or a scope
/// around it.
fn taken_names<'a>(checker: &Checker<'a>) -> std::collections::HashSet<&'a str> {
    let model = checker.semantic();
    model.scope_chain(checker.scope()).flat_map(|scope| model.scope(scope).bindings().map(|(name, _)| name)).collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::OpenWithoutWith as R;

    fn tier(src: &str) -> Severity {
        only_severity(src, R)
    }

    #[test]
    fn flags_openers() {
        assert_count(
            "f = open('a')\nopen('a').read()\nprint(open('a').read())\nfor line in open('a'):\n    pass\n",
            R,
            4,
        );
        let src = "import io, codecs, tempfile, zipfile, tarfile, gzip, bz2, lzma\nio.open(p)\ncodecs.open(p)\ntempfile.TemporaryFile()\ntempfile.NamedTemporaryFile()\ntempfile.SpooledTemporaryFile()\ntempfile.TemporaryDirectory()\nzipfile.ZipFile(p)\ntarfile.open(p)\ntarfile.TarFile(p)\ngzip.open(p)\nbz2.open(p)\nlzma.open(p)\n";
        assert_count(src, R, 12);
        assert_count(
            "import pathlib\nfrom pathlib import Path\nx = Path(p).open()\ny = pathlib.Path(p, 'b').open('w')\n",
            R,
            2,
        );
        assert_count("from io import open as o\nx = [o(p) for p in ps]\n", R, 1);
    }

    #[test]
    fn ignores_non_openers() {
        assert_clean("def open(p): pass\nopen('a')\n", R);
        assert_clean("from pathlib import Path\np = Path('a')\nx = p.open()\nPath('a').read_text()\n", R);
        assert_clean("import os, sqlite3\nos.open('a', 0)\nsqlite3.connect('a')\n", R);
        // `from os import open` returns a file descriptor.
        assert_clean(
            "from os import open, close\ndef f(p):\n    fd = open(p, 0)\n    return fd\nfd = open('a', 0)\n",
            R,
        );
    }

    #[test]
    fn with_items_and_managers_are_exempt() {
        assert_clean("with open('a') as f, open('b') as g:\n    pass\n", R);
        assert_clean("async def f():\n    async with open('a') as f:\n        pass\n", R);
        assert_clean("import io\nwith io.TextIOWrapper(open('a', 'rb')) as f:\n    pass\n", R);
        assert_clean("import contextlib\nx = contextlib.closing(open('a'))\n", R);
        assert_clean(
            "import contextlib\nwith contextlib.ExitStack() as stack:\n    f = stack.enter_context(open('a'))\n",
            R,
        );
        assert_clean("open('a', 'w').close()\n", R);
        assert_clean("class T:\n    def setUp(self):\n        self.f = self.enterContext(open('a'))\n", R);
        assert_clean("def f(p):\n    fh = open(p)\n    with fh:\n        return fh.read()\n", R);
    }

    #[test]
    fn factories_and_owners_are_exempt() {
        assert_clean("def f(p):\n    return open(p)\n", R);
        assert_clean("def f(p):\n    return open(p), 1\n", R);
        assert_clean("def f(p):\n    yield open(p)\n", R);
        assert_clean("opener = lambda p: open(p)\n", R);
        assert_clean("def f(p, b):\n    return open(p) if b else None\n", R);
        assert_clean("def f(p):\n    return Reader(open(p), 'utf-8')\n", R);
        assert_clean("def f(p):\n    x = yield Reader(open(p))\n", R);
        // Returned, stored or wrapped later.
        assert_clean("def f(p):\n    fh = open(p)\n    fh.seek(4)\n    return fh\n", R);
        assert_clean("def f(self, p):\n    fh = open(p)\n    self.files.append(fh)\n", R);
        assert_clean("def f(self, p):\n    fh = open(p)\n    self.fh = fh\n", R);
        assert_clean("import io\ndef f(p):\n    raw = open(p, 'rb')\n    return io.TextIOWrapper(raw)\n", R);
        assert_clean("def f(self, p):\n    fh = open(p)\n    self.addCleanup(fh.close)\n    fh.read()\n", R);
        assert_clean("def f(p):\n    fh = open(p)\n    def done():\n        fh.close()\n    return done\n", R);
        // Stored on an object whose class closes it.
        let src = "class A:\n    def __init__(self, p):\n        self.f = open(p)\n    def close(self):\n        self.f.close()\n";
        assert_clean(src, R);
        let src = "class A:\n    def reopen(self, p):\n        self.f = open(p)\n    def finish(self):\n        self.f.close()\n";
        assert_clean(src, R);
        let src = "class T:\n    def test(self):\n        self.f = open(p)\n        self.f.write(b'x')\n    def tearDown(self):\n        pass\n";
        assert_clean(src, R);
        // Another object's attribute: that object owns it.
        assert_clean("import sys, os\nsys.stdout = open(os.devnull, 'w')\n", R);
    }

    #[test]
    fn closed_in_finally_or_right_away_is_not_reported() {
        for src in [
            "def f(p):\n    fh = open(p)\n    try:\n        return fh.read()\n    finally:\n        fh.close()\n",
            // Not directly the next statement, but nothing in between can raise.
            "def f(p):\n    fh = open(p)\n    lines = []\n    try:\n        lines.extend(fh)\n    finally:\n        fh.close()\n",
            // The `open` inside the `try`.
            "def f(p):\n    fh = None\n    try:\n        fh = open(p)\n        fh.read()\n    finally:\n        if fh is not None:\n            fh.close()\n",
            // A handler that closes and re-raises.
            "def f(p):\n    fh = open(p)\n    try:\n        data = fh.read()\n    except BaseException:\n        fh.close()\n        raise\n    fh.close()\n    return data\n",
            // Closed by the very next statement (creating an empty file).
            "def touch(p):\n    fh = open(p, 'w')\n    fh.close()\n",
            // Branches bind the name; the close after them reads either.
            "def f(p, b):\n    if b:\n        fh = open(p)\n    else:\n        fh = open(p + '.bak')\n    try:\n        fh.read()\n    finally:\n        fh.close()\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn the_segment_prefilter_knows_every_opener() {
        for name in super::OPENERS {
            assert!(super::is_opener_segment(name.rsplit('.').next().unwrap()), "{name}");
        }
    }

    #[test]
    fn handles_that_are_no_handles_or_belong_elsewhere() {
        for src in [
            // A nested `try` whose `finally:` closes it.
            "def f(p):\n    fh = open(p, 'wb')\n    try:\n        try:\n            fh.write(b'x')\n        finally:\n            fh.close()\n        use(p)\n    finally:\n        cleanup()\n",
            // Expected to fail: no handle is made.
            "class T:\n    def test(self):\n        with self.assertRaises(ValueError):\n            open('x', 'r', opener=bad)\n",
            "import pytest, wave\ndef test():\n    with pytest.raises(wave.Error):\n        wave.open(buf)\n",
            // A mocked opener.
            "from unittest.mock import patch, mock_open\ndef test():\n    with patch('builtins.open', mock_open()):\n        open('foo')\n",
            // `from posix import *` may rebind `open` (os.py).
            "from posix import *\ndef walk(name):\n    fd = open(name, O_RDONLY)\n    return stat(fd)\n",
            // Probes of whether the open succeeds, as tests write them.
            "def t(p):\n    try:\n        fd = open(p, 'w+')\n    except OSError as e:\n        check(e)\n",
            "import tarfile\ndef t(b):\n    try:\n        tarfile.open(fileobj=b)\n    except tarfile.ReadError:\n        pass\n",
            // Closed first thing in the `else:` of the `try` that opened it.
            "def remove(path):\n    try:\n        f = open(path, 'rb+')\n    except OSError:\n        raise KeyError(path)\n    else:\n        f.close()\n        os.remove(path)\n",
            // The bound method called in a `finally:`.
            "def f(p):\n    fh = open(p)\n    done = fh.close\n    try:\n        fh.read()\n    finally:\n        done()\n",
            // A `with` on the handle later.
            "def f(p, b):\n    if b:\n        fh = open(p, 'w')\n    prepare()\n    with fh:\n        fh.write('x')\n",
            // Reading a plain attribute cannot fail before the close.
            "import tempfile\ndef f():\n    h = tempfile.NamedTemporaryFile(delete=False)\n    name = h.name\n    h.close()\n    return name\n",
            // Handed to a call whose result is returned or kept: that object may own it.
            "def f(p, h):\n    return addinfourl(open(p, 'rb'), h)\n",
            "def f(self, p):\n    fh = open(p, 'wb')\n    t = self.loop.connect_write_pipe(proto, fh)\n    return t\n",
        ] {
            assert_clean(src, R);
        }
        // The path's name reused for the handle (uu.py): the read inside `open(...)` is the path.
        let src = "def t(output):\n    output = open(output, 'wb')\n    output.write(b'x')\n    output.close()\n";
        assert_eq!(findings(src, R).len(), 1, "{:?}", findings(src, R));
        assert_eq!(findings(src, R)[0].severity, Severity::Warning);
        // A call's result kept in a local that stays here takes nothing over (test_dbm.py).
        let src = "def t(p):\n    f = open(p)\n    keys = helper(f)\n    f.close()\n    check(keys)\n";
        assert_eq!(findings(src, R).len(), 1, "{:?}", findings(src, R));
        // A star import of other modules leaves `open` the builtin.
        let src = "from .helpers import *\ndef f(p):\n    of = open(p, 'w')\n    of.write('x')\n    of.close()\n";
        assert_eq!(findings(src, R).len(), 1, "{:?}", findings(src, R));
        // Passed to a call that may keep it, with no close: a hint that says so.
        let src = "def f(self, p):\n    fh = open(p, 'wb')\n    self.loop.run(connect(fh))\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("passed to `connect()` (line 3), which may keep"), "{}", message(src, R));
        // A known reader does not keep it.
        let src = "import json\ndef f(p):\n    fh = open(p)\n    data = json.load(fh)\n    return data\n";
        assert_eq!(tier(src), Severity::Warning);
    }

    #[test]
    fn warnings_name_the_path_that_leaks() {
        let warn = |src: &str, evidence: &str| {
            assert_eq!(tier(src), Severity::Warning, "{src}");
            let msg = message(src, R);
            assert!(msg.contains(evidence), "{src}: {msg}");
        };
        warn(
            "def save(path, text):\n    f = open(path, 'w')\n    f.write(text)\n    f.close()\n",
            "`f = open(path, 'w')`: `f.write(text)` (line 3) can raise before `f.close()` (line 4)",
        );
        warn("def read(p):\n    fh = open(p)\n    return fh.read()\n", "nothing closes `fh` in `read`");
        warn(
            "def f(p):\n    fh = open(p)\n    check(p)\n    try:\n        fh.read()\n    finally:\n        fh.close()\n",
            "`check(p)` (line 3) runs before the `try:` (line 4)",
        );
        warn("def f(p):\n    fh = open(p)\n    if ok():\n        fh.close()\n", "does not run on every path");
        // `close = f.close` kept for later: the later call is the close (blib2to3's pgen).
        warn(
            "def f(p, s=None):\n    close = None\n    if s is None:\n        s = open(p)\n        close = s.close\n    data = parse(s.read())\n    if close is not None:\n        close()\n    return data\n",
            "does not run on every path",
        );
        // Test code is treated as any code.
        warn(
            "class T:\n    def test_x(self):\n        f = open(TESTFN, 'wb')\n        f.write(b'x')\n        f.close()\n",
            "can raise before `f.close()`",
        );
    }

    #[test]
    fn module_level_and_passing_uses_are_hints() {
        let hint = |src: &str, says: &str| {
            assert_eq!(tier(src), Severity::Hint, "{src}");
            let msg = message(src, R);
            assert!(msg.contains(says), "{src}: {msg}");
        };
        hint("f = open(p, 'w')\nf.write('x')\nf.close()\n", "harmless in a one-shot script");
        hint("import sys\nlog = open(sys.argv[1], 'w')\n", "nothing closes `log`");
        hint("data = open(path).read()\n", "`.read` is used on it");
        hint("def f(p):\n    return open(p).read()\n", "at once in CPython");
        hint("import json\ndef f(p):\n    return json.load(open(p))\n", "passed to `json.load()`");
        hint("def f(p):\n    for line in open(p):\n        print(line)\n", "is iterated");
        hint("open(p, 'w')\n", "is not kept or closed");
        hint(
            "class A:\n    def open(self, p):\n        self.f = open(p)\n    def read(self):\n        return self.f.read()\n",
            "no method of `A` closes it",
        );
    }

    #[test]
    fn messages_name_the_call() {
        let msg = message("def f(path):\n    f = open(path, 'w')\n    f.write('x')\n    f.close()\n", R);
        assert!(msg.starts_with("`f = open(path, 'w')`: `f.write('x')` (line 3) can raise"), "{msg}");
        let msg = message("data = open(path).read()\n", R);
        assert!(msg.starts_with("`open(path)` is never closed explicitly: `.read` is used"), "{msg}");
        let msg = message("import zipfile\ndef f(p):\n    z = zipfile.ZipFile(p)\n    z.namelist()\n", R);
        assert!(msg.starts_with("`z = zipfile.ZipFile(p)`: nothing closes `z`"), "{msg}");
    }

    #[test]
    fn fix_wraps_statements_up_to_close() {
        let src = "def f(path):\n    f = open(path, 'w')\n    f.write('a')\n\n    if x:\n        f.write('b')\n    f.close()\n    return 1\n";
        assert_eq!(
            fixed(src, R),
            "def f(path):\n    with open(path, 'w') as f:\n        f.write('a')\n\n        if x:\n            f.write('b')\n    return 1\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_eq!(
            fixed("if a:\r\n\tf = open(p)\r\n\tf.read()\r\n\tf.close()\r\n", R),
            "if a:\r\n\twith open(p) as f:\r\n\t\tf.read()\r\n"
        );
    }

    #[test]
    fn fixed_code_writes_and_reads_the_same() {
        let src = "import os, tempfile\npath = os.path.join(tempfile.mkdtemp(), 'x.txt')\ndef save(text):\n    f = open(path, 'w')\n    f.write(text)\n    f.close()\ndef load():\n    f = open(path)\n    data = f.read()\n    f.close()\n    return data\n";
        let fixed_text = assert_fix_keeps_output(src, R, "save('hello')\nprint(load())\n");
        assert!(fixed_text.contains("with open(path, 'w') as f:"), "{fixed_text}");
        let src = "import os, tempfile\npath = os.path.join(tempfile.mkdtemp(), 'y.txt')\nwith open(path, 'w') as out:\n    out.write('a\\nb\\n')\ndef count():\n    text = open(path).read()\n    return len(text.splitlines())\n";
        let fixed_text = assert_fix_keeps_output(src, R, "print(count())\n");
        assert!(fixed_text.contains("with open(path) as f:"), "{fixed_text}");
    }

    #[test]
    fn fix_for_chained_method_uses_fresh_name() {
        assert_eq!(fixed("data = open(path).read()\n", R), "with open(path) as f:\n    data = f.read()\n");
        let src = "def load(f):\n    text: str = open(f, encoding='utf-8').read().strip()\n    return text\n";
        assert_eq!(
            fixed(src, R),
            "def load(f):\n    with open(f, encoding='utf-8') as f_1:\n        text: str = f_1.read().strip()\n    return text\n"
        );
    }

    #[test]
    fn no_fix_when_the_shape_needs_care() {
        for src in [
            // Comment or multi-line string in the moved range.
            "def g(p):\n    f = open(p)\n    f.write('a')  # note\n    f.close()\n",
            "def g(p):\n    f = open(p)\n    f.write('''a\nb''')\n    f.close()\n",
            // Rebinding, or a second close, in between; an annotated target.
            "def g(p, q):\n    f = open(p)\n    f.read()\n    f = open(q)\n    f.close()\n",
            "def g(p):\n    f: object = open(p)\n    f.read()\n    f.close()\n",
            "def g(p):\n    f = open(p)\n    if x:\n        f.close()\n    f.close()\n",
            // Statements sharing a line.
            "def g(p):\n    f = open(p); f.read()\n    f.close()\n",
            "if x: data = open(p).read()\n",
            "print(open(p).read())\n",
            "x = open(p).read() + open(q).read()\n",
            // No close at the same level.
            "def g(p):\n    f = open(p)\n    if x:\n        f.close()\n",
            // TemporaryDirectory's `with` target is the path, not the object.
            "import tempfile\nd = tempfile.TemporaryDirectory().__enter__()\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty(), "{src}");
            assert!(found.iter().all(|f| f.fix.is_none()), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "f = open(",
            "f = open(p)\nf.",
            "with open(p) as",
            "x = open(p).\n",
            "def __init__(self):\n    self. = open(p)\n",
            "def f():\n    g = open(p)\n    g.close(\n",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
