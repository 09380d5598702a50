//! `eq-comparison-to-singleton` (peers: Ruff E711 for `None`, E712 for `True`/`False`).
//! `value == None` asks the object, through its `__eq__`, whether it equals `None`; any class can
//! answer yes (or, like a NumPy array, answer with an array). `None`, `True` and `False` are
//! singletons, so the exact question is identity: `value is None`.
//!
//! Detection: every `==` / `!=` link of a comparison chain with `None`, `True` or `False` on either
//! side (the other side not itself a non-singleton literal, as in Ruff). Decided after the walk,
//! when every binding of a name (so its simple type) and every import of the module are known.
//! What is said depends on what the model knows of the other operand:
//!
//! - warning, when the harm shows: the operand holds a NumPy/pandas object (by imports, local
//!   assignments and annotations) and the comparison is used as a condition (`if`, `while`,
//!   `assert`, `not`, `and`/`or`...): `==` gives an element-wise array there, whose truth value
//!   raises `ValueError`. Or the operand is shown by its values alone (no annotation) to be a
//!   non-bool builtin type, compared with `True`/`False`: `n == True` for an `int` holds only for
//!   1, and for a `str` or a list it is always false. The message names the binding.
//! - hint, `flag == True` on a known bool (a bool literal, a comparison, `isinstance(...)`,
//!   `not ...`, a `bool` annotation): nothing goes wrong, the comparison is just `flag`.
//! - hint, `x == None` on an operand of unknown type: the same answer as `x is None` unless the
//!   class overrides `__eq__`; `is None` is the test that cannot be overridden.
//! - hint, `x == True` on an operand of unknown type: it is neither a truth test (`2 == True` is
//!   false) nor an identity test (`1 == True` is true).
//!
//! Excluded (nothing reported), because `==` is meant there:
//! - comparisons inside the arguments of query-builder calls (`.filter(`, `.where(`, `.having(`,
//!   `.query(`, `.filter_by(`, SQLAlchemy `and_`/`or_`/`not_`, also imported relatively);
//! - a NumPy/pandas operand whose comparison is a value, not a condition (`mask = arr == None`);
//! - an operand of unknown type in a module that imports a library whose objects override `==`:
//!   SymPy for any singleton in any context (`S.true == True`, codegen's `none == None`, and a
//!   relational cannot be truth-tested, so neither `is` nor truthiness is a replacement); NumPy,
//!   pandas and the other array libraries, SQLAlchemy and the other query builders, for `True`/
//!   `False` in any context and for `None` where the result is a value (an element-wise mask, an
//!   `IS NULL` clause). As a condition, `x == None` in such a module is still reported: an array
//!   or a clause would raise there, so the operand is a plain object.
//!
//! Test code: treated like any code (`assert result == None` passes for an object whose `__eq__`
//! says so; `is None` is what the test means), except test functions about comparison itself
//! (`test_comparison`, `test_eq...`, `testEquality`), which compare with singletons on purpose to
//! exercise `__eq__`/`__ne__` (CPython's `datetimetester`: `assertFalse(timezone(ZERO) == None)`).
//!
//! Fixes:
//! - `flag == True` -> `flag`, `flag == False` -> `not flag` on a known bool: safe when values
//!   prove the bool, unsafe when it rests on an annotation (a caller may pass `1`).
//! - `== None` -> `is None`, `!= None` -> `is not None`: unsafe (it changes the result for a class
//!   whose `__eq__` answers for `None`); display-only on a NumPy/pandas operand, where the
//!   original raises and the fix is a deliberate change.
//! - no fix for `== True`/`== False` on anything but a known bool: both `is True` and truthiness
//!   change the result for some values (`1`, `2`, `np.True_`, SymPy's `S.true`).

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare};
use ruff_text_size::Ranged;

use super::helpers::comparisons::{
    EqMeaning, compare_at, imported_eq_library, is_condition, link_range, not_needs_parentheses, operand_range,
    operator_range, replace_operator, shown_or,
};
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, QualifiedName, SimpleType};

/// Methods whose arguments are query expressions (SQLAlchemy, Django-like ORMs, NumPy's `where`).
const QUERY_METHODS: &[&str] = &["filter", "where", "having", "query", "filter_by"];

/// SQLAlchemy's boolean combinators; their arguments are column expressions.
const SQLALCHEMY_COMBINATORS: &[&str] = &["and_", "or_", "not_"];

/// How far [`is_array_like`] follows assignments (`b = a; c = b`), bounding self-references.
const MAX_DEPTH: usize = 8;

