//! `dict-keys-membership` (peer: Ruff SIM118; Pylint `consider-iterating-dictionary`).
//! `key in d.keys()` and `for key in d.keys():` spell out what a dict already does: `in` on a
//! dict tests its keys and iterating a dict yields its keys. Nothing goes wrong — the keys view
//! answers `in` in constant time, like the dict — so the rule reports a hint whose message says
//! it works; it is the idiom interviewers ask about, not a bug.
//!
//! Detection: a call `X.keys()` with no arguments that is the right operand of a single `in` /
//! `not in` comparison, the iterable of a `for`, or the iterable of a comprehension's
//! (synchronous) `for` clause. Excluded: `X` is a method's first parameter, read in the method or a
//! function nested in it (`self.keys()` in a class that may define `keys`, `__contains__` or
//! `__iter__` separately — inside `__contains__`, dropping `.keys()` recurses); `X` known to hold a non-dict (a list, str...),
//! where `.keys()` is not the dict method. Test code is treated like any code: `assert k in
//! d.keys()` is the same spelling.
//!
//! Fix: delete `.keys()`. Safe when `X` is known to be a `dict` (a display, `dict(...)`, a
//! comprehension, a `dict[...]` annotation, `OrderedDict`/`defaultdict`/`Counter`): `in` and
//! iteration are then the keys' by definition. Unsafe otherwise: an object with its own `keys()`
//! may define `in` differently (`sqlite3.Row` tests values, `email.message.Message` ignores case).

