//! Small AST and text helpers shared by rules and their fixes.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::checker::{Checker, MAX_DEPTH};
use super::finding::Edit;

pub fn is_docstring(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(e) if e.value.is_string_literal_expr())
}

/// Where to insert statements at the top of a body (after a docstring), and with what indentation.
/// `None` when the body shares a line with its header (`def f(): return 1`), where inserting a
/// line would need a larger rewrite.
pub fn body_insert_point<'s>(checker: &'s Checker, body: &[Stmt]) -> Option<(TextSize, &'s str)> {
    match body.iter().find(|s| !is_docstring(s)) {
        Some(first) => {
            let indent = checker.source.indentation_at(first.start())?;
            Some((checker.source.line_start(first.start()), indent))
        }
        None => {
            // Only a docstring: insert on the line after it.
            let docstring = body.first()?;
            let indent = checker.source.indentation_at(docstring.start())?;
            if !checker.source.nothing_after_on_line(docstring.end()) {
                return None;
            }
            let at = checker.source.full_line_end(docstring.end());
            (at.to_usize() < checker.source.text().len() || checker.source.text().ends_with(['\n', '\r']))
                .then_some((at, indent))
        }
    }
}

/// Every `Name` read or written in `node`s, for choosing fresh names.
pub fn names_in_stmts(body: &[Stmt]) -> HashSet<&str> {
    let mut collector = NameCollector { names: HashSet::new(), depth: 0 };
    collector.visit_body(body);
    collector.names
}

pub fn names_in_expr(expr: &Expr) -> HashSet<&str> {
    let mut collector = NameCollector { names: HashSet::new(), depth: 0 };
    collector.visit_expr(expr);
    collector.names
}

struct NameCollector<'a> {
    names: HashSet<&'a str>,
    depth: usize,
}

impl<'a> Visitor<'a> for NameCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            if let Stmt::FunctionDef(f) = stmt {
                self.names.insert(f.name.as_str());
                for p in f.parameters.iter() {
                    self.names.insert(p.name().as_str());
                }
            }
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            if let Expr::Name(name) = expr {
                self.names.insert(name.id.as_str());
            }
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
}

/// Ranges where `name` is read (Load context) inside `body`/`expr`.
pub fn name_loads_in_stmts(body: &[Stmt], name: &str) -> Vec<TextRange> {
    let mut finder = LoadFinder { name, found: Vec::new(), depth: 0 };
    finder.visit_body(body);
    finder.found
}

pub fn name_loads_in_expr(expr: &Expr, name: &str) -> Vec<TextRange> {
    let mut finder = LoadFinder { name, found: Vec::new(), depth: 0 };
    finder.visit_expr(expr);
    finder.found
}

struct LoadFinder<'n> {
    name: &'n str,
    found: Vec<TextRange>,
    depth: usize,
}

impl<'a> Visitor<'a> for LoadFinder<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            if let Expr::Name(name) = expr
                && name.id.as_str() == self.name
                && name.ctx == ExprContext::Load
            {
                self.found.push(name.range());
            }
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
}

/// Visits every statement and expression under `body` (depth-capped), calling `f` on each.
pub fn for_each_node<'a>(body: &'a [Stmt], f: &mut dyn FnMut(NodeVisit<'a>)) {
    let mut walker = Walker { f, depth: 0 };
    walker.visit_body(body);
}

#[derive(Clone, Copy)]
pub enum NodeVisit<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

struct Walker<'f, 'a> {
    f: &'f mut dyn FnMut(NodeVisit<'a>),
    depth: usize,
}

impl<'a> Visitor<'a> for Walker<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            (self.f)(NodeVisit::Stmt(stmt));
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            (self.f)(NodeVisit::Expr(expr));
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
}

