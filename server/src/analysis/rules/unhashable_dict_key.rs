//! `unhashable-dict-key` (peer: Pylint E1143 unhashable-member; no Ruff rule). Dict keys and set
//! members are found by their hash, and lists, dicts and sets have none (their contents can change),
//! so `{[1, 2]: "a"}` raises `TypeError: unhashable type: 'list'` every time it runs.
//!
//! Detection: a list, dict or set display or comprehension (or a tuple display holding one) used as
//! a key in a dict display, an element of a set display, the argument of `.add(...)` on a name
//! bound to a set, the key of a subscript on a name bound to a dict display or constructor, or the
//! left operand of `in` / `not in` against a set display.
//!
//! Tier: always a warning, the line raises whenever it runs. Nothing when the code expects the
//! `TypeError`: inside `with pytest.raises(...)` / `self.assertRaises(...)`, an argument of
//! `assertRaises(...)`, or a `try` whose handlers catch `TypeError` (tests of hashing itself do
//! this on purpose). Test code is otherwise treated like any other.
//!
//! Fix (safe: the original always raises, so no working behaviour is lost): a list display becomes
//! a tuple (`[1, 2]` -> `(1, 2)`, `[x]` -> `(x,)`), a set display a `frozenset({...})`. No fix for
//! dicts, comprehensions and lists nested in a tuple.

use ruff_python_ast::{CmpOp, Expr, ExprCall, ExprCompare, ExprSubscript};
use ruff_text_size::Ranged;

use super::helpers::mutability::expects_error;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::SimpleType;

/// The first unhashable part of `expr`: the display itself, or one inside a tuple display.
fn unhashable(expr: &Expr) -> Option<&Expr> {
    match expr {
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::DictComp(_) | Expr::SetComp(_) => {
            Some(expr)
        }
        Expr::Tuple(tuple) => tuple.elts.iter().find_map(unhashable),
        _ => None,
    }
}

fn type_name(expr: &Expr) -> &'static str {
    match expr {
        Expr::Dict(_) | Expr::DictComp(_) => "dict",
        Expr::Set(_) | Expr::SetComp(_) => "set",
        _ => "list",
    }
}

/// Keys of a dict display and members of a set display.
pub(crate) fn check_display(checker: &mut Checker, expr: &Expr) {
    let items: Vec<&Expr> = match expr {
        Expr::Dict(dict) => dict.items.iter().filter_map(|item| item.key.as_ref()).collect(),
        Expr::Set(set) => set.elts.iter().collect(),
        _ => return,
    };
    let role = if expr.is_dict_expr() { "a dict key" } else { "a set member" };
    for item in items {
        if let Some(part) = unhashable(item) {
            report(checker, item, part, role);
        }
    }
}

/// `seen.add([x, y])` on a name bound to a set.
pub(crate) fn check_call(checker: &mut Checker, call: &ExprCall) {
    let Expr::Attribute(attr) = &*call.func else { return };
    if attr.attr.as_str() != "add" {
        return;
    }
    let [argument] = call.arguments.args.as_ref() else { return };
    let Some(part) = unhashable(argument) else { return };
    let Expr::Name(receiver) = &*attr.value else { return };
    if checker.semantic().type_of_name(receiver) == Some(SimpleType::Set) {
        report(checker, argument, part, "a set member");
    }
}

/// `counts[[a, b]]` on a name bound to a dict.
pub(crate) fn check_subscript(checker: &mut Checker, subscript: &ExprSubscript) {
    let Some(part) = unhashable(&subscript.slice) else { return };
    let Expr::Name(receiver) = &*subscript.value else { return };
    if checker.semantic().type_of_name(receiver) == Some(SimpleType::Dict) {
        report(checker, &subscript.slice, part, "a dict key");
    }
}

/// `[a, b] in {...}`.
pub(crate) fn check_compare(checker: &mut Checker, compare: &ExprCompare) {
    let [op] = &*compare.ops else { return };
    if !matches!(op, CmpOp::In | CmpOp::NotIn) {
        return;
    }
    let [Expr::Set(_)] = &*compare.comparators else { return };
    if let Some(part) = unhashable(&compare.left) {
        report(checker, &compare.left, part, "looked up in a set");
    }
}

fn report(checker: &mut Checker, item: &Expr, part: &Expr, role: &str) {
    if expects_error(checker, "TypeError") {
        return;
    }
    let kind = type_name(part);
    let text = checker.source.slice(item);
    let shown =
        if text.len() <= 30 && !text.contains(['\n', '\r']) { format!("`{text}`") } else { "This value".into() };
    let what = if std::ptr::eq(item, part) { format!("a {kind}") } else { format!("a tuple holding a {kind}") };
    let verb = if role.starts_with("looked") { role.to_string() } else { format!("used as {role}") };
    let message = format!(
        "{shown} is {what}, {verb}: {kind}s are unhashable, so this raises `TypeError: unhashable type: '{kind}'` \
         every time it runs"
    );
    let fix = hashable_fix(checker, item);
    checker.report(Finding::new(Rule::UnhashableDictKey, item.range(), message).with_fix(fix));
}

