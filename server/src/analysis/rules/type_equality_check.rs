//! `type-equality-check` (peer: Ruff E721). `type(x) == dict` accepts only objects whose class is
//! exactly `dict`, so an `OrderedDict`, a `defaultdict` or a user subclass is rejected; and `==`
//! between classes hides whether an exact-class test was meant (that is spelled `is`).
//!
//! Detection, as E721: each `==` / `!=` link of a comparison chain where either operand is a call
//! of the builtin `type` or the name of a builtin class (`int`, `dict`, `ValueError`... when not
//! shadowed). `is` / `is not` (a deliberate exact test) is not flagged. Decided after the walk, when
//! every class and import of the module is known. Tiers:
//!
//! - warning, when the comparison can never be true: `type(x) == Mapping` with an abstract class
//!   from `collections.abc`, `numbers` or `typing` (no object's class is exactly an ABC or a typing
//!   alias), or `type(x) == 'str'` (a class never equals a literal: str, number, `None`).
//! - hint, `type(x) == T`: the exact-class test interviewers ask about. It rejects subclasses —
//!   which may be intended (`type(x) == int` to keep `True` out) or not (`defaultdict` is a
//!   `dict`); the message says both and names a subclass of `T` defined in the module, if any.
//!   For a class that cannot be subclassed (`bool`, `range`, `slice`, `memoryview`) it says the
//!   test works like `isinstance`.
//! - hint, `type(a) == type(b)` (the exact-class check of an `__eq__`) and `cls == int`: an
//!   identity test between classes written with `==`; it works (a class equals only itself unless
//!   its metaclass overrides `__eq__`), `is` states it.
//!
//! Excluded: NumPy dtype comparisons, whose `__eq__` coerces a scalar type on purpose: an operand
//! that looks like a dtype (`x.dtype`, `x.dtypes`, `np.dtype(...)`), and, in a module that imports
//! NumPy, pandas or another array library, any builtin class compared with something other than a
//! `type(...)` call (`dtype == bool`, `df.dtypes == object`, `self.subtype == object` in pandas —
//! the model cannot tell a dtype from a class there). Test code is treated like any code: an exact
//! class assertion in a test (`assert type(r) == np.ndarray`) is deliberate, and `is` is still the
//! identity test it means, so it is the same hint.
//!
//! Fixes:
//! - `type(x) == T` -> `isinstance(x, T)` (`!=` -> `not isinstance(x, T)`): display-only, because
//!   subclasses now pass — the deliberate change the hint is about; unsafe for a class that cannot
//!   be subclassed (only an object faking `__class__`, like a `Mock(spec=bool)`, sees a change).
//! - class comparisons (`type(a) == type(b)`, `cls == int`) -> `is` / `is not`: unsafe (a metaclass
//!   overriding `__eq__`, or a `cls` that is really a NumPy dtype, would see a change).
//! - none for the always-false comparisons with a literal, and none when comments are inside.

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare, Number, StmtClassDef};

use super::helpers::comparisons::{
    EqMeaning, compare_at, imported_eq_library, link_range, not_needs_parentheses, operator_range, replace_operator,
    shown_or,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, NodeId};

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

/// Builtin classes that cannot be subclassed: an exact test of them is an `isinstance` test.
const FINAL_CLASSES: &[&str] = &["bool", "range", "slice", "memoryview"];

/// During the walk: defer comparisons with a candidate link (classes and imports defined later in
/// the module count too).
pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {
    let mut left: &Expr = &compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq)
            && (is_type(checker, left) || is_type(checker, right))
            && let Some(node) = checker.node_id()
        {
            checker.defer(Rule::TypeEqualityCheck, node);
            return;
        }
        left = right;
    }
}

/// After the walk, at the comparison `node`.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let Some(compare) = compare_at(checker, node) else { return };
    let mut left: &Expr = &compare.left;
    for (op, right) in compare.ops.iter().zip(compare.comparators.iter()) {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq)
            && (is_type(checker, left) || is_type(checker, right))
            && !is_dtype(checker, left)
            && !is_dtype(checker, right)
            && let Some(shape) = shape(checker, compare, left, right)
        {
            report(checker, compare, left, *op, right, shape);
        }
        left = right;
    }
}

