//! `manual-list-comprehension` (peer: Ruff PERF401). A `for` loop whose whole body is
//! `res.append(<expr>)` (optionally under one `if`) builds a list the long way: a comprehension
//! states the same in one expression, with its own scope for the loop variable, and runs faster.
//!
//! Like PERF401: the list must be bound once in the scope to a list (`[]`, `list()`, a list
//! display or comprehension, a `list` annotation), the loop target must not be read after the loop,
//! and neither the appended value nor the condition may read the list. Deliberately not flagged:
//! `async for` (no async comprehension is generated) and `for x in y: res.append(x)`, a plain copy.
//! Anchored, as Ruff does, on the `append` call.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, ExceptHandler, Expr, ExprCall, ExprContext, ExprName, Parameters, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {
    for (index, stmt) in body.iter().enumerate() {
        let Stmt::For(for_stmt) = stmt else { continue };
        if let Some(append) = match_append_loop(for_stmt) {
            check_loop(checker, body, index, for_stmt, &append);
        }
    }
}

/// The parts of `for <t> in <it>: [if <cond>:] <list>.append(<elt>)`.
struct AppendLoop<'a> {
    list: &'a ExprName,
    call: &'a ExprCall,
    elt: &'a Expr,
    cond: Option<&'a Expr>,
}

fn match_append_loop(for_stmt: &StmtFor) -> Option<AppendLoop<'_>> {
    if for_stmt.is_async || !is_names_target(&for_stmt.target) {
        return None;
    }
    let (stmt, cond) = match for_stmt.body.as_slice() {
        [Stmt::If(if_stmt)] if if_stmt.elif_else_clauses.is_empty() => match if_stmt.body.as_slice() {
            [stmt] => (stmt, Some(&*if_stmt.test)),
            _ => return None,
        },
        [stmt] => (stmt, None),
        _ => return None,
    };
    let Stmt::Expr(expr_stmt) = stmt else { return None };
    let Expr::Call(call) = &*expr_stmt.value else { return None };
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Name(list) = &*attr.value else { return None };
    let [elt] = &*call.arguments.args else { return None };
    if attr.attr.as_str() != "append"
        || !call.arguments.keywords.is_empty()
        || list.id.is_empty()
        || elt.is_starred_expr()
    {
        return None;
    }
    // `for x in y: res.append(x)` is a plain copy (`list(y)`), a different idiom.
    if cond.is_none() && matches!((&*for_stmt.target, elt), (Expr::Name(t), Expr::Name(e)) if t.id == e.id) {
        return None;
    }
    let list_name = list.id.as_str();
    if mentions(elt, list_name) || cond.is_some_and(|c| mentions(c, list_name)) {
        return None;
    }
    Some(AppendLoop { list, call, elt, cond })
}

/// Only names (possibly unpacked, starred) can be a comprehension target without side effects.
pub(super) fn is_names_target(target: &Expr) -> bool {
    match target {
        Expr::Name(name) => !name.id.is_empty(),
        Expr::Tuple(t) => t.elts.iter().all(is_names_target),
        Expr::List(l) => l.elts.iter().all(is_names_target),
        Expr::Starred(s) => is_names_target(&s.value),
        _ => false,
    }
}

pub(super) fn target_names<'a>(target: &'a Expr, out: &mut Vec<&'a str>) {
    match target {
        Expr::Name(name) => out.push(name.id.as_str()),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

fn check_loop<'a>(
    checker: &mut Checker<'a>,
    suite: &'a [Stmt],
    index: usize,
    for_stmt: &'a StmtFor,
    append: &AppendLoop<'a>,
) {
    let scope = scope_of(checker);
    let name = append.list.id.as_str();
    let Some(origin) = list_origin(checker, &scope, name, for_stmt.start()) else { return };
    let mut names = Vec::new();
    target_names(&for_stmt.target, &mut names);
    if names.iter().any(|n| read_after(scope.body, n, for_stmt.end())) {
        return;
    }
    let header = loop_header(checker, for_stmt);
    let as_comprehension = comprehension_binding(checker, suite, index, for_stmt, &origin);
    let message = if as_comprehension.is_some() {
        format!("`{header}` only appends to `{name}`: build `{name}` with a list comprehension")
    } else {
        format!("`{header}` only appends to `{name}`: use `{name}.extend(...)` with a generator expression")
    };
    let fix = fix(checker, &scope, for_stmt, append, as_comprehension);
    checker.report(Finding::new(Rule::ManualListComprehension, append.call.range(), message).with_fix(fix));
}

