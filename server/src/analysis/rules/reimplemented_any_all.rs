//! `reimplemented-any-all` (peer: Ruff SIM110; Pylint `consider-using-any-or-all`, an
//! extension). A loop that returns `True` at the first item passing a test, followed by
//! `return False`, is `any(...)` written out by hand (and the mirror image is `all(...)`). Both
//! stop at the first decisive item, so nothing is lost either way: the rule reports a hint whose
//! message says the loop works.
//!
//! Detection, on the finished model: a synchronous `for` with no `else`, whose body is exactly
//! `if <cond>: return True` (or `return False`) with no `elif`/`else`, immediately followed in the
//! same block by `return False` (or `return True`: the opposite literal). Excluded: a target that
//! is not plain names (`for self.x in ...`); a condition that `yield`s, `await`s or binds with
//! `:=` (a generator expression gives these another scope); a loop variable a closure reads (it
//! would no longer be bound in the function). Test code is treated like any code.
//!
//! Fix (unsafe, as the catalogue says: comments inside are dropped — no fix then — and the loop
//! variable is no longer left bound): `return any(<cond> for <t> in <it>)`, or
//! `return all(<negated cond> for ...)` for the mirror image (`not x` loses its `not`; anything
//! else gains one). No fix when `any`/`all` is shadowed.

use ruff_python_ast::{Expr, Stmt, StmtFor, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::loops::{
    is_names_target, loop_header, target_bindings, target_read_outside, unsafe_in_comprehension, wrap_if_needed,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, NodeId};

/// During the walk: a loop of the right shape is looked at again after it.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if shape(for_stmt).is_some()
        && following_return(checker).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ReimplementedAnyAll, node);
    }
}

/// The condition and the literal returned when it holds: `if <cond>: return <bool>`.
fn shape(for_stmt: &StmtFor) -> Option<(&Expr, bool)> {
    if for_stmt.is_async || !for_stmt.orelse.is_empty() || !is_names_target(&for_stmt.target) {
        return None;
    }
    let [Stmt::If(if_stmt)] = &*for_stmt.body else { return None };
    let ([Stmt::Return(ret)], []) = (&*if_stmt.body, &*if_stmt.elif_else_clauses) else { return None };
    let Some(Expr::BooleanLiteral(value)) = ret.value.as_deref() else { return None };
    Some((&if_stmt.test, value.value))
}

