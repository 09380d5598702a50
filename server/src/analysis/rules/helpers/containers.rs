//! What the data-structure complexity rules share (`list-membership-in-loop`, `list-as-queue`,
//! `nested-loop-lookup`...): where a local list comes from and how big the code says it is, which
//! loop repeats an expression, and whether that loop grows or changes the list. Every fact comes
//! from the semantic model; a performance claim must rest on what the code shows.

use ruff_python_ast::{Expr, ExprName, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, NodeRef, ScopeKind, SemanticModel, SimpleType, Use};

/// Literals this short make an O(n) step cost no more than a few comparisons.
pub(crate) const SMALL_LITERAL: usize = 8;

/// How many bindings of one name are compared before giving up (the walk must stay linear).
const MAX_BINDINGS: usize = 8;

/// Where a list a name holds comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ListOrigin {
    /// `[a, b, c]`: the code fixes its length.
    Literal(usize),
    /// `[]` or `list()`: empty, it holds what the code later adds.
    Empty,
    /// A comprehension or `list(<iterable>)`: as long as the data it is built from.
    Built,
}

/// A name bound, in the scope it is read from, to a list the code makes there: the binding that
/// the read resolves to, and where its list comes from. `None` for parameters, attributes, lists
/// of other scopes and names some binding of which may hold something else.
pub(crate) fn local_list(checker: &Checker, name: &ExprName) -> Option<(BindingId, ListOrigin)> {
    let model = checker.semantic();
    let binding = model.resolve_name(name)?;
    let b = model.binding(binding);
    if !matches!(b.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment) || b.is_unpacked() {
        return None;
    }
    // Every binding of the name in its scope must make a list, or the read may see something else;
    // `x += ...` keeps a list a list (or raises).
    let mut others = model.bindings_of(b.scope, b.name);
    let all_lists = others.by_ref().take(MAX_BINDINGS).all(|other| {
        matches!(model.binding(other).kind, BindingKind::AugmentedAssignment)
            || model.type_of_binding(other) == Some(SimpleType::List)
    });
    if !all_lists || others.next().is_some() {
        return None;
    }
    Some((binding, list_origin(checker, b.value?)?))
}

