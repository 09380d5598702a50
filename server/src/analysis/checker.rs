//! The single walk over a module. It builds the semantic model as it goes (scopes, bindings,
//! references, nodes) and calls the rules by node kind; rules that need every read of a binding
//! run after the walk, from the deferred hooks, on the finished model.

use std::collections::VecDeque;

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{
    self as ast, ExceptHandler, Expr, ExprContext, ExprName, Parameters, Pattern, Stmt, StmtClassDef, StmtFunctionDef,
    TypeParam, TypeParams,
};
use ruff_text_size::{Ranged, TextRange};

use super::FunctionSpan;
use super::analyze;
use super::concepts::{self, ConceptAnchor};
use super::finding::Finding;
use super::refactors::{self, Refactor};
use super::rule::{Rule, RuleSet};
pub use super::semantic::NodeRef;
use super::semantic::{
    Binding, BindingFlags, BindingKind, BindingSource, Declaration, NodeId, QualifiedName, ScopeId, ScopeKind,
    SemanticModel, qualified,
};
use super::source::Source;

/// Nesting deeper than this is not walked (CPython itself refuses such code long before);
/// the parser accepts it, and the recursion below must stay bounded.
pub const MAX_DEPTH: usize = 2_000;

/// What encloses the node being checked, as far as rules care: computed from the node's
/// ancestors, so it is the same during the walk and in deferred checks.
#[derive(Clone, Copy, Debug)]
pub enum Frame<'a> {
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
    Lambda(&'a ast::ExprLambda),
    /// The body of a `for` or `while` (not its iterable, test or `else:`).
    Loop(&'a Stmt),
    /// Inside a comprehension (not its first iterable, which runs in the enclosing scope).
    Comprehension,
}

/// A refactor's second look at a node, once the model is complete.
pub(crate) type DeferredRefactor = fn(&mut Checker, NodeId);

/// A function body waiting to be walked once its enclosing scope is complete.
struct DeferredBody<'a> {
    node: NodeId,
    function: &'a StmtFunctionDef,
    /// The scope the body's scope nests in (a PEP 695 type scope, or the scope of the `def`).
    parent_scope: ScopeId,
}

pub struct Checker<'a> {
    pub source: Source<'a>,
    pub semantic: SemanticModel<'a>,
    enabled: RuleSet,
    findings: Vec<Finding>,
    pub(crate) concepts: Vec<ConceptAnchor>,
    pub(crate) refactors: Vec<Refactor>,
    bodies: VecDeque<DeferredBody<'a>>,
    /// Nodes rules asked to see again once the model is complete.
    deferred: Vec<(Rule, NodeId)>,
    /// Refactors that need what is inside their node (or every read of a binding): run after the
    /// walk, editor requests only.
    deferred_refactors: Vec<(NodeId, DeferredRefactor)>,
    depth: usize,
    pub(crate) truncated: bool,
    pub(crate) is_stub: bool,
    pub(crate) editor_data: bool,
}

impl<'a> Checker<'a> {
    pub fn new(source: Source<'a>, module: &'a [Stmt], options: &super::AnalysisOptions) -> Self {
        let source_len = source.text().len();
        Checker {
            source,
            semantic: SemanticModel::new(module, source_len),
            enabled: options.rules,
            editor_data: options.editor_data,
            findings: Vec::new(),
            concepts: Vec::new(),
            refactors: Vec::new(),
            bodies: VecDeque::new(),
            deferred: Vec::new(),
            deferred_refactors: Vec::new(),
            depth: 0,
            truncated: false,
            is_stub: options.is_stub,
        }
    }

    pub fn run(mut self) -> (Vec<Finding>, Vec<ConceptAnchor>, Vec<Refactor>, bool, Vec<FunctionSpan>) {
        self.walk();
        for (rule, node) in std::mem::take(&mut self.deferred) {
            self.move_to(node);
            analyze::deferred_node(&mut self, rule, node);
        }
        for (node, refactor) in std::mem::take(&mut self.deferred_refactors) {
            self.move_to(node);
            refactor(&mut self, node);
        }
        let scopes: Vec<ScopeId> = self.semantic.scopes().map(|(id, _)| id).collect();
        for scope in scopes {
            match self.semantic.scope(scope).node {
                Some(node) => self.move_to(node),
                None => self.semantic.set_position(None, ScopeId::MODULE),
            }
            analyze::deferred_scope(&mut self, scope);
        }
        self.semantic.set_position(None, ScopeId::MODULE);
        analyze::module_end(&mut self);
        // Every `def` has a function scope: editors get the spans without another walk.
        let functions = if self.editor_data {
            let defs = self.semantic.scopes().filter_map(|(_, scope)| match scope.kind {
                ScopeKind::Function(def) => Some(FunctionSpan { range: def.range(), name: def.name.range() }),
                _ => None,
            });
            defs.collect()
        } else {
            Vec::new()
        };
        (self.findings, self.concepts, self.refactors, self.truncated, functions)
    }

