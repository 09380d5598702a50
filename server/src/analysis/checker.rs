//! The single walk over a module. It keeps the context rules need (scopes, imports, the enclosing
//! function, class and loop, the chain of parent nodes) and calls the rules by node kind.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{self as ast, ExceptHandler, Expr, ExprLambda, Parameters, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::concepts::{self, ConceptAnchor};
use super::finding::Finding;
use super::refactors::Refactor;
use super::rule::{Rule, RuleSet};
use super::rules;
use super::semantic::{Binding, ScopeId, ScopeKind, Semantic};
use super::source::Source;

/// Nesting deeper than this is not walked (CPython itself refuses such code long before);
/// the parser accepts it, and the recursion below must stay bounded.
pub const MAX_DEPTH: usize = 2_000;

#[derive(Clone, Copy, Debug)]
pub enum Frame<'a> {
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
    Lambda(&'a ExprLambda),
    Loop(&'a Stmt),
    Comprehension,
}

#[derive(Clone, Copy, Debug)]
pub enum NodeRef<'a> {
    Stmt(&'a Stmt),
    Expr(&'a Expr),
}

impl Ranged for NodeRef<'_> {
    fn range(&self) -> TextRange {
        match self {
            NodeRef::Stmt(s) => s.range(),
            NodeRef::Expr(e) => e.range(),
        }
    }
}

struct Deferred<'a> {
    stmt: &'a Stmt,
    function: &'a StmtFunctionDef,
    scope: ScopeId,
    frames: Vec<Frame<'a>>,
}

pub struct Checker<'a> {
    pub source: Source<'a>,
    pub semantic: Semantic<'a>,
    scope: ScopeId,
    frames: Vec<Frame<'a>>,
    parents: Vec<NodeRef<'a>>,
    enabled: RuleSet,
    findings: Vec<Finding>,
    pub(crate) concepts: Vec<ConceptAnchor>,
    deferred: Vec<Deferred<'a>>,
    depth: usize,
    pub(crate) truncated: bool,
    pub(crate) is_stub: bool,
    pub(crate) editor_data: bool,
    module: &'a [Stmt],
    suites: Vec<&'a [Stmt]>,
    pub(crate) refactors: Vec<Refactor>,
    /// Module-level state some rules gather during the walk and report at the end.
    pub(crate) getter_setter: rules::getter_setter_methods::State<'a>,
}

impl<'a> Checker<'a> {
    pub fn new(source: Source<'a>, options: &super::AnalysisOptions) -> Self {
        Checker {
            source,
            semantic: Semantic::new(),
            scope: Semantic::MODULE,
            frames: Vec::new(),
            parents: Vec::new(),
            enabled: options.rules,
            editor_data: options.editor_data,
            findings: Vec::new(),
            concepts: Vec::new(),
            deferred: Vec::new(),
            depth: 0,
            truncated: false,
            is_stub: options.is_stub,
            module: &[],
            suites: Vec::new(),
            refactors: Vec::new(),
            getter_setter: Default::default(),
        }
    }

    pub fn run(mut self, body: &'a [Stmt]) -> (Vec<Finding>, Vec<ConceptAnchor>, Vec<Refactor>, bool) {
        self.module = body;
        self.visit_body(body);
        // Function bodies run after their enclosing scope is complete, as Python executes them,
        // so names bound later in the module (imports, defs) are visible inside.
        while let Some(deferred) = self.deferred.pop() {
            let saved_frames = std::mem::replace(&mut self.frames, deferred.frames);
            let saved_parents = std::mem::take(&mut self.parents);
            let function = deferred.function;
            self.scope = self.semantic.push_scope(ScopeKind::Function { is_async: function.is_async }, deferred.scope);
            self.bind_parameters(&function.parameters);
            self.parents.push(NodeRef::Stmt(deferred.stmt));
            self.visit_body(&function.body);
            self.frames = saved_frames;
            self.parents = saved_parents;
        }
        rules::finish(&mut self);
        (self.findings, self.concepts, self.refactors, self.truncated)
    }

    // ---- what rules ask -------------------------------------------------------------------

    pub fn enabled(&self, rule: Rule) -> bool {
        self.enabled.contains(rule)
    }

    pub fn any_enabled(&self, rules: &[Rule]) -> bool {
        self.enabled.any(rules)
    }

    pub fn report(&mut self, finding: Finding) {
        if self.enabled.contains(finding.rule) {
            self.findings.push(finding);
        }
    }

    pub fn scope(&self) -> ScopeId {
        self.scope
    }

    /// The dotted name `expr` refers to in the current scope (see [`Semantic::resolve`]).
    pub fn resolve(&self, expr: &Expr) -> Option<String> {
        self.semantic.resolve(self.scope, expr)
    }

    pub fn resolves_to(&self, expr: &Expr, qualified: &str) -> bool {
        self.resolve(expr).as_deref() == Some(qualified)
    }