/// What one link compares.
enum Shape<'e> {
    /// `type(x) == T`, `T` a class reference (or the class of a literal: `type(x) == type('')`).
    ExactClass { value: &'e Expr, class: ClassRef<'e> },
    /// `type(x) == Mapping`: an ABC or typing alias is never an object's exact class.
    Abstract { value: &'e Expr, class: ClassRef<'e> },
    /// `type(x) == 'str'`.
    Literal,
    /// `type(a) == type(b)`, `cls == int`, `x.__class__ == ValueError`: two classes with `==`.
    Classes,
    /// `type(x) == f()`: a class against something we cannot name.
    Other,
}

fn shape<'e>(checker: &Checker, compare: &ExprCompare, left: &'e Expr, right: &'e Expr) -> Option<Shape<'e>> {
    let (type_left, type_right) = (type_call_argument(checker, left), type_call_argument(checker, right));
    let (value, other) = match (type_left, type_right) {
        (Some(value), None) => (value, right),
        (None, Some(value)) => (value, left),
        (Some(a), Some(b)) => {
            // `type(x) == type('')`: the literal names its class.
            return Some(match (literal_class(checker, a), literal_class(checker, b)) {
                (None, Some(class)) if compare.ops.len() == 1 => {
                    Shape::ExactClass { value: a, class: ClassRef::Builtin(class) }
                }
                (Some(class), None) if compare.ops.len() == 1 => {
                    Shape::ExactClass { value: b, class: ClassRef::Builtin(class) }
                }
                _ => Shape::Classes,
            });
        }
        (None, None) => {
            // A builtin class name against something else: a class, or (with NumPy around) a dtype.
            if imported_eq_library(checker, &[EqMeaning::Elementwise]).is_some() {
                return None;
            }
            let other = if is_type(checker, left) { right } else { left };
            return (is_class_reference(other) || is_type(checker, other)).then_some(Shape::Classes);
        }
    };
    Some(match other {
        Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::NumberLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::BooleanLiteral(_) => Shape::Literal,
        _ if is_abstract(checker, other) => Shape::Abstract { value, class: ClassRef::Expr(other) },
        _ if is_class_reference(other) && compare.ops.len() == 1 => {
            Shape::ExactClass { value, class: ClassRef::Expr(other) }
        }
        _ if is_class_reference(other) => Shape::Classes,
        _ => Shape::Other,
    })
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
        Expr::Attribute(attr) => matches!(attr.attr.as_str(), "dtype" | "dtypes"),
        _ => false,
    }
}

/// An abstract class or typing construct: `collections.abc.Mapping`, `numbers.Number`,
/// `typing.List`... (not `typing.Text`, which is `str`).
fn is_abstract(checker: &Checker, expr: &Expr) -> bool {
    checker.resolve(expr).is_some_and(|name| match name.segments() {
        ["collections", "abc", _] | ["numbers", _] => true,
        ["typing" | "typing_extensions", member] => *member != "Text",
        _ => false,
    })
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

    /// The builtin class this names, when not shadowed.
    fn builtin(self, checker: &Checker) -> Option<&'static str> {
        match self {
            ClassRef::Builtin(name) => Some(name),
            ClassRef::Expr(expr) => match checker.resolve(expr)?.segments() {
                ["builtins", name] => BUILTIN_TYPES.iter().find(|b| **b == *name).copied(),
                _ => None,
            },
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

/// A class defined in this module that derives from the class `class` names (a plain name
/// bound by a `class` statement here): the evidence that an exact test rejects something.
fn subclass_defined_here<'a>(checker: &Checker<'a>, class: &Expr) -> Option<&'a StmtClassDef> {
    let Expr::Name(name) = class else { return None };
    let model = checker.semantic();
    let base = model.resolve_name(name)?;
    if !matches!(model.binding(base).kind, BindingKind::ClassDef(_)) {
        return None;
    }
    model.bindings().find_map(|(_, binding)| match binding.kind {
        BindingKind::ClassDef(def) => def
            .bases()
            .iter()
            .any(|b| matches!(b, Expr::Name(n) if n.id == name.id && model.resolve_name(n) == Some(base)))
            .then_some(def),
        _ => None,
    })
}