    /// The walk proper: the module, then each function body; the model is complete afterwards.
    fn walk(&mut self) {
        let module = self.semantic.module_body();
        self.visit_body(module);
        // Function bodies run after their enclosing scope is complete, as Python executes them,
        // so names bound later in the module (imports, defs) are visible inside.
        while let Some(body) = self.bodies.pop_front() {
            self.semantic.set_position(Some(body.node), body.parent_scope);
            self.semantic.push_scope(ScopeKind::Function(body.function));
            self.bind_parameters(&body.function.parameters, body.node);
            self.visit_body(&body.function.body);
        }
        self.semantic.finish();
        self.semantic.set_position(None, ScopeId::MODULE);
    }

    /// Builds the model of `text` (no rules) and hands it to `f`: for the model's own tests.
    #[cfg(test)]
    pub(crate) fn with_model<R>(text: &str, f: impl FnOnce(&SemanticModel) -> R) -> R {
        let parsed = ruff_python_parser::parse_unchecked_source(text, ruff_python_ast::PySourceType::Python);
        let source = Source::new(text, parsed.tokens());
        let options = super::AnalysisOptions { rules: RuleSet::empty(), is_stub: false, editor_data: false };
        let mut checker = Checker::new(source, parsed.suite(), &options);
        checker.walk();
        f(&checker.semantic)
    }

    /// Puts the checker where `node` is (its scope and ancestors), for deferred checks.
    fn move_to(&mut self, node: NodeId) {
        let scope = self.semantic.nodes.scope(node);
        self.semantic.set_position(Some(node), scope);
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

    /// Asks for `node` to be handed to `rule` again after the walk, when every binding's reads
    /// are known (see `analyze::deferred_node`).
    pub fn defer(&mut self, rule: Rule, node: NodeId) {
        self.deferred.push((rule, node));
    }

    /// Asks for `refactor` to see `node` again after the walk, standing at `node`.
    pub(crate) fn defer_refactor(&mut self, node: NodeId, refactor: DeferredRefactor) {
        self.deferred_refactors.push((node, refactor));
    }

    pub fn semantic(&self) -> &SemanticModel<'a> {
        &self.semantic
    }

    pub fn scope(&self) -> ScopeId {
        self.semantic.current_scope_id()
    }

    /// The node being checked.
    pub fn node_id(&self) -> Option<NodeId> {
        self.semantic.current_node_id()
    }

