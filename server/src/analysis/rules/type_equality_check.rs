//! `type-equality-check` (peer: Ruff E721). `type(x) == dict` accepts only objects whose class is
//! exactly `dict`, so an `OrderedDict`, a `defaultdict` or a user subclass is rejected; and `==`
//! between classes hides whether an exact-class test was meant (that is spelled `is`).
//!
//! Detection, as E721: each `==` / `!=` link of a comparison chain where either operand is a call
//! of the builtin `type` or the name of a builtin class (`int`, `dict`, `ValueError`... when not
//! shadowed), unless either operand looks like a NumPy dtype (`x.dtype`, `np.dtype(...)`), whose
//! `__eq__` compares with scalar types on purpose. `is` / `is not` (a deliberate exact test) is
//! not flagged.
//!
//! Fixes (unsafe): `type(x) == T` with `T` a name or attribute -> `isinstance(x, T)` (`!=` ->
//! `not isinstance(x, T)`), since subclasses now match (`isinstance(True, int)`); other class
//! comparisons (`type(a) == type(b)`, `cls == int`) -> `is` / `is not`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare, Number, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::comparisons::{operator_range, replace_operator};
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

/// Builtin classes whose name on one side makes a comparison a type comparison (E721's list).
const BUILTIN_TYPES: &[&str] = &[
    "bool",
    "bytearray",
    "bytes",
    "classmethod",
    "complex",
    "dict",
    "enumerate",
    "filter",
    "float",
    "frozenset",
    "int",
    "list",
    "map",
    "memoryview",
    "object",
    "property",
    "range",
    "reversed",
    "set",
    "slice",
    "staticmethod",
    "str",
    "super",
    "tuple",
    "type",
    "zip",
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EnvironmentError",
    "EOFError",
    "Exception",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IOError",
    "IsADirectoryError",
    "KeyboardInterrupt",
    "KeyError",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "NotADirectoryError",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    let mut left: &Expr = &compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq)
            && (is_type(checker, left) || is_type(checker, right))
            && !is_dtype(checker, left)
            && !is_dtype(checker, right)
        {
            report(checker, compare, left, *op, right);
        }
        left = right;
    }
}

/// A call of the builtin `type`, or an unshadowed builtin class name.
fn is_type(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.type"),
        Expr::Name(name) => {
            BUILTIN_TYPES.contains(&name.id.as_str())
                && checker.resolve(expr).is_some_and(|q| q.segments().first() == Some(&"builtins"))
        }
        _ => false,
    }
}

fn is_dtype(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::Call(call) => checker.resolves_to(&call.func, "numpy.dtype"),
        Expr::Attribute(attr) => attr.attr.as_str() == "dtype",
        _ => false,
    }
}

/// `type(x)` with one plain positional argument: the `x` of an `isinstance` rewrite.
fn type_call_argument<'e>(checker: &Checker, expr: &'e Expr) -> Option<&'e Expr> {
    let Expr::Call(ExprCall { func, arguments, .. }) = expr else { return None };
    if !checker.resolves_to(func, "builtins.type") || !arguments.keywords.is_empty() {
        return None;
    }
    match &*arguments.args {
        // An unparenthesised generator cannot become one of two arguments.
        [arg] if !arg.is_starred_expr() && !arg.is_generator_expr() => Some(arg),
        _ => None,
    }
}

fn is_class_reference(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(_) | Expr::Attribute(_))
}

fn report(checker: &mut Checker, compare: &ExprCompare, left: &Expr, op: CmpOp, right: &Expr) {
    let range = TextRange::new(left.start(), right.end());
    let isinstance = isinstance_parts(checker, compare, left, right);
    let text = checker.source.slice(&range);
    let shown = if text.len() <= 60 && !text.contains(['\n', '\r']) {
        format!("`{text}`")
    } else {
        "This type comparison".to_string()
    };
    let identity = if op == CmpOp::NotEq { "is not" } else { "is" };
    let message = match isinstance {
        Some((_, class)) => {
            let class = class.text(checker);
            format!(
                "{shown} accepts only objects whose class is exactly `{class}` and rejects its \
                 subclasses; use `isinstance` to accept them, or `{identity}` if the exact class is \
                 intended"
            )
        }
        None => format!(
            "{shown} compares classes with `{}`; use `{identity}` for an exact-class test, or \
             `isinstance`/`issubclass` to accept subclasses",
            op.as_str()
        ),
    };
    let fix = if checker.source.has_comments(compare.range) {
        None
    } else if let Some(fix) = isinstance.and_then(|(value, class)| isinstance_fix(checker, compare, op, value, class)) {
        Some(fix)
    } else if is_class_operand(checker, left) && is_class_operand(checker, right) {
        operator_range(checker, left, op, right).and_then(|at| {
            Fix::unsafe_(
                format!("Replace `{}` with `{identity}`", op.as_str()),
                vec![replace_operator(checker, at, identity)],
            )
        })
    } else {
        None
    };
    checker.report(Finding::new(Rule::TypeEqualityCheck, range, message).with_fix(fix));
}

