//! `call-in-default-argument` (peer: Ruff B008). `def log(ts=datetime.now())` freezes the value
//! at definition time.
//!
//! Not reported: mutable constructors (`list()`, `dict()`: `mutable-default-argument`), calls with
//! an immutable result (`tuple()`, `re.compile(...)`, `Path(...)`...), framework markers meant to
//! be evaluated once (FastAPI `Depends`, Typer/Click options), stubs and `@overload` signatures.
//!
//! Fix (unsafe: the call now runs on every call instead of once): the `None` sentinel.

use ruff_python_ast::{Expr, Parameter, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::{is_mutable_value, sentinel_fix, shown_default};
use crate::analysis::checker::Checker;
use crate::analysis::finding::Finding;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::qualified;

/// One default of a `def` or `lambda` (the caller skips stubs, overloads and read-only annotations).
pub(crate) fn check<'a>(
    checker: &mut Checker<'a>,
    parameter: &'a Parameter,
    default: &'a Expr,
    function: Option<&'a StmtFunctionDef>,
) {
    if is_mutable_value(checker, default) || classify(checker, default).is_none() {
        return;
    }
    let name = parameter.name.as_str();
    let (shown, owner) = shown_default(checker, parameter, default, function);
    let message =
        format!("{shown} is evaluated once, when {owner} runs; every call that omits `{name}` gets that same value");
    let fix = function.and_then(|function| sentinel_fix(checker, parameter, default, function));
    checker.report(Finding::new(Rule::CallInDefaultArgument, default.range(), message).with_fix(fix));
}

/// Calls whose result is immutable, so evaluating them once is harmless.
const IMMUTABLE_CALLS: &[&str] = &[
    "builtins.tuple",
    "builtins.frozenset",
    "builtins.int",
    "builtins.float",
    "builtins.str",
    "builtins.bytes",
    "builtins.bool",
    "builtins.complex",
    "builtins.range",
    "builtins.object",
    "builtins.len",
    "builtins.ord",
    "builtins.chr",
    "builtins.abs",
    "builtins.round",
    "builtins.hash",
    "builtins.repr",
    "builtins.format",
    "builtins.min",
    "builtins.max",
    "builtins.sorted",
    "re.compile",
    "types.MappingProxyType",
    "operator.attrgetter",
    "operator.itemgetter",
    "operator.methodcaller",
    "typing.NewType",
    "typing.TypeVar",
    "decimal.Decimal",
    "fractions.Fraction",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "pathlib.PurePosixPath",
    "pathlib.WindowsPath",
    "pathlib.PureWindowsPath",
    "datetime.timedelta",
    "datetime.date",
    "datetime.datetime",
    "datetime.time",
    "datetime.timezone",
    "ipaddress.ip_address",
    "ipaddress.ip_network",
    "sys.intern",
    "os.path.join",
    "os.path.abspath",
    "os.path.dirname",
    "os.path.expanduser",
    "uuid.UUID",
    "enum.auto",
    "dataclasses.field",
    "attr.ib",
    "attrs.field",
];

/// Framework markers that are meant to be evaluated once (dependency injection, CLI options).
const FRAMEWORK_MARKERS: &[&str] = &[
    "Depends", "Query", "Path", "Body", "Header", "Cookie", "File", "Form", "Security", "Option", "Argument", "Param",
];

/// Producers of time- or identity-dependent values: always worth flagging.
const ALWAYS_FLAG: &[&str] = &[
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.monotonic",
    "time.perf_counter",
    "uuid.uuid1",
    "uuid.uuid4",
    "os.getenv",
    "os.environ.get",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Time, randomness, identity: the frozen value is almost certainly a bug.
    Volatile,
    Other,
}

/// `Some` when `expr` is a call this rule reports.
pub(crate) fn classify<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<CallKind> {
    let Expr::Call(call) = expr else { return None };
    let resolved = checker.resolve(&call.func);
    if let Some(name) = &resolved {
        if qualified::which(name, ALWAYS_FLAG).is_some() || qualified::in_module(name, "random") {
            return Some(CallKind::Volatile);
        }
        if qualified::which(name, IMMUTABLE_CALLS).is_some() {
            return None;
        }
        let segments = name.segments();
        let last = segments.last().copied().unwrap_or_default();
        let module = segments.first().copied().unwrap_or_default();
        if FRAMEWORK_MARKERS.contains(&last) && matches!(module, "fastapi" | "typer" | "click" | "starlette") {
            return None;
        }
    }
    // Unresolved callees (locals, parameters) are reported like B008 does, except names that
    // look like framework markers imported elsewhere.
    let last_segment = match &*call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    if resolved.is_none() && FRAMEWORK_MARKERS.contains(&last_segment) {
        return None;
    }
    Some(CallKind::Other)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::rule::Rule::CallInDefaultArgument as R;

    #[test]
    fn flags_calls_evaluated_at_definition() {
        assert_count("from datetime import datetime\ndef log(msg, ts=datetime.now()):\n    print(ts, msg)\n", R, 1);
        assert_count("import time as t\ndef f(x=t.time()):\n    return x\n", R, 1);
        assert_count("def f(x=make_config()):\n    return x\n", R, 1);
    }

    #[test]
    fn mutable_constructors_belong_to_the_other_rule() {
        assert_clean("def f(a=list(), b=[]):\n    return a, b\n", R);
    }

    #[test]
    fn ignores_immutable_calls_and_framework_markers() {
        assert_clean("import re\ndef f(a=tuple(), b=frozenset([1]), c=re.compile('x'), d=int('3')):\n    pass\n", R);
        assert_clean(
            "from fastapi import Depends, Query\ndef route(db=Depends(get_db), q=Query(None)):\n    pass\n",
            R,
        );
        assert_clean("def f(a: int = compute()):\n    return a\n", R);
    }

    #[test]
    fn fix_moves_the_call_into_the_body() {
        let src = "from datetime import datetime\ndef log(msg, ts=datetime.now()):\n    print(ts, msg)\n";
        assert_eq!(
            fixed(src, R),
            "from datetime import datetime\ndef log(msg, ts=None):\n    if ts is None:\n        ts = datetime.now()\n    print(ts, msg)\n"
        );
    }
}
