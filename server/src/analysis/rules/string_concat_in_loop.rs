//! `string-concat-in-loop` (no Ruff peer; Pylint `consider-using-join` covers only
//! `s += <loop variable>`). `s = ''` followed by a loop that grows `s` with `s += e` or
//! `s = s + e`: `str` is immutable, so each step copies everything built so far, which is
//! quadratic in the result (CPython's in-place resize often hides it, but only for a local whose
//! string has no other reference). Collecting the parts and joining once is linear.
//!
//! Not flagged: loops that read `s` other than to extend it (the partial string is needed), loops
//! that rebind it, and `for` loops over a literal list/tuple/set of at most eight items.

use std::collections::HashSet;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, ExceptHandler, Expr, ExprContext, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::manual_list_comprehension::{
    Scope, ScopeIndex, is_names_target, scope_of, target_names, unsafe_in_comprehension, wrap_if_needed,
};
use crate::analysis::checker::{Checker, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

/// Literal iterables this short do not make the concatenation's cost matter.
const SMALL_LITERAL: usize = 8;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {
    // Built lazily, once per suite: checking each loop must not cost a pass over the suite.
    let mut suite_facts: Option<Vec<StmtFacts>> = None;
    let mut scope_facts: Option<ScopeFacts> = None;
    for (loop_index, stmt) in body.iter().enumerate() {
        for name in concatenated_names(stmt) {
            let facts = suite_facts.get_or_insert_with(|| body.iter().map(StmtFacts::of).collect());
            // The nearest statement before the loop that binds `name` other than by
            // concatenation must be the initial string.
            let Some(init_index) = (0..loop_index).rev().find(|&i| facts[i].rebinds.contains(name)) else { continue };
            let Some(init) = match_init(checker, &body[init_index]).filter(|init| init.name == name) else { continue };
            let Some(concats) = concatenating_loop(stmt, name) else { continue };
            let untouched_between = !facts[init_index + 1..loop_index].iter().any(|f| f.mentions.contains(name));
            let scope = scope_facts.get_or_insert_with(|| ScopeFacts::of(checker));
            let site = Site { suite: body, init, init_index, loop_index, untouched_between };
            report(checker, scope, &site, &concats);
        }
    }
}

/// A concatenation loop and the string it grows.
struct Site<'s, 'a> {
    suite: &'s [Stmt],
    init: Init<'a>,
    init_index: usize,
    loop_index: usize,
    /// Nothing between the initial string and the loop mentions it.
    untouched_between: bool,
}

/// What the fixes need to know about the enclosing scope.
struct ScopeFacts<'a> {
    scope: Scope<'a>,
    index: ScopeIndex<'a>,
    names: HashSet<&'a str>,
}

impl<'a> ScopeFacts<'a> {
    fn of(checker: &Checker<'a>) -> Self {
        let scope = scope_of(checker);
        ScopeFacts { index: ScopeIndex::new(scope.body), names: helpers::names_in_stmts(scope.body), scope }
    }
}

/// Names one statement binds (other than by concatenation) and names it mentions at all.
#[derive(Default)]
struct StmtFacts<'a> {
    rebinds: HashSet<&'a str>,
    mentions: HashSet<&'a str>,
    nested: usize,
    depth: usize,
}

impl<'a> StmtFacts<'a> {
    fn of(stmt: &'a Stmt) -> Self {
        let mut facts = StmtFacts::default();
        facts.visit_stmt(stmt);
        facts
    }

    fn rebind(&mut self, name: &'a str) {
        if self.nested == 0 {
            self.rebinds.insert(name);
        }
        self.mentions.insert(name);
    }
}

