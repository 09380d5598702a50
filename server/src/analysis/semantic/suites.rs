//! Which block of a compound statement holds a given statement.

use ruff_python_ast::{ExceptHandler, Stmt};

/// The body (`if`, `elif`/`else`, loop, `else:`, `try` parts, handler, `case`, `with`, `def`,
/// `class`) of `parent` that holds `child`.
pub fn containing<'a>(parent: &'a Stmt, child: &Stmt) -> Option<&'a [Stmt]> {
    bodies(parent).find(|body| body.iter().any(|s| std::ptr::eq(s, child)))
}

/// Every block directly inside `stmt`.
pub fn bodies(stmt: &Stmt) -> Box<dyn Iterator<Item = &[Stmt]> + '_> {
    match stmt {
        Stmt::FunctionDef(f) => Box::new(std::iter::once(&f.body[..])),
        Stmt::ClassDef(c) => Box::new(std::iter::once(&c.body[..])),
        Stmt::For(f) => Box::new([&f.body[..], &f.orelse[..]].into_iter()),
        Stmt::While(w) => Box::new([&w.body[..], &w.orelse[..]].into_iter()),
        Stmt::If(i) => Box::new(std::iter::once(&i.body[..]).chain(i.elif_else_clauses.iter().map(|c| &c.body[..]))),
        Stmt::With(w) => Box::new(std::iter::once(&w.body[..])),
        Stmt::Match(m) => Box::new(m.cases.iter().map(|c| &c.body[..])),
        Stmt::Try(t) => Box::new(
            std::iter::once(&t.body[..])
                .chain(t.handlers.iter().map(|ExceptHandler::ExceptHandler(h)| &h.body[..]))
                .chain([&t.orelse[..], &t.finalbody[..]]),
        ),
        _ => Box::new(std::iter::empty()),
    }
}