/// The `res = []` statement the loop can be merged with: directly before the loop, with no
/// comment in between (it would be lost).
fn comprehension_binding<'a>(
    checker: &Checker,
    suite: &[Stmt],
    index: usize,
    for_stmt: &StmtFor,
    origin: &Origin<'a>,
) -> Option<&'a Stmt> {
    let Origin::Local(binding) = origin else { return None };
    let previous = index.checked_sub(1).and_then(|i| suite.get(i))?;
    let between = TextRange::new(binding.end(), for_stmt.start());
    (std::ptr::eq(previous, *binding)
        && empty_list_value(binding).is_some()
        && !checker.source.has_comments(between)
        && !checker.source.has_multiline_string(binding.range()))
    .then_some(*binding)
}

fn loop_header(checker: &Checker, for_stmt: &StmtFor) -> String {
    let target = checker.source.slice(&*for_stmt.target);
    let iter = checker.source.slice(&*for_stmt.iter);
    let iter = if iter.len() > 30 || iter.contains(['\n', '\r']) { "..." } else { iter };
    let target = if target.len() > 30 || target.contains(['\n', '\r']) { "..." } else { target };
    format!("for {target} in {iter}")
}

// ---- the scope and the list's binding ---------------------------------------------------------

/// The statements of the scope the suite belongs to (function, class or module body).
pub(super) struct Scope<'a> {
    pub(super) body: &'a [Stmt],
    pub(super) parameters: Option<&'a Parameters>,
    pub(super) is_class: bool,
}

pub(super) fn scope_of<'a>(checker: &Checker<'a>) -> Scope<'a> {
    let owner = checker.frames().copied().find(|f| matches!(f, Frame::Function(_) | Frame::Class(_)));
    match owner {
        Some(Frame::Function(f)) => Scope { body: &f.body, parameters: Some(&f.parameters), is_class: false },
        Some(Frame::Class(c)) => Scope { body: &c.body, parameters: None, is_class: true },
        _ => Scope { body: checker.module_body(), parameters: None, is_class: false },
    }
}

/// Where the list appended to comes from.
enum Origin<'a> {
    /// `res = ...` / `res: list = ...` in this scope.
    Local(&'a Stmt),
    /// A parameter annotated as a list, or a binding in an enclosing scope.
    Elsewhere,
}

/// The list's binding, when (as Ruff's PERF401 requires) it is the only binding of the name in
/// the scope before the loop and it is known to be a list.
fn list_origin<'a>(checker: &Checker<'a>, scope: &Scope<'a>, name: &str, before: TextSize) -> Option<Origin<'a>> {
    let mut collector = BindingCollector { name, found: Vec::new(), declared: false, depth: 0 };
    collector.visit_body(scope.body);
    if collector.declared {
        return None;
    }
    let parameter = scope.parameters.and_then(|p| p.iter().find(|p| p.name().as_str() == name));
    let earlier: Vec<&Binding> = collector.found.iter().filter(|b| b.at < before).collect();
    match (parameter, earlier.as_slice()) {
        (Some(p), []) => p.annotation().filter(|a| is_list_annotation(checker, a)).map(|_| Origin::Elsewhere),
        (None, [binding]) => binding.stmt.filter(|s| is_list_binding(checker, s, name)).map(Origin::Local),
        (None, []) if collector.found.is_empty() && scope.parameters.is_some() => match checker.lookup(name)? {
            crate::analysis::semantic::Binding::Assignment(Some(value)) => {
                is_list_value(checker, value).then_some(Origin::Elsewhere)
            }
            crate::analysis::semantic::Binding::Parameter(Some(annotation)) => {
                is_list_annotation(checker, annotation).then_some(Origin::Elsewhere)
            }
            _ => None,
        },
        _ => None,
    }
}