/// What a list-making expression says about the list's length.
pub(crate) fn list_origin(checker: &Checker, value: &Expr) -> Option<ListOrigin> {
    match value {
        Expr::List(list) if list.elts.is_empty() => Some(ListOrigin::Empty),
        Expr::List(list) if list.elts.iter().any(Expr::is_starred_expr) => Some(ListOrigin::Built),
        Expr::List(list) => Some(ListOrigin::Literal(list.elts.len())),
        Expr::ListComp(_) => Some(ListOrigin::Built),
        Expr::Call(call) if checker.resolves_to(&call.func, "builtins.list") => {
            match (call.arguments.args.first(), call.arguments.len()) {
                (None, 0) => Some(ListOrigin::Empty),
                (Some(arg), 1) => Some(match literal_len(arg) {
                    Some(n) => ListOrigin::Literal(n),
                    None => ListOrigin::Built,
                }),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The number of items of a list, tuple or set display without starred items.
pub(crate) fn literal_len(expr: &Expr) -> Option<usize> {
    let elts = match expr {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        Expr::Set(s) => &s.elts,
        _ => return None,
    };
    (!elts.iter().any(Expr::is_starred_expr)).then_some(elts.len())
}

/// A construct that runs one of its parts many times.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Repeat<'a> {
    /// A `for` or `while` statement.
    Loop(NodeId, &'a Stmt),
    /// A comprehension or generator expression (its elements and filters repeat).
    Comprehension(&'a Expr),
}

impl<'a> Repeat<'a> {
    pub(crate) fn range(self) -> TextRange {
        match self {
            Repeat::Loop(_, stmt) => stmt.range(),
            Repeat::Comprehension(expr) => expr.range(),
        }
    }

    /// The iterable of a `for` or of a comprehension's first clause.
    pub(crate) fn iterable(self) -> Option<&'a Expr> {
        match self {
            Repeat::Loop(_, Stmt::For(f)) => Some(&f.iter),
            Repeat::Comprehension(expr) => first_iterable(expr),
            Repeat::Loop(..) => None,
        }
    }

    /// `for` / `while` / `comprehension`, for messages.
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Repeat::Loop(_, Stmt::While(_)) => "`while` loop",
            Repeat::Loop(..) => "`for` loop",
            Repeat::Comprehension(..) => "comprehension",
        }
    }
}

fn first_iterable(expr: &Expr) -> Option<&Expr> {
    let generators = match expr {
        Expr::ListComp(c) => &c.generators,
        Expr::SetComp(c) => &c.generators,
        Expr::DictComp(c) => &c.generators,
        Expr::Generator(c) => &c.generators,
        _ => return None,
    };
    generators.first().map(|g| &g.iter)
}

/// The innermost construct around node `id` that runs it repeatedly and lies entirely after
/// `before` (the statement that made the data `id` works on), within the same function: a `for`
/// body, a `while` test or body, a comprehension's elements and later clauses. `None` when a
/// `def`, `lambda` or `class` comes first (their code runs at another time) or nothing repeats.
pub(crate) fn repeating_after<'a>(model: &SemanticModel<'a>, id: NodeId, before: TextRange) -> Option<Repeat<'a>> {
    let mut child = model.node(id).range();
    for ancestor in model.ancestor_ids(id) {
        let node = model.node(ancestor);
        let repeat = match node {
            NodeRef::Stmt(Stmt::FunctionDef(_) | Stmt::ClassDef(_)) => return None,
            NodeRef::Stmt(stmt @ Stmt::For(f)) => (!f.iter.range().contains_range(child)
                && !f.target.range().contains_range(child))
            .then_some(Repeat::Loop(ancestor, stmt)),
            NodeRef::Stmt(stmt @ Stmt::While(_)) => Some(Repeat::Loop(ancestor, stmt)),
            NodeRef::Expr(Expr::Lambda(_)) => return None,
            NodeRef::Expr(expr @ (Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_))) => {
                // The first iterable is evaluated once, in the enclosing scope.
                (!first_iterable(expr).is_some_and(|i| i.range().contains_range(child)))
                    .then_some(Repeat::Comprehension(expr))
            }
            _ => None,
        };
        if let Some(repeat) = repeat {
            // `else:` of a loop runs once.
            let in_else = match repeat {
                Repeat::Loop(_, Stmt::For(f)) => f.orelse.iter().any(|s| s.range().contains_range(child)),
                Repeat::Loop(_, Stmt::While(w)) => w.orelse.iter().any(|s| s.range().contains_range(child)),
                _ => false,
            };
            if !in_else {
                return (repeat.range().start() >= before.end()).then_some(repeat);
            }
        }
        child = node.range();
    }
    None
}