/// `(x, T)` when the comparison is exactly `type(x) == T` or `T == type(x)`, `T` a name/attribute.
fn isinstance_parts<'e>(
    checker: &Checker,
    compare: &ExprCompare,
    left: &'e Expr,
    right: &'e Expr,
) -> Option<(&'e Expr, ClassRef<'e>)> {
    if compare.ops.len() != 1 {
        return None;
    }
    match (type_call_argument(checker, left), type_call_argument(checker, right)) {
        (Some(value), None) if is_class_reference(right) => Some((value, ClassRef::Expr(right))),
        (None, Some(value)) if is_class_reference(left) => Some((value, ClassRef::Expr(left))),
        // `type(x) == type('')`: the literal names its class.
        (Some(a), Some(b)) => match (literal_class(checker, a), literal_class(checker, b)) {
            (None, Some(class)) => Some((a, ClassRef::Builtin(class))),
            (Some(class), None) => Some((b, ClassRef::Builtin(class))),
            _ => None,
        },
        _ => None,
    }
}

/// The class an `isinstance` rewrite tests against.
#[derive(Clone, Copy)]
enum ClassRef<'e> {
    Expr(&'e Expr),
    /// A builtin class named by a literal, as in `type('')`.
    Builtin(&'static str),
}

impl ClassRef<'_> {
    fn text<'s>(self, checker: &Checker<'s>) -> &'s str {
        match self {
            ClassRef::Expr(expr) => checker.source.slice(expr),
            ClassRef::Builtin(name) => name,
        }
    }
}

/// The builtin class of a literal (`''` -> `str`), when that name is not shadowed here.
fn literal_class(checker: &Checker, literal: &Expr) -> Option<&'static str> {
    let class = match literal {
        Expr::StringLiteral(_) => "str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::BooleanLiteral(_) => "bool",
        Expr::NumberLiteral(n) => match n.value {
            Number::Int(_) => "int",
            Number::Float(_) => "float",
            Number::Complex { .. } => "complex",
        },
        Expr::List(_) => "list",
        Expr::Dict(_) => "dict",
        Expr::Tuple(_) => "tuple",
        _ => return None,
    };
    checker.lookup(class).is_none().then_some(class)
}

/// Operands for which `is` is the natural exact-class test.
fn is_class_operand(checker: &Checker, expr: &Expr) -> bool {
    is_class_reference(expr) || is_type(checker, expr)
}

fn isinstance_fix(checker: &Checker, compare: &ExprCompare, op: CmpOp, value: &Expr, class: ClassRef) -> Option<Fix> {
    // A local `isinstance` would change what the rewrite calls.
    if checker.lookup("isinstance").is_some() {
        return None;
    }
    let call = format!("isinstance({}, {})", checker.source.slice(value), class.text(checker));
    let (content, title) = if op == CmpOp::NotEq {
        let negated = format!("not {call}");
        let content = if needs_parentheses(checker, compare) { format!("({negated})") } else { negated.clone() };
        (content, format!("Replace with `{negated}`"))
    } else {
        (call.clone(), format!("Replace with `{call}`"))
    };
    Fix::unsafe_(title, vec![Edit::replace(compare.range, content)])
}

/// `not ...` binds more loosely than the comparison it replaces only inside operators that a
/// bare comparison could not appear in anyway; wrap when the parent is not one of the contexts
/// where a comparison (and so a `not` expression) stands unparenthesised.
fn needs_parentheses(checker: &Checker, compare: &ExprCompare) -> bool {
    let parent_accepts_not = match checker.ancestors().next() {
        None | Some(NodeRef::Stmt(_)) => true,
        Some(NodeRef::Expr(parent)) => {
            matches!(
                parent,
                Expr::BoolOp(_)
                    | Expr::If(_)
                    | Expr::Lambda(_)
                    | Expr::Named(_)
                    | Expr::Call(_)
                    | Expr::List(_)
                    | Expr::Tuple(_)
                    | Expr::Set(_)
                    | Expr::Dict(_)
                    | Expr::Subscript(_)
                    | Expr::FString(_)
                    | Expr::Yield(_)
                    | Expr::ListComp(_)
                    | Expr::SetComp(_)
                    | Expr::DictComp(_)
                    | Expr::Generator(_)
            ) || matches!(parent, Expr::UnaryOp(u) if u.op == UnaryOp::Not)
        }
    };
    !parent_accepts_not && !is_parenthesized(checker, compare.range)
}

