//! `call-in-default-argument` (peer: Ruff B008). A default is evaluated once, when the `def` runs:
//! `def log(msg, ts=datetime.now())` stamps every call with the import time.
//!
//! Tiers, decided on the finished model:
//! - warning: a time, identity, randomness or environment producer (`datetime.now()`, `time.time()`,
//!   `uuid.uuid4()`, `random.random()`, `os.getenv(...)`) whose parameter the body reads: every
//!   call that omits it gets the value from import time; or any call whose result the body changes
//!   in place (`opts.update(...)`): later calls see earlier calls' changes.
//! - hint: such a producer whose parameter the body never reads.
//! - nothing: any other call whose result the body does not change — read, passed on, stored on
//!   `self` or returned (Ruff's B008 reports every call; a shared parser, SymPy symbol, FastAPI
//!   `Default(...)` sentinel or constant that nobody changes is not a red flag, and whether a stored
//!   object is changed elsewhere is not visible here), mutable
//!   constructors (`list()`, `dict()`: `mutable-default-argument`), calls with an immutable result
//!   (`tuple()`, `re.compile(...)`, `Path(...)`...), framework markers meant to be evaluated once
//!   (FastAPI `Depends`, Typer/Click options), stubs and `@overload` signatures. Test code is
//!   treated like any other.
//!
//! Fix (unsafe: the call now runs on every call instead of once): the `None` sentinel.

use ruff_python_ast::{Expr, Parameter, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::{
    CallKind, SharedUse, checked_defaults, classify, is_exempt, is_mutable_value, parameter_binding, scope_parameters,
    sentinel_fix, shared_use, shown_default,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Finding, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::ScopeId;

/// Runs once per function or lambda scope, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let Some((parameters, function)) = scope_parameters(checker, scope) else { return };
    if is_exempt(checker, function) {
        return;
    }
    for (parameter, default) in checked_defaults(checker, parameters) {
        if is_mutable_value(checker, default) {
            continue;
        }
        if let Some(kind) = classify(checker, default) {
            report(checker, scope, parameter, default, function, kind);
        }
    }
}

fn report(
    checker: &mut Checker,
    scope: ScopeId,
    parameter: &Parameter,
    default: &Expr,
    function: Option<&StmtFunctionDef>,
    kind: CallKind,
) {
    let name = parameter.name.as_str();
    let Some(binding) = parameter_binding(checker, scope, parameter) else { return };
    let (shown, owner) = shown_default(checker, parameter, default, function);
    let head = format!("{shown} is evaluated once, when {owner} runs");
    let (tail, severity) = match (kind, shared_use(checker, binding)) {
        (_, SharedUse::Mutated(what)) => {
            (format!("every call that omits `{name}` shares that one result, and {what} changes it"), Severity::Warning)
        }
        (CallKind::Volatile, SharedUse::Unused) => (
            format!("every call that omits `{name}` would get that one value (this body does not read it yet)"),
            Severity::Hint,
        ),
        (CallKind::Volatile, _) => (
            format!("every call that omits `{name}` gets the value from that moment, not a fresh one"),
            Severity::Warning,
        ),
        // Read, passed on, stored or returned: one shared result is a bug only if something changes
        // it, and nothing here does (a parser, a symbol, a sentinel, a constant are the usual cases).
        (CallKind::Other, _) => return,
    };
    let fix = function.and_then(|function| sentinel_fix(checker, parameter, default, function));
    let finding =
        Finding::new(Rule::CallInDefaultArgument, default.range(), format!("{head}; {tail}")).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Severity;
    use crate::analysis::rule::Rule::CallInDefaultArgument as R;

    fn severity_and_message(src: &str) -> (Severity, String) {
        let found = findings(src, R);
        assert_eq!(found.len(), 1, "{src}: {found:#?}");
        (found[0].severity, found[0].message.clone())
    }

    #[test]
    fn warning_for_a_frozen_time_or_identity_that_the_body_reads() {
        let (severity, message) = severity_and_message(
            "from datetime import datetime\ndef log(msg, ts=datetime.now()):\n    print(ts, msg)\n",
        );
        assert_eq!(severity, Severity::Warning);
        assert!(message.contains("gets the value from that moment"), "{message}");
        let (severity, _) = severity_and_message("import time as t\ndef f(x=t.time()):\n    return x\n");
        assert_eq!(severity, Severity::Warning);
        let (severity, _) =
            severity_and_message("import uuid\ndef f(request_id=uuid.uuid4()):\n    send(request_id)\n");
        assert_eq!(severity, Severity::Warning);
        let (severity, _) = severity_and_message("import time\ndef f(x=time.time()):\n    pass\n");
        assert_eq!(severity, Severity::Hint);
    }

    #[test]
    fn warning_when_the_body_changes_the_shared_result() {
        let (severity, message) =
            severity_and_message("def f(opts=make_options()):\n    opts.update(k=1)\n    return opts\n");
        assert_eq!(severity, Severity::Warning);
        assert!(message.contains("`opts.update(k=1)` (line 2) changes it"), "{message}");
    }

    #[test]
    fn nothing_when_a_shared_result_is_only_read() {
        // A stateless parser, a symbol, a sentinel: evaluated once, never changed.
        assert_clean(
            "import doctest\ndef f(text, parser=doctest.DocTestParser()):\n    return parser.parse(text)\n",
            R,
        );
        assert_clean("def f(x, t=Dummy('t')):\n    return x.subs(t, 1)\n", R);
        assert_clean("def route(response_class=Default(JSONResponse)):\n    return handle(response_class)\n", R);
        // Stored or returned: whether anyone changes it is not visible here.
        assert_clean("class A:\n    def __init__(self, config=Config()):\n        self.config = config\n", R);
        assert_clean("def f(t=symbols('t')):\n    return t\n", R);
        // An RNG instance is a mutable object, not a random value.
        assert_clean(
            "import random\nclass W:\n    def __init__(self, rng=random.Random()):\n        self.bits = rng.getrandbits\n",
            R,
        );
    }

    #[test]
    fn mutable_constructors_belong_to_the_other_rule() {
        assert_clean("def f(a=list(), b=[]):\n    a.append(1)\n    return a, b\n", R);
    }

    #[test]
    fn ignores_immutable_calls_and_framework_markers() {
        assert_clean(
            "import re\ndef f(a=tuple(), b=frozenset([1]), c=re.compile('x'), d=int('3')):\n    return a, b, c, d\n",
            R,
        );
        assert_clean(
            "from fastapi import Depends, Query\ndef route(db=Depends(get_db), q=Query(None)):\n    return db, q\n",
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
        // The fixed function stamps each call anew.
        let driver = "import time\nlog('a')\n";
        fixed_output(src, R, driver);
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
