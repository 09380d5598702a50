//! `accidental-alias-mutation` (no Ruff or Pylint peer). `b = a` copies nothing: it binds a second
//! name to the same object, so changing the list through `b` changes what `a` shows.
//!
//! Detection, in one function: `b = a` (two plain names) where `a` is a local bound once, to a new
//! object: a list, dict or set display or comprehension, or a call (`list(...)`, `sorted(...)`,
//! `load()`); then
//! an in-place change through `b` (a mutating method such as `append` or `update`, an item store
//! or `del b[k]`, `b += [x]`); then a read of `a` after that change.
//!
//! Not reported: names bound more than once in the function (besides `b += ...`): that covers
//! `b` rebound before the change, choosing which list to fill (`if c: target = left` / `else:
//! target = right`), cursors (`node = root` then `node = node.setdefault(k, {})`) and rotations
//! (`prev, cur = cur, []`, which also is no plain `b = a`); `a` not read after the change;
//! attributes on either side (`self.items = items` shares on purpose); names declared `global` or
//! `nonlocal`; changes and reads in nested functions or lambdas (they run at an unknown time);
//! module-level code and class bodies. Test code: a read of `a` inside an assertion (`assert a is
//! b`, `self.assertEqual(a, [1])`) is a test of aliasing itself and is not evidence.
//!
//! Tier: a warning naming the change and the later read.
//!
//! Fix (display-only: breaking the alias is the intended change of behaviour, and code that relied
//! on the sharing stops seeing it): `b = a.copy()`.

use ruff_python_ast::{Expr, Stmt, StmtAssign};
use ruff_text_size::Ranged;

use super::helpers::assertions::in_assertion;
use super::helpers::defaults::is_mutable_value;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, Reference, ScopeKind, SimpleType, Use};

/// During the walk, at `b = a` in a function: looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, assign: &StmtAssign) {
    let ([Expr::Name(_)], Expr::Name(_)) = (assign.targets.as_slice(), &*assign.value) else { return };
    if !matches!(checker.semantic().current_scope().kind, ScopeKind::Function(_)) {
        return;
    }
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::AccidentalAliasMutation, node);
    }
}

/// After the walk, for `b = a`.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Stmt::Assign(assign)) = model.node(node).as_stmt() else { return };
    let ([Expr::Name(target)], Expr::Name(value)) = (assign.targets.as_slice(), &*assign.value) else { return };
    if target.id == value.id {
        return;
    }
    let binding_of = |name| model.nodes.id_of_name(name).and_then(|id| model.nodes.binding(id));
    let (Some(alias), Some(original)) = (binding_of(target), binding_of(value)) else { return };
    let (b, a) = (model.binding(alias), model.binding(original));
    let scope = b.scope;
    if a.scope != scope || b.bound_in != scope || a.bound_in != scope {
        return;
    }
    let declared = |name| model.scope(scope).declaration(name).is_some();
    if declared(b.name) || declared(a.name) || !bound_once(checker, alias) || !bound_once(checker, original) {
        return;
    }
    let fresh = matches!(a.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment)
        && !a.is_unpacked()
        && a.value.is_some_and(|v| is_mutable_value(checker, v) || matches!(v, Expr::Call(_)));
    if !fresh {
        return;
    }
    let mutable = a.value.is_some_and(|v| model.type_of_expr(v).is_some_and(SimpleType::is_mutable));
    let Some((change, shown)) = first_change(checker, alias, mutable) else { return };
    let after = change.range.end();
    let Some(read) = model.references(original).find(|r| r.range.start() >= after && !model.is_captured(r, original))
    else {
        return;
    };
    if in_assertion(checker.semantic(), read.node) {
        return;
    }
    let kind = match a.value {
        Some(v) if is_sorted_call(checker, v) => "list",
        Some(v) => model.type_of_expr(v).map_or("object", SimpleType::name),
        None => "object",
    };
    let line = |r: &Reference| checker.source.line_number(r.range.start());
    let message = format!(
        "`{b} = {a}` copies nothing: both names refer to the same {kind}, so `{shown}` (line {}) also changes \
         `{a}`, which is read on line {}; if `{b}` was meant to be separate, copy it (`{b} = {a}.copy()`)",
        line(change),
        line(read),
        b = b.name,
        a = a.name,
    );
    let fix = Fix::display_only(
        format!("Copy `{}` instead of aliasing it", a.name),
        vec![Edit::replace(assign.value.range(), format!("{}.copy()", a.name))],
    );
    checker.report(Finding::new(Rule::AccidentalAliasMutation, assign.range(), message).with_fix(fix));
}

