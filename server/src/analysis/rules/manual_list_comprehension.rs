//! `manual-list-comprehension` (peer: Ruff PERF401). A `for` loop whose whole body is
//! `res.append(<expr>)` (optionally under one `if`) builds a list the long way. It works; a
//! comprehension says the same in one expression, keeps the loop variable out of the enclosing
//! scope, and runs faster. No harm is visible in such code, so the rule reports a hint, whose
//! message says so.
//!
//! Shape, checked on the finished model (the loop is deferred until every read is known): the list
//! is known to be a list (`[]`, `list()`, a list display or comprehension, `[0] * n`, a `list`
//! annotation) and is the only binding of its name in the scope before the loop (as PERF401), or a
//! list bound in an enclosing scope that this function never binds; neither the appended value nor
//! the condition reads the list; the loop target is not read after the loop, by a closure, or
//! elsewhere in a loop around it. Unlike PERF401, unpacking targets (`for k, v in items`) are
//! reported too.
//!
//! Not reported: `async for` (no async comprehension is suggested) and `for x in y: res.append(x)`,
//! a plain copy (another idiom); a list that a nested function defined before the loop ends also
//! appends to or reads: the iteration itself may run that function (a generator being iterated),
//! so the list is a shared log whose interleaving the loop is part of, not a list being built (a
//! test that iterates a generator whose body appends to the same trace list is testing exactly
//! that). Test code is otherwise treated like any code: an append loop in a test builds its list
//! the long way too. Anchored, as Ruff does, on the `append` call.
//!
//! Fix (unsafe: the loop variable no longer exists after the loop, and an exception in the middle
//! leaves no half-filled list): `res = [<expr> for <t> in <it> if <cond>]` when `res = []` is the
//! statement just before the loop, `res.extend(<generator>)` otherwise. None in class bodies (a
//! comprehension cannot see class attributes), with comments or multi-line strings in the loop,
//! an `else:`, or a `yield`/`await`/walrus that would change meaning inside a comprehension.

use ruff_python_ast::{Expr, ExprCall, ExprName, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::appends::{Origin, assignment_target, empty_list_just_before, list_origin, shared_with_a_closure};
use super::helpers::loops::{
    is_names_target, is_read_in, loop_header, target_bindings, target_read_outside, unsafe_in_comprehension,
    wrap_if_needed,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, NodeId, ScopeKind};

/// During the walk, at a `for` statement: a loop of the right shape is looked at again once every
/// read is known.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if match_append_loop(for_stmt).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ManualListComprehension, node);
    }
}

/// After the walk, at the deferred `for` statement.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(loop_stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some(append) = match_append_loop(for_stmt) else { return };
    let Some(list) = model.resolve_name(append.list) else { return };
    let Some(origin) = list_origin(checker, list, for_stmt) else { return };
    let model = checker.semantic();
    // The appended value and the condition see the list grow: not a map or a filter.
    let reads_list = |e: Option<&Expr>| e.is_some_and(|e| is_read_in(model, list, e.range()));
    if reads_list(Some(append.elt)) || reads_list(append.cond) {
        return;
    }
    let Some(targets) = target_bindings(model, &for_stmt.target) else { return };
    if target_read_outside(model, node, loop_stmt, &targets).is_some() {
        return;
    }
    if matches!(origin, Origin::Local) && shared_with_a_closure(checker, list, for_stmt) {
        return;
    }
    let merge_with = empty_list_just_before(checker, node, list, for_stmt);
    let name = append.list.id.as_str();
    let header = loop_header(checker, &for_stmt.target, &for_stmt.iter);
    let message = match merge_with {
        Some(_) => format!(
            "`{header}` only appends to `{name}`, created empty just before: this works, and a list \
             comprehension builds the same list in one expression, without leaving the loop variable \
             behind, and faster"
        ),
        None => format!(
            "`{header}` only appends to `{name}`: this works, and `{name}.extend(...)` with a generator \
             expression says the same in one statement"
        ),
    };
    let fix = fix(checker, for_stmt, &append, list, merge_with);
    let finding = Finding::new(Rule::ManualListComprehension, append.call.range(), message)
        .with_severity(Severity::Hint)
        .with_fix(fix);
    checker.report(finding);
}

/// The parts of `for <t> in <it>: [if <cond>:] <list>.append(<elt>)`.
struct AppendLoop<'a> {
    list: &'a ExprName,
    call: &'a ExprCall,
    elt: &'a Expr,
    cond: Option<&'a Expr>,
}