/// The statement right after the loop, when it is `return True` / `return False`.
fn following_return<'a>(checker: &Checker<'a>) -> Option<(&'a Stmt, bool)> {
    let (suite, index) = checker.current_suite()?;
    let next = suite.get(index + 1)?;
    let Stmt::Return(ret) = next else { return None };
    let Some(Expr::BooleanLiteral(value)) = ret.value.as_deref() else { return None };
    Some((next, value.value))
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some((condition, inside)) = shape(for_stmt) else { return };
    let Some((after, outside)) = following_return(checker) else { return };
    if inside == outside || unsafe_in_comprehension(model, condition) {
        return;
    }
    let Some(bindings) = target_bindings(model, &for_stmt.target) else { return };
    if target_read_outside(model, node, stmt, &bindings).is_some() || read_by_closure(checker, &bindings) {
        return;
    }
    let builtin = if inside { "any" } else { "all" };
    let header = loop_header(checker, &for_stmt.target, &for_stmt.iter);
    let message = format!(
        "`{header}` returns `{}` at the first item that passes a test and `{}` otherwise: this works, and \
         `return {builtin}(...)` says the same in one line (it stops at the same item)",
        if inside { "True" } else { "False" },
        if inside { "False" } else { "True" },
    );
    let fix = fix(checker, for_stmt, condition, after, builtin);
    let range = TextRange::new(stmt.start(), for_stmt.iter.end());
    let finding = Finding::new(Rule::ReimplementedAnyAll, range, message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// Does a function or lambda nested in the loop's scope read a loop variable's name? One made
/// before the loop reads it at call time, from the function's locals, which the rewrite empties.
fn read_by_closure(checker: &Checker, bindings: &[BindingId]) -> bool {
    let model = checker.semantic();
    let scope = checker.scope();
    // `return` only stands in a function, which opened the scope.
    let Some(opened_by) = model.scope(scope).node else { return false };
    bindings.iter().any(|b| {
        let name = model.binding(*b).name;
        model.name_loads_in(opened_by, name).any(|(id, _)| {
            model
                .scope_chain(model.nodes.scope(id))
                .take_while(|s| *s != scope)
                .any(|s| model.scope(s).kind.is_function_like())
        })
    })
}

fn fix(checker: &Checker, for_stmt: &StmtFor, condition: &Expr, after: &Stmt, builtin: &str) -> Option<Fix> {
    let whole = TextRange::new(for_stmt.start(), after.end());
    let source = &checker.source;
    if checker.lookup(builtin).is_some() || source.has_comments(whole) || source.has_multiline_string(whole) {
        return None;
    }
    let element = match (builtin, condition) {
        ("any", c) => wrap_if_needed(source.slice(c), c),
        (_, Expr::UnaryOp(u)) if u.op == UnaryOp::Not => wrap_if_needed(source.slice(&*u.operand), &u.operand),
        (_, c) => format!("not {}", parenthesise_for_not(source.slice(c), c)),
    };
    let target = source.slice(&*for_stmt.target);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let text = format!("return {builtin}({element} for {target} in {iter})");
    let single_line = !text.contains(['\n', '\r']);
    single_line.then(|| {
        Fix::unsafe_(format!("Replace the loop with `return {builtin}(...)`"), vec![Edit::replace(whole, text)])
    })?
}

/// `not` binds tighter than `and`/`or`, looser than comparisons: `not a and b` is not `not (a and b)`.
fn parenthesise_for_not(text: &str, expr: &Expr) -> String {
    match expr {
        Expr::BoolOp(_) | Expr::If(_) | Expr::Lambda(_) | Expr::Named(_) => format!("({text})"),
        other => wrap_if_needed(text, other),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ReimplementedAnyAll as R;

    const ANY: &str = "def f(xs):\n    for x in xs:\n        if x > 2:\n            return True\n    return False\n";
    const ALL: &str = "def f(xs):\n    for x in xs:\n        if x > 2:\n            return False\n    return True\n";

    #[test]
    fn flags_loops_that_return_a_bool_at_the_first_match() {
        assert_count(ANY, R, 1);
        assert_count(ALL, R, 1);
        assert_count(
            "def f(d):\n    for k, v in d.items():\n        if not v:\n            return False\n    return True\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_other_shapes() {
        // The same literal twice, other values, other statements.
        assert_clean("def f(xs):\n    for x in xs:\n        if x:\n            return True\n    return True\n", R);
        assert_clean("def f(xs):\n    for x in xs:\n        if x:\n            return x\n    return False\n", R);
        assert_clean("def f(xs):\n    for x in xs:\n        if x:\n            return True\n    return None\n", R);
        assert_clean("def f(xs):\n    for x in xs:\n        if x:\n            return True\n", R);
        assert_clean(
            "def f(xs):\n    for x in xs:\n        print(x)\n        if x:\n            return True\n    return False\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    for x in xs:\n        if x:\n            return True\n        else:\n            pass\n    return False\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    for x in xs:\n        if x:\n            return True\n    else:\n        pass\n    return False\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    for x in xs:\n        if x:\n            return True\n    print()\n    return False\n",
            R,
        );
        assert_clean(
            "async def f(xs):\n    async for x in xs:\n        if x:\n            return True\n    return False\n",
            R,
        );
        assert_clean(
            "def f(o, xs):\n    for o.x in xs:\n        if o.x:\n            return True\n    return False\n",
            R,
        );
        assert_clean(
            "async def f(xs):\n    for x in xs:\n        if await x:\n            return True\n    return False\n",
            R,
        );
        assert_clean(
            "def f(xs):\n    for x in xs:\n        if (y := x):\n            return True\n    return False\n",
            R,
        );
        // A closure made before the loop reads the loop variable.
        assert_clean(
            "def f(xs):\n    g = lambda: x\n    for x in xs:\n        if g():\n            return True\n    return False\n",
            R,
        );
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier(ANY, R, Severity::Hint, "`return any(...)`");
        assert_tier(ALL, R, Severity::Hint, "this works");
    }

    #[test]
    fn fix_writes_any_or_all() {
        assert_eq!(fixed(ANY, R), "def f(xs):\n    return any(x > 2 for x in xs)\n");
        assert_eq!(fixed(ALL, R), "def f(xs):\n    return all(not x > 2 for x in xs)\n");
        let negated =
            "def f(d):\n    for k, v in d.items():\n        if not v:\n            return False\n    return True\n";
        assert_eq!(fixed(negated, R), "def f(d):\n    return all(v for k, v in d.items())\n");
        let boolop =
            "def f(xs):\n    for x in xs:\n        if x and x.ok:\n            return False\n    return True\n";
        assert_eq!(fixed(boolop, R), "def f(xs):\n    return all(not (x and x.ok) for x in xs)\n");
        let ternary = "def f(xs, a, b):\n    for x in a if xs else b:\n        if x:\n            return True\n    return False\n";
        assert_eq!(fixed(ternary, R), "def f(xs, a, b):\n    return any(x for x in (a if xs else b))\n");
        assert_eq!(first_fix_applicability(ANY, R), Some(Applicability::Unsafe));
        for src in [
            "def f(xs):\n    for x in xs:\n        if x:  # found\n            return True\n    return False\n",
            "any = None\ndef f(xs):\n    for x in xs:\n        if x:\n            return True\n    return False\n",
        ] {
            assert!(findings(src, R)[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn fixes_keep_the_output() {
        let driver = "print(f([1, 2, 3]), f([]), f([5, 0]), f(range(10)))";
        assert_fix_keeps_output(ANY, R, driver);
        assert_fix_keeps_output(ALL, R, driver);
        let side_effects = "seen = []\ndef f(xs):\n    for x in xs:\n        seen.append(x)\n        if x > 2:\n            return True\n    return False\n";
        // Not the shape (two statements in the body): nothing to fix.
        assert_clean(side_effects, R);
        let stops = "seen = []\ndef check(x):\n    seen.append(x)\n    return x > 2\ndef f(xs):\n    for x in xs:\n        if check(x):\n            return True\n    return False\n";
        assert_fix_keeps_output(stops, R, "print(f([1, 3, 5]), seen)");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def f(xs):\n    for x in xs:\n        if x:\n            return True\n    return",
            "def f(xs):\n    for x in xs:\n        if :\n            return True\n    return False\n",
            "for x in xs:\n    if x:\n        return True\nreturn False\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