fn report(checker: &mut Checker, compare: &ExprCompare, left: &Expr, op: CmpOp, right: &Expr, shape: Shape) {
    let range = link_range(checker, compare, left, right);
    let shown = shown_or(checker, range, "This type comparison");
    let identity = if op == CmpOp::NotEq { "is not" } else { "is" };
    let never = if op == CmpOp::NotEq { "always true" } else { "always false" };
    let comments = checker.source.has_comments(compare.range);
    let (message, severity, fix) = match shape {
        Shape::Abstract { value, class } => {
            let class_text = class.text(checker);
            let message = format!(
                "{shown} is {never}: `{class_text}` is an abstract class or typing alias, never the exact class of \
                 an object; `isinstance({}, {class_text})` is the test that works",
                checker.source.shown(value)
            );
            let fix = (!comments).then(|| isinstance_fix(checker, compare, op, value, class, Fix::display_only));
            (message, Severity::Warning, fix.flatten())
        }
        Shape::Literal => {
            let message = format!(
                "{shown} is {never}: a class never equals a literal value; compare with the class itself \
                 (`type(x) {identity} str`, or `isinstance(x, str)` to accept subclasses)"
            );
            (message, Severity::Warning, None)
        }
        Shape::ExactClass { value, class } => {
            let class_text = class.text(checker);
            let value_text = checker.source.shown(value);
            let builtin = class.builtin(checker);
            let is_final = builtin.is_some_and(|b| FINAL_CLASSES.contains(&b));
            let message = if is_final {
                format!(
                    "{shown} tests for exactly `{class_text}`, which cannot be subclassed, so it works like \
                     `isinstance({value_text}, {class_text})`, the usual spelling; nothing is wrong here"
                )
            } else {
                let example = match (builtin, class) {
                    (Some("int"), _) => " (`True` is an `int` whose class is `bool`)".to_string(),
                    (Some("dict"), _) => " (an `OrderedDict` or a `defaultdict`)".to_string(),
                    (_, ClassRef::Expr(expr)) => match subclass_defined_here(checker, expr) {
                        Some(sub) => format!(
                            " such as `{}` (line {})",
                            sub.name,
                            checker.source.line_number(sub.name.range.start())
                        ),
                        None => String::new(),
                    },
                    _ => String::new(),
                };
                format!(
                    "{shown} accepts only objects whose class is exactly `{class_text}` and rejects its \
                     subclasses{example}; if they should pass, use `isinstance({value_text}, {class_text})`; if \
                     the exact class is the point, `{identity}` says so"
                )
            };
            let make = if is_final { Fix::unsafe_ } else { Fix::display_only };
            let fix = if comments { None } else { isinstance_fix(checker, compare, op, value, class, make) };
            (message, Severity::Hint, fix)
        }
        Shape::Classes => {
            let message = format!(
                "{shown} compares classes with `{}`: that works (a class equals only itself unless its \
                 metaclass overrides `__eq__`), but it is an identity test, which `{identity}` states; \
                 `isinstance`/`issubclass` accept subclasses",
                op.as_str()
            );
            let fix = if comments { None } else { is_fix(checker, left, op, right, identity) };
            (message, Severity::Hint, fix)
        }
        Shape::Other => {
            let message = format!(
                "{shown} compares a class with `{}`; `{identity}` is the exact-class test, and `isinstance` \
                 accepts subclasses",
                op.as_str()
            );
            (message, Severity::Hint, None)
        }
    };
    let finding = Finding::new(Rule::TypeEqualityCheck, range, message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

fn is_fix(checker: &Checker, left: &Expr, op: CmpOp, right: &Expr, identity: &str) -> Option<Fix> {
    let at = operator_range(checker, left, op, right)?;
    Fix::unsafe_(format!("Replace `{}` with `{identity}`", op.as_str()), vec![replace_operator(checker, at, identity)])
}

fn isinstance_fix(
    checker: &Checker,
    compare: &ExprCompare,
    op: CmpOp,
    value: &Expr,
    class: ClassRef,
    make: fn(String, Vec<Edit>) -> Option<Fix>,
) -> Option<Fix> {
    // A local `isinstance` would change what the rewrite calls; a chain has other links.
    if checker.lookup("isinstance").is_some() || compare.ops.len() != 1 {
        return None;
    }
    let call = format!("isinstance({}, {})", checker.source.slice(value), class.text(checker));
    let (content, title) = if op == CmpOp::NotEq {
        let negated = format!("not {call}");
        let content = if not_needs_parentheses(checker, compare) { format!("({negated})") } else { negated.clone() };
        (content, format!("Replace with `{negated}`"))
    } else {
        (call.clone(), format!("Replace with `{call}`"))
    };
    make(title, vec![Edit::replace(compare.range, content)])
}

#[cfg(test)]
mod tests {
    use ruff_text_size::Ranged;

    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::TypeEqualityCheck as R;

    fn severity(source: &str) -> Severity {
        only_severity(source, R)
    }

    fn applicability(source: &str) -> Option<Applicability> {
        first_fix_applicability(source, R)
    }

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
        assert_clean("assert (df.dtypes == object).all()\n", R);
    }

    #[test]
    fn a_module_with_numpy_compares_dtypes_with_builtin_classes() {
        // pandas: `dtype`, `self.subtype`, a fixture: all NumPy dtypes, whose `==` coerces the class.
        assert_clean("import numpy as np\ndef f(dtype):\n    if dtype == bool:\n        pass\n", R);
        assert_clean("import pandas as pd\nclass S:\n    def f(self):\n        return not self.subtype == object\n", R);
        // A `type(...)` call is a class whatever the module imports.
        assert_eq!(severity("import numpy as np\nassert type(r) == np.ndarray\n"), Severity::Hint);
        assert_eq!(severity("import numpy as np\nok = type(a) == type(b)\n"), Severity::Hint);
    }

    #[test]
    fn hint_for_an_exact_class_test() {
        let src = "def is_dict(obj):\n    return type(obj) == dict\n";
        assert_eq!(severity(src), Severity::Hint);
        let msg = message(src, R);
        assert!(
            msg.contains("`type(obj) == dict`") && msg.contains("exactly `dict`") && msg.contains("`defaultdict`"),
            "{msg}"
        );
        assert!(msg.contains("`isinstance(obj, dict)`") && msg.contains("`is` says so"), "{msg}");
        assert!(message("ok = type(n) == int\n", R).contains("`True` is an `int`"));
    }

    #[test]
    fn hint_names_a_subclass_defined_in_the_module() {
        let src = "class Node:\n    pass\n\nclass Leaf(Node):\n    pass\n\ndef f(n):\n    return type(n) == Node\n";
        let msg = message(src, R);
        assert!(msg.contains("such as `Leaf` (line 4)"), "{msg}");
        assert_eq!(severity(src), Severity::Hint);
        assert!(!message("class Node:\n    pass\n\ndef f(n):\n    return type(n) == Node\n", R).contains("such as"));
    }

    #[test]
    fn a_class_that_cannot_be_subclassed_is_fine() {
        let src = "def f(x):\n    return type(x) == bool\n";
        assert_eq!(severity(src), Severity::Hint);
        assert!(message(src, R).contains("cannot be subclassed") && message(src, R).contains("nothing is wrong"));
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(f(True), f(1), f(None))\n");
    }

    #[test]
    fn warning_when_the_comparison_can_never_be_true() {
        let src = "from collections.abc import Mapping\ndef f(x):\n    return type(x) == Mapping\n";
        assert_eq!(severity(src), Severity::Warning);
        let msg = message(src, R);
        assert!(msg.contains("always false") && msg.contains("`isinstance(x, Mapping)`"), "{msg}");
        assert_eq!(applicability(src), Some(Applicability::DisplayOnly));
        assert_eq!(fixed_output(src, R, "print(f({}), f([]))\n"), "True False\n");
        assert_eq!(severity("import typing\nok = type(x) != typing.List\n"), Severity::Warning);
        assert!(message("import typing\nok = type(x) != typing.List\n", R).contains("always true"));
        assert_eq!(severity("import numbers\nok = type(x) == numbers.Number\n"), Severity::Warning);
        // `typing.Text` is `str`.
        assert_eq!(severity("import typing\nok = type(x) == typing.Text\n"), Severity::Hint);
        let msg = message("ok = type(x) == 'str'\n", R);
        assert!(msg.contains("always false") && msg.contains("literal"), "{msg}");
        assert_eq!(severity("ok = type(x) == 'str'\n"), Severity::Warning);
        assert!(findings("ok = type(x) == 'str'\n", R)[0].fix.is_none());
    }

    #[test]
    fn hint_for_classes_compared_with_eq() {
        let src =
            "class P:\n    def __eq__(self, other):\n        return type(self) == type(other) and self.x == other.x\n";
        assert_eq!(severity(src), Severity::Hint);
        let msg = message(src, R);
        assert!(msg.contains("compares classes with `==`") && msg.contains("`is` states"), "{msg}");
        assert_eq!(applicability(src), Some(Applicability::Unsafe));
        assert_eq!(severity("def f(cls):\n    return cls == int\n"), Severity::Hint);
    }

    #[test]
    fn finding_covers_parenthesised_operands_exactly() {
        let covered = |src: &str| findings(src, R).iter().map(|f| src[f.range()].to_string()).collect::<Vec<_>>();
        assert_eq!(covered("(type(x)) == dict\n"), ["(type(x)) == dict"]);
        assert_eq!(covered("f(type(x) == (int))\n"), ["type(x) == (int)"]);
        assert_eq!(covered("ok = ((type(a))) != ((type(b)))\n"), ["((type(a))) != ((type(b)))"]);
    }

    #[test]
    fn card_example() {
        let src = "from collections import defaultdict\n\ndef is_dict(obj):\n    return type(obj) == dict\n";
        assert_eq!(
            fixed(src, R),
            "from collections import defaultdict\n\ndef is_dict(obj):\n    return isinstance(obj, dict)\n"
        );
        assert_eq!(applicability(src), Some(Applicability::DisplayOnly));
        // The deliberate change: a subclass now passes.
        assert_eq!(fixed_output(src, R, "print(is_dict({}), is_dict(defaultdict(int)))\n"), "True True\n");
        assert_clean(&src.replace("type(obj) == dict", "isinstance(obj, dict)"), R);
        assert_card_examples(R);
    }

    #[test]
    fn fix_to_isinstance_either_side() {
        assert_eq!(fixed("ok = T == type(x)\n", R), "ok = isinstance(x, T)\n");
        assert_eq!(fixed("ok = type(x.y) == m.Cls\n", R), "ok = isinstance(x.y, m.Cls)\n");
        assert_eq!(fixed("ok = (type(x)) == (int)\n", R), "ok = isinstance(x, int)\n");
    }

    #[test]
    fn fix_negates_with_parentheses_where_needed() {
        assert_eq!(fixed("if type(x) != int:\n    pass\n", R), "if not isinstance(x, int):\n    pass\n");
        assert_eq!(fixed("ok = a and type(x) != int\n", R), "ok = a and not isinstance(x, int)\n");
        assert_eq!(fixed("ok = not type(x) != int\n", R), "ok = not not isinstance(x, int)\n");
        assert_eq!(fixed("ok = (type(x) != int) + 1\n", R), "ok = (not isinstance(x, int)) + 1\n");
        assert_eq!(fixed("f(type(x) != int, y)\n", R), "f(not isinstance(x, int), y)\n");
        let src = "def f(x):\n    return (type(x) != bool) + 1\n";
        assert_fix_keeps_output(src, R, "print(f(True), f(1))\n");
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
        assert_eq!(fixed("ok = type(a for a in b) == int\n", R), "ok = type(a for a in b) is int\n");
        let src = "def same(a, b):\n    return type(a) == type(b)\n";
        assert_fix_keeps_output(src, R, "print(same(1, 2), same(1, True), same([], []))\n");
    }

    #[test]
    fn no_fix_when_unsure() {
        for src in [
            "ok = type(x) == 'str'\n",
            "ok = (type(x) ==  # why\n      int)\n",
            "ok = type(x) == f()\n",
            "def isinstance(a, b): pass\nok = type(x) == int\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found.iter().all(|f| f.fix.is_none()), "{src}: {found:#?}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["type(x) ==", "== int", "type( == int", "type(x) != int !=", "x == type(", "(type(x) == (int"] {
            let _ = findings(src, R);
        }
    }
}