fn match_append_loop(for_stmt: &StmtFor) -> Option<AppendLoop<'_>> {
    if for_stmt.is_async || !is_names_target(&for_stmt.target) {
        return None;
    }
    let (stmt, cond) = match for_stmt.body.as_slice() {
        [Stmt::If(if_stmt)] if if_stmt.elif_else_clauses.is_empty() => match if_stmt.body.as_slice() {
            [stmt] => (stmt, Some(&*if_stmt.test)),
            _ => return None,
        },
        [stmt] => (stmt, None),
        _ => return None,
    };
    let Stmt::Expr(expr_stmt) = stmt else { return None };
    let Expr::Call(call) = &*expr_stmt.value else { return None };
    let Expr::Attribute(attr) = &*call.func else { return None };
    let Expr::Name(list) = &*attr.value else { return None };
    let [elt] = &*call.arguments.args else { return None };
    if attr.attr.as_str() != "append"
        || !call.arguments.keywords.is_empty()
        || list.id.is_empty()
        || elt.is_starred_expr()
    {
        return None;
    }
    // `for x in y: res.append(x)` is a plain copy (`list(y)`, `res.extend(y)`), another idiom.
    if cond.is_none() && matches!((&*for_stmt.target, elt), (Expr::Name(t), Expr::Name(e)) if t.id == e.id) {
        return None;
    }
    Some(AppendLoop { list, call, elt, cond })
}

// ---- the fix ---------------------------------------------------------------------------------------

fn fix(
    checker: &Checker,
    for_stmt: &StmtFor,
    append: &AppendLoop,
    list: BindingId,
    merge_with: Option<&Stmt>,
) -> Option<Fix> {
    let source = &checker.source;
    let model = checker.semantic();
    let in_class = matches!(model.scope(checker.scope()).kind, ScopeKind::Class(_));
    // In a class body the comprehension could not see the class's names; comments in the loop
    // would be lost; a multi-line string would be re-flowed; an `else:` has nowhere to go.
    if in_class
        || !for_stmt.orelse.is_empty()
        || source.has_comments(for_stmt.range())
        || source.has_multiline_string(for_stmt.range())
        || is_read_in(model, list, for_stmt.iter.range())
        || unsafe_in_comprehension(model, append.elt)
        || append.cond.is_some_and(|c| unsafe_in_comprehension(model, c))
        || unsafe_in_comprehension(model, &for_stmt.iter)
    {
        return None;
    }
    let generator = generator_text(checker, for_stmt, append);
    let name = append.list.id.as_str();
    match merge_with {
        Some(binding) => {
            let lhs = assignment_target(checker, binding, name);
            let edit = Edit::replace(TextRange::new(binding.start(), for_stmt.end()), format!("{lhs} = [{generator}]"));
            Fix::unsafe_("Replace the loop with a list comprehension", vec![edit])
        }
        None => {
            let edit = Edit::replace(for_stmt.range(), format!("{name}.extend({generator})"));
            Fix::unsafe_(format!("Replace the loop with `{name}.extend(...)`"), vec![edit])
        }
    }
}

