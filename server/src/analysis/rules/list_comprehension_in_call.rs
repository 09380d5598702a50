//! `list-comprehension-in-call` (peer: Ruff C419, which covers `any`/`all` in stable and
//! `sum`/`min`/`max` in preview). `any([v < 0 for v in values])` builds the whole list before
//! `any` looks at the first item, so it cannot stop early and holds every item in memory; a
//! generator expression feeds the items one at a time.
//!
//! Detection: a call of the builtin `any`, `all`, `sum`, `min`, `max` or `set` whose only
//! positional argument is a list comprehension (or a set comprehension for `any`/`all`/`min`/
//! `max`, where duplicates cannot change the result). Keyword arguments are allowed
//! (`max([...], key=f)`, `min([...], default=0)`), unlike C419. Tiers, by what the generator
//! would gain there (CPython 3.11, `python3 -m timeit`, 1000 ints, element `x*2` or a comparison;
//! "gen/list" is the generator's time over the list's):
//!
//! - warning, `any`/`all`: the list form computes every element even after the answer is known.
//!   Stopping at the first item: 1.6 µs against 70 µs; never stopping, the list is faster
//!   (gen/list 1.45-1.6), so the early stop is the whole point. The message adds, when the element
//!   calls something, that a list that must run every call is deliberate and should say so.
//! - hint, `any`/`all` in test code (a `test*` function, a `Test*`/`*Test`/`*TestCase` class):
//!   the early stop only saves test time; and over a short literal input (a display of up to 8
//!   items, `range(n)` with `n <= 100`), where little is lost.
//! - hint, `sum`/`min`/`max`: no early stop; the gain is memory (the list holds every item at
//!   once), and the list form is faster (gen/list 1.17-1.36), so the message says both. Not
//!   reported in test code or over a short literal input, where the memory is negligible.
//! - hint, `set([...])`: a set comprehension builds the set without the list (0.56-0.94 of the
//!   time); not reported in test code or over a short literal input either.
//!
//! Not reported either when a comment in the statement or in the eight lines above it says the
//! list is meant (it mentions the list and the comprehension, `any(`/`all(`, or every item being
//! called or iterated): `all([form.is_valid() for form in forms])` in Django's formsets runs every
//! `is_valid()` on purpose, and says so.
//!
//! Deliberately not flagged, because the callee materialises its input anyway and the list form
//! is faster there (gen/list): `tuple` (1.38-1.52), `frozenset` (1.17-1.35), `sorted` (1.36-1.39),
//! and `str.join`, which makes a sequence of a generator first. Ruff's C419 does not flag them
//! either. Also excluded: extra positional arguments (`sum([...], start)`), and comprehensions
//! that `await` or iterate asynchronously (the generator expression would become an async
//! generator).
//!
//! Fix (unsafe: with `any`/`all` the elements after the answer are no longer computed, so their
//! side effects do not run; with every callee, computing an element now interleaves with consuming
//! the previous one): drop the brackets when the comprehension is the only argument, otherwise turn
//! them into parentheses (`max((...), key=f)`); `set([...])` becomes a set comprehension `{...}`.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, ExprCall, Number};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;

