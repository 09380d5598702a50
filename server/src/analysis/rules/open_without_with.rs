//! `open-without-with` (peer: Ruff SIM115). A file (or archive, temporary file, database) opened
//! outside a `with` block is closed only by an explicit `close()` that an exception can skip, or by
//! the garbage collector, whose timing is an implementation detail.
//!
//! Not reported: a `with`/`async with` item (or anything inside one, as Ruff does); an argument of
//! `contextlib.closing(...)`, `<stack>.enter_context(...)` or unittest's `self.enterContext(...)`;
//! a handle that leaves the function through `return`, `yield` or a lambda body, directly or
//! wrapped (`return Reader(open(p))`: a factory hands ownership to its caller); `self.<attr> = ...`
//! in `__init__`, `__enter__` or `__aenter__` (the object owns the handle); `open(p).close()`.
//! Chained use is always reported, also in a `return` (`return open(p).read()`, which Ruff skips).
//! Unlike Ruff we also skip `__init__` ownership, `contextlib.closing(...)`, yielded and
//! lambda-returned handles, and we also cover `tempfile.TemporaryDirectory`, `zipfile.ZipFile`
//! and `tarfile.TarFile`.
//!
//! Fix (unsafe: the close moves to the end of the block), for two shapes only:
//! `f = open(...)` ... `f.close()` in one suite becomes `with open(...) as f:` around the statements
//! in between; `x = open(...).read()` becomes `with open(...) as f:` / `x = f.read()`.

use ruff_python_ast::{Expr, ExprCall, ExprContext, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::messages::shown_call;
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::qualified;

const OPENERS: &[&str] = &[
    "builtins.open",
    "io.open",
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

/// Methods whose body takes ownership of a handle stored on `self`.
const OWNING_METHODS: &[&str] = &["__init__", "__enter__", "__aenter__"];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    let Some(opener) = opener_name(checker, call) else { return };
    if in_with_item(checker, expr) || handed_to_manager(checker, expr) || is_factory_result(checker, expr) {
        return;
    }
    if is_owned_by_self(checker, expr) || is_closed_at_once(checker, expr) {
        return;
    }
    let shown = shown_call(checker, call);
    let (message, fix) = match checker.current_statement() {
        Some(stmt) => describe_and_fix(checker, stmt, expr, &shown, &opener),
        None => (generic_message(&shown), None),
    };
    checker.report(Finding::new(Rule::OpenWithoutWith, call.func.range(), message).with_fix(fix));
}

/// The opener's display name, for a call that opens something closable.
fn opener_name(checker: &Checker, call: &ExprCall) -> Option<String> {
    if let Some(name) = checker.resolve(&call.func) {
        return qualified::which(&name, OPENERS).map(str::to_string);
    }
    // `Path(...).open()`: the receiver must visibly be a path built in place.
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Call(receiver) = &*attr.value else { return None };
    let class = checker.resolves_to_any(&receiver.func, PATH_CLASSES)?;
    (attr.attr.as_str() == "open").then(|| format!("{class}.open"))
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
    if !parent.arguments.args.iter().any(|a| a.range() == expr.range()) {
        return false;
    }
    match &*parent.func {
        Expr::Attribute(attr) if ENTER_METHODS.contains(&attr.attr.as_str()) => true,
        func => checker.resolves_to_any(func, &["contextlib.closing", "unittest.enterModuleContext"]).is_some(),
    }
}

const ENTER_METHODS: &[&str] =
    &["enter_context", "enter_async_context", "enterContext", "enterAsyncContext", "enterClassContext"];

/// The handle leaves the function: `return open(p)`, `yield open(p)`, `lambda: open(p)`, or
/// `return Reader(open(p))` (the returned object owns it, as Ruff also assumes). Chained use such
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
            NodeRef::Expr(inner) => current = inner.range(),
            NodeRef::Stmt(stmt) => return matches!(stmt, Stmt::Return(_)),
        }
    }
    false
}

/// `self.f = open(p)` in `__init__`/`__enter__`/`__aenter__`.
fn is_owned_by_self(checker: &Checker, expr: &Expr) -> bool {
    let Some(function) = checker.enclosing_function() else { return false };
    if !OWNING_METHODS.contains(&function.name.as_str()) || checker.class_of_enclosing_method().is_none() {
        return false;
    }
    let Some(receiver) = first_parameter(function) else { return false };
    let (targets, value): (&[Expr], Option<&Expr>) = match checker.current_statement() {
        Some(Stmt::Assign(assign)) => (&assign.targets, Some(&assign.value)),
        Some(Stmt::AnnAssign(assign)) => (std::slice::from_ref(&*assign.target), assign.value.as_deref()),
        _ => return false,
    };
    value.is_some_and(|v| v.range() == expr.range())
        && targets
            .iter()
            .all(|t| matches!(t, Expr::Attribute(a) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == receiver)))
}