fn is_list_binding(checker: &Checker, stmt: &Stmt, name: &str) -> bool {
    match stmt {
        Stmt::Assign(assign) => {
            assign.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == name))
                && is_list_value(checker, &assign.value)
        }
        Stmt::AnnAssign(assign) => {
            matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == name)
                && (is_list_annotation(checker, &assign.annotation)
                    || assign.value.as_deref().is_some_and(|v| is_list_value(checker, v)))
        }
        _ => false,
    }
}

fn is_list_value(checker: &Checker, value: &Expr) -> bool {
    match value {
        Expr::List(_) | Expr::ListComp(_) => true,
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.list"),
        Expr::BinOp(binop) => match binop.op {
            ast::Operator::Add => is_list_value(checker, &binop.left) && is_list_value(checker, &binop.right),
            // `[0] * n`
            ast::Operator::Mult => binop.left.is_list_expr() || binop.right.is_list_expr(),
            _ => false,
        },
        _ => false,
    }
}

fn is_list_annotation(checker: &Checker, annotation: &Expr) -> bool {
    let base = match annotation {
        Expr::Subscript(sub) => &*sub.value,
        other => other,
    };
    matches!(checker.resolve(base).as_deref(), Some("builtins.list" | "typing.List" | "typing_extensions.List"))
}

/// `res = []` / `res = list()` / `res: T = []` with a single name target: the value text to drop.
fn empty_list_value(stmt: &Stmt) -> Option<&Expr> {
    let value = match stmt {
        Stmt::Assign(assign) if assign.targets.len() == 1 && assign.targets[0].is_name_expr() => &*assign.value,
        Stmt::AnnAssign(assign) if assign.target.is_name_expr() => assign.value.as_deref()?,
        _ => return None,
    };
    let empty = match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "list")
                && call.arguments.args.is_empty()
                && call.arguments.keywords.is_empty()
        }
        _ => false,
    };
    empty.then_some(value)
}

struct Binding<'a> {
    at: TextSize,
    /// The assignment statement, when the binding is one (others are never "a list").
    stmt: Option<&'a Stmt>,
}

/// Bindings of `name` in one scope's own statements (nested scopes are not entered).
struct BindingCollector<'n, 'a> {
    name: &'n str,
    found: Vec<Binding<'a>>,
    /// `global`/`nonlocal`: the name is not this scope's own.
    declared: bool,
    depth: usize,
}

impl<'a> BindingCollector<'_, 'a> {
    fn binds(&self, target: &Expr) -> bool {
        let mut names = Vec::new();
        target_names(target, &mut names);
        names.contains(&self.name)
    }

    fn push(&mut self, at: TextSize, stmt: Option<&'a Stmt>) {
        self.found.push(Binding { at, stmt });
    }
}

impl<'a> Visitor<'a> for BindingCollector<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::FunctionDef(f) => {
                if f.name.as_str() == self.name {
                    self.push(stmt.start(), None);
                }
            }
            Stmt::ClassDef(c) => {
                if c.name.as_str() == self.name {
                    self.push(stmt.start(), None);
                }
            }
            Stmt::Global(g) => self.declared |= g.names.iter().any(|n| n.as_str() == self.name),
            Stmt::Nonlocal(n) => self.declared |= n.names.iter().any(|n| n.as_str() == self.name),
            Stmt::Import(import) => {
                let bound = import.names.iter().any(|a| {
                    let full = a.asname.as_ref().unwrap_or(&a.name).as_str();
                    full.split('.').next() == Some(self.name)
                });
                if bound {
                    self.push(stmt.start(), None);
                }
            }
            Stmt::ImportFrom(import) => {
                if import.names.iter().any(|a| a.asname.as_ref().unwrap_or(&a.name).as_str() == self.name) {
                    self.push(stmt.start(), None);
                }
            }
            _ => {
                let binding = match stmt {
                    Stmt::Assign(a) => a.targets.iter().any(|t| self.binds(t)).then_some(Some(stmt)),
                    Stmt::AnnAssign(a) => (a.value.is_some() && self.binds(&a.target)).then_some(Some(stmt)),
                    Stmt::AugAssign(a) => self.binds(&a.target).then_some(None),
                    Stmt::For(f) => self.binds(&f.target).then_some(None),
                    Stmt::With(w) => w
                        .items
                        .iter()
                        .any(|i| i.optional_vars.as_deref().is_some_and(|v| self.binds(v)))
                        .then_some(None),
                    Stmt::Delete(d) => d.targets.iter().any(|t| self.binds(t)).then_some(None),
                    _ => None,
                };
                if let Some(binding) = binding {
                    self.push(stmt.start(), binding);
                }
                visitor::walk_stmt(self, stmt);
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
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {}
            Expr::Named(named) => {
                if self.binds(&named.target) {
                    self.push(expr.start(), None);
                }
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if h.name.as_ref().is_some_and(|n| n.as_str() == self.name) {
            self.push(h.start(), None);
        }
        visitor::walk_except_handler(self, handler);
    }
}

