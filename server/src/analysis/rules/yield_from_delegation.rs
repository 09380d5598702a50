//! `yield-from-delegation` (peer: Ruff UP028). `for t in it: yield t` re-yields items by hand. It
//! works for plain iteration; `yield from it` says it in one statement and is a full delegation:
//! it also forwards `send()`/`throw()`/`close()` to `it` and gives back the sub-generator's
//! `return` value, which the loop silently drops. No harm is visible unless someone drives the
//! generator with `send()` or needs that value, so the rule reports a hint; when the iterable is a
//! call to a generator of this file that returns a value, the message names that `return`.
//!
//! Detection, on the finished model (the loop is deferred until every read is known): inside a
//! non-async `def`, a `for` loop without `else` whose body is exactly `yield <target>` (the same
//! name, or the same tuple of names), when no target name is declared `global`/`nonlocal` and the
//! target's value is not needed afterwards: not read after the loop, by a closure, or elsewhere in
//! a loop around it (where a later pass would read it). Test code is treated like any code: a test
//! helper that re-yields is the same shape (a loop written on purpose to show what `yield from`
//! replaces is the one case a reader may want to keep).
//!
//! Fix (unsafe: `.send()` values now reach `it`, which raises `AttributeError` if it is a plain
//! iterator): replace the loop with `yield from <it>`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, Stmt, StmtFor, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::loops::{target_bindings, target_read_outside};
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, NodeId, NodeRef, ScopeKind};

/// During the walk, at a `for` statement of the right shape: looked at again after the walk.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if re_yielded(for_stmt).is_some()
        && enclosing_generator(checker).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::YieldFromDelegation, node);
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    if re_yielded(for_stmt).is_none() || enclosing_generator(checker).is_none() {
        return;
    }
    let scope = model.scope(checker.scope());
    let Some(targets) = target_bindings(model, &for_stmt.target) else { return };
    if targets.is_empty()
        || targets.iter().any(|b| scope.declaration(model.binding(*b).name).is_some())
        || target_read_outside(model, node, stmt, &targets).is_some()
    {
        return;
    }
    let iter = checker.source.slice(&*for_stmt.iter);
    let shown_iter = if iter.len() <= 40 && !iter.contains(['\n', '\r']) { iter } else { "..." };
    let target = checker.source.slice(&*for_stmt.target);
    let dropped = match returned_value(checker, &for_stmt.iter) {
        Some((function, line)) => format!("; here `{function}` returns a value (line {line}) that this loop drops"),
        None => String::new(),
    };
    let message = format!(
        "`for {target} in {shown_iter}` re-yields each item by hand: this works for plain iteration, and \
         `yield from {shown_iter}` says it in one statement, also forwarding `send()`/`throw()` to it and \
         giving back its `return` value{dropped}"
    );
    let fix = yield_from_fix(checker, stmt, for_stmt);
    let finding = Finding::new(Rule::YieldFromDelegation, stmt.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// The yielded value, when the body is exactly `yield <target>`.
fn re_yielded(for_stmt: &StmtFor) -> Option<&Expr> {
    if for_stmt.is_async || !for_stmt.orelse.is_empty() {
        return None;
    }
    let [Stmt::Expr(body)] = for_stmt.body.as_slice() else { return None };
    let Expr::Yield(yield_expr) = &*body.value else { return None };
    let value = yield_expr.value.as_deref()?;
    is_same_target(&for_stmt.target, value).then_some(value)
}

/// `t` / `t` or `(a, b)` / `(a, b)`: the yielded value is exactly the loop target.
fn is_same_target(target: &Expr, value: &Expr) -> bool {
    match (target, value) {
        (Expr::Name(t), Expr::Name(v)) => t.id == v.id && !t.id.is_empty(),
        (Expr::Tuple(t), Expr::Tuple(v)) => {
            t.elts.len() == v.elts.len() && t.elts.iter().zip(&v.elts).all(|(t, v)| is_same_target(t, v))
        }
        _ => false,
    }
}

/// The sync `def` whose body holds the loop directly (through other loops only).
fn enclosing_generator<'a>(checker: &Checker<'a>) -> Option<&'a StmtFunctionDef> {
    for frame in checker.frames() {
        match frame {
            Frame::Loop(_) => {}
            Frame::Function(function) if !function.is_async => return Some(function),
            _ => return None,
        }
    }
    None
}