fn first_parameter(function: &StmtFunctionDef) -> Option<&str> {
    function.parameters.iter().next().map(|p| p.name().as_str())
}

/// `open(p).close()`: closed on the spot.
fn is_closed_at_once(checker: &Checker, expr: &Expr) -> bool {
    matches!(checker.parent_expr(), Some(Expr::Attribute(attr)) if attr.attr.as_str() == "close" && attr.value.range() == expr.range())
}

fn generic_message(shown: &str) -> String {
    format!(
        "{shown} is not opened in a `with` block: nothing closes it if an exception is raised before `close()`, \
         and without `close()` the garbage collector decides when"
    )
}

/// The message for the shape the call appears in, and the fix when the shape allows one.
fn describe_and_fix(checker: &Checker, stmt: &Stmt, expr: &Expr, shown: &str, opener: &str) -> (String, Option<Fix>) {
    // `with TemporaryDirectory() as d` binds the path string, not the object.
    let fixable = opener != "tempfile.TemporaryDirectory";
    let assigned = assignment(stmt);
    if let Some(Expr::Attribute(attr)) = checker.parent_expr()
        && attr.value.range() == expr.range()
    {
        let message = format!(
            "{shown} is never closed explicitly: `.{}` is used on it and the garbage collector decides when \
                 it is closed; use a `with` block",
            attr.attr.as_str()
        );
        let chained_assignment = assigned.is_some_and(|(_, value)| is_chain_root(value, expr));
        let fix = if fixable && chained_assignment { chained_fix(checker, stmt, expr) } else { None };
        return (message, fix);
    }
    if let Some(([Expr::Name(name)], value)) = assigned {
        let name = name.id.as_str();
        if value.range() == expr.range() && closed_in_next_finally(checker, name) {
            let message = format!(
                "`{name} = {}` is closed in the `finally:` below, which works; `with ... as {name}:` says the same \
                 in one line and cannot be forgotten when the code changes",
                shown.trim_matches('`')
            );
            return (message, None);
        }
        let close = checker.current_suite().and_then(|(suite, index)| find_close(suite, index, name));
        if let (true, Some((suite, index, close))) = (value.range() == expr.range(), close) {
            let message = format!(
                "`{name} = {}`: `{name}.close()` is skipped if anything before it raises; use `with ... as {name}:`",
                shown.trim_matches('`')
            );
            // `f: IO = open(p)` would lose its annotation in `with ... as f:`.
            let fix = if fixable && stmt.is_assign_stmt() {
                close_fix(checker, &suite[index..=close], expr, name)
            } else {
                None
            };
            return (message, fix);
        }
    }
    (generic_message(shown), None)
}

/// `f = open(p)` directly followed by `try: ... finally: f.close()`.
fn closed_in_next_finally(checker: &Checker, name: &str) -> bool {
    let Some((suite, index)) = checker.current_suite() else { return false };
    matches!(suite.get(index + 1), Some(Stmt::Try(t)) if t.finalbody.iter().any(|s| is_close_of(s, name)))
}

/// Is the handle used other than through its attributes (`return f`, `g(f)`, `x = f`)? Then a
/// `with` block would close it while someone still holds it.
fn handle_escapes(body: &[Stmt], name: &str) -> bool {
    let loads = helpers::name_loads_in_stmts(body, name);
    let mut receivers = Vec::new();
    helpers::for_each_node(body, &mut |node| {
        if let NodeVisit::Expr(Expr::Attribute(a)) = node
            && is_name(&a.value, name)
        {
            receivers.push(a.value.range());
        }
    });
    loads.iter().any(|load| !receivers.contains(load))
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

fn assignment(stmt: &Stmt) -> Option<(&[Expr], &Expr)> {
    match stmt {
        Stmt::Assign(assign) => Some((&assign.targets, &assign.value)),
        Stmt::AnnAssign(assign) => Some((std::slice::from_ref(&*assign.target), assign.value.as_deref()?)),
        _ => None,
    }
}

/// The first later top-level `name.close()` in the suite, when nothing in between rebinds `name`
/// or closes it some other way.
fn find_close<'s>(suite: &'s [Stmt], index: usize, name: &str) -> Option<(&'s [Stmt], usize, usize)> {
    let offset = suite.iter().skip(index + 1).position(|s| is_close_of(s, name))?;
    let close = index + 1 + offset;
    let between = &suite[index + 1..close];
    (!rebinds_or_closes(between, name)).then_some((suite, index, close))
}

fn is_close_of(stmt: &Stmt, name: &str) -> bool {
    let Stmt::Expr(stmt) = stmt else { return false };
    let Expr::Call(call) = &*stmt.value else { return false };
    call.arguments.is_empty()
        && matches!(&*call.func, Expr::Attribute(a) if a.attr.as_str() == "close" && is_name(&a.value, name))
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
}

