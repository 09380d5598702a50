//! `manual-list-comprehension` (peer: Ruff PERF401). A `for` loop whose whole body is
//! `res.append(<expr>)` (optionally under one `if`) builds a list the long way: a comprehension
//! states the same in one expression, with its own scope for the loop variable, and runs faster.
//!
//! Like PERF401: the list must be bound once in the scope to a list (`[]`, `list()`, a list
//! display or comprehension, a `list` annotation), the loop target must not be read after the loop,
//! and neither the appended value nor the condition may read the list. Unlike PERF401, unpacking
//! targets (`for k, v in items`) are flagged too. Deliberately not flagged: `async for` (no async
//! comprehension is generated) and `for x in y: res.append(x)`, a plain copy. Anchored, as Ruff
//! does, on the `append` call.

use std::collections::{HashMap, HashSet};

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, ExceptHandler, Expr, ExprCall, ExprContext, ExprName, Parameters, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {
    // Built on the first candidate loop, then shared by the suite's other loops.
    let mut scope_index = None;
    for (index, stmt) in body.iter().enumerate() {
        let Stmt::For(for_stmt) = stmt else { continue };
        if let Some(append) = match_append_loop(for_stmt) {
            let scope = scope_of(checker);
            let scope_index = scope_index.get_or_insert_with(|| ScopeIndex::new(scope.body));
            check_loop(checker, &scope, scope_index, body, index, for_stmt, &append);
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
    if mentions(elt, list_name) || cond.is_some_and(|c| mentions(c, list_name)) || mentions(&for_stmt.target, list_name)
    {
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

#[allow(clippy::too_many_arguments)]
fn check_loop<'a>(
    checker: &mut Checker<'a>,
    scope: &Scope<'a>,
    scope_index: &ScopeIndex<'a>,
    suite: &'a [Stmt],
    index: usize,
    for_stmt: &'a StmtFor,
    append: &AppendLoop<'a>,
) {
    let name = append.list.id.as_str();
    let Some(origin) = list_origin(checker, scope, scope_index, name, for_stmt.start()) else { return };
    let mut names = Vec::new();
    target_names(&for_stmt.target, &mut names);
    if names.iter().any(|n| scope_index.read_after(n, for_stmt.end())) {
        return;
    }
    let header = loop_header(checker, for_stmt);
    let as_comprehension = comprehension_binding(checker, suite, index, for_stmt, &origin);
    let message = if as_comprehension.is_some() {
        format!("`{header}` only appends to `{name}`: build `{name}` with a list comprehension")
    } else {
        format!("`{header}` only appends to `{name}`: use `{name}.extend(...)` with a generator expression")
    };
    let fix = fix(checker, scope, for_stmt, append, as_comprehension);
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
    let owner = checker.frames().find(|f| matches!(f, Frame::Function(_) | Frame::Class(_)));
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
fn list_origin<'a>(
    checker: &Checker<'a>,
    scope: &Scope<'a>,
    index: &ScopeIndex<'a>,
    name: &str,
    before: TextSize,
) -> Option<Origin<'a>> {
    if index.declared.contains(name) {
        return None;
    }
    let all = index.bindings.get(name).map_or(&[][..], Vec::as_slice);
    let parameter = scope.parameters.and_then(|p| p.iter().find(|p| p.name().as_str() == name));
    let earlier: Vec<&Binding> = all.iter().filter(|b| b.at < before).collect();
    match (parameter, earlier.as_slice()) {
        (Some(p), []) => p.annotation().filter(|a| is_list_annotation(checker, a)).map(|_| Origin::Elsewhere),
        (None, [binding]) => binding.stmt.filter(|s| is_list_binding(checker, s, name)).map(Origin::Local),
        (None, []) if all.is_empty() && scope.parameters.is_some() => {
            let binding = checker.lookup(name)?;
            match (binding.value, binding.parameter(), binding.annotation) {
                (Some(value), _, _) => is_list_value(checker, value).then_some(Origin::Elsewhere),
                (None, Some(_), Some(annotation)) => {
                    is_list_annotation(checker, annotation).then_some(Origin::Elsewhere)
                }
                _ => None,
            }
        }
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
    checker.resolves_to_any(base, &["builtins.list", "typing.List", "typing_extensions.List"]).is_some()
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

// ---- one pass over the scope: bindings and uses of every name -----------------------------------

/// What a scope's statements do with each name, gathered in one walk so that a suite with many
/// loops costs one pass over the scope, not one per loop.
pub(super) struct ScopeIndex<'a> {
    /// Bindings in the scope's own statements (nested scopes not entered), in source order.
    bindings: HashMap<&'a str, Vec<Binding<'a>>>,
    /// Names declared `global` or `nonlocal`: not the scope's own.
    declared: HashSet<&'a str>,
    /// Reads (`false`) and bindings (`true`) of each name, sorted by where they take effect.
    events: HashMap<&'a str, Vec<(TextSize, bool)>>,
}

impl<'a> ScopeIndex<'a> {
    pub(super) fn new(body: &'a [Stmt]) -> Self {
        let mut bindings = BindingCollector::default();
        bindings.visit_body(body);
        let mut scanner = EventScanner::default();
        scanner.visit_body(body);
        let mut events = scanner.events;
        events.values_mut().for_each(|e| e.sort_by_key(|(at, _)| *at));
        ScopeIndex { bindings: bindings.found, declared: bindings.declared, events }
    }

    /// Is `name` read after `after` before being rebound? Bindings take effect where Python makes
    /// them (after the assigned value, after the `for` iterable); reads in nested functions and
    /// lambdas count unless they bind the name themselves.
    pub(super) fn read_after(&self, name: &str, after: TextSize) -> bool {
        self.events.get(name).is_some_and(|events| {
            let first = events.partition_point(|(at, _)| *at < after);
            events.get(first).is_some_and(|(_, is_store)| !is_store)
        })
    }
}

struct Binding<'a> {
    at: TextSize,
    /// The assignment statement, when the binding is one (others are never "a list").
    stmt: Option<&'a Stmt>,
}

/// Bindings of every name in one scope's own statements.
#[derive(Default)]
struct BindingCollector<'a> {
    found: HashMap<&'a str, Vec<Binding<'a>>>,
    declared: HashSet<&'a str>,
    depth: usize,
}

impl<'a> BindingCollector<'a> {
    fn push(&mut self, name: &'a str, at: TextSize, stmt: Option<&'a Stmt>) {
        self.found.entry(name).or_default().push(Binding { at, stmt });
    }

    fn push_target(&mut self, target: &'a Expr, at: TextSize, stmt: Option<&'a Stmt>) {
        let mut names = Vec::new();
        target_names(target, &mut names);
        names.into_iter().for_each(|n| self.push(n, at, stmt));
    }

    /// The names a function binds locally: its parameters and its own bindings.
    fn locals_of(parameters: &'a Parameters, body: &'a [Stmt]) -> HashSet<&'a str> {
        let mut collector = BindingCollector::default();
        collector.visit_body(body);
        let mut locals: HashSet<&str> =
            collector.found.into_keys().filter(|n| !collector.declared.contains(n)).collect();
        locals.extend(parameters.iter().map(|p| p.name().as_str()));
        locals
    }
}

