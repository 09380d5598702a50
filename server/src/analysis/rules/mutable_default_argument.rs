//! `mutable-default-argument` (peer: Ruff B006). A list, dict or set default is built once, when
//! the `def` runs, and shared by every call that omits the argument.
//!
//! Also hosts the parameter walk shared with `call-in-default-argument` and the None-sentinel fix.

use ruff_python_ast::{Expr, ExprContext, Parameter, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use super::call_in_default_argument;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;

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
        Expr::Call(call) => {
            checker.resolve(&call.func).is_some_and(|name| MUTABLE_CONSTRUCTORS.contains(&name.as_str()))
        }
        _ => false,
    }
}

/// Annotations that promise the value is not mutated (`Sequence[int]`, `tuple`, `frozenset`...),
/// as Ruff's B006/B008 accept them.
pub(crate) fn is_immutable_annotation(checker: &Checker, annotation: &Expr) -> bool {
    match annotation {
        Expr::Subscript(sub) => {
            let base = checker.resolve(&sub.value);
            match base.as_deref() {
                Some("typing.Optional" | "typing_extensions.Optional") => is_immutable_annotation(checker, &sub.slice),
                Some("typing.Union") => match &*sub.slice {
                    Expr::Tuple(t) => t.elts.iter().all(|e| is_none(e) || is_immutable_annotation(checker, e)),
                    other => is_immutable_annotation(checker, other),
                },
                Some(name) => is_immutable_type_name(name),
                None => false,
            }
        }
        Expr::BinOp(binop) if binop.op.is_bit_or() => {
            (is_none(&binop.left) || is_immutable_annotation(checker, &binop.left))
                && (is_none(&binop.right) || is_immutable_annotation(checker, &binop.right))
        }
        other => checker.resolve(other).is_some_and(|name| is_immutable_type_name(&name)),
    }
}

fn is_none(expr: &Expr) -> bool {
    expr.is_none_literal_expr()
}

fn is_immutable_type_name(name: &str) -> bool {
    let short = name.rsplit('.').next().unwrap_or(name);
    let module = &name[..name.len() - short.len()];
    match module {
        "builtins." => {
            matches!(short, "tuple" | "frozenset" | "int" | "str" | "bytes" | "float" | "bool" | "complex" | "range")
        }
        "typing." | "typing_extensions." | "collections.abc." => matches!(
            short,
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

pub(crate) fn check_parameters<'a>(
    checker: &mut Checker<'a>,
    parameters: &'a Parameters,
    function: Option<&'a StmtFunctionDef>,
) {
    if checker.is_stub {
        return;
    }
    if let Some(function) = function {
        let is_overload = function.decorator_list.iter().any(|d| {
            matches!(checker.resolve(&d.expression).as_deref(), Some("typing.overload" | "typing_extensions.overload"))
        });
        if is_overload {
            return;
        }
    }
    for parameter in parameters.iter() {
        let Some(default) = parameter.default() else { continue };
        let p = parameter.as_parameter();
        if p.annotation().is_some_and(|a| is_immutable_annotation(checker, a)) {
            continue;
        }
        if is_mutable_value(checker, default) {
            report(checker, Rule::MutableDefaultArgument, p, default, function);
        } else if let Some(kind) = call_in_default_argument::classify(checker, default) {
            let _ = kind;
            report(checker, Rule::CallInDefaultArgument, p, default, function);
        }
    }
}

fn report<'a>(
    checker: &mut Checker<'a>,
    rule: Rule,
    parameter: &'a Parameter,
    default: &'a Expr,
    function: Option<&'a StmtFunctionDef>,
) {
    if !checker.enabled(rule) {
        return;
    }
    let name = parameter.name.as_str();
    let value = checker.source.slice(default);
    let shown = if value.len() > 40 || value.contains('\n') { "..." } else { value };
    let owner = function.map_or_else(|| "the `lambda`".to_string(), |f| format!("`def {}`", f.name.as_str()));
    let message = match rule {
        Rule::MutableDefaultArgument => {
            format!(
                "`{name}={shown}` is created once, when {owner} runs; every call that omits `{name}` shares that one object"
            )
        }
        _ => format!(
            "`{name}={shown}` is evaluated once, when {owner} runs; every call that omits `{name}` gets that same value"
        ),
    };
    let mut finding = Finding::new(rule, default.range(), message);
    if let Some(function) = function {
        if rule == Rule::MutableDefaultArgument && !may_escape_or_mutate(&function.body, name) {
            finding = finding.with_severity(Severity::Info);
        }
        finding = finding.with_fix(sentinel_fix(checker, parameter, default, function));
    }
    checker.report(finding);
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

/// Could the body mutate, store, return or yield the parameter? When not, the shared default is
/// harmless today and the finding is shown at information level.
fn may_escape_or_mutate(body: &[Stmt], name: &str) -> bool {
    let mut escapes = false;
    helpers::for_each_node(body, &mut |node| {
        if escapes {
            return;
        }
        match node {
            NodeVisit::Expr(Expr::Attribute(attr))
                // `p.append(...)`, `p.x = ...`: any attribute use may mutate.
                if is_name(&attr.value, name) => {
                    escapes = true;
                }
            NodeVisit::Expr(Expr::Subscript(sub)) if sub.ctx != ExprContext::Load
                && is_name(&sub.value, name) => {
                    escapes = true;
                }
            NodeVisit::Expr(Expr::Call(call)) if !is_read_only_builtin(&call.func)
                && (call.arguments.args.iter().any(|a| is_name(a, name))
                    || call.arguments.keywords.iter().any(|k| is_name(&k.value, name)))
                => {
                    escapes = true;
                }
            NodeVisit::Expr(Expr::Yield(y)) => escapes = y.value.as_deref().is_some_and(|v| is_name(v, name)),
            NodeVisit::Stmt(Stmt::Return(r)) => escapes = r.value.as_deref().is_some_and(|v| is_name(v, name)),
            NodeVisit::Stmt(Stmt::Assign(a)) => escapes = is_name(&a.value, name),
            NodeVisit::Stmt(Stmt::AugAssign(a)) => escapes = is_name(&a.target, name),
            NodeVisit::Stmt(Stmt::FunctionDef(_)) | NodeVisit::Expr(Expr::Lambda(_)) => {
                // A closure over the parameter can do anything with it later.
                escapes = true;
            }
            _ => {}
        }
    });
    escapes
}

/// Builtins that only read their arguments (shadowing is ignored: this only lowers a severity).
fn is_read_only_builtin(func: &Expr) -> bool {
    matches!(func, Expr::Name(n) if matches!(
        n.id.as_str(),
        "len" | "sorted" | "list" | "tuple" | "set" | "frozenset" | "sum" | "min" | "max" | "any" | "all" | "iter"
            | "enumerate" | "zip" | "print" | "str" | "repr" | "isinstance" | "bool" | "reversed" | "dict"
    ))
}

fn is_name(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Name(n) if n.id.as_str() == name)
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
    fn unused_default_is_information_only() {
        let found = findings("def f(a=[]):\n    return len(a)\n", R);
        assert_eq!(found[0].severity, Severity::Info);
        let found = findings("def f(a=[]):\n    a.append(1)\n", R);
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