// ---- is the loop target read after the loop? -----------------------------------------------------

/// Is `name` read, after `after`, before being rebound? Bindings take effect where Python makes
/// them (after the assigned value, after the `for` iterable); reads inside nested functions and
/// lambdas count unless they shadow the name; comprehensions that bind it do not read it.
pub(super) fn read_after(body: &[Stmt], name: &str, after: TextSize) -> bool {
    let mut scan = UseScanner { name, events: Vec::new(), nested: 0, depth: 0 };
    scan.visit_body(body);
    scan.events.sort_by_key(|(at, _)| *at);
    scan.events.iter().find(|(at, _)| *at >= after).is_some_and(|(_, is_store)| !is_store)
}

struct UseScanner<'n> {
    name: &'n str,
    /// (offset, is_store)
    events: Vec<(TextSize, bool)>,
    /// Inside a nested scope: stores there are that scope's own.
    nested: usize,
    depth: usize,
}

impl UseScanner<'_> {
    fn store(&mut self, at: TextSize) {
        if self.nested == 0 {
            self.events.push((at, true));
        }
    }

    /// Visits an assignment target whose names are bound at `at`.
    fn visit_target(&mut self, target: &Expr, at: TextSize) {
        match target {
            Expr::Name(n) if n.id.as_str() == self.name => self.store(at),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.visit_target(e, at)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.visit_target(e, at)),
            Expr::Starred(s) => self.visit_target(&s.value, at),
            other => self.visit_expr(other),
        }
    }

    fn visit_nested(&mut self, body: &[Stmt]) {
        self.nested += 1;
        self.visit_body(body);
        self.nested -= 1;
    }
}

impl<'a> Visitor<'a> for UseScanner<'_> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::Assign(a) => {
                self.visit_expr(&a.value);
                a.targets.iter().for_each(|t| self.visit_target(t, stmt.end()));
            }
            Stmt::AnnAssign(a) => {
                if let Some(value) = &a.value {
                    self.visit_expr(value);
                    self.visit_target(&a.target, stmt.end());
                }
            }
            Stmt::For(f) => {
                self.visit_expr(&f.iter);
                self.visit_target(&f.target, f.iter.end());
                self.visit_body(&f.body);
                self.visit_body(&f.orelse);
            }
            Stmt::With(w) => {
                for item in &w.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        self.visit_target(vars, item.context_expr.end());
                    }
                }
                self.visit_body(&w.body);
            }
            Stmt::FunctionDef(f) => {
                f.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression));
                for p in f.parameters.iter() {
                    p.default().into_iter().chain(p.annotation()).for_each(|e| self.visit_expr(e));
                }
                if !is_local_to(&f.parameters, &f.body, self.name) {
                    self.visit_nested(&f.body);
                }
                if f.name.as_str() == self.name {
                    self.store(stmt.end());
                }
            }
            Stmt::ClassDef(c) => {
                c.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression));
                if let Some(arguments) = &c.arguments {
                    self.visit_arguments(arguments);
                }
                self.visit_nested(&c.body);
                if c.name.as_str() == self.name {
                    self.store(stmt.end());
                }
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                let mut collector = BindingCollector { name: self.name, found: Vec::new(), declared: false, depth: 0 };
                collector.visit_stmt(stmt);
                if !collector.found.is_empty() {
                    self.store(stmt.end());
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(n) if n.id.as_str() == self.name => match n.ctx {
                ExprContext::Load => self.events.push((n.start(), false)),
                _ => self.store(n.start()),
            },
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.visit_target(&named.target, expr.end());
            }
            Expr::Lambda(lambda) => {
                let shadowed = lambda.parameters.as_ref().is_some_and(|p| p.includes(self.name));
                if let Some(parameters) = &lambda.parameters {
                    parameters.iter().filter_map(|p| p.default()).for_each(|d| self.visit_expr(d));
                }
                if !shadowed {
                    self.nested += 1;
                    self.visit_expr(&lambda.body);
                    self.nested -= 1;
                }
            }
            Expr::ListComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.visit_comprehension_scope(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(key) => self.visit_comprehension_scope(&c.generators, &[key, &c.value]),
                None => self.visit_comprehension_scope(&c.generators, &[&c.value]),
            },
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(type_) = &h.type_ {
            self.visit_expr(type_);
        }
        if let Some(name) = h.name.as_ref().filter(|n| n.as_str() == self.name) {
            self.store(name.end());
        }
        self.visit_body(&h.body);
    }
}