/// `it` is a call to a generator function of this file whose own body has `return <value>`: its
/// name and the line of that `return`.
fn returned_value<'a>(checker: &Checker<'a>, iter: &Expr) -> Option<(&'a str, usize)> {
    let Expr::Call(call) = iter else { return None };
    let Expr::Name(name) = &*call.func else { return None };
    let model = checker.semantic();
    let BindingKind::FunctionDef(function) = model.binding(model.resolve_name(name)?).kind else { return None };
    let (scope, _) =
        model.scopes().find(|(_, s)| matches!(s.kind, ScopeKind::Function(f) if std::ptr::eq(f, function)))?;
    let (mut is_generator, mut returned) = (false, None);
    for n in model.own_nodes(&function.body, scope) {
        match model.node(n) {
            NodeRef::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => is_generator = true,
            NodeRef::Stmt(Stmt::Return(ret))
                if ret.value.as_deref().is_some_and(|v| !v.is_none_literal_expr()) && returned.is_none() =>
            {
                returned = Some(checker.source.line_number(ret.start()));
            }
            _ => {}
        }
    }
    returned.filter(|_| is_generator).map(|line| (function.name.as_str(), line))
}

fn yield_from_fix(checker: &Checker, stmt: &Stmt, for_stmt: &StmtFor) -> Option<Fix> {
    if checker.source.has_comments(stmt.range()) {
        return None;
    }
    let iter = parenthesized_iter(checker, for_stmt)?;
    let text = checker.source.slice(&iter).trim();
    let bare_tuple = matches!(&*for_stmt.iter, Expr::Tuple(t) if !t.parenthesized);
    let content = if bare_tuple { format!("yield from ({text})") } else { format!("yield from {text}") };
    Fix::unsafe_("Replace the loop with `yield from`", vec![Edit::replace(stmt.range(), content)])
}

