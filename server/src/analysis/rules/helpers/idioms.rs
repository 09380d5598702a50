//! What the idiom rules of catalogue wave 1 share (`dict-keys-membership`, `zip-pairwise`,
//! `extend-with-string`, `unnecessary-comprehension`, `map-filter-lambda`, ...): whether a
//! receiver is known to be a real `dict` or `list` (so a rewrite keeps behaviour), and how a
//! rewrite drops a method call without touching the receiver's parentheses.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprName};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::Checker;
use crate::analysis::finding::Edit;
use crate::analysis::semantic::binding::BindingKind;
use crate::analysis::semantic::scope::ScopeKind;
use crate::analysis::semantic::types::SimpleType;

/// Dict subclasses that keep `keys()`, `in` and iteration as `dict` has them.
const DICT_SUBCLASSES: &[&str] = &["collections.OrderedDict", "collections.defaultdict", "collections.Counter"];

/// Is `expr` known, from its form or the bindings of its name, to be a `dict` (or one of the
/// stdlib subclasses that keep its `keys()`, `in` and iteration)?
pub(crate) fn is_known_dict(checker: &Checker, expr: &Expr) -> bool {
    let model = checker.semantic();
    if model.type_of_expr(expr) == Some(SimpleType::Dict) {
        return true;
    }
    match expr {
        Expr::Call(call) => checker.resolves_to_any(&call.func, DICT_SUBCLASSES).is_some(),
        Expr::Name(name) => {
            is_kwargs_parameter(checker, name)
                || name_bound_by(
                    checker,
                    name,
                    &|e| matches!(e, Expr::Call(call) if checker.resolves_to_any(&call.func, DICT_SUBCLASSES).is_some()),
                )
        }
        _ => false,
    }
}

/// Is `name` the `**kwargs` parameter of its function, never rebound there? Python always
/// passes a fresh `dict`.
fn is_kwargs_parameter(checker: &Checker, name: &ExprName) -> bool {
    let model = checker.semantic();
    let Some(id) = model.resolve_name(name) else { return false };
    let binding = model.binding(id);
    let BindingKind::Parameter(parameter) = binding.kind else { return false };
    let ScopeKind::Function(function) = model.scope(binding.scope).kind else { return false };
    function.parameters.kwarg.as_deref().is_some_and(|k| std::ptr::eq(k, parameter))
        && model.bindings_of(binding.scope, binding.name).all(|b| b == id)
}

/// Is `expr` known to be a `list` (display, comprehension, `list(...)`, a name every binding of
/// which in its scope is one, or a `list[...]` annotation)?
pub(crate) fn is_known_list(checker: &Checker, expr: &Expr) -> bool {
    checker.semantic().type_of_expr(expr) == Some(SimpleType::List)
}

/// Is every binding of `name` in its scope an assignment whose value passes `test`?
fn name_bound_by(checker: &Checker, name: &ExprName, test: &dyn Fn(&Expr) -> bool) -> bool {
    let model = checker.semantic();
    let Some(binding) = model.resolve_name(name) else { return false };
    let scope = model.binding(binding).scope;
    let mut all = model.bindings_of(scope, name.id.as_str()).peekable();
    all.peek().is_some()
        && all.take(8).all(|b| {
            let b = model.binding(b);
            matches!(b.kind, BindingKind::Assignment | BindingKind::NamedExpr)
                && !b.is_unpacked()
                && b.value.is_some_and(test)
        })
}

/// The edit that drops `.attr(...)` from the call `value.attr(...)` ending at `call_end`, keeping
/// the receiver's own parentheses (`(a or b).keys()` becomes `(a or b)`). A `.keys()` alone on
/// its line goes with its line break, so no blank line is left; `d.keys()and x` keeps a space.
pub(crate) fn drop_method_call(checker: &Checker, value: &Expr, call_end: TextSize) -> Option<Edit> {
    let source = &checker.source;
    let dot = source.tokens_in(TextRange::new(value.end(), call_end)).iter().find(|t| t.kind() == TokenKind::Dot)?;
    let before = source.token_before(dot.start())?;
    let gap = &source.text()[before.end().to_usize()..dot.start().to_usize()];
    let start = if gap.contains(['\n', '\r']) && !source.has_comments(TextRange::new(before.end(), dot.start())) {
        before.end()
    } else {
        dot.start()
    };
    let text = source.text();
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let glued = word(text[..start.to_usize()].chars().next_back()) && word(text[call_end.to_usize()..].chars().next());
    let range = TextRange::new(start, call_end);
    Some(if glued { Edit::replace(range, " ") } else { Edit::delete(range) })
}

/// Is `expr` the first parameter of a method (`self`), read there or in a function nested in
/// it? Its class may define its own `keys()`, `__contains__` or `__iter__`.
pub(crate) fn is_self(checker: &Checker, expr: &Expr) -> bool {
    let Expr::Name(name) = expr else { return false };
    let model = checker.semantic();
    let Some(binding) = model.resolve_name(name) else { return false };
    let binding = model.binding(binding);
    let BindingKind::Parameter(parameter) = binding.kind else { return false };
    let scope = model.scope(binding.scope);
    let ScopeKind::Function(function) = scope.kind else { return false };
    let first = function.parameters.posonlyargs.iter().chain(&function.parameters.args).next();
    first.is_some_and(|p| std::ptr::eq(&p.parameter, parameter))
        && scope.parent.is_some_and(|parent| model.scope(parent).kind.is_class())
}

/// Is the code inside a function named like a test of one of `subjects` (`test_genexps`,
/// `test_builtin_filter`, `testMap`)? There the construct is what is being tested, not a
/// shape to rewrite.
pub(crate) fn in_test_of(checker: &Checker, subjects: &[&str]) -> bool {
    let model = checker.semantic();
    model.scope_chain(checker.scope()).any(|id| match model.scope(id).kind {
        ScopeKind::Function(f) => {
            let name = f.name.as_str().to_ascii_lowercase();
            name.contains("test") && subjects.iter().any(|w| name.contains(w))
        }
        _ => false,
    })
}