impl UseScanner<'_> {
    fn visit_comprehension_scope<'a>(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        // The first iterable belongs to the enclosing scope; the rest reads the comprehension's
        // own variable when a generator binds the name.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        let mut names = Vec::new();
        generators.iter().for_each(|g| target_names(&g.target, &mut names));
        if names.contains(&self.name) {
            return;
        }
        self.nested += 1;
        for (i, generator) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&generator.iter);
            }
            generator.ifs.iter().for_each(|e| self.visit_expr(e));
        }
        elements.iter().for_each(|e| self.visit_expr(e));
        self.nested -= 1;
    }
}

/// Is `name` a parameter or a local of the function with these parameters and body?
fn is_local_to(parameters: &Parameters, body: &[Stmt], name: &str) -> bool {
    if parameters.includes(name) {
        return true;
    }
    let mut collector = BindingCollector { name, found: Vec::new(), declared: false, depth: 0 };
    collector.visit_body(body);
    !collector.declared && !collector.found.is_empty()
}

/// Does `expr` mention `name` at all (read or write)?
pub(super) fn mentions(expr: &Expr, name: &str) -> bool {
    let mut found = false;
    any_name(expr, &mut |n| found |= n.id.as_str() == name);
    found
}

fn any_name<'a>(expr: &'a Expr, f: &mut dyn FnMut(&'a ExprName)) {
    struct Names<'f, 'a> {
        f: &'f mut dyn FnMut(&'a ExprName),
        depth: usize,
    }
    impl<'a> Visitor<'a> for Names<'_, 'a> {
        fn visit_expr(&mut self, expr: &'a Expr) {
            if self.depth < MAX_DEPTH {
                self.depth += 1;
                if let Expr::Name(n) = expr {
                    (self.f)(n);
                }
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
    Names { f, depth: 0 }.visit_expr(expr);
}

/// Would moving `expr` into a comprehension change what it means or make it invalid?
/// (`yield`/`await` and walrus targets behave differently inside a comprehension scope.)
pub(super) fn unsafe_in_comprehension(expr: &Expr) -> bool {
    let mut unsafe_ = false;
    let mut walker = ExprWalker {
        f: &mut |e: &Expr| {
            unsafe_ |= matches!(e, Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) | Expr::Named(_))
        },
        depth: 0,
    };
    walker.visit_expr(expr);
    unsafe_
}

struct ExprWalker<'f> {
    f: &'f mut dyn FnMut(&Expr),
    depth: usize,
}

impl<'a> Visitor<'a> for ExprWalker<'_> {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth < MAX_DEPTH {
            self.depth += 1;
            (self.f)(expr);
            visitor::walk_expr(self, expr);
            self.depth -= 1;
        }
    }
}

// ---- the fix ---------------------------------------------------------------------------------------