/// During the walk: defer comparisons that have a candidate link (types and imports are only
/// complete after the walk).
pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    if !candidates(compare).is_empty()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::EqComparisonToSingleton, node);
    }
}

/// A candidate link: `left op right`, the singleton's name, and the other operand.
type Link<'e> = (&'e Expr, CmpOp, &'e Expr, &'static str, &'e Expr);

fn candidates(compare: &ExprCompare) -> Vec<Link<'_>> {
    let mut left: &Expr = &compare.left;
    let mut found = Vec::new();
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) && !is_constant_non_singleton(left) {
            if let Some(singleton) = singleton(right) {
                found.push((left, *op, right, singleton, left));
            } else if std::ptr::eq(left, &*compare.left)
                && !is_constant_non_singleton(right)
                && let Some(singleton) = singleton(left)
            {
                // `None == x`: only the head of the chain, as Ruff does.
                found.push((left, *op, right, singleton, right));
            }
        }
        left = right;
    }
    found
}

/// After the walk, at the comparison `node`.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let Some(compare) = compare_at(checker, node) else { return };
    let found = candidates(compare);
    if found.is_empty() || in_query_arguments(checker, compare) {
        return;
    }
    let condition = is_condition(checker.semantic(), node);
    for (left, op, right, singleton, other) in found {
        // `True == False`: two constants, no value tested (Black's formatter cases).
        if other.is_literal_expr() {
            continue;
        }
        let Some(verdict) = judge(checker, singleton, other, condition) else { continue };
        report(checker, compare, (left, op, right, singleton, other), verdict);
    }
}

/// What to say about one link.
enum Verdict {
    /// A NumPy/pandas operand used as a condition: `ValueError`.
    ArrayCondition,
    /// A non-bool builtin type, proved by values, against `True`/`False`.
    NotABool(SimpleType),
    /// A known bool against `True`/`False`; `proved` when values alone show it.
    KnownBool { proved: bool },
    /// `None` against an operand of unknown type.
    UnknownNone,
    /// `True`/`False` against an operand of unknown type.
    UnknownBool,
}

fn judge<'a>(checker: &Checker<'a>, singleton: &str, other: &'a Expr, condition: bool) -> Option<Verdict> {
    if condition && is_array(checker, other, 0) {
        return Some(Verdict::ArrayCondition);
    }
    if !condition && is_array_like(checker, other, 0) {
        return None;
    }
    let model = checker.semantic();
    let is_none = singleton == "None";
    match model.type_of_expr(other) {
        Some(SimpleType::Bool) if !is_none => {
            return Some(Verdict::KnownBool { proved: !model.type_rests_on_annotation(other) });
        }
        Some(t) if !is_none && !model.type_rests_on_annotation(other) => return Some(Verdict::NotABool(t)),
        _ => {}
    }
    // Unknown (or only annotated) operand.
    if is_comparison_test(checker) {
        return None;
    }
    let overloaded: &[EqMeaning] = if is_none && condition {
        &[EqMeaning::Symbolic]
    } else {
        &[EqMeaning::Symbolic, EqMeaning::Elementwise, EqMeaning::Expression]
    };
    if imported_eq_library(checker, overloaded).is_some() {
        return None;
    }
    Some(if is_none { Verdict::UnknownNone } else { Verdict::UnknownBool })
}

fn singleton(expr: &Expr) -> Option<&'static str> {
    match expr {
        Expr::NoneLiteral(_) => Some("None"),
        Expr::BooleanLiteral(b) => Some(if b.value { "True" } else { "False" }),
        _ => None,
    }
}

/// A literal other than `None`/`True`/`False`/`...`, or a tuple of literals (`1 == None` is left
/// alone, as in Ruff: it is a constant expression, not a test of a value).
fn is_constant_non_singleton(expr: &Expr) -> bool {
    match expr {
        Expr::Tuple(t) => t.elts.iter().all(|e| e.is_literal_expr() || e.is_tuple_expr()),
        Expr::NoneLiteral(_) | Expr::BooleanLiteral(_) | Expr::EllipsisLiteral(_) => false,
        other => other.is_literal_expr(),
    }
}

/// Inside a test function about comparison (`test_comparison`, `test_eq_none`, `testEquality`)?
fn is_comparison_test(checker: &Checker) -> bool {
    let Some(function) = checker.enclosing_function() else { return false };
    let name = function.name.as_str().to_ascii_lowercase();
    name.starts_with("test")
        && (name.contains("equal")
            || name.contains("compar")
            || name.contains("cmp")
            || name.split('_').any(|word| matches!(word, "eq" | "ne" | "equality")))
}