/// The iterable with any parentheses written around it: from after `in` to before the `:`.
fn parenthesized_iter(checker: &Checker, for_stmt: &StmtFor) -> Option<TextRange> {
    let first = for_stmt.body.first()?;
    let header = TextRange::new(for_stmt.target.end(), first.start());
    let tokens = checker.source.tokens_in(header);
    let in_token = tokens.iter().find(|t| t.kind() == TokenKind::In)?;
    let colon = tokens.iter().rev().find(|t| t.kind() == TokenKind::Colon)?;
    if in_token.end() > for_stmt.iter.start() || colon.start() < for_stmt.iter.end() {
        return None;
    }
    Some(TextRange::new(in_token.end(), colon.start()))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::YieldFromDelegation as R;

    #[test]
    fn flags_re_yield_loops_in_generators() {
        assert_count("def g(it):\n    for x in it:\n        yield x\n", R, 1);
        assert_count("def g(it):\n    for a, b in it:\n        yield a, b\n", R, 1);
        assert_count("def g(it):\n    for (a, b) in it:\n        yield (a, b)\n", R, 1);
        assert_count("def g(its):\n    while True:\n        for x in its:\n            yield x\n", R, 1);
        assert_count("class C:\n    def __iter__(self):\n        for x in self.items:\n            yield x\n", R, 1);
        // A read before the loop does not need the loop's final value.
        assert_count("def g(x, it):\n    print(x)\n    for x in it:\n        yield x\n", R, 1);
    }

    #[test]
    fn ignores_other_bodies_targets_and_contexts() {
        assert_clean("def g(it):\n    for x in it:\n        yield x + 1\n", R);
        assert_clean("def g(it):\n    for x in it:\n        yield\n", R);
        assert_clean("def g(it):\n    for x in it:\n        print(x)\n        yield x\n", R);
        assert_clean("def g(it):\n    for a, b in it:\n        yield b, a\n", R);
        assert_clean("def g(it):\n    for x in it:\n        yield x\n    else:\n        pass\n", R);
        assert_clean("def g(it):\n    for x.y in it:\n        yield x.y\n", R);
        assert_clean("async def g(it):\n    for x in it:\n        yield x\n", R);
        assert_clean("def g(it):\n    class A:\n        for x in it:\n            yield x\n", R);
        assert_clean("for x in it:\n    yield x\n", R);
        assert_clean("def g(it):\n    f = lambda: [(yield x) for x in it]\n", R);
    }

    #[test]
    fn ignores_targets_read_later_or_declared_global() {
        assert_clean("def g(it):\n    for x in it:\n        yield x\n    print(x)\n", R);
        assert_clean(
            "def g(its):\n    for it in its:\n        print(x)\n        for x in it:\n            yield x\n",
            R,
        );
        assert_clean("def g(it):\n    global x\n    for x in it:\n        yield x\n", R);
        assert_clean(
            "def g(it):\n    x = 0\n    def h():\n        nonlocal x\n        for x in it:\n            yield x\n",
            R,
        );
    }

    #[test]
    fn message_names_the_iterable() {
        let msg = message("def g():\n    for chunk in read_chunks():\n        yield chunk\n", R);
        assert!(msg.contains("`for chunk in read_chunks()`") && msg.contains("`yield from read_chunks()`"), "{msg}");
    }

    #[test]
    fn hint_names_a_dropped_return_value() {
        let src = "def inner():\n    yield 1\n    return 2\n\ndef outer():\n    for x in inner():\n        yield x\n";
        let found = findings(src, R);
        assert_eq!(found[0].severity, Severity::Hint);
        assert!(
            found[0].message.contains("this works") && found[0].message.contains("`inner` returns a value (line 3)"),
            "{}",
            found[0].message
        );
        // A plain function returning a list is not a generator's return value; `return None` is none.
        for src in [
            "def inner():\n    return [1]\n\ndef outer():\n    for x in inner():\n        yield x\n",
            "def inner():\n    yield 1\n    return None\n\ndef outer():\n    for x in inner():\n        yield x\n",
        ] {
            assert!(!message(src, R).contains("returns a value"), "{src}");
        }
    }

    #[test]
    fn fix_keeps_the_output() {
        let src = "def g(it):\n    for x in it:\n        yield x\n    yield 'end'\n";
        assert_fix_keeps_output(src, R, "print(list(g([1, 2])), list(g(iter('ab'))))\n");
        let src = "def g(pairs):\n    for a, b in pairs:\n        yield a, b\n";
        assert_fix_keeps_output(src, R, "print(list(g({1: 2}.items())))\n");
    }

    #[test]
    fn card_example() {
        let flagged = "def read_chunks():\n    yield \"a\"\n    yield \"b\"\n    return 2  # number of chunks read\n\ndef pipeline():\n    for chunk in read_chunks():\n        yield chunk\n    # the 2 returned by read_chunks() is lost here\n\nprint(list(pipeline()))  # ['a', 'b']\n";
        assert_eq!(
            fixed(flagged, R),
            flagged.replace("for chunk in read_chunks():\n        yield chunk", "yield from read_chunks()")
        );
        let better = "def read_chunks():\n    yield \"a\"\n    yield \"b\"\n    return 2  # number of chunks read\n\ndef pipeline():\n    count = yield from read_chunks()\n    yield f\"done after {count} chunks\"\n\nprint(list(pipeline()))  # ['a', 'b', 'done after 2 chunks']\n";
        assert_clean(better, R);
    }

    #[test]
    fn fix_keeps_parentheses_and_wraps_bare_tuples() {
        let src = "def g(a, b):\n    for x in a, b:\n        yield x\n";
        assert_eq!(fixed(src, R), "def g(a, b):\n    yield from (a, b)\n");
        let src = "def g(a, b):\n    for x in (\n        a +\n        b\n    ):\n        yield x\n";
        assert_eq!(fixed(src, R), "def g(a, b):\n    yield from (\n        a +\n        b\n    )\n");
        let src = "def g(it):\n    for x in it: yield x\n    return 1\n";
        assert_eq!(fixed(src, R), "def g(it):\n    yield from it\n    return 1\n");
        let src = "def g(it):\r\n\tfor x in it:\r\n\t\tyield x\r\n";
        assert_eq!(fixed(src, R), "def g(it):\r\n\tyield from it\r\n");
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn no_fix_with_comments() {
        let found = findings("def g(it):\n    for x in it:  # why\n        yield x\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def g(it):\n    for x in",
            "def g(it):\n    for x in it:\n        yield",
            "def g():\n    for in it:\n        yield\n",
            "def g():\n    for x in :\n        yield x\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