fn fix(
    checker: &Checker,
    scope: &Scope,
    for_stmt: &StmtFor,
    append: &AppendLoop,
    merge_with: Option<&Stmt>,
) -> Option<Fix> {
    let source = &checker.source;
    // In a class body the comprehension could not see the class's names; comments in the loop
    // would be lost; a multi-line string would be re-flowed; an `else:` has nowhere to go.
    if scope.is_class
        || !for_stmt.orelse.is_empty()
        || source.has_comments(for_stmt.range())
        || source.has_multiline_string(for_stmt.range())
        || mentions(&for_stmt.iter, append.list.id.as_str())
        || unsafe_in_comprehension(append.elt)
        || append.cond.is_some_and(unsafe_in_comprehension)
        || unsafe_in_comprehension(&for_stmt.iter)
    {
        return None;
    }
    let generator = generator_text(checker, for_stmt, append);
    let name = append.list.id.as_str();
    match merge_with {
        Some(binding) => {
            let lhs = match binding {
                Stmt::AnnAssign(a) => format!("{}: {}", source.slice(&*a.target), source.slice(&*a.annotation)),
                _ => name.to_string(),
            };
            let edit = Edit::replace(TextRange::new(binding.start(), for_stmt.end()), format!("{lhs} = [{generator}]"));
            Fix::unsafe_("Replace the loop with a list comprehension", vec![edit])
        }
        None => {
            let edit = Edit::replace(for_stmt.range(), format!("{name}.extend({generator})"));
            Fix::unsafe_(format!("Replace the loop with `{name}.extend(...)`"), vec![edit])
        }
    }
}

/// `<elt> for <t> in <it> if <cond>`, parenthesising the parts a comprehension would parse
/// differently (`for x in a if c else b` would read the `if` as a filter).
fn generator_text(checker: &Checker, for_stmt: &StmtFor, append: &AppendLoop) -> String {
    let source = &checker.source;
    let elt = match append.elt {
        Expr::Generator(g) if !g.parenthesized => format!("({})", source.slice(append.elt)),
        other => source.slice(other).to_string(),
    };
    let target = source.slice(&*for_stmt.target);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let cond = append.cond.map(|c| format!(" if {}", wrap_if_needed(source.slice(c), c))).unwrap_or_default();
    format!("{elt} for {target} in {iter}{cond}")
}