    /// What `expr` refers to in the current scope (see [`SemanticModel::resolve_qualified_name`]).
    pub fn resolve<'e>(&self, expr: &'e Expr) -> Option<QualifiedName<'e>>
    where
        'a: 'e,
    {
        self.semantic.resolve_qualified_name(expr)
    }

    /// Does `expr` resolve to the dotted name `qualified` (`"time.sleep"`, `"builtins.open"`)?
    pub fn resolves_to(&self, expr: &Expr, qualified: &str) -> bool {
        let candidates = std::slice::from_ref(&qualified);
        qualified::attribute_may_be(expr, candidates)
            && self.name_may_be(expr, candidates)
            && self.resolve(expr).is_some_and(|name| qualified::is(&name, qualified))
    }

    /// The first of `candidates` that `expr` resolves to.
    pub fn resolves_to_any<'c>(&self, expr: &Expr, candidates: &[&'c str]) -> Option<&'c str> {
        if !qualified::attribute_may_be(expr, candidates) || !self.name_may_be(expr, candidates) {
            return None;
        }
        self.resolve(expr).and_then(|name| qualified::which(&name, candidates))
    }

    /// Whether a bare name can resolve to one of `candidates`, judged from its binding alone: a
    /// name reaches a dotted name only through an import, or unbound as `builtins.<name>`. Most
    /// calls are to local functions and builtins no table lists; building their qualified names
    /// to compare them was most of what call rules cost.
    fn name_may_be(&self, expr: &Expr, candidates: &[&str]) -> bool {
        let Expr::Name(name) = expr else { return true };
        match self.semantic.resolve_name(name) {
            Some(binding) => self.semantic.binding(binding).is_import(),
            None => candidates.iter().any(|c| c.strip_prefix("builtins.") == Some(name.id.as_str())),
        }
    }

    /// The binding `name` has when read here.
    pub fn lookup(&self, name: &str) -> Option<&Binding<'a>> {
        self.semantic.lookup(self.scope(), name).map(|id| self.semantic.binding(id))
    }

    /// The binding a `Name` node reads.
    pub fn binding_of(&self, name: &ExprName) -> Option<&Binding<'a>> {
        self.semantic.resolve_name(name).map(|id| self.semantic.binding(id))
    }

    /// Enclosing frames, innermost first.
    pub fn frames(&self) -> impl Iterator<Item = Frame<'a>> + '_ {
        let model = &self.semantic;
        let (mut child, mut parent) = match self.node_id() {
            Some(node) => (model.node(node).range(), model.parent_id(node)),
            None => (TextRange::default(), None),
        };
        std::iter::from_fn(move || {
            loop {
                let current = parent?;
                let node = model.node(current);
                let frame = frame_between(node, child);
                child = node.range();
                parent = model.parent_id(current);
                if frame.is_some() {
                    return frame;
                }
            }
        })
    }

    /// The innermost `def` or `lambda` (comprehensions, loops and class bodies are looked through).
    /// Read off the scope chain, which is the same thing and cheaper than walking ancestors: a
    /// `def`'s decorators and defaults are walked in the enclosing scope.
    pub fn function_like(&self) -> Option<Frame<'a>> {
        self.semantic.scope_chain(self.scope()).find_map(|id| match self.semantic.scope(id).kind {
            ScopeKind::Function(f) => Some(Frame::Function(f)),
            ScopeKind::Lambda(l) => Some(Frame::Lambda(l)),
            _ => None,
        })
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
        match self.frames().next() {
            Some(Frame::Class(class)) => Some(class),
            _ => None,
        }
    }

    /// Ancestors of the node being checked, nearest first (the node itself excluded).
    pub fn ancestors(&self) -> impl Iterator<Item = NodeRef<'a>> + '_ {
        self.node_id().into_iter().flat_map(|id| self.semantic.ancestors(id))
    }

    pub fn parent_expr(&self) -> Option<&'a Expr> {
        self.ancestors().next().and_then(NodeRef::as_expr)
    }

    /// The statement that contains the node being checked (the node itself, if a statement).
    pub fn current_statement(&self) -> Option<&'a Stmt> {
        self.node_id().and_then(|id| self.semantic.statement(id))
    }

    pub fn module_body(&self) -> &'a [Stmt] {
        self.semantic.module_body()
    }

    /// The suite holding the statement being checked, and that statement's index in it.
    pub fn current_suite(&self) -> Option<(&'a [Stmt], usize)> {
        let stmt = self.semantic.statement_id(self.node_id()?)?;
        self.semantic.suite_of(stmt)
    }

    // ---- building the model ----------------------------------------------------------------

    fn bind_parameters(&mut self, parameters: &'a Parameters, source: NodeId) {
        for parameter in parameters.iter() {
            let p = parameter.as_parameter();
            let extra = BindingSource { source: Some(source), annotation: p.annotation(), ..Default::default() };
            self.semantic.bind(p.name.as_str(), p.name.range(), BindingKind::Parameter(p), extra);
        }
    }

    /// A `Name` in store context: what binds it is decided by the statement (or expression)
    /// around it, looking through unpacking targets.
    fn bind_store(&mut self, name: &'a ExprName, node: NodeId) {
        let mut flags = BindingFlags::empty();
        let mut child = node;
        let (kind, source, value, annotation) = loop {
            let Some(parent_id) = self.semantic.parent_id(child) else {
                break (BindingKind::Assignment, None, None, None);
            };
            let unpacked = flags.contains(BindingFlags::UNPACKED);
            let whole = |value: &'a Expr| (!unpacked).then_some(value);
            match self.semantic.node(parent_id) {
                NodeRef::Expr(Expr::Tuple(_) | Expr::List(_) | Expr::Starred(_)) => {
                    flags.insert(BindingFlags::UNPACKED);
                    child = parent_id;
                }
                NodeRef::Expr(Expr::Named(named)) => {
                    break (BindingKind::NamedExpr, Some(parent_id), whole(&named.value), None);
                }
                NodeRef::Expr(Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_)) => {
                    break (BindingKind::ComprehensionVar, Some(parent_id), None, None);
                }
                NodeRef::Stmt(stmt) => {
                    let source = Some(parent_id);
                    break match stmt {
                        Stmt::Assign(assign) => (BindingKind::Assignment, source, whole(&assign.value), None),
                        Stmt::AnnAssign(assign) => match &assign.value {
                            Some(value) => {
                                (BindingKind::AnnotatedAssignment, source, whole(value), Some(&*assign.annotation))
                            }
                            None => (BindingKind::Annotation, source, None, Some(&*assign.annotation)),
                        },
                        Stmt::AugAssign(_) => (BindingKind::AugmentedAssignment, source, None, None),
                        Stmt::For(_) => (BindingKind::LoopVar, source, None, None),
                        Stmt::With(with) => {
                            let item = with.items.iter().find(|i| {
                                i.optional_vars.as_deref().is_some_and(|v| v.range().contains_range(name.range))
                            });
                            (BindingKind::WithItemVar, source, item.and_then(|i| whole(&i.context_expr)), None)
                        }
                        Stmt::TypeAlias(alias) => (BindingKind::TypeAlias, source, whole(&alias.value), None),
                        _ => (BindingKind::Assignment, source, None, None),
                    };
                }
                NodeRef::Expr(_) => break (BindingKind::Assignment, Some(parent_id), None, None),
            }
        };
        if matches!(kind, BindingKind::AugmentedAssignment) {
            // `x += 1` reads `x` first.
            self.semantic.resolve_load(name, node);
        }
        let extra = BindingSource { source, node: Some(node), value, annotation, flags };
        self.semantic.bind(name.id.as_str(), name.range, kind, extra);
    }

    fn bind_imports(&mut self, stmt: &'a Stmt, node: NodeId) {
        const DOTS: &str = "................................";
        let source = BindingSource { source: Some(node), ..Default::default() };
        match stmt {
            Stmt::Import(import) => {
                for alias in &import.names {
                    let module = alias.name.as_str();
                    self.semantic.note_import(module);
                    let segments = || module.split('.');
                    match &alias.asname {
                        Some(asname) => {
                            let kind = BindingKind::Import(Box::new(segments().collect()));
                            self.semantic.bind(asname.as_str(), alias.range(), kind, source);
                        }
                        None => {
                            let first = module.split('.').next().unwrap_or(module);
                            let kind = if first.len() == module.len() {
                                BindingKind::Import(Box::new(segments().collect()))
                            } else {
                                BindingKind::SubmoduleImport(Box::new(segments().collect()))
                            };
                            self.semantic.bind(first, alias.range(), kind, source);
                        }
                    }
                }
            }
            Stmt::ImportFrom(import) => {
                if import.level == 0
                    && let Some(module) = &import.module
                {
                    self.semantic.note_import(module.as_str());
                }
                let level = (import.level as usize).min(DOTS.len());
                for alias in &import.names {
                    if alias.name.as_str() == "*" {
                        continue;
                    }
                    let bound = alias.asname.as_ref().unwrap_or(&alias.name).as_str();
                    let dots = (level > 0).then_some(&DOTS[..level]);
                    let module = import.module.as_ref().map(|m| m.as_str().split('.'));
                    let qualified: QualifiedName = dots
                        .into_iter()
                        .chain(module.into_iter().flatten())
                        .chain(std::iter::once(alias.name.as_str()))
                        .collect();
                    self.semantic.bind(bound, alias.range(), BindingKind::FromImport(Box::new(qualified)), source);
                }
            }
            _ => {}
        }
    }

    fn bind_type_params(&mut self, type_params: &'a TypeParams) {
        for type_param in &type_params.type_params {
            let (name, bound, default) = match type_param {
                TypeParam::TypeVar(t) => (&t.name, t.bound.as_deref(), t.default.as_deref()),
                TypeParam::TypeVarTuple(t) => (&t.name, None, t.default.as_deref()),
                TypeParam::ParamSpec(t) => (&t.name, None, t.default.as_deref()),
            };
            self.semantic.bind(name.as_str(), name.range(), BindingKind::TypeParam, BindingSource::default());
            for expr in bound.into_iter().chain(default) {
                self.visit_expr(expr);
            }
        }
    }

    fn bind_pattern_capture(&mut self, name: &'a ast::Identifier) {
        let source = BindingSource { source: self.node_id(), ..Default::default() };
        self.semantic.bind(name.as_str(), name.range(), BindingKind::MatchCapture, source);
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

    fn leave(&mut self) {
        self.semantic.pop_node();
        self.depth -= 1;
    }

    fn visit_comprehension_expr(&mut self, generators: &'a [ast::Comprehension], elements: &[&'a Expr]) {
        // The first iterable is evaluated in the enclosing scope; everything else in the
        // comprehension's own scope.
        if let Some(first) = generators.first() {
            self.visit_expr(&first.iter);
        }
        self.semantic.push_scope(ScopeKind::Comprehension);
        for (i, generator) in generators.iter().enumerate() {
            if i > 0 {
                self.visit_expr(&generator.iter);
            }
            self.visit_expr(&generator.target);
            for condition in &generator.ifs {
                self.visit_expr(condition);
            }
        }
        for element in elements {
            self.visit_expr(element);
        }
        self.semantic.pop_scope();
    }
}