/// Is the comparison inside the arguments of a call that builds a query from `==` expressions?
fn in_query_arguments(checker: &Checker, compare: &ExprCompare) -> bool {
    checker.ancestors().any(|node| match node {
        NodeRef::Expr(Expr::Call(call)) => {
            call.arguments.range().contains_range(compare.range()) && is_query_call(checker, call)
        }
        _ => false,
    })
}

fn is_query_call(checker: &Checker, call: &ExprCall) -> bool {
    if let Expr::Attribute(attr) = &*call.func
        && QUERY_METHODS.contains(&attr.attr.as_str())
    {
        return true;
    }
    // `sqlalchemy.or_`, or `or_` imported relatively inside SQLAlchemy itself (`from ..sql import or_`).
    checker.resolve(&call.func).is_some_and(|name| match name.segments() {
        [first, .., member] => {
            (*first == "sqlalchemy" || first.starts_with('.')) && SQLALCHEMY_COMBINATORS.contains(member)
        }
        _ => false,
    })
}

fn is_numeric_library(qualified: &QualifiedName) -> bool {
    matches!(qualified.segments().first(), Some(&("numpy" | "pandas")))
}

/// Does `expr` evaluate to a NumPy/pandas object, as far as imports and local assignments show?
fn is_array_like(checker: &Checker, expr: &Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let next = depth + 1;
    match expr {
        Expr::Call(call) => {
            checker.resolve(&call.func).is_some_and(|q| is_numeric_library(&q))
                || matches!(&*call.func, Expr::Attribute(a) if is_array_like(checker, &a.value, next))
        }
        Expr::Attribute(attr) => {
            checker.resolve(expr).is_some_and(|q| is_numeric_library(&q)) || is_array_like(checker, &attr.value, next)
        }
        Expr::Subscript(sub) => is_array_like(checker, &sub.value, next),
        Expr::BinOp(binop) => is_array_like(checker, &binop.left, next) || is_array_like(checker, &binop.right, next),
        Expr::UnaryOp(unary) => is_array_like(checker, &unary.operand, next),
        Expr::Name(name) => checker.binding_of(name).is_some_and(|binding| {
            match (binding.value, binding.parameter(), binding.import_name()) {
                (Some(value), _, _) => is_array_like(checker, value, next),
                (None, Some(_), _) => binding.annotation.is_some_and(|a| is_array_annotation(checker, a, next)),
                (None, None, Some(imported)) => is_numeric_library(imported),
                _ => false,
            }
        }),
        _ => false,
    }
}

/// Calls that return an array, a Series or a DataFrame (not a scalar or a bool, as `np.sum`,
/// `np.allclose` or `np.array_equal` do).
const ARRAY_CONSTRUCTORS: &[&str] = &[
    "numpy.array",
    "numpy.asarray",
    "numpy.asanyarray",
    "numpy.zeros",
    "numpy.ones",
    "numpy.empty",
    "numpy.full",
    "numpy.zeros_like",
    "numpy.ones_like",
    "numpy.empty_like",
    "numpy.full_like",
    "numpy.arange",
    "numpy.linspace",
    "numpy.eye",
    "numpy.identity",
    "numpy.concatenate",
    "numpy.stack",
    "numpy.vstack",
    "numpy.hstack",
    "pandas.DataFrame",
    "pandas.Series",
    "pandas.concat",
    "pandas.read_csv",
    "pandas.read_parquet",
    "pandas.read_json",
    "pandas.read_excel",
    "pandas.read_sql",
];

/// Does `expr` certainly hold an array (or Series/DataFrame), not merely something derived from
/// one: built by an array constructor, annotated as an array, or arithmetic on one. Used where
/// the rule claims harm; attributes and items of arrays (`a.ndim`, `a[0]`) may be scalars.
fn is_array(checker: &Checker, expr: &Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match expr {
        Expr::Call(call) => checker.resolves_to_any(&call.func, ARRAY_CONSTRUCTORS).is_some(),
        Expr::BinOp(binop) => is_array(checker, &binop.left, depth + 1) || is_array(checker, &binop.right, depth + 1),
        // `df['a']`: a column (a Series), or a field of a structured NumPy array.
        Expr::Subscript(sub) => sub.slice.is_string_literal_expr() && is_array(checker, &sub.value, depth + 1),
        Expr::Name(name) => checker.binding_of(name).is_some_and(|binding| {
            if let Some(annotation) = binding.annotation {
                return is_array_annotation(checker, annotation, depth + 1);
            }
            binding.value.is_some_and(|value| !binding.is_unpacked() && is_array(checker, value, depth + 1))
        }),
        _ => false,
    }
}

