//! `mutable-default-argument` (peer: Ruff B006). A list, dict or set default is built once, when
//! the `def` runs, and shared by every call that omits the argument.
//!
//! Tiers, decided on the finished model (every read of the parameter is known there):
//! - warning, when a change to the shared object is visible: the body (or a function nested in it)
//!   changes it in place — a mutating method, an item or attribute store, `+=` — or the body stores
//!   it as `self.<attr>` and a method of the class changes `self.<attr>` in place. The message
//!   names that code and its line.
//! - hint, when a visible change looks deliberate: the function is nested in another (its defaults
//!   are built anew on each run of the outer one, so they are shared only within that run), the
//!   parameter is private (`_state`) or a one-cell counter (`n=[0]`: the default as a static
//!   variable), or it is named as a cache (`cache`, `memo`). The message says it looks deliberate
//!   and names the clearer idiom.
//! - hint, when nothing visible changes it: the body only reads it, passes it to a call we cannot
//!   see into, returns it or stores it: nothing leaks today, and the message says so (and says what
//!   would make it leak). Also a hint: a parameter named as a cache (`cache`, `memo`,
//!   `_cache`...) that the body fills — sharing is likely the point, and the message asks whether it
//!   is deliberate instead of calling it a bug.
//! - nothing, when the body only copies it (`x[:]`, `list(x)`, `x.copy()`, `dict(x)`): the copy
//!   already protects every call.
//!
//! Not reported either: `.pyi` stubs and `@overload` signatures (defaults there are documentation),
//! and parameters annotated with a read-only type (`Sequence`, `Mapping`, `tuple`, `frozenset`...),
//! as Ruff does. Test code is treated like any other: a shared default leaks between test calls too.
//!
//! Fix (unsafe: a caller passing `None` on purpose now gets a fresh object, and a shared default
//! used deliberately as a cache stops caching): the `None` sentinel.

