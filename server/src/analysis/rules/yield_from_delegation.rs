//! `yield-from-delegation` (peer: Ruff UP028). `for t in it: yield t` re-yields items by hand;
//! `yield from it` does the same and also forwards `send()`/`throw()`/`close()` to `it` and gives
//! back the sub-generator's `return` value, which the loop silently drops.
//!
//! Detection: inside a non-async `def`, a `for` loop without `else` whose body is exactly
//! `yield <target>` (the same name, or the same tuple of names), when no target name is declared
//! `global`/`nonlocal` and none is read after the loop (or elsewhere in an enclosing loop, where
//! a later iteration would read it), so the loop variable's final value is not needed.
//!
//! Fix (unsafe: `.send()` values now reach `it`, which raises `AttributeError` if it is a plain
//! iterator): replace the loop with `yield from <it>`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, Stmt, StmtFor, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, for_stmt: &'a StmtFor) {
    if for_stmt.is_async || !for_stmt.orelse.is_empty() {
        return;
    }
    let [Stmt::Expr(body)] = for_stmt.body.as_slice() else { return };
    let Expr::Yield(yield_expr) = &*body.value else { return };
    let Some(value) = yield_expr.value.as_deref() else { return };
    if !is_same_target(&for_stmt.target, value) {
        return;
    }
    let Some((function, outer_loop)) = enclosing_generator(checker) else { return };
    let mut names = Vec::new();
    collect_names(value, &mut names);
    if names.is_empty() || declared_global(function, &names) || read_later(function, stmt, outer_loop, &names) {
        return;
    }
    let iter = checker.source.slice(&*for_stmt.iter);
    let shown_iter = if iter.len() <= 40 && !iter.contains(['\n', '\r']) { iter } else { "..." };
    let target = checker.source.slice(&*for_stmt.target);
    let message = format!(
        "`for {target} in {shown_iter}` re-yields each item by hand; `yield from {shown_iter}` also \
         forwards `send()`/`throw()` to it and gives back its `return` value, which this loop drops"
    );
    let fix = yield_from_fix(checker, stmt, for_stmt);
    checker.report(Finding::new(Rule::YieldFromDelegation, stmt.range(), message).with_fix(fix));
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

fn collect_names<'e>(expr: &'e Expr, names: &mut Vec<&'e str>) {
    match expr {
        Expr::Name(name) => names.push(name.id.as_str()),
        Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| collect_names(e, names)),
        _ => {}
    }
}

/// The sync `def` whose body holds the loop directly (through other loops only), and the
/// outermost of those enclosing loops.
fn enclosing_generator<'a>(checker: &Checker<'a>) -> Option<(&'a StmtFunctionDef, Option<&'a Stmt>)> {
    let mut outer_loop = None;
    for frame in checker.frames() {
        match frame {
            Frame::Loop(stmt) => outer_loop = Some(stmt),
            Frame::Function(function) if !function.is_async => return Some((function, outer_loop)),
            _ => return None,
        }
    }
    None
}

fn declared_global(function: &StmtFunctionDef, names: &[&str]) -> bool {
    let mut declared = false;
    helpers::for_each_node(&function.body, &mut |node| {
        let declared_names = match node {
            NodeVisit::Stmt(Stmt::Global(g)) => &g.names,
            NodeVisit::Stmt(Stmt::Nonlocal(n)) => &n.names,
            _ => return,
        };
        declared |= declared_names.iter().any(|n| names.contains(&n.as_str()));
    });
    declared
}

/// Is a target name read after the loop, or anywhere else in a loop around it?
fn read_later(function: &StmtFunctionDef, stmt: &Stmt, outer_loop: Option<&Stmt>, names: &[&str]) -> bool {
    let region = outer_loop.map_or(stmt.range(), Ranged::range);
    names.iter().any(|name| {
        helpers::name_loads_in_stmts(&function.body, name).iter().any(|load| {
            !stmt.range().contains_range(*load) && (load.start() >= stmt.end() || region.contains_range(*load))
        })
    })
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
    use crate::analysis::finding::Applicability;
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
