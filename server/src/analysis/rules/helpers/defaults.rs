//! What `mutable-default-argument` and `call-in-default-argument` share: which defaults are
//! mutable, which annotations promise no mutation, which functions are exempt, how the message
//! names the default, and the `None`-sentinel fix.

use ruff_python_ast::{Expr, Parameter, Parameters, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;

const MUTABLE_CONSTRUCTORS: &[&str] = &[
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.bytearray",
    "collections.deque",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
];

/// A display, comprehension or constructor call that makes a new mutable object.
pub(crate) fn is_mutable_value(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::DictComp(_) | Expr::SetComp(_) => true,
        Expr::Call(call) => checker.resolves_to_any(&call.func, MUTABLE_CONSTRUCTORS).is_some(),
        _ => false,
    }
}

/// Annotations that promise the value is not mutated (`Sequence[int]`, `tuple`, `frozenset`...),
/// as Ruff's B006/B008 accept them.
pub(crate) fn is_immutable_annotation(checker: &Checker, annotation: &Expr) -> bool {
    match annotation {
        Expr::Subscript(sub) => {
            let base = checker.resolve(&sub.value);
            match base.as_ref().map(|q| q.segments()) {
                Some(["typing" | "typing_extensions", "Optional"]) => is_immutable_annotation(checker, &sub.slice),
                Some(["typing", "Union"]) => match &*sub.slice {
                    Expr::Tuple(t) => t.elts.iter().all(|e| is_none(e) || is_immutable_annotation(checker, e)),
                    other => is_immutable_annotation(checker, other),
                },
                Some(segments) => is_immutable_type_name(segments),
                None => false,
            }
        }
        Expr::BinOp(binop) if binop.op.is_bit_or() => {
            (is_none(&binop.left) || is_immutable_annotation(checker, &binop.left))
                && (is_none(&binop.right) || is_immutable_annotation(checker, &binop.right))
        }
        other => checker.resolve(other).is_some_and(|name| is_immutable_type_name(name.segments())),
    }
}

pub(crate) fn is_none(expr: &Expr) -> bool {
    expr.is_none_literal_expr()
}

fn is_immutable_type_name(segments: &[&str]) -> bool {
    let Some((short, module)) = segments.split_last() else { return false };
    match module {
        ["builtins"] => {
            matches!(*short, "tuple" | "frozenset" | "int" | "str" | "bytes" | "float" | "bool" | "complex" | "range")
        }
        ["typing"] | ["typing_extensions"] | ["collections", "abc"] => matches!(
            *short,
            "Sequence"
                | "Mapping"
                | "AbstractSet"
                | "Collection"
                | "Iterable"
                | "Container"
                | "Tuple"
                | "FrozenSet"
                | "Hashable"
                | "Sized"
                | "Reversible"
        ),
        _ => false,
    }
}

/// Defaults in `.pyi` stubs and `@overload` signatures are documentation, not values.
pub(crate) fn is_exempt(checker: &Checker, function: Option<&StmtFunctionDef>) -> bool {
    checker.is_stub
        || function.is_some_and(|function| {
            function.decorator_list.iter().any(|d| {
                checker.resolves_to_any(&d.expression, &["typing.overload", "typing_extensions.overload"]).is_some()
            })
        })
}

/// Each parameter with a default, except those annotated with a read-only type.
pub(crate) fn checked_defaults<'a>(
    checker: &Checker<'a>,
    parameters: &'a Parameters,
) -> Vec<(&'a Parameter, &'a Expr)> {
    parameters
        .iter()
        .filter_map(|parameter| {
            let default = parameter.default()?;
            let p = parameter.as_parameter();
            (!p.annotation().is_some_and(|a| is_immutable_annotation(checker, a))).then_some((p, default))
        })
        .collect()
}

/// "`bucket=[]`" (or "`bucket=...`" for long defaults) and "`def add`" / "the `lambda`".
pub(crate) fn shown_default(
    checker: &Checker,
    parameter: &Parameter,
    default: &Expr,
    function: Option<&StmtFunctionDef>,
) -> (String, String) {
    let value = checker.source.slice(default);
    let shown = if value.len() > 40 || value.contains('\n') { "..." } else { value };
    let owner = function.map_or_else(|| "the `lambda`".to_string(), |f| format!("`def {}`", f.name.as_str()));
    (format!("`{}={shown}`", parameter.name.as_str()), owner)
}

/// Replace the default with `None` and build the value in the body: `if p is None: p = <default>`.
pub(crate) fn sentinel_fix(
    checker: &Checker,
    parameter: &Parameter,
    default: &Expr,
    function: &StmtFunctionDef,
) -> Option<Fix> {
    let name = parameter.name.as_str();
    // `def f(n=[n])` or `def m(self, i=self.pos())`: in the body those names are the parameters,
    // not the outer objects the default was built from.
    let reads = helpers::names_in_expr(default);
    if function.parameters.iter().any(|p| reads.contains(p.name().as_str())) {
        return None;
    }
    let (at, indent) = helpers::body_insert_point(checker, &function.body)?;
    let nl = checker.source.line_ending();
    let unit = checker.source.indent_unit();
    let value = checker.source.slice(default);
    let mut edits = vec![
        Edit::replace(default.range(), "None"),
        Edit::insert(at, format!("{indent}if {name} is None:{nl}{indent}{unit}{name} = {value}{nl}")),
    ];
    if let Some(annotation) = parameter.annotation()
        && !annotation_allows_none(annotation)
        && !annotation.is_string_literal_expr()
    {
        edits.push(Edit::insert(annotation.end(), " | None"));
    }
    Fix::unsafe_(format!("Use a `None` sentinel for `{name}`"), edits)
}

fn annotation_allows_none(annotation: &Expr) -> bool {
    match annotation {
        Expr::NoneLiteral(_) => true,
        Expr::BinOp(b) => annotation_allows_none(&b.left) || annotation_allows_none(&b.right),
        Expr::Subscript(s) => {
            matches!(&*s.value, Expr::Name(n) if n.id.as_str() == "Optional")
                || matches!(&*s.value, Expr::Attribute(a) if a.attr.as_str() == "Optional")
        }
        // `Any`, a lambda-unfriendly `object`...: widening is harmless but noisy; a binop keeps it simple.
        _ => false,
    }
}