/// `np.ndarray`, `pd.DataFrame`, `npt.NDArray[np.float64]`, `Optional[pd.Series]`...
fn is_array_annotation(checker: &Checker, annotation: &Expr, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match annotation {
        Expr::Subscript(sub) => {
            is_array_annotation(checker, &sub.value, depth + 1) || is_array_annotation(checker, &sub.slice, depth + 1)
        }
        Expr::BinOp(binop) => {
            is_array_annotation(checker, &binop.left, depth + 1)
                || is_array_annotation(checker, &binop.right, depth + 1)
        }
        Expr::Tuple(t) => t.elts.iter().any(|e| is_array_annotation(checker, e, depth + 1)),
        other => checker.resolve(other).is_some_and(|q| is_numeric_library(&q)),
    }
}

/// Where the operand's type shows: `` `n = len(xs)` (line 3) `` for a name, else the operand.
fn evidence(checker: &Checker, operand: &Expr) -> String {
    if let Expr::Name(name) = operand
        && let Some(binding) = checker.binding_of(name)
    {
        let line = checker.source.line_number(binding.range.start());
        if let Some(annotation) = binding.annotation {
            return format!("`{}` is annotated `{}` (line {line})", name.id, checker.source.shown(annotation));
        }
        if let Some(value) = binding.value {
            return format!("`{} = {}` (line {line})", name.id, checker.source.shown(value));
        }
    }
    format!("`{}`", checker.source.shown(operand))
}