/// `<elt> for <t> in <it> if <cond>`, parenthesising the parts a comprehension would parse
/// differently.
fn generator_text(checker: &Checker, for_stmt: &StmtFor, append: &AppendLoop) -> String {
    let source = &checker.source;
    let elt = match append.elt {
        Expr::Generator(g) if !g.parenthesized => format!("({})", source.slice(append.elt)),
        other => source.slice(other).to_string(),
    };
    let target = source.slice(&*for_stmt.target);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let cond = append.cond.map(|c| format!(" if {}", wrap_if_needed(source.slice(c), c))).unwrap_or_default();
    format!("{elt} for {target} in {iter}{cond}")
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Severity;
    use crate::analysis::rule::Rule::ManualListComprehension as R;

    #[test]
    fn flags_append_loops_with_and_without_condition() {
        assert_count("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out\n", R, 1);
        assert_count(
            "def f(xs):\n    out = list()\n    for x in xs:\n        if x:\n            out.append(x)\n    return out\n",
            R,
            1,
        );
        assert_count("out: list[int] = []\nfor a, b in pairs:\n    out.append(a + b)\n", R, 1);
        assert_count("def f(xs, out: list):\n    for x in xs:\n        out.append(x + 1)\n", R, 1);
        // A list bound by a tuple assignment.
        assert_count("def f(xs):\n    n, out = 0, []\n    for x in xs:\n        out.append(x + 1)\n", R, 1);
        assert_clean("def f(xs, ys):\n    n, out = 0, ys\n    for x in xs:\n        out.append(x + 1)\n", R);
        // A list bound in the enclosing scope.
        assert_count("out = []\ndef f(xs):\n    for x in xs:\n        out.append(x + 1)\n", R, 1);
    }

    #[test]
    fn anchors_on_the_append_call_and_names_the_list() {
        let src = "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x * 2)\n    return out\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "out.append(x * 2)");
        let msg = message(src, R);
        assert!(msg.contains("`for x in xs`") && msg.contains("`out`") && msg.contains("comprehension"), "{msg}");
        assert!(msg.contains("this works"), "{msg}");
        assert_eq!(found[0].severity, Severity::Hint);
        let msg = message("def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x * 2)\n", R);
        assert!(msg.contains("`out.extend(...)`") && msg.contains("this works"), "{msg}");
    }

    #[test]
    fn ignores_lists_a_closure_appends_to_during_the_loop() {
        // A generator under test appends to the same trace list while the loop iterates it.
        let src = "def test():\n    trace = []\n    def g():\n        trace.append('start')\n        yield 1\n    for x in g():\n        trace.append('got %s' % x)\n    return trace\n";
        assert_clean(src, R);
        // Handed to other code before the loop: `extend` keeps appending to that same list.
        assert_count(
            "def f(xs):\n    out = []\n    register(out)\n    for x in xs:\n        out.append(x + 1)\n",
            R,
            1,
        );
        // An early `return out` ends the function: nothing holds the list while the loop runs.
        assert_count(
            "def f(xs, c):\n    out = []\n    if c:\n        return out\n    for x in xs:\n        out.append(x + 1)\n    return out\n",
            R,
            1,
        );
        // Reading it, or handing it on after the loop, is fine.
        assert_count(
            "def f(xs):\n    out = []\n    print(len(out))\n    for x in xs:\n        out.append(x + 1)\n    return g(out)\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_copies_async_loops_and_other_bodies() {
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n", R);
        assert_clean("async def f(xs):\n    out = []\n    async for x in xs:\n        out.append(x * 2)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(x)\n", R);
        assert_clean(
            "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            out.append(x)\n        else:\n            out.append(0)\n",
            R,
        );
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x, 1)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.add(x + 1)\n", R);
    }

    #[test]
    fn ignores_when_the_list_is_read_in_the_loop() {
        assert_clean("def f(xs):\n    out = [1]\n    for x in xs:\n        out.append(out[-1] * x)\n", R);
        assert_clean(
            "def f(xs):\n    out = []\n    for x in xs:\n        if x not in out:\n            out.append(x + 1)\n",
            R,
        );
        assert_clean("def f(xs):\n    out = []\n    for out in xs:\n        out.append(1)\n", R);
    }

    #[test]
    fn ignores_unknown_or_rebound_lists() {
        assert_clean("def f(xs, out):\n    for x in xs:\n        out.append(x + 1)\n", R);
        assert_clean("def f(xs):\n    out = make()\n    for x in xs:\n        out.append(x + 1)\n", R);
        // Two bindings before the loop: not the only binding (as PERF401).
        assert_clean(
            "def f(xs, c):\n    out = []\n    if c:\n        out = [0]\n    for x in xs:\n        out.append(x + 1)\n",
            R,
        );
        assert_clean("def f(xs):\n    global out\n    out = []\n    for x in xs:\n        out.append(x + 1)\n", R);
    }

    #[test]
    fn ignores_when_the_target_is_read_after_the_loop() {
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    return out, x\n", R);
        assert_clean("def f(xs):\n    out = []\n    for k, v in xs:\n        out.append(k)\n    print(v)\n", R);
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    g = lambda: x\n", R);
        // A later pass of an outer loop reads what this loop left in `x`.
        assert_clean(
            "def f(xss):\n    x = 0\n    for xs in xss:\n        print(x)\n        out = []\n        for x in xs:\n            out.append(x + 1)\n",
            R,
        );
        // Later loops of an outer loop that bind the name again, and comprehensions with their own
        // variable of that name, do not read it.
        assert_count(
            "def f(xss):\n    for xs in xss:\n        out = []\n        for x in xs:\n            out.append(x + 1)\n        for x in out:\n            print(x, [x for x in xs])\n",
            R,
            1,
        );
        // An outer loop's iterable is evaluated once, not on every pass.
        assert_count(
            "def f(r, n):\n    for _ in range(r):\n        rv = []\n        for r in range(n):\n            rv.append(r * 2)\n",
            R,
            1,
        );
        // A nested function reads the loop variable, whenever it runs.
        assert_clean(
            "def f(xs):\n    def show():\n        return x\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    return show\n",
            R,
        );
    }

    #[test]
    fn later_rebinding_or_shadowing_is_not_a_read() {
        let src = "def f(xs, ys):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    for x in ys:\n        print(x)\n    x = 3\n    return [x for x in out], lambda x: x\n";
        assert_count(src, R, 1);
        // `x = x + 1` reads the loop's `x` before rebinding it.
        assert_clean("def f(xs):\n    out = []\n    for x in xs:\n        out.append(x + 1)\n    x = x + 1\n", R);
    }

    #[test]
    fn fix_builds_a_comprehension_when_the_empty_list_precedes() {
        let src = "def f(numbers):\n    result = []\n    for n in numbers:\n        if n % 2 == 0:\n            result.append(n * n)\n    return result\n";
        assert_eq!(
            fixed(src, R),
            "def f(numbers):\n    result = [n * n for n in numbers if n % 2 == 0]\n    return result\n"
        );
        let ann = "out: list[int] = list()\nfor a, b in pairs:\n    out.append(a + b)\n";
        assert_eq!(fixed(ann, R), "out: list[int] = [a + b for a, b in pairs]\n");
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(numbers):\n    result = []\n    for n in numbers:\n        if n % 2 == 0:\n            result.append(n * n)\n    return result\n";
        assert_fix_keeps_output(src, R, "print(f(range(10)), f([]))\n");
        let src = "def f(xs):\n    out = [0]\n    for k, v in xs:\n        out.append(k * v)\n    return out\n";
        assert_fix_keeps_output(src, R, "print(f([(1, 2), (3, 4)]))\n");
        let src = "pairs = [(1, 'a'), (2, 'b')]\nout = []\nfor n, s in pairs:\n    out.append(s * n)\nprint(out)\n";
        assert_fix_keeps_output(src, R, "");
    }

    #[test]
    fn fix_extends_otherwise() {
        let src = "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x + 1)\n    return out\n";
        assert_eq!(fixed(src, R), "def f(xs):\n    out = [0]\n    out.extend(x + 1 for x in xs)\n    return out\n");
        let between = "def f(xs):\n    out = []\n    # fill it\n    for x in xs:\n        out.append(x + 1)\n";
        assert_eq!(fixed(between, R), "def f(xs):\n    out = []\n    # fill it\n    out.extend(x + 1 for x in xs)\n");
        let param = "def f(xs, out: list[int]):\r\n\tfor x in xs:\r\n\t\tout.append(x + 1)\r\n";
        assert_eq!(fixed(param, R), "def f(xs, out: list[int]):\r\n\tout.extend(x + 1 for x in xs)\r\n");
    }

    #[test]
    fn fix_parenthesises_where_the_comprehension_needs_it() {
        let src = "out = []\nfor x in 1, 2:\n    if (y := x):\n        out.append((z for z in y))\n";
        // A walrus in the condition would bind in a different scope: no fix.
        assert!(findings(src, R)[0].fix.is_none());
        let src = "out = []\nfor x in a if c else b:\n    if x if c else y:\n        out.append(x + 1)\n";
        assert_eq!(fixed(src, R), "out = [x + 1 for x in (a if c else b) if (x if c else y)]\n");
        let src = "out = []\nfor x in 1, 2:\n    out.append(g for g in x)\n";
        assert_eq!(fixed(src, R), "out = [(g for g in x) for x in (1, 2)]\n");
    }

    #[test]
    fn no_fix_with_comments_multiline_strings_else_or_in_class_bodies() {
        let no_fix = [
            "out = []\nfor x in xs:\n    # double\n    out.append(x * 2)\n",
            "out = []\nfor x in xs:\n    out.append(x + '''a\nb''')\n",
            "out = []\nfor x in xs:\n    out.append(x * 2)\nelse:\n    pass\n",
            "class A:\n    out = []\n    for x in xs:\n        out.append(x * 2)\n",
            "async def f(xs):\n    out = []\n    for x in xs:\n        out.append(await x)\n",
        ];
        for src in no_fix {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "out = []\nfor x in :\n    out.append(x+1)\n",
            "for in xs:\n    .append(x)\n",
            "out = []\nfor x in xs:\n    out.append(\n",
            // Found by the fuzzer: the list's binding resolves to a later `result = []`.
            "def squares_of_evensnumbers):\n    reosult = []\n    for n in numbers:\n        if n % 2 == 0:\n            result.append(n * n)\n    return result\n\nprin(numbers):\n    result = []\n    for n in numbers:\n        if n % 2 == 0:\n            result.append(n * n)\n    return result\n\nprint(squares_of_evens(range(10)))  # [0, 4, 16, 36, 64]\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