impl<'a> Visitor<'a> for StmtFacts<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match concat_target(stmt) {
            Some((name, parts)) if self.nested == 0 => {
                self.mentions.insert(name);
                parts.into_iter().for_each(|p| self.visit_expr(p));
            }
            _ => match stmt {
                Stmt::FunctionDef(f) => {
                    self.rebind(f.name.as_str());
                    self.nested += 1;
                    visitor::walk_stmt(self, stmt);
                    self.nested -= 1;
                }
                Stmt::ClassDef(c) => {
                    self.rebind(c.name.as_str());
                    self.nested += 1;
                    visitor::walk_stmt(self, stmt);
                    self.nested -= 1;
                }
                Stmt::Global(g) => g.names.iter().for_each(|n| self.rebind(n.as_str())),
                Stmt::Nonlocal(n) => n.names.iter().for_each(|n| self.rebind(n.as_str())),
                Stmt::Import(i) => i.names.iter().for_each(|a| {
                    let bound = a.asname.as_ref().unwrap_or(&a.name).as_str();
                    self.rebind(bound.split('.').next().unwrap_or_default());
                }),
                Stmt::ImportFrom(i) => {
                    i.names.iter().for_each(|a| self.rebind(a.asname.as_ref().unwrap_or(&a.name).as_str()))
                }
                _ => visitor::walk_stmt(self, stmt),
            },
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(n) if n.ctx == ExprContext::Load => {
                self.mentions.insert(n.id.as_str());
            }
            Expr::Name(n) => self.rebind(n.id.as_str()),
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.nested += 1;
                visitor::walk_expr(self, expr);
                self.nested -= 1;
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(name) = &h.name {
            self.rebind(name.as_str());
        }
        visitor::walk_except_handler(self, handler);
    }
}

/// `s += e` -> `(s, [e])`; `s = s + a + b` -> `(s, [a, b])`.
fn concat_target(stmt: &Stmt) -> Option<(&str, Vec<&Expr>)> {
    match stmt {
        Stmt::AugAssign(a) if a.op == ast::Operator::Add => match &*a.target {
            Expr::Name(n) => Some((n.id.as_str(), vec![&*a.value])),
            _ => None,
        },
        Stmt::Assign(a) => match a.targets.as_slice() {
            [Expr::Name(n)] => appended_parts(&a.value, n.id.as_str()).map(|parts| (n.id.as_str(), parts)),
            _ => None,
        },
        _ => None,
    }
}

/// `s + a + b` -> `[a, b]` when the leftmost operand of the sum is `name`.
fn appended_parts<'a>(value: &'a Expr, name: &str) -> Option<Vec<&'a Expr>> {
    let mut parts = Vec::new();
    let mut current = value;
    loop {
        match current {
            Expr::BinOp(b) if b.op == ast::Operator::Add => {
                parts.push(&*b.right);
                current = &b.left;
            }
            Expr::Name(n) if n.id.as_str() == name && !parts.is_empty() => break,
            _ => return None,
        }
    }
    parts.reverse();
    Some(parts)
}

/// The names a loop statement grows by concatenation in its own body (nested scopes excluded).
fn concatenated_names(stmt: &Stmt) -> Vec<&str> {
    let body = match stmt {
        Stmt::For(f) => &f.body,
        Stmt::While(w) => &w.body,
        _ => return Vec::new(),
    };
    let mut names = Vec::new();
    collect_concatenated(body, &mut names, 0);
    names
}

fn collect_concatenated<'a>(body: &'a [Stmt], names: &mut Vec<&'a str>, depth: usize) {
    if depth >= MAX_DEPTH {
        return;
    }
    for stmt in body {
        if let Some((name, _)) = concat_target(stmt).filter(|(name, _)| !names.contains(name)) {
            names.push(name);
        }
        match stmt {
            Stmt::For(f) => {
                collect_concatenated(&f.body, names, depth + 1);
                collect_concatenated(&f.orelse, names, depth + 1);
            }
            Stmt::While(w) => {
                collect_concatenated(&w.body, names, depth + 1);
                collect_concatenated(&w.orelse, names, depth + 1);
            }
            Stmt::If(i) => {
                collect_concatenated(&i.body, names, depth + 1);
                i.elif_else_clauses.iter().for_each(|c| collect_concatenated(&c.body, names, depth + 1));
            }
            Stmt::With(w) => collect_concatenated(&w.body, names, depth + 1),
            Stmt::Try(t) => {
                collect_concatenated(&t.body, names, depth + 1);
                for handler in &t.handlers {
                    let ExceptHandler::ExceptHandler(h) = handler;
                    collect_concatenated(&h.body, names, depth + 1);
                }
                collect_concatenated(&t.orelse, names, depth + 1);
                collect_concatenated(&t.finalbody, names, depth + 1);
            }
            Stmt::Match(m) => m.cases.iter().for_each(|c| collect_concatenated(&c.body, names, depth + 1)),
            _ => {}
        }
    }
}

/// `s = ''`, `s = f'...'`, `s = str()` or `s: str = ''`.
struct Init<'a> {
    stmt: &'a Stmt,
    name: &'a str,
    value: &'a Expr,
    annotation: Option<&'a Expr>,
}

