//! `mutable-default-argument` (peer: Ruff B006). A list, dict or set default is built once, when
//! the `def` runs, and shared by every call that omits the argument.
//!
//! Two tiers, decided on the finished model (so every read of the parameter is known):
//! - warning, when the body shows the harm: it changes the shared object in place (a mutating
//!   method, an item or attribute store, `+=`), or hands it out — returns or yields it, stores it
//!   on an object, in a container or under another name, or a closure captures it. The message
//!   names that code.
//! - hint, when the body only reads it (or passes it to calls that we cannot see into): nothing
//!   leaks today; the message says so.
//!
//! Not reported: `.pyi` stubs and `@overload` signatures (defaults there are documentation), and
//! parameters annotated with a read-only type (`Sequence`, `Mapping`, `tuple`, `frozenset`...), as
//! Ruff does. Test code gets no special treatment: a shared default leaks between test calls too.
//!
//! Fix (unsafe: a caller passing `None` on purpose now gets a fresh object, and a shared default
//! used deliberately as a cache stops caching): the `None` sentinel.

use ruff_python_ast::{Expr, Parameter, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::{checked_defaults, is_exempt, is_mutable_value, sentinel_fix, shown_default};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Finding, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, Escape, ScopeId, ScopeKind, Use};

/// Runs once per function or lambda scope, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let (parameters, function) = match checker.semantic().scope(scope).kind {
        ScopeKind::Function(function) => (&*function.parameters, Some(function)),
        ScopeKind::Lambda(lambda) => match &lambda.parameters {
            Some(parameters) => (&**parameters, None),
            None => return,
        },
        _ => return,
    };
    if is_exempt(checker, function) {
        return;
    }
    for (parameter, default) in checked_defaults(checker, parameters) {
        if is_mutable_value(checker, default) {
            report(checker, scope, parameter, default, function);
        }
    }
}