fn rebinds_or_closes(body: &[Stmt], name: &str) -> bool {
    let mut found = false;
    helpers::for_each_node(body, &mut |node| match node {
        NodeVisit::Expr(Expr::Name(n)) if n.id.as_str() == name && n.ctx != ExprContext::Load => found = true,
        NodeVisit::Expr(Expr::Attribute(a)) if a.attr.as_str() == "close" && is_name(&a.value, name) => found = true,
        NodeVisit::Stmt(Stmt::FunctionDef(f)) if f.name.as_str() == name => found = true,
        NodeVisit::Stmt(Stmt::ClassDef(c)) if c.name.as_str() == name => found = true,
        NodeVisit::Stmt(Stmt::Global(_) | Stmt::Nonlocal(_)) => found = true,
        _ => {}
    });
    found
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
    if !on_own_lines(checker, stmts) || !movable(checker, block) || handle_escapes(&stmts[1..], name) {
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

/// Names the new `with` target must not clash with: everything in the enclosing function
/// (parameters included), or in the module.
fn taken_names<'a>(checker: &Checker<'a>) -> std::collections::HashSet<&'a str> {
    match checker.enclosing_function() {
        Some(function) => {
            let mut names = helpers::names_in_stmts(&function.body);
            names.extend(function.parameters.iter().map(|p| p.name().as_str()));
            names
        }
        None => helpers::names_in_stmts(checker.module_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::OpenWithoutWith as R;

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
        let src = "class A:\n    def __init__(self, p):\n        self.f = open(p)\n    def __enter__(this):\n        this.f = open(p)\n        return this\n    async def __aenter__(self):\n        self.f: object = open(p)\n";
        assert_clean(src, R);
    }

    #[test]
    fn still_flags_leaks_near_exemptions() {
        // Chained use in a return, a handle stored outside the owning methods, or a local in `__init__`.
        assert_count("def f(p):\n    return open(p).read()\n", R, 1);
        assert_count(
            "class A:\n    def setup(self):\n        self.f = open(p)\n    def __init__(self):\n        f = open(p)\n",
            R,
            2,
        );
        assert_count("def f():\n    yield from open(p)\n", R, 1);
        assert_count("f = open(p)\ntry:\n    f.read()\nfinally:\n    f.close()\n", R, 1);
        let msg = message("f = open(p)\ntry:\n    f.read()\nfinally:\n    f.close()\n", R);
        assert!(msg.contains("closed in the `finally:` below, which works"), "{msg}");
    }

    #[test]
    fn messages_name_the_call() {
        let msg = message("f = open(path, 'w')\nf.write('x')\nf.close()\n", R);
        assert!(msg.starts_with("`f = open(path, 'w')`: `f.close()` is skipped"), "{msg}");
        let msg = message("data = open(path).read()\n", R);
        assert!(msg.starts_with("`open(path)` is never closed explicitly: `.read` is used"), "{msg}");
        let msg = message("print(open(p).read())\n", R);
        assert!(msg.starts_with("`open(p)` is never closed explicitly"), "{msg}");
        let msg = message("import zipfile\nz = zipfile.ZipFile(p)\n", R);
        assert!(msg.starts_with("`zipfile.ZipFile(p)` is not opened in a `with` block"), "{msg}");
    }

    #[test]
    fn no_fix_when_the_handle_escapes() {
        for src in [
            "def f(p):\n    f = open(p)\n    keep(f)\n    f.close()\n",
            "def f(p):\n    f = open(p)\n    if x:\n        return f\n    f.close()\n",
            "def f(p):\n    f = open(p)\n    g = f\n    f.close()\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn fix_wraps_statements_up_to_close() {
        let src = "def f(path):\n    f = open(path, 'w')\n    f.write('a')\n\n    if x:\n        f.write('b')\n    f.close()\n    return 1\n";
        assert_eq!(
            fixed(src, R),
            "def f(path):\n    with open(path, 'w') as f:\n        f.write('a')\n\n        if x:\n            f.write('b')\n    return 1\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_eq!(fixed("f = open(p)\nf.close()\n", R), "with open(p) as f:\n    pass\n");
        assert_eq!(
            fixed("if a:\r\n\tf = open(p)\r\n\tf.read()\r\n\tf.close()\r\n", R),
            "if a:\r\n\twith open(p) as f:\r\n\t\tf.read()\r\n"
        );
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
            "f = open(p)\nf.write('a')  # note\nf.close()\n",
            "f = open(p)\nf.write('''a\nb''')\nf.close()\n",
            // Rebinding, or a second close, in between.
            "f = open(p)\nf = g(q)\nf.close()\n",
            "f: object = open(p)\nf.close()\n",
            "f = open(p)\nif x:\n    f.close()\nf.close()\n",
            // Statements sharing a line.
            "f = open(p); f.read()\nf.close()\n",
            "if x: data = open(p).read()\n",
            "print(open(p).read())\n",
            "x = open(p).read() + open(q).read()\n",
            // No close at the same level, or the handle escapes.
            "f = open(p)\nif x:\n    f.close()\n",
            "self.f = open(p)\n",
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
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