fn import_bindings(stmt: &Stmt) -> Vec<&str> {
    match stmt {
        Stmt::Import(import) => import
            .names
            .iter()
            .map(|a| match &a.asname {
                Some(asname) => asname.as_str(),
                None => a.name.as_str().split('.').next().unwrap_or_default(),
            })
            .collect(),
        Stmt::ImportFrom(import) => {
            import.names.iter().map(|a| a.asname.as_ref().unwrap_or(&a.name).as_str()).filter(|n| *n != "*").collect()
        }
        _ => Vec::new(),
    }
}

impl<'a> Visitor<'a> for BindingCollector<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        match stmt {
            Stmt::FunctionDef(f) => self.push(f.name.as_str(), stmt.start(), None),
            Stmt::ClassDef(c) => self.push(c.name.as_str(), stmt.start(), None),
            Stmt::Global(g) => self.declared.extend(g.names.iter().map(|n| n.as_str())),
            Stmt::Nonlocal(n) => self.declared.extend(n.names.iter().map(|n| n.as_str())),
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                import_bindings(stmt).into_iter().for_each(|n| self.push(n, stmt.start(), None));
            }
            _ => {
                match stmt {
                    Stmt::Assign(a) => a.targets.iter().for_each(|t| self.push_target(t, stmt.start(), Some(stmt))),
                    Stmt::AnnAssign(a) if a.value.is_some() => self.push_target(&a.target, stmt.start(), Some(stmt)),
                    Stmt::AugAssign(a) => self.push_target(&a.target, stmt.start(), None),
                    Stmt::For(f) => self.push_target(&f.target, stmt.start(), None),
                    Stmt::With(w) => {
                        for vars in w.items.iter().filter_map(|i| i.optional_vars.as_deref()) {
                            self.push_target(vars, stmt.start(), None);
                        }
                    }
                    Stmt::Delete(d) => d.targets.iter().for_each(|t| self.push_target(t, stmt.start(), None)),
                    _ => {}
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
                self.push_target(&named.target, expr.start(), None);
                visitor::walk_expr(self, expr);
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(name) = &h.name {
            self.push(name.as_str(), h.start(), None);
        }
        visitor::walk_except_handler(self, handler);
    }
}

