//! `unnecessary-comprehension` (peer: Ruff C416; Pylint `unnecessary-comprehension`).
//! `[x for x in items]` copies `items` into a list one item at a time and gives nothing else:
//! `list(items)` says the same by name. Likewise `{x for x in items}` is `set(items)` and
//! `{k: v for k, v in pairs}` is `dict(pairs)`. The comprehension works, so the rule reports a
//! hint whose message says so.
//!
//! Detection: a list, set or dict comprehension with one synchronous `for` clause and no `if`,
//! whose element is exactly its target: the same name for a list or set; for a dict, the target
//! `k, v` (two names) and the item `k: v` in that order. Excluded: a tuple element
//! (`[(a, b) for a, b in rows]` turns each row into a tuple, which `list(rows)` would not);
//! swapped or repeated names (`{v: k ...}`); a dict comprehension over an object known to be a
//! dict (it unpacks each *key*, which `dict(d)` would not: that code has another problem). Also
//! not reported, as not this lesson: a comprehension whose value is thrown away (an expression
//! statement: nothing is copied for anyone — formatter test data is full of them); one over a
//! literal display or string (`[i for i in (1, 2, 3)]`: the items are written out already) or a
//! lambda (not iterable); and one inside a function whose name says it tests comprehensions or
//! generator expressions (`test_genexps` in CPython's grammar tests), where the syntax is the
//! subject. Other test code is treated like any code.
//!
//! Fix (unsafe, as the catalogue says: `list(x)` asks `x` for its length first, so an object whose
//! `__len__` raises behaves differently, and comments inside are dropped — no fix is offered when
//! there are any): `list(<iterable>)`, `set(...)` or `dict(...)`; none when that builtin is shadowed.

use ruff_python_ast::{Comprehension, Expr, Stmt};
use ruff_text_size::Ranged;

use super::helpers::idioms::{in_test_of, is_known_dict};
use super::helpers::loops::short;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;