/// A fresh identifier based on `preferred`, avoiding every name in `taken`.
pub fn fresh_name(preferred: &str, taken: &HashSet<&str>) -> String {
    let usable = |name: &str| !taken.contains(name) && !super::semantic::is_builtin(name) && !is_keyword(name);
    if usable(preferred) {
        return preferred.to_string();
    }
    (1..).map(|i| format!("{preferred}_{i}")).find(|n| usable(n)).unwrap_or_default()
}

/// Python keywords and soft keywords that cannot (or should not) name a variable.
pub fn is_keyword(name: &str) -> bool {
    matches!(
        name,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
            | "match"
            | "case"
            | "type"
    )
}

/// How to refer to `module.member` from module scope, reusing an existing import when there is
/// one, plus the edit that adds `import module` when there is not.
///
/// `from functools import wraps as w` gives `w`; `import functools as ft` gives `ft.wraps`;
/// neither gives `functools.wraps` and an `import functools` edit.
pub fn import_member(checker: &Checker, module: &str, member: &str) -> (String, Option<Edit>) {
    let qualified = format!("{module}.{member}");
    if let Some(alias) = checker.semantic.module_alias_for(&qualified) {
        return (alias.to_string(), None);
    }
    let (name, edit) = import_module(checker, module);
    (format!("{name}.{member}"), edit)
}

/// How to refer to `module` from module scope, and the edit that imports it when needed.
pub fn import_module(checker: &Checker, module: &str) -> (String, Option<Edit>) {
    if let Some(alias) = checker.semantic.module_alias_for(module) {
        return (alias.to_string(), None);
    }
    let nl = checker.source.line_ending();
    let at = import_insertion_point(checker);
    (module.to_string(), Some(Edit::insert(at, format!("import {module}{nl}"))))
}

/// After the module's leading block of docstring, `from __future__` and import statements (the
/// start of the line following the last of them), or the start of the file.
fn import_insertion_point(checker: &Checker) -> TextSize {
    let mut last_end = None;
    for stmt in checker.module_body() {
        match stmt {
            Stmt::Import(_) | Stmt::ImportFrom(_) => last_end = Some(stmt.end()),
            s if is_docstring(s) && last_end.is_none() => last_end = Some(s.end()),
            _ => break,
        }
    }
    match last_end {
        Some(end) => checker.source.full_line_end(end),
        None => TextSize::default(),
    }
}

/// Text of `stmts[first..=last]`, from the start of the first line to the end of the last.
pub fn statements_block(checker: &Checker, first: &Stmt, last: &Stmt) -> TextRange {
    TextRange::new(checker.source.line_start(first.start()), checker.source.full_line_end(last.end()))
}

/// Adds `prefix` to the start of each non-empty line of `text`.
pub fn indent_lines(text: &str, prefix: &str) -> String {
    ruff_python_trivia::textwrap::indent(text, prefix).into_owned()
}

/// Is `expr` a call to a builtin / import resolving to one of `names` (fully qualified)?
pub fn call_resolves_to<'e>(
    checker: &Checker,
    expr: &'e Expr,
    names: &[&str],
) -> Option<&'e ruff_python_ast::ExprCall> {
    let Expr::Call(call) = expr else { return None };
    checker.resolves_to_any(&call.func, names).map(|_| call)
}

/// Removes a statement that sits on its own line (with the line), keeping a trailing comment.
pub fn delete_statement(checker: &Checker, stmt: &Stmt) -> Option<Edit> {
    let source = &checker.source;
    source.indentation_at(stmt.start())?;
    if !source.nothing_after_on_line(stmt.end()) {
        return None;
    }
    let line_start = source.line_start(stmt.start());
    let line_end = source.full_line_end(stmt.end());
    let rest = source.slice(&TextRange::new(stmt.end(), line_end));
    if rest.trim().is_empty() {
        Some(Edit::delete(TextRange::new(line_start, line_end)))
    } else {
        // `res = []  # note`: the comment stays, on a line of its own.
        Some(Edit::delete(TextRange::new(stmt.start(), stmt.end())))
    }
}
