//! "Convert function to generator": a function that only builds a list with appends and returns
//! it becomes a generator that yields each item. Unsafe: callers that index, take `len()` of, or
//! iterate the result twice change behaviour.
//!
//! Offered when the body (after a docstring) is `res = []` (or `list()`), statements that touch
//! `res` only through `res.append(<expr>)` statements (at any depth of loops, `if`, `with`, `try`,
//! never inside a nested function, lambda or comprehension), and a final `return res`, with no
//! other `return` and no `yield` of its own.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprCall, ExprName, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;
use crate::analysis::semantic::{NodeRef, ScopeId, ScopeKind, SemanticModel, Use};

/// Once per function scope, after the walk: the list's reads are all known then.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let ScopeKind::Function(function) = checker.semantic().scope(scope).kind else { return };
    if let Some(refactor) = refactor(checker, scope, function) {
        checker.refactors.push(refactor);
    }
}

fn refactor(checker: &Checker, scope: ScopeId, function: &StmtFunctionDef) -> Option<Refactor> {
    let name = function.name.as_str();
    // Dunder methods answer protocols (`__dir__`, `__getstate__`...) that want a real list.
    if function.is_async || name.is_empty() || name.starts_with("__") && name != "__iter__" {
        return None;
    }
    let body = match function.body.split_first() {
        Some((first, rest)) if helpers::is_docstring(first) => rest,
        _ => &function.body[..],
    };
    let [init, .., last] = body else { return None };
    let list = empty_list_target(checker, init)?;
    let Stmt::Return(ret) = last else { return None };
    let Some(Expr::Name(returned)) = ret.value.as_deref() else { return None };
    let model = checker.semantic();
    let binding = model.nodes.id_of_name(list).and_then(|id| model.nodes.binding(id))?;
    // The list is the only binding of its name here, and what the last statement returns.
    if model.bindings_of(scope, list.id.as_str()).count() != 1 || model.resolve_name(returned) != Some(binding) {
        return None;
    }
    let returned_node = model.nodes.id_of_name(returned)?;
    let mut appends = Vec::new();
    for reference in model.references(binding) {
        if reference.node == returned_node {
            continue;
        }
        // Read in a nested function, lambda or comprehension, or used other than appended to.
        let Use::MethodCall { method: "append", call } = model.use_of(reference) else { return None };
        let stmt = model.statement(reference.node)?;
        if reference.scope != scope || !is_append_statement(stmt, call) {
            return None;
        }
        appends.push((stmt, call));
    }
    if appends.is_empty() || has_own_return_or_yield(model, scope, function, last) {
        return None;
    }
    let mut edits = vec![helpers::delete_statement(checker, init)?, helpers::delete_statement(checker, last)?];
    for (stmt, call) in &appends {
        let [value] = &*call.arguments.args else { return None };
        edits.push(Edit::replace(stmt.range(), format!("yield {}", yield_operand(checker, value))));
    }
    let fix = Fix::unsafe_(format!("Convert `{name}` to a generator"), edits)?;
    Some(Refactor {
        id: "convert-to-generator",
        card: "generator-function",
        range: header_range(checker, function),
        fix,
    })
}

/// `res.append(<one positional argument>)` as a whole statement.
fn is_append_statement(stmt: &Stmt, call: &ExprCall) -> bool {
    let Stmt::Expr(expr) = stmt else { return false };
    matches!(&*expr.value, Expr::Call(c) if std::ptr::eq(c, call))
        && call.arguments.args.len() == 1
        && call.arguments.keywords.is_empty()
        && !call.arguments.args[0].is_starred_expr()
}

/// A `return` other than `last`, or a `yield`, in the function's own code (not in a nested
/// function, lambda or comprehension): another `return` would end the generator without the
/// items, and a `yield` means it is one already.
fn has_own_return_or_yield(model: &SemanticModel, scope: ScopeId, function: &StmtFunctionDef, last: &Stmt) -> bool {
    model.own_nodes(&function.body, scope).any(|n| match model.node(n) {
        NodeRef::Stmt(stmt @ Stmt::Return(_)) => !std::ptr::eq(stmt, last),
        NodeRef::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => true,
        _ => false,
    })
}

/// `res = []`, `res = list()` or `res: T = []`: the list's name.
fn empty_list_target<'a>(checker: &Checker, stmt: &'a Stmt) -> Option<&'a ExprName> {
    let (target, value) = match stmt {
        Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value),
        Stmt::AnnAssign(a) => (&*a.target, a.value.as_deref()?),
        _ => return None,
    };
    let Expr::Name(name) = target else { return None };
    let empty = match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(call) => call.arguments.is_empty() && checker.resolves_to(&call.func, "builtins.list"),
        _ => false,
    };
    (empty && !name.id.is_empty()).then_some(name)
}