fn match_init<'a>(checker: &Checker, stmt: &'a Stmt) -> Option<Init<'a>> {
    let (target, value, annotation) = match stmt {
        Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value, None),
        Stmt::AnnAssign(a) => (&*a.target, a.value.as_deref()?, Some(&*a.annotation)),
        _ => return None,
    };
    let Expr::Name(name) = target else { return None };
    let is_str = match value {
        Expr::StringLiteral(_) | Expr::FString(_) => true,
        Expr::Call(call) => match &*call.func {
            // `''.join(...)`: also what this rule's own fix leaves before a second loop.
            Expr::Attribute(attr) => {
                attr.value.is_string_literal_expr() && matches!(attr.attr.as_str(), "join" | "format")
            }
            func => call.arguments.is_empty() && checker.resolves_to(func, "builtins.str"),
        },
        _ => false,
    };
    (is_str && !name.id.is_empty()).then_some(Init { stmt, name: name.id.as_str(), value, annotation })
}

fn is_empty_string(value: &Expr) -> bool {
    match value {
        Expr::StringLiteral(s) => s.value.to_str().is_empty(),
        Expr::Call(call) => call.arguments.is_empty() && !call.func.is_attribute_expr(),
        _ => false,
    }
}

/// A `s += e` or `s = s + e` statement and the pieces it appends.
struct Concat<'a> {
    stmt: &'a Stmt,
    parts: Vec<&'a Expr>,
}

/// The concatenations when `stmt` is a loop that extends `name` and otherwise leaves it alone.
fn concatenating_loop<'a>(stmt: &'a Stmt, name: &str) -> Option<Vec<Concat<'a>>> {
    let (header, body, orelse): (Vec<&Expr>, _, _) = match stmt {
        Stmt::For(f) => {
            if is_small_literal(&f.iter) {
                return None;
            }
            (vec![&*f.iter, &*f.target], &f.body, &f.orelse)
        }
        Stmt::While(w) => (vec![&*w.test], &w.body, &w.orelse),
        _ => return None,
    };
    let mut outside = Uses::new(name);
    header.into_iter().for_each(|e| outside.visit_expr(e));
    outside.visit_body(orelse);
    let inside = Uses::of_stmts(body, name);
    let clean = outside.reads == 0 && outside.stores == 0 && outside.concats.is_empty();
    (clean && inside.reads == 0 && inside.stores == 0 && !inside.concats.is_empty()).then_some(inside.concats)
}

fn is_small_literal(iter: &Expr) -> bool {
    let elts = match iter {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        Expr::Set(s) => &s.elts,
        _ => return false,
    };
    elts.len() <= SMALL_LITERAL && !elts.iter().any(Expr::is_starred_expr)
}

/// How statements use `name`: concatenations onto it, other reads, other bindings.
struct Uses<'n, 'a> {
    name: &'n str,
    concats: Vec<Concat<'a>>,
    reads: usize,
    stores: usize,
    /// Inside a nested function, class or lambda every mention counts as a read.
    nested: usize,
    depth: usize,
}

impl<'n, 'a> Uses<'n, 'a> {
    fn new(name: &'n str) -> Self {
        Uses { name, concats: Vec::new(), reads: 0, stores: 0, nested: 0, depth: 0 }
    }

    fn of_stmts(body: &'a [Stmt], name: &'n str) -> Self {
        let mut uses = Uses::new(name);
        uses.visit_body(body);
        uses
    }

    fn is_name(&self, expr: &Expr) -> bool {
        matches!(expr, Expr::Name(n) if n.id.as_str() == self.name)
    }