/// `[1, 2]` -> `(1, 2)`, `{1, 2}` -> `frozenset({1, 2})`.
fn hashable_fix(checker: &Checker, item: &Expr) -> Option<Fix> {
    if checker.source.has_comments(item.range()) {
        return None;
    }
    let content = match item {
        Expr::List(list) => {
            let inner: Vec<&str> = list.elts.iter().map(|e| checker.source.slice(e)).collect();
            if list.elts.iter().any(|e| unhashable(e).is_some() || e.is_starred_expr() && list.elts.len() == 1) {
                return None;
            }
            match inner.as_slice() {
                [one] => format!("({one},)"),
                many => format!("({})", many.join(", ")),
            }
        }
        Expr::Set(set) if !set.elts.iter().any(|e| unhashable(e).is_some()) => {
            if checker.lookup("frozenset").is_some() {
                return None;
            }
            format!("frozenset({})", checker.source.slice(item))
        }
        _ => return None,
    };
    Fix::safe("Use a hashable value", vec![Edit::replace(item.range(), content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::UnhashableDictKey as R;

    #[test]
    fn flags_unhashable_keys_and_members() {
        assert_tier(
            "moves = {[0, 1]: 'right'}\n",
            R,
            Severity::Warning,
            "`[0, 1]` is a list, used as a dict key: lists are unhashable, so this raises `TypeError: unhashable type: 'list'`",
        );
        assert_tier("s = {{1}, 2}\n", R, Severity::Warning, "used as a set member");
        assert_tier("d = {(1, [2]): 3}\n", R, Severity::Warning, "a tuple holding a list");
        assert_tier("seen = set()\nseen.add([1, 2])\n", R, Severity::Warning, "used as a set member");
        assert_tier("d = {}\nd[[1, 2]] = 3\n", R, Severity::Warning, "used as a dict key");
        assert_tier("ok = [1, 2] in {(1, 2)}\n", R, Severity::Warning, "looked up in a set");
        assert_count("d = {[x for x in y]: 1, {}: 2, 'a': 3}\n", R, 2);
    }

    #[test]
    fn the_flagged_code_really_raises() {
        for src in [
            "moves = {[0, 1]: 'right'}\n",
            "s = {{1}, 2}\n",
            "seen = set()\nseen.add([1, 2])\n",
            "d = {}\nd[[1, 2]] = 3\n",
            "ok = [1, 2] in {(1, 2)}\n",
        ] {
            let (ok, _, err) = run_python(src);
            assert!(!ok && err.contains("unhashable type"), "{src}: {err}");
        }
    }

    #[test]
    fn ignores_hashable_values_and_unknown_receivers() {
        for src in [
            "d = {(0, 1): 'right', 'a': 1, frozenset({1}): 2}\n",
            "s = {(1, 2), 3}\n",
            "x.add([1, 2])\n",
            "lst = []\nlst.add([1])\n",
            "rows[[1, 2]]\n",
            "a = [1, 2] in [[1, 2]]\n",
            "d = {**other}\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nothing_where_the_type_error_is_expected() {
        for src in [
            "import pytest\ndef test():\n    with pytest.raises(TypeError):\n        {[]: 1}\n",
            "import unittest\nclass T(unittest.TestCase):\n    def test(self):\n        with self.assertRaises(TypeError):\n            {[1], 2}\n        self.assertRaises(TypeError, lambda: {{}: 1})\n",
            "try:\n    d = {[1]: 2}\nexcept TypeError:\n    pass\n",
            "try:\n    d = {[1]: 2}\nexcept (ValueError, TypeError):\n    pass\n",
        ] {
            assert_clean(src, R);
        }
        // A handler for another exception does not expect it.
        assert_count("try:\n    d = {[1]: 2}\nexcept KeyError:\n    pass\n", R, 1);
    }

    #[test]
    fn fix_makes_the_value_hashable_and_the_code_run() {
        let src = "moves = {[0, 1]: 'right'}\nprint(moves[(0, 1)])\n";
        assert_eq!(fixed(src, R), "moves = {(0, 1): 'right'}\nprint(moves[(0, 1)])\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe));
        assert_eq!(fixed_output(src, R, ""), "right\n");
        assert_eq!(fixed("d = {[x]: 1}\n", R), "d = {(x,): 1}\n");
        assert_eq!(fixed("d = {[]: 1}\n", R), "d = {(): 1}\n");
        let src = "s = {{1, 2}, 3}\nprint(frozenset({2, 1}) in s)\n";
        assert_eq!(fixed(src, R), "s = {frozenset({1, 2}), 3}\nprint(frozenset({2, 1}) in s)\n");
        assert_eq!(fixed_output(src, R, ""), "True\n");
        for src in ["d = {(1, [2]): 3}\n", "d = {{}: 1}\n", "d = {[x for x in y]: 1}\n"] {
            assert!(findings(src, R)[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["{[1]: ", "{[1], ", "s = set()\ns.add([", "d = {}\nd[[1]", "[1] in {"] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