/// `sorted(...)` builds a new list, as a display does.
fn is_sorted_call(checker: &Checker, value: &Expr) -> bool {
    matches!(value, Expr::Call(call) if checker.resolves_to(&call.func, "builtins.sorted"))
}

/// The name has no other binding in its scope, except `b += ...` (which changes the same object).
fn bound_once(checker: &Checker, binding: BindingId) -> bool {
    let model = checker.semantic();
    let b = model.binding(binding);
    model
        .bindings_of(b.scope, b.name)
        .all(|other| other == binding || matches!(model.binding(other).kind, BindingKind::AugmentedAssignment))
}

/// The first read of `alias` in its own function that changes the object in place, with the code
/// the message shows; `mutable` when the object is known to be a list, dict or set (then `b += x`
/// changes it; on a number it binds a new one).
fn first_change<'r>(checker: &'r Checker, alias: BindingId, mutable: bool) -> Option<(&'r Reference, String)> {
    let model = checker.semantic();
    let name = model.binding(alias).name;
    model.references(alias).filter(|r| !model.is_captured(r, alias)).find_map(|r| {
        let shown = match model.use_of(r) {
            Use::MethodCall { method, call } if is_mutating_method(method) => checker.source.shown(call).into_owned(),
            Use::SubscriptStore => match model.statement(r.node)? {
                Stmt::AugAssign(aug) => format!("{name}[...] {}= ...", aug.op.as_str()),
                Stmt::Delete(_) => format!("del {name}[...]"),
                _ => format!("{name}[...] = ..."),
            },
            // In place only on a mutable container: on a number or a string `x *= 2` binds a new object.
            Use::AugmentedAssignment => match model.statement(r.node)? {
                Stmt::AugAssign(aug)
                    if mutable || model.type_of_expr(&aug.value).is_some_and(SimpleType::is_mutable) =>
                {
                    format!("{name} {}= ...", aug.op.as_str())
                }
                _ => return None,
            },
            _ => return None,
        };
        Some((r, shown))
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::AccidentalAliasMutation as R;

    #[test]
    fn warning_names_the_change_and_the_later_read() {
        for (src, evidence) in [
            (
                "def f():\n    a = [1, 2]\n    b = a\n    b.append(3)\n    return a\n",
                "same list, so `b.append(3)` (line 4) also changes `a`, which is read on line 5",
            ),
            (
                "def f():\n    a = {}\n    b = a\n    b['k'] = 1\n    print(len(a))\n",
                "same dict, so `b[...] = ...` (line 4)",
            ),
            ("def f(x):\n    a = set()\n    b = a\n    b |= {x}\n    return a\n", "`b |= ...` (line 4)"),
            ("def f():\n    a = [1]\n    b = a\n    del b[0]\n    return a, b\n", "`del b[...]` (line 4)"),
            (
                "def f(xs):\n    a = sorted(xs)\n    b = a\n    b.reverse()\n    return a[0]\n",
                "same list, so `b.reverse()`",
            ),
            ("def f(xs):\n    a = [x for x in xs]\n    b = a\n    b += [0]\n    return a\n", "`b += ...` (line 4)"),
            ("def f():\n    a = load()\n    b = a\n    b['k'] = 1\n    return a\n", "same object, so `b[...] = ...`"),
            ("def f():\n    a = load()\n    b = a\n    b += [1]\n    return a\n", "`b += ...` (line 4)"),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
    }

    #[test]
    fn exclusions() {
        for src in [
            // `b` rebound (before the change, or choosing which list to fill).
            "def f():\n    a = []\n    b = a\n    b = []\n    b.append(1)\n    return a\n",
            "def f(c):\n    left, right = [], []\n    if c:\n        t = left\n    else:\n        t = right\n    t.append(1)\n    return left\n",
            "def f(c):\n    left = []\n    right = []\n    if c:\n        t = left\n    else:\n        t = right\n    t.append(1)\n    return left\n",
            // A cursor walking down a tree.
            "def f(path):\n    root = {}\n    node = root\n    for p in path:\n        node = node.setdefault(p, {})\n    return root\n",
            // `a` rebound, or not read after the change.
            "def f():\n    a = []\n    b = a\n    a = [0]\n    b.append(1)\n    return a\n",
            "def f():\n    a = []\n    b = a\n    b.append(1)\n    return b\n",
            // `a` not a new object made here.
            "def f(a):\n    b = a\n    b.append(1)\n    return a\n",
            "def f(self):\n    a = self.items\n    b = a\n    b.append(1)\n    return a\n",
            // Attributes, module level, declarations, nested functions.
            "def f(self):\n    a = []\n    self.b = a\n    self.b.append(1)\n    return a\n",
            "a = []\nb = a\nb.append(1)\nprint(a)\n",
            "def f():\n    global b\n    a = []\n    b = a\n    b.append(1)\n    return a\n",
            "def f():\n    a = []\n    b = a\n    g = lambda: b.append(1)\n    return a, g\n",
            // `*=` on what may be a number binds a new object.
            "def f(x):\n    a = g(x)\n    b = a\n    b *= x\n    return a\n",
            // A read inside an assertion: a test of aliasing itself.
            "def test():\n    a = []\n    b = a\n    b.append(1)\n    assert a == [1]\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn fix_breaks_the_alias() {
        let src = "def f():\n    a = [1, 2]\n    b = a\n    b.append(3)\n    return a, b\nprint(f())\n";
        assert_eq!(fixed(src, R), src.replace("b = a\n", "b = a.copy()\n"));
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::DisplayOnly));
        assert_eq!(run_python(src).1, "([1, 2, 3], [1, 2, 3])\n");
        assert_eq!(fixed_output(src, R, ""), "([1, 2], [1, 2, 3])\n");
        let src = "def f():\n    a = {'x': 1}\n    b = a\n    b['y'] = 2\n    return a\nprint(f())\n";
        assert_eq!(fixed_output(src, R, ""), "{'x': 1}\n");
    }

    #[test]
    fn realistic_cases() {
        // The corpus has two findings (both labelled true); these stand in for more.
        for (src, evidence) in [
            (
                "def normalise(raw):\n    scores = [float(x) for x in raw]\n    ranked = scores\n    ranked.sort()\n    return scores, ranked\n",
                "`ranked.sort()` (line 4) also changes `scores`, which is read on line 5",
            ),
            (
                "def apply_discount(prices):\n    original = list(prices)\n    discounted = original\n    for i in range(len(discounted)):\n        discounted[i] *= 0.9\n    return original, discounted\n",
                "`discounted[...] *= ...` (line 5)",
            ),
            (
                "def merged(extra):\n    base = {'x': 1}\n    result = base\n    result.update(extra)\n    print(base)\n    return result\n",
                "same dict, so `result.update(extra)`",
            ),
            (
                "def drain(tasks):\n    pending = list(tasks)\n    queue = pending\n    while queue:\n        queue.pop()\n    return len(pending)\n",
                "`queue.pop()` (line 5)",
            ),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
        // Deliberate sharing that reads the same way.
        for src in [
            "def build(rows):\n    out = []\n    if rows:\n        target = out\n    else:\n        target = []\n    target.extend(rows)\n    return out\n",
            "def normalise(raw):\n    scores = [float(x) for x in raw]\n    ranked = sorted(scores)\n    ranked.append(0)\n    return scores, ranked\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def f():\n    a = []\n    b = a\n    b.append(",
            "def f():\n    a = [\n    b = a\n    b[0] =",
            "def f():\n    b = \n",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