/// Reads and bindings of every name, with nested functions, lambdas and comprehensions that bind
/// a name hiding their uses of it.
#[derive(Default)]
struct EventScanner<'a> {
    events: HashMap<&'a str, Vec<(TextSize, bool)>>,
    /// Names bound by the nested scopes being walked.
    shadow: Vec<HashSet<&'a str>>,
    /// Inside a nested scope: its bindings are its own.
    nested: usize,
    depth: usize,
}

impl<'a> EventScanner<'a> {
    fn load(&mut self, name: &'a str, at: TextSize) {
        if !self.shadow.iter().any(|s| s.contains(name)) {
            self.events.entry(name).or_default().push((at, false));
        }
    }

    fn store(&mut self, name: &'a str, at: TextSize) {
        if self.nested == 0 {
            self.events.entry(name).or_default().push((at, true));
        }
    }

    /// Visits an assignment target whose names are bound at `at`.
    fn visit_target(&mut self, target: &'a Expr, at: TextSize) {
        match target {
            Expr::Name(n) => self.store(n.id.as_str(), at),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.visit_target(e, at)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.visit_target(e, at)),
            Expr::Starred(s) => self.visit_target(&s.value, at),
            other => self.visit_expr(other),
        }
    }

    fn in_scope(&mut self, bound: HashSet<&'a str>, walk: impl FnOnce(&mut Self)) {
        self.shadow.push(bound);
        self.nested += 1;
        walk(self);
        self.nested -= 1;
        self.shadow.pop();
    }

    fn visit_comprehension_scope(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        // The first iterable is evaluated in the enclosing scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        let mut names = Vec::new();
        generators.iter().for_each(|g| target_names(&g.target, &mut names));
        self.in_scope(names.into_iter().collect(), |s| {
            for (i, generator) in generators.iter().enumerate() {
                if i > 0 {
                    s.visit_expr(&generator.iter);
                }
                generator.ifs.iter().for_each(|e| s.visit_expr(e));
            }
            elements.iter().for_each(|e| s.visit_expr(e));
        });
    }
}

impl<'a> Visitor<'a> for EventScanner<'a> {
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
            Stmt::AugAssign(a) => {
                self.visit_expr(&a.value);
                match &*a.target {
                    // `x += 1` reads `x` before binding it again.
                    Expr::Name(n) => {
                        self.load(n.id.as_str(), n.start());
                        self.store(n.id.as_str(), stmt.end());
                    }
                    other => self.visit_expr(other),
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
                if let Some(returns) = &f.returns {
                    self.visit_expr(returns);
                }
                let locals = BindingCollector::locals_of(&f.parameters, &f.body);
                self.in_scope(locals, |s| s.visit_body(&f.body));
                self.store(f.name.as_str(), stmt.end());
            }
            Stmt::ClassDef(c) => {
                c.decorator_list.iter().for_each(|d| self.visit_expr(&d.expression));
                if let Some(arguments) = &c.arguments {
                    self.visit_arguments(arguments);
                }
                self.in_scope(HashSet::new(), |s| s.visit_body(&c.body));
                self.store(c.name.as_str(), stmt.end());
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => {
                import_bindings(stmt).into_iter().for_each(|n| self.store(n, stmt.end()));
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
            Expr::Name(n) => match n.ctx {
                ExprContext::Load => self.load(n.id.as_str(), n.start()),
                _ => self.store(n.id.as_str(), n.start()),
            },
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.visit_target(&named.target, expr.end());
            }
            Expr::Lambda(lambda) => {
                let mut parameters = HashSet::new();
                if let Some(p) = &lambda.parameters {
                    p.iter().filter_map(|p| p.default()).for_each(|d| self.visit_expr(d));
                    parameters.extend(p.iter().map(|p| p.name().as_str()));
                }
                self.in_scope(parameters, |s| s.visit_expr(&lambda.body));
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
        if let Some(name) = &h.name {
            self.store(name.as_str(), name.end());
        }
        self.visit_body(&h.body);
    }
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
        assert_clean("def f(xs):\n    out = []\n    for out in xs:\n        out.append(1)\n", R);
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
