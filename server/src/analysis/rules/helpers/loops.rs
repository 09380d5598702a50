//! What the loop-idiom rules share (`manual-list-comprehension`, `string-concat-in-loop`,
//! `range-len-loop`, `yield-from-delegation`): loop targets and their bindings, whether a loop
//! variable's value is still needed once the loop is rewritten, what a comprehension may not
//! contain, and how rewrites quote and name things. Every fact comes from the semantic model.

use std::collections::HashSet;

use ruff_python_ast::{Expr, ExprName, Stmt};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::semantic::{BindingId, NodeId, NodeRef, ScopeId, SemanticModel};

/// Only names (possibly unpacked, starred) can be a comprehension target without side effects.
pub(crate) fn is_names_target(target: &Expr) -> bool {
    match target {
        Expr::Name(name) => !name.id.is_empty(),
        Expr::Tuple(t) => t.elts.iter().all(is_names_target),
        Expr::List(l) => l.elts.iter().all(is_names_target),
        Expr::Starred(s) => is_names_target(&s.value),
        _ => false,
    }
}

/// The names a target binds (`a, (b, *c)` gives `a`, `b`, `c`); a target is a few nodes deep.
pub(crate) fn target_names<'a>(target: &'a Expr, out: &mut Vec<&'a ExprName>) {
    match target {
        Expr::Name(name) => out.push(name),
        Expr::Tuple(t) => t.elts.iter().for_each(|e| target_names(e, out)),
        Expr::List(l) => l.elts.iter().for_each(|e| target_names(e, out)),
        Expr::Starred(s) => target_names(&s.value, out),
        _ => {}
    }
}

/// The bindings a loop target made (once the walk has visited it). `None` if any name of the
/// target has none (a target the walk did not reach).
pub(crate) fn target_bindings(model: &SemanticModel, target: &Expr) -> Option<Vec<BindingId>> {
    let mut names = Vec::new();
    target_names(target, &mut names);
    names.iter().map(|name| model.nodes.id_of_name(name).and_then(|id| model.nodes.binding(id))).collect()
}

/// The loops around statement `id` in its own scope, innermost first (a `def`, `class` or
/// lambda ends the search: a loop outside it does not repeat this code in the same frame).
pub(crate) fn enclosing_loops<'a>(model: &SemanticModel<'a>, id: NodeId) -> Vec<(NodeId, &'a Stmt)> {
    let scope = model.nodes.scope(id);
    model
        .ancestor_ids(id)
        .take_while(|a| model.nodes.scope(*a) == scope)
        .filter_map(|a| match model.node(a) {
            NodeRef::Stmt(stmt @ (Stmt::For(_) | Stmt::While(_))) => Some((a, stmt)),
            _ => None,
        })
        .collect()
}

/// Would the loop `loop_id` lose something if its target stopped being bound there? The value of
/// a target binding is read after the loop or by a nested function (which may run at any time);
/// or, when the loop sits in another loop, the outer loop reads the name before this loop on its
/// next pass, before anything else binds it (the model resolves such a read to what was bound
/// before the outer loop, or to nothing). Returns the first such read.
pub(crate) fn target_read_outside(
    model: &SemanticModel,
    loop_id: NodeId,
    loop_stmt: &Stmt,
    bindings: &[BindingId],
) -> Option<TextRange> {
    let range = loop_stmt.range();
    for &binding in bindings {
        for reference in model.references(binding) {
            let outside = !range.contains_range(reference.range);
            if outside && (reference.start() >= range.end() || model.is_captured(reference, binding)) {
                return Some(reference.range);
            }
        }
    }
    let (outer, outer_stmt) = *enclosing_loops(model, loop_id).last()?;
    let scope = model.nodes.scope(loop_id);
    let reads_previous_pass = |load: &ExprName| match model.resolve_name(load) {
        None => true,
        Some(seen) => {
            let seen = model.binding(seen);
            if seen.scope == scope {
                seen.start() < outer_stmt.start()
            } else {
                // Resolved past this scope: the local was not bound yet at that point of the walk.
                model.scope_chain(scope).skip(1).any(|s| s == seen.scope)
            }
        }
    };
    // What runs on every pass: a `for`'s body (its iterable is evaluated once), a `while`'s test
    // and body.
    let repeated = match outer_stmt {
        Stmt::For(f) => TextRange::new(f.body.first()?.start(), f.body.last()?.end()),
        Stmt::While(w) => TextRange::new(w.test.start(), w.body.last()?.end()),
        _ => return None,
    };
    bindings.iter().find_map(|&binding| {
        let name = model.binding(binding).name;
        model
            .name_loads_in(outer, name)
            .map(|(_, load)| load)
            .find(|load| {
                repeated.contains_range(load.range) && load.start() < range.start() && reads_previous_pass(load)
            })
            .map(|load| load.range)
    })
}

/// Does a reference of `binding` fall inside `range`?
pub(crate) fn is_read_in(model: &SemanticModel, binding: BindingId, range: TextRange) -> bool {
    model.references(binding).any(|r| range.contains_range(r.range))
}

/// Would moving `expr` into a comprehension change what it means or make it invalid? `yield`,
/// `await` and walrus targets behave differently inside a comprehension's scope.
pub(crate) fn unsafe_in_comprehension(model: &SemanticModel, expr: &Expr) -> bool {
    let is_unsafe = |node: NodeRef| {
        matches!(node, NodeRef::Expr(Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Await(_) | Expr::Named(_)))
    };
    let Some(id) = model.expr_id(expr) else { return true };
    is_unsafe(model.node(id)) || model.descendants(id).any(|n| is_unsafe(model.node(n)))
}

/// Parenthesises an expression a comprehension clause would parse differently
/// (`for x in a if c else b` would read the `if` as a filter).
pub(crate) fn wrap_if_needed(text: &str, expr: &Expr) -> String {
    let needs = match expr {
        Expr::Tuple(t) => !t.parenthesized,
        Expr::If(_) | Expr::Lambda(_) | Expr::Named(_) | Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => true,
        _ => false,
    };
    if needs { format!("({text})") } else { text.to_string() }
}

/// `for <target> in <iter>` as a message quotes it, long or multi-line parts shortened to `...`.
pub(crate) fn loop_header(checker: &Checker, target: &Expr, iter: &Expr) -> String {
    format!("for {} in {}", short(checker, target), short(checker, iter))
}

/// An expression's text for a message: itself when short and on one line, else `...`.
pub(crate) fn short<'a>(checker: &Checker<'a>, expr: &Expr) -> &'a str {
    let text = checker.source.slice(expr);
    if text.len() > 40 || text.contains(['\n', '\r']) { "..." } else { text }
}

/// Every name a new variable in `scope` could collide with: names bound or read in the scope or
/// in any scope nested in it, and names bound in the scopes around it.
pub(crate) fn taken_names<'a>(model: &SemanticModel<'a>, scope: ScopeId) -> HashSet<&'a str> {
    let inside = |s: ScopeId| model.scope_chain(s).any(|c| c == scope);
    let mut names: HashSet<&'a str> =
        model.bindings().filter(|(_, b)| inside(b.scope) || inside(b.bound_in)).map(|(_, b)| b.name).collect();
    for (id, node) in model.nodes.iter() {
        if let NodeRef::Expr(Expr::Name(name)) = node
            && inside(model.nodes.scope(id))
        {
            names.insert(name.id.as_str());
        }
    }
    for outer in model.scope_chain(scope).skip(1) {
        names.extend(model.scope(outer).bindings().map(|(name, _)| name));
    }
    names
}