use ruff_python_ast::{Expr, Parameter, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::helpers::defaults::{
    SharedUse, checked_defaults, defining_function, is_exempt, is_mutable_value, parameter_binding, scope_parameters,
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
    let Some(binding) = parameter_binding(checker, scope, parameter) else { return };
    let (shown, owner) = shown_default(checker, parameter, default, function);
    let outer = defining_function(checker, scope);
    let head = match outer {
        // A nested `def` is executed (and its defaults built) on every run of the function around it.
        Some(outer) => format!(
            "{shown} is created each time `def {}` runs (it defines {owner}), and shared by the calls made during that run",
            outer.name.as_str()
        ),
        None => format!("{shown} is created once, when {owner} runs, and shared by every call that omits `{name}`"),
    };
    let change_example = change_example(default, name);
    let (tail, severity) = match shared_use(checker, binding) {
        SharedUse::Mutated(what) if is_cache_name(name) => (
            format!(
                "{what} fills it across calls, which looks like a deliberate cache: say so in a comment, or use \
                 `functools.cache` or a module-level dict"
            ),
            Severity::Hint,
        ),
        SharedUse::Mutated(what) if outer.is_some() => (
            format!("{what} changes it, so those calls share what it holds, which looks deliberate here"),
            Severity::Hint,
        ),
        SharedUse::Mutated(what) if is_state_cell(default, name) => (
            format!(
                "{what} keeps state across calls on purpose (the default as a static variable): it works, but a \
                 closure with `nonlocal`, a class or a module-level variable says so"
            ),
            Severity::Hint,
        ),
        SharedUse::Mutated(what) => {
            (format!("{what} changes it in place, so later calls see what earlier calls left"), Severity::Warning)
        }
        SharedUse::Handed(what) => (
            format!(
                "{what} hands the shared object out; nothing here changes it, but a holder that does changes it for every call"
            ),
            Severity::Hint,
        ),
        SharedUse::Captured(line) => (
            format!("a nested function (line {line}) reads it; nothing changes it, so nothing leaks yet"),
            Severity::Hint,
        ),
        SharedUse::Passed(callee, line) => (
            format!("it is passed to `{callee}` (line {line}); nothing here changes it, but that call could"),
            Severity::Hint,
        ),
        SharedUse::ReadOnly => {
            (format!("this body only reads it, so nothing leaks yet ({change_example} would)"), Severity::Hint)
        }
        SharedUse::Unused => ("this body does not use it, so nothing leaks yet".to_string(), Severity::Hint),
        SharedUse::CopiedOnly => return,
    };
    let fix = function.and_then(|function| sentinel_fix(checker, parameter, default, function));
    let finding =
        Finding::new(Rule::MutableDefaultArgument, default.range(), format!("{head}; {tail}")).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// An in-place change that would make the sharing visible, for the hint: "one `x.append(...)`".
fn change_example(default: &Expr, name: &str) -> String {
    match default {
        Expr::Dict(_) | Expr::DictComp(_) => format!("one `{name}[k] = v`"),
        Expr::Set(_) | Expr::SetComp(_) => format!("one `{name}.add(...)`"),
        Expr::List(_) | Expr::ListComp(_) => format!("one `{name}.append(...)`"),
        // `set()`, `dict()`, `list()` and the `collections` constructors, by the name called.
        Expr::Call(call) => match &*call.func {
            Expr::Name(n) if n.id.as_str() == "set" => format!("one `{name}.add(...)`"),
            Expr::Name(n) if n.id.as_str() == "dict" => format!("one `{name}[k] = v`"),
            Expr::Name(n) if n.id.as_str() == "list" => format!("one `{name}.append(...)`"),
            _ => "one in-place change".to_string(),
        },
        _ => "one in-place change".to_string(),
    }
}

/// The default as a static variable: a private parameter (`_state`, not meant to be passed), or a
/// one-cell list of a literal used as a counter (`n=[0]`, `n[0] += 1`).
fn is_state_cell(default: &Expr, name: &str) -> bool {
    let private = name.starts_with('_') && !name.starts_with("__");
    let cell = matches!(default, Expr::List(list) if !list.elts.is_empty() && list.elts.len() <= 2
        && list.elts.iter().all(|e| e.is_number_literal_expr() || e.is_none_literal_expr() || e.is_boolean_literal_expr()));
    private || cell
}

/// `cache`, `_cache`, `memo`, `seen_cache`...: names that say the sharing is the point. (`seen` is not
/// one: a `seen=set()` accumulator shared across top-level calls is the classic bug.)
fn is_cache_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("cache") || name.contains("memo")
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
        warn(
            "class C:\n    def __init__(self, items=[]):\n        self.items = items\n    def add(self, x):\n        self.items.append(x)\n",
            "`self.items = items` (line 3) keeps it, and `self.items.append(x)` in `add` (line 5) changes it",
        );
        warn("def f(a=[]):\n    def g():\n        a.append(1)\n    g()\n", "`a.append(1)` (line 3)");
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
            "def f(a=[]):\n    return tuple(a)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Hint, "{src}: {}", found[0].message);
            assert!(found[0].message.contains("nothing leaks yet"), "{}", found[0].message);
        }
        let hint = |src: &str, text: &str| {
            let found = findings(src, R);
            assert_eq!(found[0].severity, Severity::Hint, "{src}: {}", found[0].message);
            assert!(found[0].message.contains(text), "{src}: {}", found[0].message);
        };
        hint("def f(a=[]):\n    g(a)\n", "passed to `g`");
        // Handed out, but nothing visible changes it.
        hint(
            "def f(a=[]):\n    return a\n",
            "`return a` (line 2) hands the shared object out; nothing here changes it",
        );
        hint("def f(a=[]):\n    yield a\n", "`yield a` (line 2)");
        hint(
            "class C:\n    def __init__(self, items=[]):\n        self.items = items\n    def n(self):\n        return len(self.items)\n",
            "`self.items = items` (line 3)",
        );
        hint("def f(a=[]):\n    def g():\n        return a\n    return g\n", "a nested function (line 3) reads it");
        hint("def f(a=[]):\n    pass\n", "does not use it");
    }

    #[test]
    fn nothing_when_the_body_copies_it_first() {
        // The copy is the defensive idiom: changing the copy does not touch the shared default.
        for src in [
            "def f(a=[]):\n    a = list(a)\n    a.append(1)\n    return a\n",
            "def f(a=[]):\n    b = a[:]\n    b.append(1)\n    return b\n",
            "class T:\n    def __init__(self, fixers=[]):\n        self.fixers = fixers[:]\n",
            "import copy\ndef f(d={}):\n    d = copy.deepcopy(d)\n    d['k'] = 1\n    return d\n",
            "def f(d={}):\n    return dict(d, k=1)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn deliberate_state_is_a_hint() {
        let hint = |src: &str, text: &str| {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert_eq!(found[0].severity, Severity::Hint, "{src}: {}", found[0].message);
            assert!(found[0].message.contains(text), "{src}: {}", found[0].message);
        };
        // Nested: rebuilt on each run of the outer function.
        hint(
            "def walk(paths):\n    def seen(p, m={}):\n        if p in m:\n            return True\n        m[p] = True\n    return [p for p in paths if not seen(p)]\n",
            "created each time `def walk` runs",
        );
        // A one-cell counter, a private parameter: the default as a static variable.
        hint("def bind(seq, n=[0]):\n    n[0] += 1\n    return n[0]\n", "static variable");
        hint(
            "def jiffies(_load_time=[]):\n    if not _load_time:\n        _load_time.append(1)\n    return _load_time[0]\n",
            "static variable",
        );
    }

    #[test]
    fn a_dict_unpacked_into_a_new_dict_is_a_copy() {
        assert_clean(
            "class E:\n    def __init__(self, attrib={}, **extra):\n        self.attrib = {**attrib, **extra}\n    def clear(self):\n        self.attrib.clear()\n",
            R,
        );
    }

    #[test]
    fn a_cache_that_is_filled_on_purpose_is_a_hint() {
        let found = findings(
            "def fib(n, _cache={}):\n    if n not in _cache:\n        _cache[n] = n\n    return _cache[n]\n",
            R,
        );
        assert_eq!(found[0].severity, Severity::Hint);
        assert!(found[0].message.contains("deliberate cache"), "{}", found[0].message);
        // `seen` is the classic accumulator bug, not a cache.
        let found = findings("def walk(node, seen=set()):\n    seen.add(node)\n", R);
        assert_eq!(found[0].severity, Severity::Warning);
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