use ruff_python_ast::{CmpOp, Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::helpers::idioms::{drop_method_call, is_known_dict, is_self};
use super::helpers::loops::short;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::NodeRef;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {
    let Expr::Attribute(attr) = &*call.func else { return };
    if attr.attr.as_str() != "keys" || !call.arguments.is_empty() {
        return;
    }
    let Some(context) = context(checker, expr) else { return };
    let receiver = &*attr.value;
    if is_self(checker, receiver) {
        return;
    }
    let known = is_known_dict(checker, receiver);
    if !known && checker.semantic().type_of_expr(receiver).is_some() {
        return;
    }
    let shown = short(checker, receiver);
    let message = match (context, known) {
        (Context::Membership, true) => format!(
            "`in {shown}.keys()` works (the keys view answers in constant time), and `in {shown}` says the same: \
             `in` on a dict tests its keys; a matter of idiom here, not a bug"
        ),
        (Context::Membership, false) => format!(
            "`in {shown}.keys()` works; if `{shown}` is a dict, `in {shown}` says the same (`in` on a dict tests its \
             keys); a matter of idiom, not a bug"
        ),
        (Context::Iteration, true) => format!(
            "Iterating over `{shown}.keys()` works, and iterating over `{shown}` says the same: a dict yields its \
             keys; a matter of idiom here, not a bug"
        ),
        (Context::Iteration, false) => format!(
            "Iterating over `{shown}.keys()` works; if `{shown}` is a dict, iterating over `{shown}` says the same \
             (a dict yields its keys); a matter of idiom, not a bug"
        ),
    };
    let fix = drop_method_call(checker, receiver, call.end()).and_then(|edit| {
        let edits = vec![edit];
        let title = format!("Drop `.keys()` from `{shown}`");
        if known { Fix::safe(title, edits) } else { Fix::unsafe_(title, edits) }
    });
    let finding = Finding::new(Rule::DictKeysMembership, call.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

#[derive(Clone, Copy)]
enum Context {
    Membership,
    Iteration,
}

/// Where the `X.keys()` call sits: tested with `in`, or iterated.
fn context(checker: &Checker, expr: &Expr) -> Option<Context> {
    let is_this = |e: &Expr| std::ptr::eq(e, expr);
    match checker.ancestors().next()? {
        NodeRef::Expr(Expr::Compare(compare)) => {
            let ([op], [right]) = (&*compare.ops, &*compare.comparators) else { return None };
            (matches!(op, CmpOp::In | CmpOp::NotIn) && is_this(right)).then_some(Context::Membership)
        }
        NodeRef::Stmt(Stmt::For(for_stmt)) => {
            (!for_stmt.is_async && is_this(&for_stmt.iter)).then_some(Context::Iteration)
        }
        NodeRef::Expr(Expr::ListComp(c)) => comprehension_iter(&c.generators, is_this),
        NodeRef::Expr(Expr::SetComp(c)) => comprehension_iter(&c.generators, is_this),
        NodeRef::Expr(Expr::Generator(c)) => comprehension_iter(&c.generators, is_this),
        NodeRef::Expr(Expr::DictComp(c)) => comprehension_iter(&c.generators, is_this),
        _ => None,
    }
}

fn comprehension_iter(
    generators: &[ruff_python_ast::Comprehension],
    is_this: impl Fn(&Expr) -> bool,
) -> Option<Context> {
    generators.iter().any(|g| !g.is_async && is_this(&g.iter)).then_some(Context::Iteration)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::DictKeysMembership as R;

    #[test]
    fn flags_membership_and_iteration_over_keys() {
        assert_count("d = {}\nprint(1 in d.keys())\n", R, 1);
        assert_count("def f(d, k):\n    return k not in d.keys()\n", R, 1);
        assert_count("def f(d):\n    for k in d.keys():\n        print(k)\n", R, 1);
        assert_count("def f(d):\n    return [k for k in d.keys()], {k for k in d.keys()}\n", R, 2);
        assert_count("def f(d):\n    return {k: 1 for k in d.keys()}, list(k for k in d.keys())\n", R, 2);
        assert_count("def f(a, b, k):\n    return k in (a or b).keys()\n", R, 1);
    }

    #[test]
    fn ignores_other_shapes() {
        // `.keys()` used as a value, with arguments, or compared otherwise.
        assert_clean("def f(d):\n    return d.keys()\n", R);
        assert_clean("def f(d):\n    return list(d.keys())\n", R);
        assert_clean("def f(d):\n    for k in list(d.keys()):\n        del d[k]\n", R);
        assert_clean("def f(d, k):\n    return k in d.keys(1)\n", R);
        assert_clean("def f(d, k):\n    return d.keys() == k\n", R);
        assert_clean("def f(d, k):\n    return d.keys() in k\n", R);
        assert_clean("def f(d, a, b):\n    return a < b in d.keys()\n", R);
        assert_clean("def f(d, k):\n    return k in d.values()\n", R);
        assert_clean("async def f(d):\n    async for k in d.keys():\n        pass\n", R);
    }

    #[test]
    fn ignores_self_and_known_non_dicts() {
        // Inside `__contains__`, `key in self` would call `__contains__` again.
        assert_clean(
            "class M:\n    def keys(self):\n        return ['a']\n    def __contains__(self, key):\n        return key in self.keys()\n",
            R,
        );
        assert_clean("class M(dict):\n    def names(self):\n        return [k for k in self.keys()]\n", R);
        assert_clean("xs = []\nprint(1 in xs.keys())\n", R);
        // Also from a function nested in the method, and whatever the first parameter is called.
        assert_clean("class M(dict):\n    def f(self):\n        def g():\n            return 1 in self.keys()\n", R);
        assert_clean("class M(dict):\n    def __eq__(p1, p2):\n        return all(k in p2 for k in p1.keys())\n", R);
        // Outside a method `self` is an ordinary name; the second parameter is not the receiver.
        assert_count("def f(self):\n    return 1 in self.keys()\n", R, 1);
        assert_count("class M:\n    def f(self, other):\n        return 1 in other.keys()\n", R, 1);
    }

    #[test]
    fn always_a_hint_and_the_message_says_it_works() {
        assert_tier("d = {}\nprint(1 in d.keys())\n", R, Severity::Hint, "not a bug");
        assert_tier("def f(d):\n    return 1 in d.keys()\n", R, Severity::Hint, "if `d` is a dict");
        assert_tier("def f(d: dict):\n    for k in d.keys():\n        pass\n", R, Severity::Hint, "yields its keys");
    }

    #[test]
    fn fix_is_safe_only_for_known_dicts() {
        for src in [
            "d = {}\nprint(1 in d.keys())\n",
            "d = dict(a=1)\nprint('a' in d.keys())\n",
            "def f(d: dict[str, int]):\n    return 'a' in d.keys()\n",
            "import collections\nd = collections.defaultdict(list)\nprint(1 in d.keys())\n",
            "from collections import Counter\nd = Counter('abc')\nprint('a' in d.keys())\n",
            "print('a' in {'a': 1}.keys())\n",
        ] {
            assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe), "{src}");
        }
        assert_eq!(first_fix_applicability("def f(d):\n    return 1 in d.keys()\n", R), Some(Applicability::Unsafe));
        // A name rebound to something else is not known to be a dict.
        let rebound = "d = {}\nd = load()\nprint(1 in d.keys())\n";
        assert_eq!(first_fix_applicability(rebound, R), Some(Applicability::Unsafe));
    }

    #[test]
    fn fix_drops_the_call_and_keeps_parentheses() {
        assert_eq!(
            fixed("def f(a, b, k):\n    return k in (a or b).keys()\n", R),
            "def f(a, b, k):\n    return k in (a or b)\n"
        );
        assert_eq!(
            fixed("def f(s):\n    for k in (\n        s.a\n        .keys()\n    ):\n        pass\n", R),
            "def f(s):\n    for k in (\n        s.a\n    ):\n        pass\n"
        );
        assert_eq!(
            fixed("def f(d, k):\n    return k in d.keys()and k\n", R),
            "def f(d, k):\n    return k in d and k\n"
        );
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "d = {'a': 1, 'b': 2}\nprint('a' in d.keys(), 'z' not in d.keys())\nprint([k for k in d.keys()])\nfor k in d.keys():\n    print(k)\n";
        assert_fix_keeps_output(src, R, "");
        let counter =
            "from collections import Counter\nc = Counter('hello')\nprint('l' in c.keys(), 'q' in c.keys())\n";
        assert_fix_keeps_output(counter, R, "");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["k in d.keys(", "k in .keys()", "for k in d.keys(:\n", "[k for k in d.keys() if]"] {
            let _ = findings(src, R);
        }
    }
}