pub(super) fn wrap_if_needed(text: &str, expr: &Expr) -> String {
    let needs = match expr {
        Expr::Tuple(t) => !t.parenthesized,
        Expr::If(_) | Expr::Lambda(_) | Expr::Named(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => true,
        _ => false,
    };
    if needs { format!("({text})") } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::rule::Rule::ManualListComprehension as R;

    #[test]
    fn flags_append_loops_with_and_without_condition() {
        assert_count("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out\n", R, 1);
        assert_count(
            "def f(xs):\n    out = list()\n    for x in xs:\n        if x:\n            out.append(x)\n    return out\n",
            R,
            1,
        );
        assert_count("out: list[int] = []\nfor a, b in pairs:\n    out.append(a + b)\n", R, 1);
        assert_count("def f(xs, out: list):\n    for x in xs:\n        out.append(x + 1)\n", R, 1);
        // A list bound in the enclosing scope.
        assert_count("out = []\ndef f(xs):\n    for x in xs:\n        out.append(x + 1)\n", R, 1);
    }

    #[test]
    fn anchors_on_the_append_call_and_names_the_list() {
        let src = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "out.append(x * 2)");
        let msg = message(src, R);
        assert!(msg.contains("`for x in xs`") && msg.contains("`out`") && msg.contains("comprehension"), "{msg}");
    }

    #[test]
    fn ignores_copies_async_loops_and_other_bodies() {
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n", R);
        assert_clean("async def f(xs):\n    out = []\n    async for x in xs:\n        out.append(x * 2)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(x)\n", R);
        assert_clean(
            "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            out.append(x)\n        else:\n            out.append(0)\n",
            R,
        );
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x, 1)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.add(x + 1)\n", R);
    }

    #[test]
    fn ignores_when_the_list_is_read_in_the_loop() {
        assert_clean("def f(xs):\n    out = [1]\n    for x in xs:\n        out.append(out[-1] * x)\n", R);
        assert_clean(
            "def f(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x + 1)\n",
            R,
        );
    }

    #[test]
    fn ignores_unknown_or_rebound_lists() {
        assert_clean("def f(xs, out):\n    for x in xs:\n        out.append(x + 1)\n", R);
        assert_clean("def f(xs):\n    out = make()\n    for x in xs:\n        out.append(x + 1)\n", R);
        // Two bindings before the loop: not the only binding (as PERF401).
        assert_clean(
            "def f(xs, c):\n    out = []\n    if c:\n        out = [0]\n    for x in xs:\n        out.append(x + 1)\n",
            R,
        );
        assert_clean("def f(xs):\n    global out\n    out = []\n    for x in xs:\n        out.append(x + 1)\n", R);
    }

    #[test]
    fn ignores_when_the_target_is_read_after_the_loop() {
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    return out, x\n", R);
        assert_clean("def f(xs):\n    out = []\n    for k, v in xs:\n        out.append(k)\n    print(v)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    g = lambda: x\n", R);
    }

    #[test]
    fn later_rebinding_or_shadowing_is_not_a_read() {
        let src = "def f(xs, ys):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    for x in ys:\n        print(x)\n    x = 3\n    return [x for x in out], lambda x: x\n";
        assert_count(src, R, 1);
        // `x = x + 1` reads the loop's `x` before rebinding it.
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    x = x + 1\n", R);
    }

    #[test]
    fn fix_builds_a_comprehension_when_the_empty_list_precedes() {
        let src = "def f(numbers):\n    result = []\n    for n in numbers:\n        if n % 2 == 0:\n            result.append(n * n)\n    return result\n";
        assert_eq!(
            fixed(src, R),
            "def f(numbers):\n    result = [n * n for n in numbers if n % 2 == 0]\n    return result\n"
        );
        let ann = "out: list[int] = list()\nfor a, b in pairs:\n    out.append(a + b)\n";
        assert_eq!(fixed(ann, R), "out: list[int] = [a + b for a, b in pairs]\n");
    }

    #[test]
    fn fix_extends_otherwise() {
        let src = "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x + 1)\n    return out\n";
        assert_eq!(fixed(src, R), "def f(xs):\n    out = [0]\n    out.extend(x + 1 for x in xs)\n    return out\n");
        let between = "def f(xs):\n    out = []\n    # fill it\n    for x in xs:\n        out.append(x + 1)\n";
        assert_eq!(fixed(between, R), "def f(xs):\n    out = []\n    # fill it\n    out.extend(x + 1 for x in xs)\n");
        let param = "def f(xs, out: list[int]):\r\n\tfor x in xs:\r\n\t\tout.append(x + 1)\r\n";
        assert_eq!(fixed(param, R), "def f(xs, out: list[int]):\r\n\tout.extend(x + 1 for x in xs)\r\n");
    }

    #[test]
    fn fix_parenthesises_where_the_comprehension_needs_it() {
        let src = "out = []\nfor x in 1, 2:\n    if (y := x):\n        out.append((z for z in y))\n";
        // A walrus in the condition would bind in a different scope: no fix.
        assert!(findings(src, R)[0].fix.is_none());
        let src = "out = []\nfor x in a if c else b:\n    if x if c else y:\n        out.append(x + 1)\n";
        assert_eq!(fixed(src, R), "out = [x + 1 for x in (a if c else b) if (x if c else y)]\n");
        let src = "out = []\nfor x in 1, 2:\n    out.append(g for g in x)\n";
        assert_eq!(fixed(src, R), "out = [(g for g in x) for x in (1, 2)]\n");
    }

    #[test]
    fn no_fix_with_comments_multiline_strings_else_or_in_class_bodies() {
        let no_fix = [
            "out = []\nfor x in xs:\n    # double\n    out.append(x * 2)\n",
            "out = []\nfor x in xs:\n    out.append(x + '''a\nb''')\n",
            "out = []\nfor x in xs:\n    out.append(x * 2)\nelse:\n    pass\n",
            "class A:\n    out = []\n    for x in xs:\n        out.append(x * 2)\n",
            "async def f(xs):\n    out = []\n    for x in xs:\n        out.append(await x)\n",
        ];
        for src in no_fix {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "out = []\nfor x in :\n    out.append(x+1)\n",
            "for in xs:\n    .append(x)\n",
            "out = []\nfor x in xs:\n    out.append(\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