fn report(
    checker: &mut Checker,
    scope: ScopeId,
    parameter: &Parameter,
    default: &Expr,
    function: Option<&StmtFunctionDef>,
) {
    let name = parameter.name.as_str();
    let (shown, owner) = shown_default(checker, parameter, default, function);
    let head = format!("{shown} is created once, when {owner} runs, and shared by every call that omits `{name}`");
    let (message, severity) = match evidence(checker, scope, parameter) {
        Some((evidence, severity)) => (format!("{head}; {evidence}"), severity),
        None => (
            format!("{head}; this body only reads it, so nothing leaks yet (one `append` or `return {name}` would)"),
            Severity::Hint,
        ),
    };
    let fix = function.and_then(|function| sentinel_fix(checker, parameter, default, function));
    let finding = Finding::new(Rule::MutableDefaultArgument, default.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// What in the body lets the shared object change or leave, and how sure that is: "`bucket.append(item)`
/// (line 3) changes it in place..." is a warning; passing it to a call we cannot see into is a hint.
fn evidence(checker: &Checker, scope: ScopeId, parameter: &Parameter) -> Option<(String, Severity)> {
    let model = checker.semantic();
    let name = parameter.name.as_str();
    let binding = model
        .bindings_of(scope, name)
        .find(|b| matches!(model.binding(*b).kind, BindingKind::Parameter(p) if std::ptr::eq(p, parameter)))?;
    let line = |offset| checker.source.line_number(offset);
    if let Some((reference, how)) = model.first_mutation(binding, false) {
        let at = line(reference.start());
        let what = match how {
            Use::MethodCall { call, .. } => format!("`{}`", checker.source.shown(call)),
            Use::SubscriptStore => format!("`{name}[...] = ...`"),
            Use::AttributeStore(attr) => format!("`{name}.{attr} = ...`"),
            _ => format!("`{name} += ...`"),
        };
        let text = format!("{what} (line {at}) changes it in place, so later calls see what earlier calls left");
        return Some((text, Severity::Warning));
    }
    let (reference, how) = model.first_escape(binding)?;
    let at = line(reference.start());
    let Escape::Via(how) = how else {
        let text = format!("a nested function (line {at}) captures it, keeping the shared object across calls");
        return Some((text, Severity::Warning));
    };
    Some(match how {
        Use::Returned => (
            format!("`return {name}` (line {at}) hands the shared object to callers, who may change it"),
            Severity::Warning,
        ),
        Use::Yielded => (
            format!("`yield {name}` (line {at}) hands the shared object to callers, who may change it"),
            Severity::Warning,
        ),
        Use::Stored { target } => (
            format!(
                "`{} = {name}` (line {at}) keeps the shared object, so every holder sees the others' changes",
                checker.source.shown(target)
            ),
            Severity::Warning,
        ),
        Use::Argument { call } => (
            format!(
                "it is passed to `{}` (line {at}); nothing here changes it, but that call could",
                checker.source.shown(&*call.func)
            ),
            Severity::Hint,
        ),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Severity;
    use crate::analysis::rule::Rule::MutableDefaultArgument as R;

    #[test]
    fn flags_displays_comprehensions_and_constructors() {
        assert_count("def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n", R, 1);
        assert_count("def f(a={}, *, b=set(), c={x for x in y}):\n    return a, b, c\n", R, 3);
        assert_count("import collections as c\ndef f(d=c.defaultdict(list)):\n    d[1].append(2)\n", R, 1);
        assert_count("f = lambda acc=[]: acc\n", R, 1);
        assert_count("class A:\n    def m(self, cache={}):\n        cache[1] = 2\n", R, 1);
    }

    #[test]
    fn message_names_parameter_and_function() {
        let msg = message("def add(item, bucket=[]):\n    bucket.append(item)\n", R);
        assert!(msg.contains("`bucket=[]`") && msg.contains("`def add`"), "{msg}");
    }

    #[test]
    fn ignores_immutable_defaults_annotations_stubs_and_overloads() {
        assert_clean("def f(a=(), b=None, c=0, d='x', e=frozenset()):\n    pass\n", R);
        assert_clean("from typing import Sequence\ndef f(a: Sequence[int] = []):\n    return a\n", R);
        assert_clean("from typing import overload\n@overload\ndef f(a=[]): ...\n", R);
        // A local class named `list` is not the builtin.
        assert_clean("class list: pass\ndef f(a=list()):\n    return a\n", R);
    }

    #[test]
    fn warning_names_the_code_that_shows_the_harm() {
        let warn = |src: &str, evidence: &str| {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Warning, "{src}: {}", found[0].message);
            assert!(found[0].message.contains(evidence), "{src}: {}", found[0].message);
        };
        warn("def add(item, bucket=[]):\n    bucket.append(item)\n", "`bucket.append(item)` (line 2) changes it");
        warn("def f(d={}):\n    d['k'] = 1\n", "`d[...] = ...` (line 2)");
        warn("def f(a=[]):\n    a += [1]\n", "`a += ...` (line 2)");
        warn("def f(a=[]):\n    return a\n", "`return a` (line 2) hands the shared object");
        warn("def f(a=[]):\n    yield a\n", "`yield a` (line 2)");
        warn(
            "class C:\n    def __init__(self, items=[]):\n        self.items = items\n",
            "`self.items = items` (line 3)",
        );
        warn("def f(a=[]):\n    def g():\n        return a\n    return g\n", "captures it");
        // A lambda default, mutated in the lambda.
        warn("f = lambda acc=[]: acc.append(1)\n", "`acc.append(1)`");
    }

    #[test]
    fn hint_when_the_body_only_reads_it() {
        for src in [
            "def f(a=[]):\n    return len(a)\n",
            "def f(a=[]):\n    for x in a:\n        print(x)\n",
            "def f(opts={}):\n    return opts.get('k')\n",
            "def f(a=[]):\n    return sorted(a)\n",
            "def f(a=[]):\n    pass\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Hint, "{src}: {}", found[0].message);
            assert!(found[0].message.contains("nothing leaks yet"), "{}", found[0].message);
        }
        let found = findings("def f(a=[]):\n    g(a)\n", R);
        assert_eq!(found[0].severity, Severity::Hint);
        assert!(found[0].message.contains("passed to `g`"), "{}", found[0].message);
    }

    #[test]
    fn a_rebound_parameter_is_not_the_default() {
        // `a = list(a)` makes a copy: changing the copy does not touch the shared default.
        let found = findings("def f(a=[]):\n    a = list(a)\n    a.append(1)\n    return a\n", R);
        assert_eq!(found[0].severity, Severity::Hint, "{}", found[0].message);
    }

    #[test]
    fn fix_uses_none_sentinel_after_docstring() {
        let src = "def add(item, bucket: list[int] = []):\n    \"\"\"Doc.\"\"\"\n    bucket.append(item)\n    return bucket\n";
        assert_eq!(
            fixed(src, R),
            "def add(item, bucket: list[int] | None = None):\n    \"\"\"Doc.\"\"\"\n    if bucket is None:\n        bucket = []\n    bucket.append(item)\n    return bucket\n"
        );
        let only_doc = "def f(a=[]):\n    \"\"\"Only a docstring.\"\"\"\n";
        assert_eq!(
            fixed(only_doc, R),
            "def f(a=None):\n    \"\"\"Only a docstring.\"\"\"\n    if a is None:\n        a = []\n"
        );
    }

    #[test]
    fn fix_gives_each_call_its_own_object() {
        let src = "def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n";
        // The fix is a deliberate change for callers that omit the argument...
        assert_eq!(fixed_output(src, R, "add(1)\nprint(add(2))\n"), "[2]\n");
        // ...and keeps behaviour for callers that pass one.
        assert_fix_keeps_output(src, R, "print(add(1, [0]), add(2, []))\n");
    }

    #[test]
    fn fix_keeps_crlf_and_tabs() {
        let src = "def f(a={}):\r\n\ta[1] = 2\r\n";
        assert_eq!(fixed(src, R), "def f(a=None):\r\n\tif a is None:\r\n\t\ta = {}\r\n\ta[1] = 2\r\n");
    }

    #[test]
    fn no_fix_when_the_default_reads_a_parameter_name() {
        for src in
            ["def f(lnum=[lnum]):\n    lnum.append(1)\n", "class A:\n    def m(self, c=[self]):\n        c.append(1)\n"]
        {
            let found = findings(src, R);
            assert_eq!(found.len(), 1);
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn no_fix_when_body_is_on_the_def_line() {
        let found = findings("def f(a=[]): return a\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }
}