    pub fn lookup(&self, name: &str) -> Option<&Binding<'a>> {
        self.semantic.lookup(self.scope, name)
    }

    /// Innermost enclosing frames, innermost first.
    pub fn frames(&self) -> impl Iterator<Item = &Frame<'a>> {
        self.frames.iter().rev()
    }

    /// The innermost `def` or `lambda` (comprehensions and loops are looked through).
    pub fn function_like(&self) -> Option<Frame<'a>> {
        self.frames().copied().find(|f| matches!(f, Frame::Function(_) | Frame::Lambda(_)))
    }

    pub fn enclosing_function(&self) -> Option<&'a StmtFunctionDef> {
        match self.function_like() {
            Some(Frame::Function(f)) => Some(f),
            _ => None,
        }
    }

    /// Inside `async def`, and not inside a sync `def` or `lambda` nested in it.
    pub fn in_async_function(&self) -> bool {
        matches!(self.function_like(), Some(Frame::Function(f)) if f.is_async)
    }

    /// The class whose body directly holds the innermost function (i.e. the function is a method).
    pub fn class_of_enclosing_method(&self) -> Option<&'a StmtClassDef> {
        let mut frames = self.frames();
        match (frames.next(), frames.next()) {
            (Some(Frame::Function(_)), Some(Frame::Class(class))) => Some(class),
            _ => None,
        }
    }

    /// The class whose body is being visited directly.
    pub fn current_class(&self) -> Option<&'a StmtClassDef> {
        match self.frames.last() {
            Some(Frame::Class(class)) => Some(class),
            _ => None,
        }
    }

    /// Ancestors of the node being checked, nearest first (the node itself excluded).
    pub fn ancestors(&self) -> impl Iterator<Item = NodeRef<'a>> + '_ {
        self.parents.iter().rev().skip(1).copied()
    }

    pub fn parent_expr(&self) -> Option<&'a Expr> {
        match self.ancestors().next() {
            Some(NodeRef::Expr(expr)) => Some(expr),
            _ => None,
        }
    }

    /// The statement that contains the node being checked.
    pub fn current_statement(&self) -> Option<&'a Stmt> {
        self.parents.iter().rev().find_map(|node| match node {
            NodeRef::Stmt(stmt) => Some(*stmt),
            NodeRef::Expr(_) => None,
        })
    }

    pub fn module_body(&self) -> &'a [Stmt] {
        self.module
    }

    /// The suite holding the statement being checked, and that statement's index in it.
    pub fn current_suite(&self) -> Option<(&'a [Stmt], usize)> {
        let stmt = self.current_statement()?;
        let suite = *self.suites.iter().rev().find(|suite| {
            suite.first().is_some_and(|f| f.start() <= stmt.start())
                && suite.last().is_some_and(|l| stmt.end() <= l.end())
        })?;
        let index = suite.iter().position(|s| std::ptr::eq(s, stmt))?;
        Some((suite, index))
    }

    // ---- walking ---------------------------------------------------------------------------

    fn bind_parameters(&mut self, parameters: &'a Parameters) {
        for parameter in parameters.iter() {
            let p = parameter.as_parameter();
            self.semantic.bind(self.scope, p.name.as_str(), Binding::Parameter(p.annotation()));
        }
    }

    fn bind_target(&mut self, target: &'a Expr, value: Option<&'a Expr>) {
        match target {
            Expr::Name(name) => self.semantic.bind(self.scope, name.id.as_str(), Binding::Assignment(value)),
            Expr::Tuple(t) => t.elts.iter().for_each(|e| self.bind_target(e, None)),
            Expr::List(l) => l.elts.iter().for_each(|e| self.bind_target(e, None)),
            Expr::Starred(s) => self.bind_target(&s.value, None),
            _ => {}
        }
    }

    fn bind_imports(&mut self, stmt: &'a Stmt) {
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    match &alias.asname {
                        Some(asname) => {
                            self.semantic.bind(self.scope, asname.as_str(), Binding::Import(module.to_string()))
                        }
                        None => {
                            let first = module.split('.').next().unwrap_or(module);
                            // `import os.path` binds `os`; slicing the identifier keeps the 'a lifetime.
                            let name = &alias.name.as_str()[..first.len()];
                            self.semantic.bind(self.scope, name, Binding::Import(first.to_string()));
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                let module = import.module.as_ref().map_or("", |m| m.as_str());
                let prefix = ".".repeat(import.level as usize);
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let qualified = if module.is_empty() {
                        format!("{prefix}{}", alias.name.as_str())
                    } else {
                        format!("{prefix}{module}.{}", alias.name.as_str())
                    };
                    self.semantic.bind(self.scope, bound, Binding::FromImport(qualified));
                }
            }
            _ => {}
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.truncated = true;
            self.depth -= 1;
            return false;
        }
        true
    }

    fn visit_comprehension_expr(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        // The first iterable is evaluated in the enclosing scope; everything else in the
        // comprehension's own scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        let saved = self.scope;
        self.scope = self.semantic.push_scope(ScopeKind::Comprehension, saved);
        self.frames.push(Frame::Comprehension);
        for (i, generator) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&generator.iter);
            }
            self.bind_target(&generator.target, None);
            self.visit_expr(&generator.target);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.frames.pop();
        self.scope = saved;
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_body(&mut self, body: &'a [Stmt]) {
        rules::suite(self, body);
        self.suites.push(body);
        for stmt in body {
            self.visit_stmt(stmt);
        }
        self.suites.pop();
    }

    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.enter() {
            return;
        }
        self.parents.push(NodeRef::Stmt(stmt));
        rules::stmt(self, stmt);
        if self.editor_data {
            concepts::stmt(self, stmt);
        }

        match stmt {
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &function.type_params {
                    self.visit_type_params(type_params);
                }
                for parameter in function.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                    if let Some(annotation) = parameter.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.semantic.bind(self.scope, function.name.as_str(), Binding::Function(function));
                let mut frames = self.frames.clone();
                frames.push(Frame::Function(function));
                self.deferred.push(Deferred { stmt, function, scope: self.scope, frames });
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                if let Some(type_params) = &class.type_params {
                    self.visit_type_params(type_params);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                let saved = self.scope;
                self.scope = self.semantic.push_scope(ScopeKind::Class, saved);
                self.frames.push(Frame::Class(class));
                self.visit_body(&class.body);
                self.frames.pop();
                self.scope = saved;
                self.semantic.bind(self.scope, class.name.as_str(), Binding::Class(class));
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.bind_imports(stmt),
            Stmt::Assign(assign) => {
                self.visit_expr(&assign.value);
                let value = (assign.targets.len() == 1).then_some(&*assign.value);
                for target in &assign.targets {
                    self.bind_target(target, value);
                    self.visit_expr(target);
                }
            }
            Stmt::AnnAssign(assign) => {
                if let Some(value) = &assign.value {
                    self.visit_expr(value);
                }
                self.visit_annotation(&assign.annotation);
                self.bind_target(&assign.target, assign.value.as_deref());
                self.visit_expr(&assign.target);
            }
            Stmt::For(for_stmt) => {
                self.visit_expr(&for_stmt.iter);
                self.bind_target(&for_stmt.target, None);
                self.frames.push(Frame::Loop(stmt));
                self.visit_expr(&for_stmt.target);
                self.visit_body(&for_stmt.body);
                self.frames.pop();
                self.visit_body(&for_stmt.orelse);
            }
            Stmt::While(while_stmt) => {
                self.visit_expr(&while_stmt.test);
                self.frames.push(Frame::Loop(stmt));
                self.visit_body(&while_stmt.body);
                self.frames.pop();
                self.visit_body(&while_stmt.orelse);
            }
            Stmt::With(with) => {
                for item in &with.items {
                    self.visit_expr(&item.context_expr);
                    if let Some(vars) = &item.optional_vars {
                        self.bind_target(vars, Some(&item.context_expr));
                        self.visit_expr(vars);
                    }
                }
                self.visit_body(&with.body);
            }
            Stmt::Global(global) => {
                for name in &global.names {
                    self.semantic.bind(self.scope, name.as_str(), Binding::Global);
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.semantic.bind(self.scope, name.as_str(), Binding::Other);
                }
            }
            _ => visitor::walk_stmt(self, stmt),
        }

        self.parents.pop();
        self.depth -= 1;
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        rules::except_handler(self, handler);
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(name) = &h.name {
            self.semantic.bind(self.scope, name.as_str(), Binding::Other);
        }
        visitor::walk_except_handler(self, handler);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.enter() {
            return;
        }
        self.parents.push(NodeRef::Expr(expr));
        rules::expr(self, expr);
        if self.editor_data {
            concepts::expr(self, expr);
        }

        match expr {
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                let saved = self.scope;
                self.scope = self.semantic.push_scope(ScopeKind::Lambda, saved);
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters);
                }
                self.frames.push(Frame::Lambda(lambda));
                self.visit_expr(&lambda.body);
                self.frames.pop();
                self.scope = saved;
            }
            Expr::ListComp(c) => self.visit_comprehension_expr(&c.generators, &[&c.elt]),
            Expr::SetComp(c) => self.visit_comprehension_expr(&c.generators, &[&c.elt]),
            Expr::Generator(c) => self.visit_comprehension_expr(&c.generators, &[&c.elt]),
            Expr::DictComp(c) => match &c.key {
                Some(key) => self.visit_comprehension_expr(&c.generators, &[key, &c.value]),
                None => self.visit_comprehension_expr(&c.generators, &[&c.value]),
            },
            Expr::Named(named) => {
                self.visit_expr(&named.value);
                self.bind_target(&named.target, Some(&named.value));
                self.visit_expr(&named.target);
            }
            _ => visitor::walk_expr(self, expr),
        }

        self.parents.pop();
        self.depth -= 1;
    }
}
