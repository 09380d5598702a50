//! `list-comprehension-in-call` (peer: Ruff C419, which covers `any`/`all` in stable and
//! `sum`/`min`/`max` in preview). `any([v < 0 for v in values])` builds the whole list before
//! `any` looks at the first item, so it cannot stop early and holds every item in memory; a
//! generator expression feeds the items one at a time.
//!
//! Detection: a call of the builtin `any`, `all`, `sum`, `min`, `max`, `sorted`, `set`,
//! `frozenset` or `tuple` whose only positional argument is a list comprehension (or a set
//! comprehension for `any`/`all`/`min`/`max`, where duplicates cannot change the result).
//! Keyword arguments are allowed (`max([...], key=f)`, `min([...], default=0)`), unlike C419.
//! Excluded: extra positional arguments (`sum([...], start)`), and comprehensions that `await`
//! or iterate asynchronously (the generator expression would become an async generator).
//!
//! Deliberately not flagged: `str.join([...])`. `join` materialises its argument into a sequence
//! anyway, so passing a list is, if anything, faster than passing a generator.
//!
//! Fix (unsafe: with `any`/`all`, side effects in the element no longer run for every item):
//! drop the brackets when the comprehension is the only argument, otherwise turn them into
//! parentheses (`max((...), key=f)`); `set([...])` becomes a set comprehension `{...}`.

use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::rule::Rule;

/// Builtins that only iterate their argument once, and whether they accept a set comprehension.
const CALLEES: &[(&str, bool)] = &[
    ("any", true),
    ("all", true),
    ("min", true),
    ("max", true),
    ("sum", false),
    ("sorted", false),
    ("set", false),
    ("frozenset", false),
    ("tuple", false),
];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {
    let [argument] = &*call.arguments.args else { return };
    let Some(resolved) = checker.resolve(&call.func) else { return };
    let Some(&(callee, accepts_set)) =
        CALLEES.iter().find(|(name, _)| matches!(resolved.segments(), ["builtins", b] if b == name))
    else {
        return;
    };
    let (elt, generators, kind) = match argument {
        Expr::ListComp(c) => (&*c.elt, &c.generators, "list"),
        Expr::SetComp(c) if accepts_set => (&*c.elt, &c.generators, "set"),
        _ => return,
    };
    if is_async(elt, generators) {
        return;
    }
    let message = message(checker, callee, kind, argument);
    let fix = fix(checker, call, callee, argument);
    checker.report(Finding::new(Rule::ListComprehensionInCall, argument.range(), message).with_fix(fix));
}

fn message(checker: &Checker, callee: &str, kind: &str, argument: &Expr) -> String {
    let text = checker.source.slice(argument);
    let shown = if text.len() <= 50 && !text.contains(['\n', '\r']) {
        format!("`{text}`")
    } else {
        format!("the {kind} comprehension")
    };
    match callee {
        "any" | "all" => format!(
            "`{callee}()` waits for {shown} to build the whole {kind} before looking at the first \
             item, so it cannot stop early; pass a generator expression"
        ),
        "set" => format!(
            "`set()` receives a list built in full by {shown} only to copy it; write a set \
             comprehension"
        ),
        "sorted" | "tuple" | "frozenset" => format!(
            "`{callee}()` copies every item of {shown} into a new collection, so the {kind} is a \
             throwaway copy; pass a generator expression"
        ),
        _ => format!(
            "`{callee}()` only iterates {shown} once, but the {kind} holds every item in memory \
             first; pass a generator expression"
        ),
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
    checker
        .source
        .token_after(argument.end())
        .is_some_and(|t| t.kind() == ruff_python_ast::token::TokenKind::Comma && t.end() <= call.end())
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::ListComprehensionInCall as R;

    #[test]
    fn flags_list_comprehensions_fed_to_consuming_builtins() {
        assert_count("any([x for x in y])\nall([x for x in y])\nsum([x for x in y])\n", R, 3);
        assert_count("min([x for x in y])\nmax([x for x in y], key=f)\nmin([x for x in y], default=0)\n", R, 3);
        assert_count("sorted([x for x in y], reverse=True)\nset([x for x in y])\n", R, 2);
        assert_count("frozenset([x for x in y])\ntuple([x for x in y])\n", R, 2);
    }

    #[test]
    fn set_comprehensions_only_where_duplicates_do_not_matter() {
        assert_count("any({x for x in y})\nall({x for x in y})\nmin({x for x in y})\nmax({x for x in y})\n", R, 4);
        assert_clean("sum({x for x in y})\nsorted({x for x in y})\ntuple({x for x in y})\n", R);
    }

    #[test]
    fn ignores_join_extra_positionals_other_arguments_and_shadowing() {
        assert_clean("', '.join([str(x) for x in y])\n", R);
        assert_clean("sum([x for x in y], start)\nmax([a for a in b], [c])\nmin(*[x for x in y])\n", R);
        assert_clean("any(x for x in y)\nany([a, b])\nany(y)\nlist([x for x in y])\nlen([x for x in y])\n", R);
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
    fn message_names_callee() {
        let msg = message("def has_negative(values):\n    return any([v < 0 for v in values])\n", R);
        assert!(
            msg.contains("`any()`") && msg.contains("`[v < 0 for v in values]`") && msg.contains("stop early"),
            "{msg}"
        );
        assert!(message("sum([x for x in y])\n", R).contains("`sum()` only iterates"));
        assert!(message("tuple([x for x in y])\n", R).contains("throwaway copy"));
    }

    #[test]
    fn card_example() {
        let src = "def has_negative(values):\n    return any([v < 0 for v in values])\n";
        assert_eq!(fixed(src, R), "def has_negative(values):\n    return any(v < 0 for v in values)\n");
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        assert_clean("def has_negative(values):\n    return any(v < 0 for v in values)\n", R);
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
    }

    #[test]
    fn fix_set_becomes_set_comprehension() {
        assert_eq!(fixed("s = set([x.k for x in y])\n", R), "s = {x.k for x in y}\n");
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