/// A `for` over a literal of at most [`SMALL_LITERAL`] items or over `range(<number>)` with a
/// small bound: the code itself keeps the number of passes small.
pub(crate) fn runs_few_times(checker: &Checker, repeat: Repeat) -> bool {
    let Some(iter) = repeat.iterable() else { return false };
    if literal_len(iter).is_some_and(|n| n <= SMALL_LITERAL) {
        return true;
    }
    match iter {
        Expr::Call(call) if checker.resolves_to(&call.func, "builtins.range") && call.arguments.keywords.is_empty() => {
            match call.arguments.args.as_ref() {
                [stop] => small_int(stop),
                [start, stop] => small_int(start) && small_int(stop),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Does the loop run over data whose size the code does not bound and that is not a small
/// collection by convention? `false` for an attribute (`self.fields`, `cls.__bases__`: usually an
/// object's few parts), a `*args` parameter (what a caller wrote out) and literals.
pub(crate) fn iterates_data(checker: &Checker, repeat: Repeat) -> bool {
    repeat.iterable().is_none_or(|iter| is_data(checker, iter))
}

/// Is `iter` data whose size the code does not bound (see [`iterates_data`])?
pub(crate) fn is_data(checker: &Checker, iter: &Expr) -> bool {
    match iter {
        Expr::Attribute(_) => false,
        _ if literal_len(iter).is_some() => false,
        // `enumerate(self.fields)` runs as often as `self.fields`.
        Expr::Call(call)
            if call.arguments.len() == 1
                && checker.resolves_to_any(&call.func, &["builtins.enumerate", "builtins.reversed"]).is_some() =>
        {
            call.arguments.args.first().is_none_or(|arg| is_data(checker, arg))
        }
        Expr::Name(name) => {
            let model = checker.semantic();
            let Some(binding) = model.resolve_name(name) else { return true };
            let b = model.binding(binding);
            let Some(parameter) = b.parameter() else { return true };
            // The function that owns the parameter, which may enclose the loop's function.
            let ScopeKind::Function(function) = model.scope(b.scope).kind else { return true };
            !function.parameters.vararg.as_deref().is_some_and(|vararg| std::ptr::eq(vararg, parameter))
        }
        _ => true,
    }
}

fn small_int(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(n) => n.value.as_int().and_then(|i| i.as_u64()).is_some_and(|i| i <= SMALL_LITERAL as u64),
        _ => false,
    }
}

/// What the code inside a range does to a list a name holds.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Change {
    /// Nothing: reads only.
    None,
    /// Adds items (`append`, `extend`, `insert`, `+=`): the first such read.
    Grows { method: &'static str, at: TextRange },
    /// Rebinds the name, or changes the list otherwise (removes, sorts, stores items...).
    Other,
}

/// How the code in `range` changes the list `name` holds in `binding`'s scope. A read by a nested
/// function, or the list handed to other code, counts as [`Change::Other`]: what that code does is
/// not known here.
pub(crate) fn change_in(model: &SemanticModel, binding: BindingId, range: TextRange) -> Change {
    let b = model.binding(binding);
    let mut grows = None;
    for other in model.bindings_of(b.scope, b.name) {
        let bound = model.binding(other);
        // `x += ...` in the range is seen as a growing read below.
        if range.contains_range(bound.range) && !matches!(bound.kind, BindingKind::AugmentedAssignment) {
            return Change::Other;
        }
        for reference in model.references(other).filter(|r| range.contains_range(r.range)) {
            if model.is_captured(reference, other) {
                return Change::Other;
            }
            match model.use_of(reference) {
                Use::MethodCall { method, .. } => match method {
                    "append" | "extend" | "insert" => {
                        let method = match method {
                            "append" => "append",
                            "extend" => "extend",
                            _ => "insert",
                        };
                        grows.get_or_insert(Change::Grows { method, at: reference.range });
                    }
                    m if crate::analysis::semantic::uses::is_mutating_method(m) => return Change::Other,
                    _ => {}
                },
                Use::AugmentedAssignment => {
                    grows.get_or_insert(Change::Grows { method: "+=", at: reference.range });
                }
                Use::SubscriptStore | Use::AttributeStore(_) | Use::Deleted => return Change::Other,
                Use::Argument { call } if !model.is_read_only_call(call) => return Change::Other,
                Use::Stored { .. } => return Change::Other,
                _ => {}
            }
        }
    }
    grows.unwrap_or(Change::None)
}

/// Is the scope `id` belongs to the same function (or module, or class body) as `binding`, with at
/// most comprehensions between them?
pub(crate) fn same_frame(model: &SemanticModel, id: NodeId, binding: BindingId) -> bool {
    let owner = model.binding(binding).scope;
    for scope in model.scope_chain(model.nodes.scope(id)) {
        if scope == owner {
            return true;
        }
        if !matches!(model.scope(scope).kind, ScopeKind::Comprehension) {
            return false;
        }
    }
    false
}