fn report(checker: &mut Checker, compare: &ExprCompare, link: Link, verdict: Verdict) {
    let (left, op, right, singleton, other) = link;
    let range = link_range(checker, compare, left, right);
    let shown = shown_or(checker, range, &format!("This `{}` comparison", op.as_str()));
    let operand_text = checker.source.slice(&operand_range(checker, compare, other));
    let short = operand_text.len() <= 40 && !operand_text.contains(['\n', '\r']);
    let subject = if short { format!("`{operand_text}`") } else { "the value".to_string() };
    let is_eq = op == CmpOp::Eq;
    let identity = if is_eq { "is" } else { "is not" };
    let truthy = (singleton == "True") == is_eq;
    let (message, severity, fix) = match verdict {
        Verdict::ArrayCondition => {
            let message = format!(
                "{subject} holds a NumPy/pandas object ({}), so `{}` compares element-wise and gives an array; \
                 as a condition that array raises `ValueError` (its truth value is ambiguous){}",
                evidence(checker, other),
                op.as_str(),
                if singleton == "None" {
                    format!("; test identity with `{identity} None`")
                } else {
                    "; reduce it with `.all()` or `.any()`".to_string()
                }
            );
            let fix = (singleton == "None").then(|| operator_fix(checker, link, identity, Fix::display_only)).flatten();
            (message, Severity::Warning, fix)
        }
        Verdict::NotABool(t) => {
            let outcome = match t {
                SimpleType::Int | SimpleType::Float | SimpleType::Complex => format!(
                    "is {} only when {subject} equals {} (`True == 1`), not for every {} value",
                    if is_eq { "true" } else { "false" },
                    if singleton == "True" { "1" } else { "0" },
                    if singleton == "True" { "truthy" } else { "falsy" },
                ),
                _ => format!("is always {}", if is_eq { "false" } else { "true" }),
            };
            let plain = if truthy { format!("`if {operand_text}:`") } else { format!("`if not {operand_text}:`") };
            let message = format!(
                "{subject} is {} `{}` ({}): {shown} {outcome}; for a truth test write {}",
                article(t.name()),
                t.name(),
                evidence(checker, other),
                if short { plain } else { "the value's truthiness".to_string() }
            );
            (message, Severity::Warning, None)
        }
        Verdict::KnownBool { proved } => {
            let replacement = if truthy { operand_text.to_string() } else { format!("not {operand_text}") };
            let known = match other {
                Expr::Name(_) => format!("{subject} is already a `bool` ({})", evidence(checker, other)),
                _ => format!("{subject} already gives a `bool`"),
            };
            let just = match (short, truthy) {
                (true, _) => format!("just `{replacement}`"),
                (false, true) => "just the value itself".to_string(),
                (false, false) => "just its negation with `not`".to_string(),
            };
            let message = format!(
                "{known}, so {shown} is {just}: nothing goes wrong, the comparison adds nothing (PEP 8: don't \
                 compare booleans to `True` or `False` with `==`)"
            );
            let fix = truthiness_fix(checker, compare, &replacement, truthy, proved);
            (message, Severity::Hint, fix)
        }
        Verdict::UnknownNone => {
            let message = format!(
                "{shown} asks {subject} whether it equals `None` through `__eq__`, which a class can override \
                 (NumPy compares element-wise, SQLAlchemy builds `IS NULL`); for most objects the answer is the \
                 same as `{identity} None`, which tests identity with the singleton and cannot be overridden"
            );
            (message, Severity::Hint, operator_fix(checker, link, identity, Fix::unsafe_))
        }
        Verdict::UnknownBool => {
            let (same, other_values) = if singleton == "True" {
                ("`1` and `1.0`", "`2` or `'yes'`")
            } else {
                ("`0` and `0.0`", "`None` or `''`")
            };
            let plain = match (short, truthy) {
                (true, true) => format!("`if {operand_text}:`"),
                (true, false) => format!("`if not {operand_text}:`"),
                (false, _) => "the value's truthiness".to_string(),
            };
            let message = format!(
                "{shown} is neither a truth test nor an identity test: it also holds for {same}, and not for \
                 {} values such as {other_values}; write {plain} for a truth test, or `{identity} {singleton}` \
                 when only the `bool` itself will do",
                if singleton == "True" { "other truthy" } else { "other falsy" },
            );
            (message, Severity::Hint, None)
        }
    };
    let finding = Finding::new(Rule::EqComparisonToSingleton, range, message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// `== None` -> `is None` (only the operator changes).
fn operator_fix(
    checker: &Checker,
    (left, op, right, _, _): Link,
    identity: &str,
    make: fn(String, Vec<crate::analysis::finding::Edit>) -> Option<Fix>,
) -> Option<Fix> {
    let at = operator_range(checker, left, op, right)?;
    make(format!("Replace `{}` with `{identity}`", op.as_str()), vec![replace_operator(checker, at, identity)])
}

/// `flag == True` -> `flag`, `flag == False` -> `not flag`: the whole comparison (one link only).
fn truthiness_fix(
    checker: &Checker,
    compare: &ExprCompare,
    replacement: &str,
    truthy: bool,
    proved: bool,
) -> Option<Fix> {
    if compare.ops.len() != 1 || checker.source.has_comments(compare.range()) {
        return None;
    }
    let content = if !truthy && not_needs_parentheses(checker, compare) {
        format!("({replacement})")
    } else {
        replacement.to_string()
    };
    let title = format!("Replace with `{replacement}`");
    let edits = vec![crate::analysis::finding::Edit::replace(compare.range(), content)];
    if proved { Fix::safe(title, edits) } else { Fix::unsafe_(title, edits) }
}

#[cfg(test)]
mod tests {
    use ruff_text_size::Ranged;

    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::EqComparisonToSingleton as R;

    fn severity(source: &str) -> Severity {
        only_severity(source, R)
    }

    fn applicability(source: &str) -> Option<Applicability> {
        first_fix_applicability(source, R)
    }

    fn covered(source: &str) -> Vec<String> {
        findings(source, R).iter().map(|f| source[f.range()].to_string()).collect()
    }

    #[test]
    fn flags_none_true_false_on_either_side() {
        assert_count("if x == None:\n    pass\n", R, 1);
        assert_count("x != None\nNone == x\nx == True\nx != False\nFalse == x\n", R, 5);
        assert_count("y = [a for a in b if a.c == None]\n", R, 1);
    }

    #[test]
    fn realistic_cases() {
        // A web handler: a None test and a bool built from a comparison.
        let src = "def view(request, user):\n    if user.email == None:\n        return 'no email'\n    wants_html = request.headers.get('accept') == 'text/html'\n    if wants_html == False:\n        return 'json'\n    return 'html'\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|f| f.severity == Severity::Hint));
        // `wants_html` is a comparison of unknown operands: its type is unknown, so no fix.
        assert!(found[1].message.contains("neither a truth test"), "{}", found[1].message);
        // A counter compared with True: the int is shown by its values.
        let src = "def report(errors):\n    count = len(errors)\n    if count == True:\n        return 'one error'\n    return 'ok'\n";
        assert_eq!(severity(src), Severity::Warning);
    }

    #[test]
    fn flags_every_link_of_a_chain_like_ruff() {
        assert_count("a < b == True\n", R, 1);
        assert_count("a == None == b\n", R, 1);
        assert_count("x == None != y == False\n", R, 2);
    }

    #[test]
    fn ignores_identity_constants_and_other_operators() {
        assert_clean("x is None\nx is not None\nx == 0\nx < None\nx in (None,)\n", R);
        assert_clean("1 == None\n'a' != True\nNone == 1\n", R);
    }

    #[test]
    fn ignores_query_builder_arguments() {
        assert_clean("session.query(User).filter(User.email == None)\n", R);
        assert_clean("select(t).where(t.c.x != None)\nq.having(func.count() == None)\n", R);
        assert_clean("from sqlalchemy import and_, or_\nq = and_(A.x == None, or_(A.y == True, A.z))\n", R);
        assert_clean("import sqlalchemy as sa\nsa.not_(A.x == None)\n", R);
        // Inside SQLAlchemy itself the combinators are imported relatively.
        assert_clean("from ..sql import or_\ndef f(self):\n    return or_(x, self._comparator == None)\n", R);
        // The call's own callee is not a query argument.
        assert_count("q.filter(f)(x == None)\nand_(x == None)\n", R, 2);
    }

    #[test]
    fn numpy_and_pandas_values_are_element_wise_on_purpose() {
        assert_clean("import numpy as np\nmask = np.array(xs) == None\n", R);
        assert_clean("import numpy as np\narr = np.zeros(3)\nm = arr == None\n", R);
        assert_clean("import pandas as pd\ndf = pd.read_csv(p)\nm = df['a'] == None\n", R);
        assert_clean("import pandas as pd\ndef f(s: pd.Series):\n    return s.str.len() == None\n", R);
        assert_clean("from numpy import ndarray\ndef f(a: 'x', b: ndarray | None):\n    return b == None\n", R);
        assert_clean("import numpy as np\ndef f(a: np.ndarray):\n    return g(a == False)\n", R);
    }

    #[test]
    fn warning_when_an_array_is_used_as_a_condition() {
        let src = "import numpy as np\n\ndef scale(a: np.ndarray | None = None):\n    if a == None:\n        a = np.ones(3)\n    return a * 2\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Warning);
        let msg = &found[0].message;
        assert!(msg.contains("`a` is annotated `np.ndarray | None` (line 3)") && msg.contains("ValueError"), "{msg}");
        assert_eq!(applicability(src), Some(Applicability::DisplayOnly));
        assert_eq!(fixed(src, R), src.replace("a == None", "a is None"));
        for src in [
            "import numpy as np\narr = np.zeros(3)\nwhile arr != None:\n    pass\n",
            "import numpy as np\narr = np.zeros(3)\nassert not arr == False\n",
            "import pandas as pd\ndf = pd.DataFrame()\nok = df['a'] == None or x\n",
            "import numpy as np\narr = np.zeros(3)\ny = [1 for _ in z if arr == True]\n",
        ] {
            assert_eq!(severity(src), Severity::Warning, "{src}");
        }
        // True/False on an array: no rewrite is equivalent (`.all()`? `.any()`?).
        let src = "import numpy as np\narr = np.zeros(3)\nif arr == True:\n    pass\n";
        assert!(message(src, R).contains("`.all()` or `.any()`"));
        assert!(findings(src, R)[0].fix.is_none());
    }

    #[test]
    fn only_certain_arrays_make_a_warning() {
        // `np.allclose` returns a bool, `it.has_index` is a flag: not arrays, so no ValueError claim.
        assert_clean("import numpy as np\nok = np.allclose(a, b)\nif ok == True:\n    pass\n", R);
        assert_clean("import numpy as np\nit = np.nditer(a)\nassert f(it) == it.has_index == False\n", R);
        // Two constants: nothing tested (Black's formatter cases).
        assert_clean("True == False\nNone == None\n", R);
    }

    #[test]
    fn messages_for_a_known_bool_expression() {
        let msg = message("def f(x, P):\n    assert isinstance(x, P) == True\n", R);
        assert!(
            msg.contains("`isinstance(x, P)` already gives a `bool`") && msg.contains("just `isinstance(x, P)`"),
            "{msg}"
        );
        let msg = message(
            "def f(xs, a_long_name_for_the_pattern):\n    assert isinstance(xs[0][1], a_long_name_for_the_pattern) == False\n",
            R,
        );
        assert!(msg.contains("just its negation with `not`"), "{msg}");
    }

    #[test]
    fn hint_with_safe_fix_for_a_bool_shown_by_its_values() {
        let src = "def run(items):\n    done = False\n    for item in items:\n        if done == True:\n            break\n        done = not item\n    return done\n";
        assert_eq!(severity(src), Severity::Hint);
        let msg = message(src, R);
        assert!(msg.contains("already a `bool`") && msg.contains("is just `done`"), "{msg}");
        assert_eq!(applicability(src), Some(Applicability::Safe));
        assert_fix_keeps_output(src, R, "print(run([1, 2]), run([1, 0, 2]), run([]))\n");
        let src = "def ok(x):\n    is_int = isinstance(x, int)\n    return is_int == False\n";
        assert_eq!(fixed(src, R), "def ok(x):\n    is_int = isinstance(x, int)\n    return not is_int\n");
        assert_fix_keeps_output(src, R, "print(ok(1), ok('a'))\n");
        let src = "def f(a, b):\n    return (a is b) != False\n";
        assert_eq!(fixed(src, R), "def f(a, b):\n    return (a is b)\n");
        assert_fix_keeps_output(src, R, "print(f(1, 1), f([], []))\n");
    }

    #[test]
    fn known_bool_fix_keeps_precedence() {
        let src = "def f(x, y):\n    flag = x in y\n    return (flag == False) + 1\n";
        assert_eq!(fixed(src, R), "def f(x, y):\n    flag = x in y\n    return (not flag) + 1\n");
        assert_fix_keeps_output(src, R, "print(f(1, [1]), f(2, [1]))\n");
        let src = "def f(x, y):\n    flag = x in y\n    return y and flag == False\n";
        assert_eq!(fixed(src, R), "def f(x, y):\n    flag = x in y\n    return y and not flag\n");
        assert_fix_keeps_output(src, R, "print(f(1, [1]), f(2, [1]), f(1, []))\n");
        let src = "def f(x, y):\n    flag = x in y\n    return [flag != True, -(flag == True)]\n";
        assert_eq!(fixed(src, R), "def f(x, y):\n    flag = x in y\n    return [not flag, -(flag == True)]\n");
    }

    #[test]
    fn known_bool_by_annotation_only_promises() {
        let src = "def f(flag: bool):\n    if flag == True:\n        return 1\n    return 0\n";
        assert_eq!(severity(src), Severity::Hint);
        assert!(message(src, R).contains("`flag` is annotated `bool` (line 1)"));
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(f(True), f(False))\n");
        // A caller passing `1` sees the difference: `1 == True` but `1 is not True`... and `if 1:`.
        assert_eq!(fixed_output(src, R, "print(f(2))\n"), "1\n");
    }

    #[test]
    fn warning_for_a_non_bool_shown_by_its_values() {
        let src = "def f(xs):\n    n = len(xs)\n    if n == True:\n        return 'one'\n";
        assert_eq!(severity(src), Severity::Warning);
        let msg = message(src, R);
        assert!(
            msg.contains("`n` is an `int` (`n = len(xs)` (line 2))") && msg.contains("only when `n` equals 1"),
            "{msg}"
        );
        assert!(findings(src, R)[0].fix.is_none());
        let msg = message("def f():\n    s = 'yes'\n    return s == True\n", R);
        assert!(msg.contains("is always false"), "{msg}");
        // An `int` annotation admits `True` (bool is an int subclass): only a hint there.
        assert_eq!(severity("def f(n: int):\n    return n == True\n"), Severity::Hint);
    }

    #[test]
    fn a_rebinding_of_another_type_makes_the_type_unknown() {
        // `flag` is a bool, then anything: the comparison is on an unknown value.
        let src = "flag = False\nfor x in xs:\n    if flag == True:\n        pass\n    flag = f(x)\n";
        assert!(message(src, R).contains("neither a truth test nor an identity test"));
        assert!(findings(src, R)[0].fix.is_none());
    }

    #[test]
    fn hint_without_fix_for_true_false_on_unknown_values() {
        let src = "def check(response):\n    if response.ok == True:\n        return 1\n";
        assert_eq!(severity(src), Severity::Hint);
        let msg = message(src, R);
        assert!(
            msg.contains("`1` and `1.0`") && msg.contains("`if response.ok:`") && msg.contains("`is True`"),
            "{msg}"
        );
        assert!(findings(src, R)[0].fix.is_none());
        let msg = message("if done == False:\n    pass\n", R);
        assert!(msg.contains("`if not done:`") && msg.contains("`is False`"), "{msg}");
    }

    #[test]
    fn hint_with_unsafe_fix_for_none_on_unknown_values() {
        let src = "def describe(value):\n    if value == None:\n        return 'missing'\n    return 'present'\n";
        assert_eq!(severity(src), Severity::Hint);
        let msg = message(src, R);
        assert!(msg.contains("`value == None`") && msg.contains("`is None`"), "{msg}");
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(describe(None), describe(0), describe([]))\n");
        // Unsafe: an `__eq__` that answers for `None` sees the difference.
        let anything = "class Anything:\n    def __eq__(self, other):\n        return True\n\n";
        assert_eq!(fixed_output(&format!("{anything}{src}"), R, "print(describe(Anything()))\n"), "present\n");
    }

    #[test]
    fn libraries_that_override_eq_make_unknown_operands_deliberate() {
        // SymPy: `==` against singletons is structural, in any context.
        assert_clean(
            "from sympy import And\ndef f(a, b):\n    cond = And(a, b)\n    if cond == False:\n        return None\n",
            R,
        );
        assert_clean("from sympy import S\nassert (floor(y) <= oo) == True\n", R);
        assert_clean("import sympy\nif val != None:\n    pass\n", R);
        // NumPy, SQLAlchemy: `== True` may be element-wise or SQL; `== None` as a value too.
        assert_clean("import numpy as np\nassert mask == False\n", R);
        assert_clean("from sqlalchemy import column\nexpr = column('q') == None\n", R);
        assert_clean("from sqlalchemy.testing import is_false\nis_false(range_ == None)\n", R);
        // As a condition, an array or a SQL clause would raise: a plain object, worth the hint.
        assert_count("import numpy as np\ndef f(out=None):\n    if out == None:\n        out = np.zeros(3)\n", R, 1);
        // A known bool is a bool whatever the module imports.
        assert_count("import sympy\ndef f(x):\n    ok = x in (1, 2)\n    return ok == True\n", R, 1);
    }

    #[test]
    fn tests_of_comparison_compare_with_singletons_on_purpose() {
        let src = "class T:\n    def test_comparison(self):\n        self.assertTrue(timezone(ZERO) != None)\n        self.assertFalse(timezone(ZERO) == None)\n";
        assert_clean(src, R);
        assert_clean("def test_eq_none():\n    assert not (Point(1, 2) == None)\n", R);
        assert_clean("class T:\n    def testEquality(self):\n        self.assertFalse(x == True)\n", R);
        // Other tests are treated like any code.
        assert_count("def test_parse():\n    assert parse('') == None\n", R, 1);
        assert_count("def test_request():\n    assert parse('') == None\n", R, 1);
    }

    #[test]
    fn finding_covers_parenthesised_operands_exactly() {
        assert_eq!(covered("(x) == None\n"), ["(x) == None"]);
        assert_eq!(covered("x == (None)\n"), ["x == (None)"]);
        assert_eq!(covered("f((x) != (None))\n"), ["(x) != (None)"]);
        assert_eq!(covered("y = ((x)) == ((None))\n"), ["((x)) == ((None))"]);
        assert_eq!(covered("(None) == g(x)\n"), ["(None) == g(x)"]);
        assert!(message("(x) == None\n", R).starts_with("`(x) == None`"));
    }

    #[test]
    fn card_examples() {
        let flagged = "class Anything:\n    def __eq__(self, other):\n        return True\n\ndef describe(value):\n    if value == None:\n        return \"missing\"\n    return \"present\"\n";
        assert_count(flagged, R, 1);
        assert_clean(&flagged.replace("value == None", "value is None"), R);
        assert_card_examples(R);
    }

    #[test]
    fn fix_swaps_operator_only() {
        assert_eq!(fixed("if x == None:\n    pass\n", R), "if x is None:\n    pass\n");
        assert_eq!(fixed("y = (x) != (None)\n", R), "y = (x) is not (None)\n");
        assert_eq!(fixed("y = ((x)) == ((None))\n", R), "y = ((x)) is ((None))\n");
        assert_eq!(fixed("y = None == x\n", R), "y = None is x\n");
        assert_eq!(fixed("y = x==None\n", R), "y = x is None\n");
        assert_eq!(fixed("y = f(x)!=None\n", R), "y = f(x) is not None\n");
        assert_eq!(fixed("y = f((x) == None)\n", R), "y = f((x) is None)\n");
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["x ==", "== None", "x == None ==", "q.filter(x == None", "x = x\ny = x == None\n", "(x == (None"] {
            let _ = findings(src, R);
        }
    }
}