    fn concat(&self, stmt: &'a Stmt) -> Option<Concat<'a>> {
        if self.nested > 0 {
            return None;
        }
        match stmt {
            Stmt::AugAssign(a) if a.op == ast::Operator::Add && self.is_name(&a.target) => {
                Some(Concat { stmt, parts: vec![&*a.value] })
            }
            Stmt::Assign(a) if a.targets.len() == 1 && self.is_name(&a.targets[0]) => {
                appended_parts(&a.value, self.name).map(|parts| Concat { stmt, parts })
            }
            _ => None,
        }
    }
}

impl<'a> Visitor<'a> for Uses<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        if let Some(concat) = self.concat(stmt) {
            // Only the appended pieces are read.
            concat.parts.iter().for_each(|p| self.visit_expr(p));
            self.concats.push(concat);
        } else {
            match stmt {
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => {
                    self.nested += 1;
                    visitor::walk_stmt(self, stmt);
                    self.nested -= 1;
                }
                Stmt::Global(g) if g.names.iter().any(|n| n.as_str() == self.name) => self.stores += 1,
                Stmt::Nonlocal(n) if n.names.iter().any(|n| n.as_str() == self.name) => self.stores += 1,
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(n) if n.id.as_str() == self.name => {
                if n.ctx == ExprContext::Load || self.nested > 0 {
                    self.reads += 1;
                } else {
                    self.stores += 1;
                }
            }
            Expr::Lambda(_) => {
                self.nested += 1;
                visitor::walk_expr(self, expr);
                self.nested -= 1;
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if h.name.as_ref().is_some_and(|n| n.as_str() == self.name) {
            self.stores += 1;
        }
        visitor::walk_except_handler(self, handler);
    }
}

fn report(checker: &mut Checker, scope: &ScopeFacts, site: &Site, concats: &[Concat]) {
    let Some(first) = concats.first() else { return };
    let Some(loop_stmt) = site.suite.get(site.loop_index) else { return };
    let init = &site.init;
    let name = init.name;
    let how = if matches!(first.stmt, Stmt::AugAssign(_)) {
        format!("`{name} += ...`")
    } else {
        format!("`{name} = {name} + ...`")
    };
    let kind = if loop_stmt.is_while_stmt() { "while" } else { "for" };
    let empty = empty_literal(checker, init);
    let message = format!(
        "{how} in a `{kind}` loop copies the whole string built so far on every pass (quadratic): \
         collect the parts and `{empty}.join` them once"
    );
    let fix = join_fix(checker, scope, site, loop_stmt, concats)
        .or_else(|| parts_fix(checker, scope, site, loop_stmt, concats));
    checker.report(Finding::new(Rule::StringConcatInLoop, first.stmt.range(), message).with_fix(fix));
}

/// `''` in the quote style of the initial string.
fn empty_literal(checker: &Checker, init: &Init) -> &'static str {
    let text = checker.source.slice(init.value).trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if matches!(init.value, Expr::StringLiteral(_) | Expr::FString(_)) && text.starts_with('"') { "\"\"" } else { "''" }
}

fn lhs(checker: &Checker, init: &Init) -> String {
    match init.annotation {
        Some(annotation) => format!("{}: {}", init.name, checker.source.slice(annotation)),
        None => init.name.to_string(),
    }
}

/// The appended value as one expression: `a` or `a + b` for `s = s + a + b`.
fn appended_text(checker: &Checker, parts: &[&Expr]) -> String {
    match parts {
        [single] => argument_text(checker, single),
        _ => parts
            .iter()
            .map(|p| {
                let text = checker.source.slice(*p);
                if is_tight(p) { text.to_string() } else { format!("({text})") }
            })
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

/// An expression's text as it can stand alone as a call argument.
fn argument_text(checker: &Checker, expr: &Expr) -> String {
    let text = checker.source.slice(expr);
    let wrap = match expr {
        Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => true,
        Expr::Generator(g) => !g.parenthesized,
        Expr::Tuple(t) => !t.parenthesized,
        _ => false,
    };
    if wrap { format!("({text})") } else { text.to_string() }
}

/// Binds at least as tightly as `+`, so it needs no parentheses as an operand of a sum.
fn is_tight(expr: &Expr) -> bool {
    match expr {
        Expr::BinOp(b) => !matches!(
            b.op,
            ast::Operator::Add
                | ast::Operator::Sub
                | ast::Operator::LShift
                | ast::Operator::RShift
                | ast::Operator::BitAnd
                | ast::Operator::BitOr
                | ast::Operator::BitXor
        ),
        Expr::Tuple(t) => t.parenthesized,
        Expr::Generator(g) => g.parenthesized,
        Expr::Name(_)
        | Expr::Attribute(_)
        | Expr::Call(_)
        | Expr::Subscript(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::FString(_)
        | Expr::NumberLiteral(_)
        | Expr::List(_)
        | Expr::ListComp(_)
        | Expr::Dict(_)
        | Expr::DictComp(_)
        | Expr::Set(_)
        | Expr::SetComp(_) => true,
        _ => false,
    }
}

/// `s = ''.join(<e> for <t> in <it>)` when the loop is a `for` whose only statement is the
/// concatenation and the initial string directly precedes it.
fn join_fix(checker: &Checker, scope: &ScopeFacts, site: &Site, loop_stmt: &Stmt, concats: &[Concat]) -> Option<Fix> {
    let init = &site.init;
    let Stmt::For(for_stmt) = loop_stmt else { return None };
    let [concat] = concats else { return None };
    let source = &checker.source;
    let whole = TextRange::new(init.stmt.start(), loop_stmt.end());
    let mut names = Vec::new();
    target_names(&for_stmt.target, &mut names);
    let usable = site.loop_index == site.init_index + 1
        && !for_stmt.is_async
        && for_stmt.orelse.is_empty()
        && for_stmt.body.len() == 1
        && std::ptr::eq(&for_stmt.body[0], concat.stmt)
        && is_names_target(&for_stmt.target)
        && !scope.scope.is_class
        && !source.has_comments(whole)
        && !source.has_multiline_string(whole)
        && !unsafe_in_comprehension(&for_stmt.iter)
        && !concat.parts.iter().any(|p| unsafe_in_comprehension(p))
        // The loop variable no longer exists after a generator expression.
        && !names.iter().any(|n| scope.index.read_after(n, loop_stmt.end()));
    if !usable {
        return None;
    }
    let element = match concat.parts.as_slice() {
        [Expr::Generator(g)] if !g.parenthesized => format!("({})", source.slice(&concat.parts[0])),
        _ => appended_text(checker, &concat.parts),
    };
    let target = source.slice(&*for_stmt.target);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let empty = empty_literal(checker, init);
    let prefix = match source.slice(init.value) {
        _ if is_empty_string(init.value) => String::new(),
        // An implicit concatenation over several lines only held together by its parentheses.
        multiline if multiline.contains(['\n', '\r']) => format!("({multiline}) + "),
        value => format!("{value} + "),
    };
    let text = format!("{} = {prefix}{empty}.join({element} for {target} in {iter})", lhs(checker, init));
    Fix::unsafe_(format!("Replace the loop with `{empty}.join(...)`"), vec![Edit::replace(whole, text)])
}

/// `s = ''` -> `s_parts = []`, each concatenation -> `s_parts.append(e)`, and
/// `s = ''.join(s_parts)` after the loop (and its `else:`).
fn parts_fix(checker: &Checker, scope: &ScopeFacts, site: &Site, loop_stmt: &Stmt, concats: &[Concat]) -> Option<Fix> {
    let source = &checker.source;
    let init = &site.init;
    // Between the initial string and the loop `s` must be untouched: it will not exist there.
    if !site.untouched_between || !source.nothing_after_on_line(loop_stmt.end()) {
        return None;
    }
    let indent = source.indentation_at(loop_stmt.start())?;
    let parts = helpers::fresh_name(&format!("{}_parts", init.name), &scope.names);
    let first = if is_empty_string(init.value) { String::new() } else { source.slice(init.value).to_string() };
    let declared = match init.annotation {
        Some(_) => format!("{parts}: list[str] = [{first}]"),
        None => format!("{parts} = [{first}]"),
    };
    let mut edits = vec![Edit::replace(init.stmt.range(), declared)];
    for concat in concats {
        let appended = appended_text(checker, &concat.parts);
        edits.push(Edit::replace(concat.stmt.range(), format!("{parts}.append({appended})")));
    }
    let nl = source.line_ending();
    let at = source.full_line_end(loop_stmt.end());
    let text = source.text();
    let lead = if at.to_usize() == text.len() && !text.ends_with(['\n', '\r']) { nl } else { "" };
    let empty = empty_literal(checker, init);
    edits.push(Edit::insert(at, format!("{lead}{indent}{} = {empty}.join({parts}){nl}", init.name)));
    Fix::unsafe_(format!("Collect the parts in `{parts}` and join them after the loop"), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::rule::Rule::StringConcatInLoop as R;

    #[test]
    fn flags_augmented_and_plain_concatenation() {
        assert_count("def f(cells):\n    line = ''\n    for c in cells:\n        line += c\n    return line\n", R, 1);
        assert_count(
            "def f(cells):\n    line = str()\n    for c in cells:\n        line = line + c + '|'\n    return line\n",
            R,
            1,
        );
        assert_count(
            "def f(n):\n    s = f'{n}:'\n    while n:\n        if n % 2:\n            s += 'x'\n        n -= 1\n    return s\n",
            R,
            1,
        );
        assert_count("s: str = ''\nfor c in cells:\n    for d in c:\n        s += d\n", R, 1);
        assert_count("s = ', '.join(head)\nfor c in cells:\n    s += c\n", R, 1);
    }

    #[test]
    fn anchors_on_the_concatenation_and_names_it() {
        let src = "def f(cells):\n    line = ''\n    for c in cells:\n        line += c\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "line += c");
        let msg = message(src, R);
        assert!(msg.contains("`line += ...`") && msg.contains("`for` loop"), "{msg}");
    }

    #[test]
    fn ignores_loops_that_read_or_rebind_the_string() {
        assert_clean("s = ''\nfor c in cells:\n    s += c\n    print(s)\n", R);
        assert_clean("s = ''\nwhile len(s) < 10:\n    s += 'x'\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s += s\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s += c\n    if c:\n        s = ''\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s = c + s\n", R);
        assert_clean("s = ''\nfor c in cells:\n    f = lambda: s\n    s += c\n", R);
    }

    #[test]
    fn ignores_non_strings_small_literals_and_rebinding_before_the_loop() {
        assert_clean("n = 0\nfor c in cells:\n    n += c\n", R);
        assert_clean("s = b''\nfor c in cells:\n    s += c\n", R);
        assert_clean("s = ''\nfor c in ('a', 'b', 'c'):\n    s += c\n", R);
        assert_clean("s = ''\ns = make()\nfor c in cells:\n    s += c\n", R);
        assert_clean("s = ''\nfor c in cells:\n    t = s\n", R);
    }

    #[test]
    fn large_literals_are_flagged() {
        assert_count("s = ''\nfor c in [1, 2, 3, 4, 5, 6, 7, 8, 9]:\n    s += str(c)\n", R, 1);
    }

    #[test]
    fn fix_joins_a_generator_when_the_loop_only_concatenates() {
        let src = "def render_row(cells):\n    line = \"\"\n    for cell in cells:\n        line += f\"| {cell} \"\n    return line + \"|\"\n";
        assert_eq!(
            fixed(src, R),
            "def render_row(cells):\n    line = \"\".join(f\"| {cell} \" for cell in cells)\n    return line + \"|\"\n"
        );
        let src = "s = '>'\nfor a, b in pairs:\n    s = s + a + (b if b else '-')\n";
        assert_eq!(fixed(src, R), "s = '>' + ''.join(a + (b if b else '-') for a, b in pairs)\n");
        let src = "s = (\n    'a'\n    'b'\n)\nfor c in cells:\n    s += c\n";
        assert_eq!(fixed(src, R), "s = ('a'\n    'b') + ''.join(c for c in cells)\n");
    }

    #[test]
    fn fix_collects_parts_otherwise() {
        let src = "def f(n):\n    s: str = 'a'\n    while n:\n        if n % 2:\n            s += 'x'\n        n -= 1\n    else:\n        pass\n    return s\n";
        assert_eq!(
            fixed(src, R),
            "def f(n):\n    s_parts: list[str] = ['a']\n    while n:\n        if n % 2:\n            s_parts.append('x')\n        n -= 1\n    else:\n        pass\n    s = ''.join(s_parts)\n    return s\n"
        );
        // The loop variable is read after the loop, so no generator expression.
        let src = "out = ''\nfor c in cells:\n    out += c  # add\nprint(c)";
        assert_eq!(
            fixed(src, R),
            "out_parts = []\nfor c in cells:\n    out_parts.append(c)  # add\nout = ''.join(out_parts)\nprint(c)"
        );
        let src = "out = ''\nfor c in cells:\n    out += c, 1\n    out = out + c * 2 + 'x'";
        assert_eq!(
            fixed(src, R),
            "out_parts = []\nfor c in cells:\n    out_parts.append((c, 1))\n    out_parts.append(c * 2 + 'x')\nout = ''.join(out_parts)\n"
        );
    }

    #[test]
    fn fix_avoids_name_clashes_and_keeps_crlf() {
        let src = "s = ''\r\ns_parts = 1\r\nfor c in cells:\r\n\ts += c\r\n\tn = 1\r\n";
        assert_eq!(
            fixed(src, R),
            "s_parts_1 = []\r\ns_parts = 1\r\nfor c in cells:\r\n\ts_parts_1.append(c)\r\n\tn = 1\r\ns = ''.join(s_parts_1)\r\n"
        );
    }

    #[test]
    fn no_fix_when_the_string_is_used_before_the_loop() {
        let found = findings("s = ''\nprint(s)\nfor c in cells:\n    s += c\n    n = 1\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in
            ["s = ''\nfor c in :\n    s +=\n", "s = ''\nwhile :\n    s = s +\n", " = ''\nfor c in x:\n     += c\n"]
        {
            let _ = findings(src, R);
        }
    }
}