/// From `def` to the end of the name: where the action is offered.
fn header_range(checker: &Checker, function: &StmtFunctionDef) -> TextRange {
    let name = function.name.range();
    let start = checker
        .source
        .token_before(name.start())
        .filter(|t| t.kind() == TokenKind::Def)
        .map_or(name.start(), |t| t.start());
    TextRange::new(start, name.end())
}

/// `yield` takes an expression list; parenthesise what would read differently or not parse.
fn yield_operand(checker: &Checker, value: &Expr) -> String {
    let text = checker.source.slice(value);
    let wrap = text.contains(['\n', '\r'])
        || match value {
            Expr::Named(_) | Expr::Starred(_) => true,
            Expr::Generator(g) => !g.parenthesized,
            _ => false,
        };
    if wrap { format!("({text})") } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::{AnalysisOptions, Refactor, analyze};

    fn refactors(source: &str) -> Vec<Refactor> {
        analyze(source, &AnalysisOptions::default())
            .refactors
            .into_iter()
            .filter(|r| r.id == "convert-to-generator")
            .collect()
    }

    #[track_caller]
    fn converted(source: &str) -> String {
        let found = refactors(source);
        let refactor = found.first().unwrap_or_else(|| panic!("no refactor on:\n{source}"));
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "does not parse:\n{result}");
        result
    }

    #[test]
    fn converts_append_loops_to_yields() {
        let src = "def evens(xs):\n    \"\"\"Doc.\"\"\"\n    out = []\n    for x in xs:\n        if x % 2 == 0:\n            out.append(x * 10)\n    return out\n";
        assert_eq!(
            converted(src),
            "def evens(xs):\n    \"\"\"Doc.\"\"\"\n    for x in xs:\n        if x % 2 == 0:\n            yield x * 10\n"
        );
        let refactor = &refactors(src)[0];
        assert_eq!(&src[refactor.range.start().to_usize()..refactor.range.end().to_usize()], "def evens");
        assert_eq!(refactor.card, "generator-function");
        assert_eq!(refactor.fix.title, "Convert `evens` to a generator");
    }

    #[test]
    fn converts_appends_in_with_and_try_and_keeps_comments_and_crlf() {
        let src = "def lines(p):\r\n\tres = list()  # collected\r\n\twith open(p) as f:\r\n\t\ttry:\r\n\t\t\tfor l in f:\r\n\t\t\t\tres.append(l.strip())\r\n\t\t\tres.append(x := 1)\r\n\t\texcept OSError:\r\n\t\t\tres.append('-' +\r\n\t\t\t\t'x')\r\n\treturn res\r\n";
        assert_eq!(
            converted(src),
            "def lines(p):\r\n\t  # collected\r\n\twith open(p) as f:\r\n\t\ttry:\r\n\t\t\tfor l in f:\r\n\t\t\t\tyield l.strip()\r\n\t\t\tyield (x := 1)\r\n\t\texcept OSError:\r\n\t\t\tyield ('-' +\r\n\t\t\t\t'x')\r\n"
        );
    }

    #[test]
    fn not_offered_when_the_list_is_used_otherwise() {
        let not = [
            // Read, extended, or returned early.
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(len(out))\n    return out\n",
            "def f(xs):\n    out = []\n    out.extend(xs)\n    return out\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            return out\n        out.append(x)\n    return out\n",
            // Appended inside a nested function or lambda.
            "def f(xs):\n    out = []\n    def g(x):\n        out.append(x)\n    for x in xs:\n        out.append(x)\n    return out\n",
            // Already a generator, async, no append, not an empty list, last statement not the return.
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append((yield x))\n    return out\n",
            "async def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n",
            "def f(xs):\n    out = []\n    return out\n",
            "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n    return out\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    print(1)\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out[:]\n",
            "class A:\n    def __dir__(self):\n        out = []\n        for x in xs:\n            out.append(x)\n        return out\n",
        ];
        for src in not {
            assert!(refactors(src).is_empty(), "{src}");
        }
    }

    #[test]
    fn nested_returns_and_yields_do_not_count() {
        let src = "def f(xs):\n    out = []\n    def key(x):\n        return x\n    for x in sorted(xs, key=lambda y: (yield)):\n        out.append(key(x))\n    return out\n";
        assert_eq!(
            converted(src),
            "def f(xs):\n    def key(x):\n        return x\n    for x in sorted(xs, key=lambda y: (yield)):\n        yield key(x)\n"
        );
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def f(:\n    out = []\n    out.append(\n    return out\n",
            "def (xs):\n    out = []\n    return",
            "def f():\n    = []\n    return\n",
        ] {
            let _ = refactors(src);
        }
    }
}