/// Builtins that only iterate their argument once, and whether they accept a set comprehension.
const CALLEES: &[(&str, bool)] =
    &[("any", true), ("all", true), ("min", true), ("max", true), ("sum", false), ("set", false)];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {
    let [argument] = &*call.arguments.args else { return };
    let (elt, generators, kind) = match argument {
        Expr::ListComp(c) => (&*c.elt, &c.generators, "list"),
        Expr::SetComp(c) => (&*c.elt, &c.generators, "set"),
        _ => return,
    };
    let Some(resolved) = checker.resolve(&call.func) else { return };
    let Some(&(callee, accepts_set)) =
        CALLEES.iter().find(|(name, _)| matches!(resolved.segments(), ["builtins", b] if b == name))
    else {
        return;
    };
    if (kind == "set" && !accepts_set) || is_async(elt, generators) || explained_by_comment(checker) {
        return;
    }
    let short_circuits = matches!(callee, "any" | "all");
    let in_test = in_test_code(checker);
    let small = generators.first().is_some_and(|g| is_small(checker, &g.iter));
    if !short_circuits && (in_test || small) {
        // Memory is the only gain, and a test's or a literal's few items cost none.
        return;
    }
    let severity = if short_circuits && !in_test && !small { Severity::Warning } else { Severity::Hint };
    let context = if in_test {
        Some(" (in a test the early stop only saves test time)")
    } else if small {
        Some(" (with this short literal input little is lost)")
    } else {
        None
    };
    let message = message(checker, callee, kind, argument, elt, generators, context);
    let fix = fix(checker, call, callee, argument);
    let finding = Finding::new(Rule::ListComprehensionInCall, argument.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

fn message(
    checker: &Checker,
    callee: &str,
    kind: &str,
    argument: &Expr,
    elt: &Expr,
    generators: &[Comprehension],
    context: Option<&str>,
) -> String {
    let text = checker.source.slice(argument);
    let shown = if text.len() <= 50 && !text.contains(['\n', '\r']) {
        format!("`{text}`")
    } else {
        format!("the {kind} comprehension")
    };
    match callee {
        "any" | "all" => {
            let decided = if callee == "any" { "one is true" } else { "one is false" };
            let element = checker.source.shown(elt);
            let mut message = format!(
                "`{callee}()` waits for {shown} to build the whole {kind} before looking at the first item, so it \
                 cannot stop early: `{element}` is computed for every item even after {decided}; pass a generator \
                 expression"
            );
            if let Some(context) = context {
                message.push_str(context);
            } else if calls_something(elt, generators) {
                message.push_str(" (if every call must run, keep the list and say so in a comment)");
            }
            message
        }
        "set" => format!(
            "`set()` receives a list built in full by {shown} only to copy it; a set comprehension builds the \
             set directly"
        ),
        _ => format!(
            "`{callee}()` reads the items once, but {shown} holds them all in memory first; a generator \
             expression streams them (on short inputs the list is as fast or slightly faster, so this matters \
             for large ones)"
        ),
    }
}

/// How many lines above the statement a comment may explain a deliberate list.
const COMMENT_LINES: usize = 8;

/// Does a comment inside the statement, or on the lines just above it, say the list is meant
/// ("List comprehension ensures is_valid() is called for all forms", Django's formsets)?
fn explained_by_comment(checker: &Checker) -> bool {
    let Some(stmt) = checker.current_statement() else { return false };
    let source = &checker.source;
    let mut from = source.line_start(stmt.start());
    for _ in 0..COMMENT_LINES {
        if from.to_usize() == 0 {
            break;
        }
        from = source.line_start(from - TextSize::from(1));
    }
    let range = TextRange::new(from, stmt.end());
    source.tokens_in(range).iter().filter(|t| t.kind() == TokenKind::Comment).any(|c| {
        let text = source.slice(c).to_ascii_lowercase();
        text.contains("list")
            && ["comprehension", "any(", "all(", "every", "each", "called", "iterate"].iter().any(|w| text.contains(w))
    })
}

/// Inside test code: a `test*` function, or a class named like a test case (`Test*`, `*Test`,
/// `*Tests`, `*TestCase`, `*TestBase`).
fn in_test_code(checker: &Checker) -> bool {
    checker.frames().any(|frame| match frame {
        Frame::Function(f) => f.name.as_str().starts_with("test"),
        Frame::Class(c) => {
            let name = c.name.as_str();
            name.starts_with("Test") || ["Test", "Tests", "TestCase", "TestBase"].iter().any(|s| name.ends_with(s))
        }
        _ => false,
    })
}

/// A literal display of a few items, or `range(n)` with a small literal `n`: the whole input is
/// in view and tiny.
fn is_small(checker: &Checker, iter: &Expr) -> bool {
    const FEW: usize = 8;
    match iter {
        Expr::List(l) => l.elts.len() <= FEW,
        Expr::Tuple(t) => t.elts.len() <= FEW,
        Expr::Set(s) => s.elts.len() <= FEW,
        Expr::Call(call) => {
            call.arguments.keywords.is_empty()
                && matches!(
                    &*call.arguments.args,
                    [Expr::NumberLiteral(n)] if matches!(&n.value, Number::Int(i) if i.as_u64().is_some_and(|i| i <= 100))
                )
                && checker.resolves_to(&call.func, "builtins.range")
        }
        _ => false,
    }
}

/// Does the element or a condition call anything (whose side effects the list runs for every item)?
fn calls_something(elt: &Expr, generators: &[Comprehension]) -> bool {
    let mut finder = CallFinder { found: false, depth: 0 };
    finder.visit_expr(elt);
    generators.iter().flat_map(|g| &g.ifs).for_each(|e| finder.visit_expr(e));
    finder.found
}

struct CallFinder {
    found: bool,
    depth: usize,
}

impl<'a> Visitor<'a> for CallFinder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth >= MAX_DEPTH {
            // Too deep to tell: say it may call something, which only adds a caveat.
            self.found = true;
            return;
        }
        match expr {
            Expr::Call(_) => self.found = true,
            // A lambda's body does not run here.
            Expr::Lambda(_) => {}
            _ => {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }
}

/// Does the comprehension (beyond its first iterable, which runs outside it) await anything?
fn is_async(elt: &Expr, generators: &[Comprehension]) -> bool {
    let mut finder = AwaitFinder { found: false, depth: 0 };
    finder.visit_expr(elt);
    for (i, generator) in generators.iter().enumerate() {
        finder.found |= generator.is_async;
        if i > 0 {
            finder.visit_expr(&generator.iter);
        }
        generator.ifs.iter().for_each(|e| finder.visit_expr(e));
    }
    finder.found
}

struct AwaitFinder {
    found: bool,
    depth: usize,
}

impl<'a> Visitor<'a> for AwaitFinder {
    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth >= MAX_DEPTH {
            // Too deep to tell: treat as async, which only withholds a finding.
            self.found = true;
            return;
        }
        match expr {
            Expr::Await(_) => self.found = true,
            // A nested lambda's body runs in its own (sync) scope.
            Expr::Lambda(_) => {}
            _ => {
                self.depth += 1;
                visitor::walk_expr(self, expr);
                self.depth -= 1;
            }
        }
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.found |= comprehension.is_async;
        visitor::walk_comprehension(self, comprehension);
    }
}

fn fix(checker: &Checker, call: &ExprCall, callee: &str, argument: &Expr) -> Option<Fix> {
    let range = argument.range();
    let open = TextRange::at(range.start(), TextSize::from(1));
    let close = TextRange::new(range.end().checked_sub(TextSize::from(1))?, range.end());
    let expected = if argument.is_list_comp_expr() { ("[", "]") } else { ("{", "}") };
    if (checker.source.slice(&open), checker.source.slice(&close)) != expected {
        return None;
    }
    if callee == "set" && call.arguments.keywords.is_empty() {
        // `set([x for x in y])` -> `{x for x in y}`.
        let edits = vec![
            Edit::replace(TextRange::new(call.start(), open.end()), "{"),
            Edit::replace(TextRange::new(close.start(), call.end()), "}"),
        ];
        if checker.source.has_comments(TextRange::new(call.start(), open.end()))
            || checker.source.has_comments(TextRange::new(close.end(), call.end()))
        {
            return None;
        }
        return Fix::unsafe_("Use a set comprehension", edits);
    }
    let sole = call.arguments.keywords.is_empty() && !has_trailing_comma(checker, call, argument);
    let (start, end) = if sole { ("", "") } else { ("(", ")") };
    Fix::unsafe_(
        format!("Pass a generator expression to `{callee}()`"),
        vec![Edit::replace(open, start), Edit::replace(close, end)],
    )
}

/// `any([...],)`: a bare generator expression cannot be followed by a comma.
fn has_trailing_comma(checker: &Checker, call: &ExprCall, argument: &Expr) -> bool {
    checker.source.token_after(argument.end()).is_some_and(|t| t.kind() == TokenKind::Comma && t.end() <= call.end())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ListComprehensionInCall as R;

    fn severity(source: &str) -> Severity {
        only_severity(source, R)
    }

    #[test]
    fn flags_list_comprehensions_fed_to_consuming_builtins() {
        assert_count("any([x for x in y])\nall([x for x in y])\nsum([x for x in y])\n", R, 3);
        assert_count("min([x for x in y])\nmax([x for x in y], key=f)\nmin([x for x in y], default=0)\n", R, 3);
        assert_count("set([x for x in y])\n", R, 1);
    }

    #[test]
    fn callees_that_materialise_their_input_are_faster_with_a_list() {
        assert_clean("tuple([x for x in y])\nfrozenset([x for x in y])\nsorted([x for x in y], reverse=True)\n", R);
        assert_clean("', '.join([str(x) for x in y])\nlist([x for x in y])\n", R);
    }

    #[test]
    fn set_comprehensions_only_where_duplicates_do_not_matter() {
        assert_count("any({x for x in y})\nall({x for x in y})\nmin({x for x in y})\nmax({x for x in y})\n", R, 4);
        assert_clean("sum({x for x in y})\nset({x for x in y})\n", R);
    }

    #[test]
    fn ignores_extra_positionals_other_arguments_and_shadowing() {
        assert_clean("sum([x for x in y], start)\nmax([a for a in b], [c])\nmin(*[x for x in y])\n", R);
        assert_clean("any(x for x in y)\nany([a, b])\nany(y)\nlen([x for x in y])\n", R);
        assert_clean("def any(x): pass\nany([x for x in y])\n", R);
    }

    #[test]
    fn ignores_async_comprehensions() {
        assert_clean("async def f():\n    return any([await x for x in y])\n", R);
        assert_clean("async def f():\n    return any([x async for x in y])\n", R);
        assert_clean("async def f():\n    return any([x for x in y if await x])\n", R);
        // The first iterable runs outside the comprehension.
        assert_count("async def f():\n    return any([x for x in await y])\n", R, 1);
    }

    #[test]
    fn any_and_all_lose_the_early_stop() {
        let src = "def has_negative(values):\n    return any([v < 0 for v in values])\n";
        assert_eq!(severity(src), Severity::Warning);
        let msg = message(src, R);
        assert!(
            msg.contains("`any()`") && msg.contains("`[v < 0 for v in values]`") && msg.contains("stop early"),
            "{msg}"
        );
        assert!(msg.contains("`v < 0` is computed for every item even after one is true"), "{msg}");
        assert!(!msg.contains("every call must run"), "{msg}");
        let msg = message("ok = all([check(x) for x in xs])\n", R);
        assert!(msg.contains("after one is false") && msg.contains("every call must run"), "{msg}");
    }

    #[test]
    fn a_list_a_comment_explains_is_deliberate() {
        let src = "def is_valid(self):\n    # List comprehension ensures is_valid() is called for all forms.\n    return all([form.is_valid() for form in self.forms])\n";
        assert_clean(src, R);
        let src = "def go():\n    # we build a list for any([...]) instead of any(...) to prove we've\n    # iterated all the items with no sql.\n    f = util.flatten_iterator\n    assert any(\n        [i.keywords for i in f(users)]\n    )\n";
        assert_clean(src, R);
        // Other comments do not count.
        assert_count("def f(xs):\n    # check the targets\n    return all([x.ok for x in xs])\n", R, 1);
    }

    #[test]
    fn hint_in_test_code() {
        let src = "def test_values():\n    assert all([x > 0 for x in values()])\n";
        assert_eq!(severity(src), Severity::Hint);
        assert!(message(src, R).contains("only saves test time"));
        let src = "class ParserTest(TestCase):\n    def check(self, xs):\n        return any([x.ok for x in xs])\n";
        assert_eq!(severity(src), Severity::Hint);
        // Memory is the only gain of sum/min/max/set, and tests' inputs are small: not reported.
        assert_clean("def test_sum():\n    assert sum([x for x in range(10)]) == 45\n", R);
        assert_clean("class TestSets:\n    def test_it(self):\n        assert set([x for x in y]) == {1}\n", R);
    }

    #[test]
    fn short_literal_inputs_lose_little() {
        let src = "def f(data):\n    return all([x in data for x in ['base_image', 'env']])\n";
        assert_eq!(severity(src), Severity::Hint);
        assert!(message(src, R).contains("short literal input"));
        assert_clean("def f(a, b):\n    return max([len(s) for s in (a, b)])\n", R);
        assert_clean("total = sum([i * i for i in range(10)])\n", R);
        assert_eq!(severity("total = sum([i * i for i in range(1000)])\n"), Severity::Hint);
        assert_eq!(severity("def f(n):\n    return any([i > 3 for i in range(n)])\n"), Severity::Warning);
    }

    #[test]
    fn hint_where_only_memory_is_gained() {
        for src in ["sum([x * x for x in y])\n", "max([len(s) for s in xs], key=f)\n", "set([x.k for x in y])\n"] {
            assert_eq!(severity(src), Severity::Hint, "{src}");
        }
        let msg = message("sum([x for x in y])\n", R);
        assert!(msg.contains("`sum()` reads the items once") && msg.contains("slightly faster"), "{msg}");
        assert!(message("set([x for x in y])\n", R).contains("set comprehension"));
    }

    #[test]
    fn card_example() {
        let src = "def has_negative(values):\n    return any([v < 0 for v in values])\n";
        assert_eq!(fixed(src, R), "def has_negative(values):\n    return any(v < 0 for v in values)\n");
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(has_negative([1, -2, 3]), has_negative([]), has_negative([4]))\n");
        assert_clean("def has_negative(values):\n    return any(v < 0 for v in values)\n", R);
        assert_card_examples(R);
    }

    #[test]
    fn fix_is_unsafe_because_side_effects_stop_running() {
        let src = "seen = []\ndef check(x):\n    seen.append(x)\n    return x > 1\n\nok = any([check(x) for x in [1, 2, 3]])\n";
        assert_eq!(fixed_output(src, R, "print(ok, seen)\n"), "True [1, 2]\n");
        let (_, before, _) = run_python(&format!("{src}\nprint(ok, seen)\n"));
        assert_eq!(before, "True [1, 2, 3]\n");
    }

    #[test]
    fn fix_parenthesises_when_other_arguments_follow() {
        assert_eq!(fixed("m = max([len(s) for s in xs], key=f)\n", R), "m = max((len(s) for s in xs), key=f)\n");
        assert_eq!(fixed("m = any([x for x in y],)\n", R), "m = any((x for x in y),)\n");
        assert_eq!(fixed("m = any({x for x in y})\n", R), "m = any(x for x in y)\n");
        assert_eq!(
            fixed("m = sum([\n    x  # c\n    for x in y\n])\n", R),
            "m = sum(\n    x  # c\n    for x in y\n)\n"
        );
        let src =
            "def f(xs):\n    return max([len(s) for s in xs], key=lambda n: -n), min([x for x in xs], default=0)\n";
        assert_fix_keeps_output(src, R, "print(f(['a', 'bb']))\n");
        assert_fix_keeps_output(
            "def f(y):\n    return sum([\n        x  # c\n        for x in y\n    ])\n",
            R,
            "print(f([1, 2]))\n",
        );
    }

    #[test]
    fn fix_set_becomes_set_comprehension() {
        assert_eq!(fixed("s = set([x.k for x in y])\n", R), "s = {x.k for x in y}\n");
        assert_fix_keeps_output("def f(y):\n    return sorted(set([x % 3 for x in y]))\n", R, "print(f(range(10)))\n");
        let found = findings("s = set(  # c\n    [x for x in y])\n", R);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["any([x for x in", "any([x for", "any([", "sum([x for x in y]", "set([x for x in y]"] {
            let _ = findings(src, R);
        }
    }
}