/// The frame `parent` makes for its child at `child`, if the child is inside that frame's body.
fn frame_between(parent: NodeRef<'_>, child: TextRange) -> Option<Frame<'_>> {
    let inside = |body: &[Stmt]| match (body.first(), body.last()) {
        (Some(first), Some(last)) => first.start() <= child.start() && child.end() <= last.end(),
        _ => false,
    };
    match parent {
        NodeRef::Stmt(stmt) => match stmt {
            Stmt::FunctionDef(f) if inside(&f.body) => Some(Frame::Function(f)),
            Stmt::ClassDef(c) if inside(&c.body) => Some(Frame::Class(c)),
            Stmt::For(f) if inside(&f.body) => Some(Frame::Loop(stmt)),
            Stmt::While(w) if inside(&w.body) => Some(Frame::Loop(stmt)),
            _ => None,
        },
        NodeRef::Expr(expr) => {
            let first_iter = match expr {
                Expr::ListComp(c) => c.generators.first(),
                Expr::SetComp(c) => c.generators.first(),
                Expr::DictComp(c) => c.generators.first(),
                Expr::Generator(c) => c.generators.first(),
                Expr::Lambda(lambda) => {
                    return (lambda.body.range() == child).then_some(Frame::Lambda(lambda));
                }
                _ => return None,
            };
            match first_iter {
                Some(first) if first.iter.range() == child => None,
                _ => Some(Frame::Comprehension),
            }
        }
    }
}

impl<'a> Visitor<'a> for Checker<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if !self.enter() {
            return;
        }
        let node = self.semantic.push_node(NodeRef::Stmt(stmt));
        analyze::statement(self, stmt);
        if self.editor_data {
            concepts::stmt(self, stmt);
            refactors::statement(self, stmt);
        }

        match stmt {
            Stmt::FunctionDef(function) => {
                for decorator in &function.decorator_list {
                    self.visit_decorator(decorator);
                }
                for parameter in function.parameters.iter() {
                    if let Some(default) = parameter.default() {
                        self.visit_expr(default);
                    }
                }
                let outer = self.scope();
                if let Some(type_params) = &function.type_params {
                    self.semantic.push_scope(ScopeKind::Type);
                    self.bind_type_params(type_params);
                }
                let parent_scope = self.scope();
                for parameter in function.parameters.iter() {
                    if let Some(annotation) = parameter.annotation() {
                        self.visit_annotation(annotation);
                    }
                }
                if let Some(returns) = &function.returns {
                    self.visit_annotation(returns);
                }
                self.semantic.set_position(Some(node), outer);
                let extra = BindingSource { source: Some(node), ..Default::default() };
                self.semantic.bind(
                    function.name.as_str(),
                    function.name.range(),
                    BindingKind::FunctionDef(function),
                    extra,
                );
                self.bodies.push_back(DeferredBody { node, function, parent_scope });
            }
            Stmt::ClassDef(class) => {
                for decorator in &class.decorator_list {
                    self.visit_decorator(decorator);
                }
                let outer = self.scope();
                if let Some(type_params) = &class.type_params {
                    self.semantic.push_scope(ScopeKind::Type);
                    self.bind_type_params(type_params);
                }
                if let Some(arguments) = &class.arguments {
                    self.visit_arguments(arguments);
                }
                self.semantic.push_scope(ScopeKind::Class(class));
                self.visit_body(&class.body);
                self.semantic.set_position(Some(node), outer);
                let extra = BindingSource { source: Some(node), ..Default::default() };
                self.semantic.bind(class.name.as_str(), class.name.range(), BindingKind::ClassDef(class), extra);
            }
            Stmt::Import(_) | Stmt::ImportFrom(_) => self.bind_imports(stmt, node),
            Stmt::Global(global) => {
                for name in &global.names {
                    self.semantic.declare(name.as_str(), Declaration::Global);
                }
            }
            Stmt::Nonlocal(nonlocal) => {
                for name in &nonlocal.names {
                    self.semantic.declare(name.as_str(), Declaration::Nonlocal);
                }
            }
            Stmt::TypeAlias(alias) => {
                let outer = self.scope();
                if let Some(type_params) = &alias.type_params {
                    self.semantic.push_scope(ScopeKind::Type);
                    self.bind_type_params(type_params);
                }
                self.visit_expr(&alias.value);
                self.semantic.set_position(Some(node), outer);
                self.visit_expr(&alias.name);
            }
            _ => visitor::walk_stmt(self, stmt),
        }

        self.leave();
    }

    fn visit_except_handler(&mut self, handler: &'a ExceptHandler) {
        analyze::except_handler(self, handler);
        let ExceptHandler::ExceptHandler(h) = handler;
        if let Some(type_) = &h.type_ {
            self.visit_expr(type_);
        }
        let bound = h.name.as_ref().map(|name| {
            let extra =
                BindingSource { source: self.node_id(), flags: BindingFlags::IN_EXCEPT_HANDLER, ..Default::default() };
            self.semantic.bind(name.as_str(), name.range(), BindingKind::ExceptHandler, extra)
        });
        self.visit_body(&h.body);
        if let Some(bound) = bound {
            self.semantic.unbind_handler_name(bound);
        }
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        visitor::walk_pattern(self, pattern);
        match pattern {
            Pattern::MatchAs(p) => p.name.iter().for_each(|n| self.bind_pattern_capture(n)),
            Pattern::MatchStar(p) => p.name.iter().for_each(|n| self.bind_pattern_capture(n)),
            Pattern::MatchMapping(p) => p.rest.iter().for_each(|n| self.bind_pattern_capture(n)),
            _ => {}
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if !self.enter() {
            return;
        }
        let node = self.semantic.push_node(NodeRef::Expr(expr));

        match expr {
            Expr::Name(name) => match name.ctx {
                ExprContext::Load => {
                    self.semantic.resolve_load(name, node);
                }
                ExprContext::Store => self.bind_store(name, node),
                ExprContext::Del => {
                    self.semantic.resolve_load(name, node);
                    let extra = BindingSource { source: self.semantic.statement_id(node), ..Default::default() };
                    self.semantic.bind(name.id.as_str(), name.range, BindingKind::Deletion, extra);
                }
                ExprContext::Invalid => {}
            },
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    for parameter in parameters.iter() {
                        if let Some(default) = parameter.default() {
                            self.visit_expr(default);
                        }
                    }
                }
                self.semantic.push_scope(ScopeKind::Lambda(lambda));
                if let Some(parameters) = &lambda.parameters {
                    self.bind_parameters(parameters, node);
                }
                self.visit_expr(&lambda.body);
                self.semantic.pop_scope();
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
                self.visit_expr(&named.target);
            }
            _ => visitor::walk_expr(self, expr),
        }

        // After the subexpressions: their names are resolved by now, so rules asking what a
        // callee or operand refers to read the recorded binding instead of searching scopes.
        analyze::expression(self, expr);
        if self.editor_data {
            concepts::expr(self, expr);
            refactors::expression(self, expr);
        }
        self.leave();
    }
}