fn is_parenthesized(checker: &Checker, range: TextRange) -> bool {
    let before = checker.source.token_before(range.start()).map(|t| t.kind());
    let after = checker.source.token_after(range.end()).map(|t| t.kind());
    before == Some(TokenKind::Lpar) && after == Some(TokenKind::Rpar)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::TypeEqualityCheck as R;

    #[test]
    fn flags_type_calls_and_builtin_classes_like_e721() {
        assert_count("if type(x) == dict:\n    pass\n", R, 1);
        assert_count("type(x) != int\ntype(a) == type(b)\nMyClass == type(x)\n", R, 3);
        assert_count("type(x) == m.Cls\ncls == int\nx.__class__ != ValueError\n", R, 3);
        assert_count("type(n) == int or type(n) == float\n", R, 2);
        assert_count("a == type(b) == c\n", R, 2);
    }

    #[test]
    fn ignores_identity_isinstance_shadowing_and_dtypes() {
        assert_clean("type(x) is dict\ntype(x) is not int\nisinstance(x, dict)\n", R);
        assert_clean("x == y\ncls == MyClass\nx < int\n", R);
        assert_clean("def type(x): return x\ntype(a) == b\n", R);
        assert_clean("int = 3\nx == int\n", R);
        assert_clean("import numpy as np\narr.dtype == float\nnp.dtype(x) == int\n", R);
    }

    #[test]
    fn message_names_the_class() {
        let msg = message("def is_dict(obj):\n    return type(obj) == dict\n", R);
        assert!(msg.contains("`type(obj) == dict`") && msg.contains("exactly `dict`"), "{msg}");
        let msg = message("type(a) == type(b)\n", R);
        assert!(msg.contains("use `is`"), "{msg}");
    }

    #[test]
    fn card_example() {
        let src = "from collections import defaultdict\n\ndef is_dict(obj):\n    return type(obj) == dict\n";
        assert_eq!(
            fixed(src, R),
            "from collections import defaultdict\n\ndef is_dict(obj):\n    return isinstance(obj, dict)\n"
        );
        assert_clean(&src.replace("type(obj) == dict", "isinstance(obj, dict)"), R);
    }

    #[test]
    fn fix_to_isinstance_either_side() {
        assert_eq!(fixed("ok = T == type(x)\n", R), "ok = isinstance(x, T)\n");
        assert_eq!(fixed("ok = type(x.y) == m.Cls\n", R), "ok = isinstance(x.y, m.Cls)\n");
        let found = findings("ok = type(x) == int\n", R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn fix_negates_with_parentheses_where_needed() {
        assert_eq!(fixed("if type(x) != int:\n    pass\n", R), "if not isinstance(x, int):\n    pass\n");
        assert_eq!(fixed("ok = a and type(x) != int\n", R), "ok = a and not isinstance(x, int)\n");
        assert_eq!(fixed("ok = not type(x) != int\n", R), "ok = not not isinstance(x, int)\n");
        assert_eq!(fixed("ok = (type(x) != int) + 1\n", R), "ok = (not isinstance(x, int)) + 1\n");
        assert_eq!(fixed("f(type(x) != int, y)\n", R), "f(not isinstance(x, int), y)\n");
    }

    #[test]
    fn fix_names_the_class_of_a_literal() {
        assert_eq!(fixed("ok = type(f) == type('')\n", R), "ok = isinstance(f, str)\n");
        assert_eq!(fixed("ok = type(0) != type(n)\n", R), "ok = not isinstance(n, int)\n");
        assert!(message("type(f) == type(1.0)\n", R).contains("exactly `float`"));
        let shadowed = "str = bytes\nok = type(f) == type('')\n";
        assert_eq!(fixed(shadowed, R), "str = bytes\nok = type(f) is type('')\n");
    }

    #[test]
    fn fix_to_is_for_class_comparisons() {
        assert_eq!(fixed("same = type(a) == type(b)\n", R), "same = type(a) is type(b)\n");
        assert_eq!(fixed("same = type(a) != type(b)\n", R), "same = type(a) is not type(b)\n");
        assert_eq!(fixed("ok = cls == int\n", R), "ok = cls is int\n");
        assert_eq!(fixed("ok = type(d)==type(e) and x\n", R), "ok = type(d) is type(e) and x\n");
        assert_eq!(fixed("ok = a == type(b) == c\n", R), "ok = a is type(b) == c\n");
        // Without a usable `isinstance` rewrite, `is` keeps the exact-class meaning.
        let shadowed = "def isinstance(a, b): pass\nok = type(x) == int\n";
        assert_eq!(fixed(shadowed, R), "def isinstance(a, b): pass\nok = type(x) is int\n");
        assert_eq!(fixed("ok = type(a for a in b) == int\n", R), "ok = type(a for a in b) is int\n");
    }

    #[test]
    fn no_fix_when_unsure() {
        for src in ["ok = type(x) == 'str'\n", "ok = (type(x) ==  # why\n      int)\n", "ok = type(x) == f()\n"] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found.iter().all(|f| f.fix.is_none()), "{src}: {found:#?}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["type(x) ==", "== int", "type( == int", "type(x) != int !=", "x == type("] {
            let _ = findings(src, R);
        }
    }
}