pub(crate) fn check(checker: &mut Checker, expr: &Expr) {
    let (builtin, generator) = match expr {
        Expr::ListComp(c) if is_same_name(&c.elt, single(&c.generators)) => ("list", single(&c.generators)),
        Expr::SetComp(c) if is_same_name(&c.elt, single(&c.generators)) => ("set", single(&c.generators)),
        Expr::DictComp(c) => {
            let Some(generator) = single(&c.generators) else { return };
            let Expr::Tuple(target) = &generator.target else { return };
            let [Expr::Name(k), Expr::Name(v)] = &*target.elts else { return };
            let same = |e: &Expr, n: &ruff_python_ast::ExprName| matches!(e, Expr::Name(m) if m.id == n.id);
            if k.id == v.id
                || !c.key.as_deref().is_some_and(|key| same(key, k))
                || !same(&c.value, v)
                || is_known_dict(checker, &generator.iter)
            {
                return;
            }
            ("dict", Some(generator))
        }
        _ => return,
    };
    let Some(generator) = generator else { return };
    if not_this_lesson(checker, expr, &generator.iter) {
        return;
    }
    let iterable = short(checker, &generator.iter);
    let kind = match builtin {
        "list" => "a list",
        "set" => "a set",
        _ => "a dict",
    };
    let message = format!(
        "This comprehension only copies the items of `{iterable}` into {kind}: it works, and \
         `{builtin}({iterable})` says the same by name"
    );
    let fix = fix(checker, expr, builtin, &generator.iter);
    let finding = Finding::new(Rule::UnnecessaryComprehension, expr.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// A thrown-away value, literal items, a lambda, or a test of comprehension syntax itself.
fn not_this_lesson(checker: &Checker, expr: &Expr, iterable: &Expr) -> bool {
    let literal = matches!(
        iterable,
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) | Expr::StringLiteral(_) | Expr::Lambda(_)
    );
    let discarded = matches!(checker.current_statement(), Some(Stmt::Expr(e)) if std::ptr::eq(&*e.value, expr));
    literal || discarded || in_test_of(checker, &["genexp", "comprehension", "listcomp", "setcomp", "dictcomp"])
}

/// The only `for` clause, when it is synchronous and has no `if`.
fn single(generators: &[Comprehension]) -> Option<&Comprehension> {
    match generators {
        [g] if !g.is_async && g.ifs.is_empty() => Some(g),
        _ => None,
    }
}

fn is_same_name(elt: &Expr, generator: Option<&Comprehension>) -> bool {
    let Some(generator) = generator else { return false };
    matches!((elt, &generator.target), (Expr::Name(e), Expr::Name(t)) if e.id == t.id && !e.id.is_empty())
}

fn fix(checker: &Checker, expr: &Expr, builtin: &str, iterable: &Expr) -> Option<Fix> {
    if checker.lookup(builtin).is_some() || checker.source.has_comments(expr.range()) {
        return None;
    }
    let text = format!("{builtin}({})", checker.source.slice(iterable));
    Fix::unsafe_(format!("Replace with `{builtin}(...)`"), vec![Edit::replace(expr.range(), text)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::UnnecessaryComprehension as R;

    #[test]
    fn flags_comprehensions_that_only_copy() {
        assert_count("def f(xs):\n    return [x for x in xs]\n", R, 1);
        assert_count("def f(xs):\n    return {x for x in xs}\n", R, 1);
        assert_count("def f(pairs):\n    return {k: v for k, v in pairs}\n", R, 1);
        assert_count("def f(d):\n    return {k: v for (k, v) in d.items()}\n", R, 1);
        assert_count("def f(xs):\n    return [[y for y in x] for x in xs]\n", R, 1);
    }

    #[test]
    fn ignores_comprehensions_that_do_something() {
        assert_clean("def f(xs):\n    return [x + 1 for x in xs]\n", R);
        assert_clean("def f(xs):\n    return [x for x in xs if x]\n", R);
        assert_clean("def f(xs):\n    return [y for x in xs for y in x]\n", R);
        assert_clean("def f(rows):\n    return [(a, b) for a, b in rows]\n", R);
        assert_clean("def f(xs):\n    return (x for x in xs)\n", R);
        assert_clean("async def f(xs):\n    return [x async for x in xs]\n", R);
        assert_clean("def f(pairs):\n    return {v: k for k, v in pairs}\n", R);
        assert_clean("def f(pairs):\n    return {k: k for k, v in pairs}\n", R);
        assert_clean("def f(pairs):\n    return {k: v for k, v, w in pairs}\n", R);
        assert_clean("def f(x, ys):\n    return [x for y in ys]\n", R);
        // Over a dict, this unpacks each key: `dict(d)` would copy the dict instead.
        assert_clean("d = {'ab': 1}\nprint({k: v for k, v in d})\n", R);
    }

    #[test]
    fn ignores_what_is_not_this_lesson() {
        // The value is thrown away: nothing is copied for anyone.
        assert_clean("def f(xs):\n    [x for x in xs]\n", R);
        // Literal items, or a lambda (which is not iterable).
        assert_clean("print([i for i in (1, 2, 3)], {c for c in 'abc'}, {k: v for k, v in [(1, 2)]})\n", R);
        assert_clean("print([i for i in (lambda x: x)])\n", R);
        // A test of comprehension syntax itself.
        assert_clean("class T:\n    def test_genexps(self):\n        a = [x for x in range(10)]\n", R);
        assert_clean("def testListComps():\n    def inner():\n        return [x for x in range(3)]\n", R);
        // Any other test is ordinary code.
        assert_count("def test_dump(i):\n    actual = [s for s in i.iterdump()]\n", R, 1);
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier("def f(xs):\n    return [x for x in xs]\n", R, Severity::Hint, "`list(xs)`");
        assert_tier("def f(p):\n    return {k: v for k, v in p}\n", R, Severity::Hint, "it works");
    }

    #[test]
    fn fix_names_the_builtin() {
        assert_eq!(fixed("def f(xs):\n    return [x for x in xs]\n", R), "def f(xs):\n    return list(xs)\n");
        assert_eq!(
            fixed("def f(a, b):\n    return {x for x in a or b}\n", R),
            "def f(a, b):\n    return set(a or b)\n"
        );
        assert_eq!(
            fixed("def f(a, b):\n    return {k: v for k, v in zip(a, b)}\n", R),
            "def f(a, b):\n    return dict(zip(a, b))\n"
        );
        assert_eq!(first_fix_applicability("def f(xs):\n    return [x for x in xs]\n", R), Some(Applicability::Unsafe));
        // No fix when `list` is shadowed, or when a comment would be lost.
        for src in [
            "list = tuple\ndef f(xs):\n    return [x for x in xs]\n",
            "def f(xs):\n    return [\n        x  # each one\n        for x in xs\n    ]\n",
        ] {
            let found = findings(src, R);
            assert!(found.len() == 1 && found[0].fix.is_none(), "{src}: {found:#?}");
        }
    }

    #[test]
    fn fixes_keep_the_output() {
        let driver = "print(f('abca'), f(range(3)), f(x for x in (1, 2)), f({'a': 1}.items()))";
        for body in ["[x for x in xs]", "sorted({x for x in xs})", "{k: v for k, v in enumerate(xs)}"] {
            assert_fix_keeps_output(&format!("def f(xs):\n    return {body}\n"), R, driver);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["[x for x in", "[x for x in xs", "{k: v for k, v in}", "{k: for k, v in p}", "[x for in xs]"] {
            let _ = findings(src, R);
        }
    }
}
