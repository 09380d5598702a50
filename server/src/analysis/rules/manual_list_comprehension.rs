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

use super::helpers::loops::{
    is_names_target, is_read_in, loop_header, target_bindings, target_read_outside, unsafe_in_comprehension,
    wrap_if_needed,
};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, ScopeKind, SimpleType};

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
    let merge_with = comprehension_binding(checker, node, list, for_stmt);
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

/// Where the list appended to comes from.
enum Origin {
    /// Bound in this scope, once before the loop.
    Local,
    /// A parameter annotated as a list, or a list bound in an enclosing scope.
    Elsewhere,
}

/// The list's binding, when (as Ruff's PERF401 requires) it is the only binding of the name in
/// the scope before the loop and it is known to be a list.
fn list_origin(checker: &Checker, list: BindingId, for_stmt: &StmtFor) -> Option<Origin> {
    let model = checker.semantic();
    let scope = checker.scope();
    let binding = model.binding(list);
    if model.scope(scope).declaration(binding.name).is_some() || !is_list(checker, list) {
        return None;
    }
    if binding.scope != scope {
        // A list of an enclosing scope, appended to from a function that never binds the name.
        let in_function = matches!(model.scope(scope).kind, ScopeKind::Function(_));
        return (in_function && model.bindings_of(scope, binding.name).next().is_none()).then_some(Origin::Elsewhere);
    }
    let earlier = model.bindings_of(scope, binding.name).filter(|b| model.binding(*b).start() < for_stmt.start());
    if earlier.count() != 1 {
        return None;
    }
    Some(if matches!(binding.kind, BindingKind::Parameter(_)) { Origin::Elsewhere } else { Origin::Local })
}

fn is_list(checker: &Checker, binding: BindingId) -> bool {
    let model = checker.semantic();
    if model.type_of_binding(binding) == Some(SimpleType::List) {
        return true;
    }
    let b = model.binding(binding);
    if !matches!(b.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment) {
        return false;
    }
    if !b.is_unpacked() {
        return b.value.is_some_and(|v| is_list_value(checker, v));
    }
    // `n, out = 0, []`: the value at the name's position of a tuple assigned to a tuple.
    let Some(Stmt::Assign(assign)) = b.source.and_then(|s| model.node(s).as_stmt()) else { return false };
    let ([Expr::Tuple(targets)], Expr::Tuple(values)) = (assign.targets.as_slice(), &*assign.value) else {
        return false;
    };
    if targets.elts.len() != values.elts.len() || targets.elts.iter().chain(&values.elts).any(Expr::is_starred_expr) {
        return false;
    }
    let position = targets.elts.iter().position(|t| matches!(t, Expr::Name(n) if n.range == b.range));
    position.is_some_and(|i| is_list_value(checker, &values.elts[i]))
}

/// `[0] * n` and `a + b` of lists, which the model's simple types do not follow.
fn is_list_value(checker: &Checker, value: &Expr) -> bool {
    match value {
        Expr::List(_) | Expr::ListComp(_) => true,
        Expr::Call(call) => checker.resolves_to(&call.func, "builtins.list"),
        Expr::BinOp(binop) => match binop.op {
            ruff_python_ast::Operator::Add => {
                is_list_value(checker, &binop.left) && is_list_value(checker, &binop.right)
            }
            ruff_python_ast::Operator::Mult => binop.left.is_list_expr() || binop.right.is_list_expr(),
            _ => false,
        },
        _ => false,
    }
}

/// Does other code of this function append to the list while the loop runs? A nested function
/// that captures the list and is defined before the loop ends can be run by the iteration itself
/// (a generator being iterated), so the list is a shared log rather than a list being built.
fn shared_with_a_closure(checker: &Checker, list: BindingId, for_stmt: &StmtFor) -> bool {
    let model = checker.semantic();
    model.references(list).any(|r| r.start() < for_stmt.end() && model.is_captured(r, list))
}

/// The `res = []` statement the loop can be merged with: directly before the loop in the same
/// block, with no comment in between (it would be lost).
fn comprehension_binding<'a>(
    checker: &Checker<'a>,
    node: NodeId,
    list: BindingId,
    for_stmt: &StmtFor,
) -> Option<&'a Stmt> {
    let model = checker.semantic();
    let binding = model.binding(list);
    let init = model.node(binding.source?).as_stmt()?;
    let (suite, index) = model.suite_of(node)?;
    let previous = index.checked_sub(1).and_then(|i| suite.get(i))?;
    // Only then is `init` before the loop: in broken code the binding can sit elsewhere.
    if !std::ptr::eq(previous, init) {
        return None;
    }
    let between = TextRange::new(init.end(), for_stmt.start());
    (empty_list_value(init).is_some()
        && !checker.source.has_comments(between)
        && !checker.source.has_multiline_string(init.range()))
    .then_some(init)
}

/// `res = []` / `res = list()` / `res: T = []` with a single name target: the value text to drop.
fn empty_list_value(stmt: &Stmt) -> Option<&Expr> {
    let value = match stmt {
        Stmt::Assign(assign) if assign.targets.len() == 1 && assign.targets[0].is_name_expr() => &*assign.value,
        Stmt::AnnAssign(assign) if assign.target.is_name_expr() => assign.value.as_deref()?,
        _ => return None,
    };
    let empty = match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(call) => {
            matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "list")
                && call.arguments.args.is_empty()
                && call.arguments.keywords.is_empty()
        }
        _ => false,
    };
    empty.then_some(value)
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
            let lhs = match binding {
                Stmt::AnnAssign(a) => format!("{}: {}", source.slice(&*a.target), source.slice(&*a.annotation)),
                _ => name.to_string(),
            };
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
