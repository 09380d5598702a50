//! `range-len-loop` (no Ruff peer; Pylint `consider-using-enumerate`). `for i in range(len(xs)):`
//! followed by `xs[i]` is index bookkeeping that Python's iteration protocol does for you:
//! `for x in xs:` when only the item is needed, `for i, x in enumerate(xs):` when both are.
//!
//! Detection: a `for` whose target is a name `i` and whose iterable is `range(len(X))` (one
//! argument, the builtins), with a body that reads `X[i]`. Excluded: bodies that use `i` in
//! arithmetic inside a subscript (`X[i + 1]`, `Y[i - 1]`: neighbours need the index), bodies that
//! rebind `X` (or a name it is built from), and loops with no `X[i]` read at all.
//!
//! Fix (unsafe: the element variable is read once per iteration, where `X[i]` re-reads):
//! `for i, x in enumerate(X):` with the `X[i]` reads replaced by `x`, or `for x in X:` when `i`
//! has no other use. No fix when the body writes or deletes `X[...]`, calls a mutating method on
//! `X`, rebinds `i`, or when `X` is not a plain name or attribute.

use std::collections::HashSet;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprContext, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;

/// Methods that change a list or dict in place, which would leave the element variable stale.
const MUTATING_METHODS: &[&str] = &[
    "append",
    "extend",
    "insert",
    "pop",
    "remove",
    "clear",
    "sort",
    "reverse",
    "update",
    "setdefault",
    "popitem",
    "add",
    "discard",
    "__setitem__",
    "__delitem__",
];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, for_stmt: &'a StmtFor) {
    let Expr::Name(target) = &*for_stmt.target else { return };
    let index = target.id.as_str();
    if index.is_empty() {
        return;
    }
    let Some(sequence) = range_len_argument(checker, &for_stmt.iter) else { return };
    let seq_text = checker.source.slice(sequence);
    if seq_text.is_empty() {
        return;
    }
    let usage = Usage::collect(checker, &for_stmt.body, index, sequence);
    if usage.element_reads.is_empty() || usage.index_arithmetic || usage.sequence_rebound {
        return;
    }
    let only_indexing = usage.index_loads == usage.element_reads.len() && !read_outside_loop(checker, stmt, index);
    let header = TextRange::new(stmt.start(), for_stmt.iter.end());
    let shown = if seq_text.len() <= 40 && !seq_text.contains(['\n', '\r']) { seq_text } else { "..." };
    let message = if only_indexing {
        format!(
            "`{index}` is only used to read `{shown}[{index}]`; iterate over `{shown}` directly instead of \
             over `range(len({shown}))`"
        )
    } else {
        format!(
            "This loop indexes `{shown}[{index}]` by hand; `enumerate({shown})` gives the index and the item \
             together"
        )
    };
    let fix = if usage.blocks_fix() { None } else { enumerate_fix(checker, for_stmt, sequence, &usage, only_indexing) };
    checker.report(Finding::new(Rule::RangeLenLoop, header, message).with_fix(fix));
}

/// `X` in `range(len(X))`, when `range` and `len` are the builtins.
fn range_len_argument<'e>(checker: &Checker, iter: &'e Expr) -> Option<&'e Expr> {
    let range = helpers::call_resolves_to(checker, iter, &["builtins.range"])?;
    let [len_call] = &*range.arguments.args else { return None };
    if !range.arguments.keywords.is_empty() {
        return None;
    }
    let len = helpers::call_resolves_to(checker, len_call, &["builtins.len"])?;
    match (&*len.arguments.args, len.arguments.keywords.is_empty()) {
        ([sequence], true) if !sequence.is_starred_expr() => Some(sequence),
        _ => None,
    }
}

#[derive(Default)]
struct Usage {
    /// Ranges of the `X[i]` reads.
    element_reads: Vec<TextRange>,
    /// Reads of `i`, including those inside `X[i]`.
    index_loads: usize,
    /// `X[i + 1]` and the like, anywhere in the body.
    index_arithmetic: bool,
    /// `X` (or a name it is built from) assigned or deleted.
    sequence_rebound: bool,
    /// `X[...] = ...`, `del X[...]`, `X.append(...)`.
    sequence_mutated: bool,
    /// `i` assigned, or bound again by a nested comprehension, lambda or def.
    index_rebound: bool,
}

impl Usage {
    fn collect(checker: &Checker, body: &[Stmt], index: &str, sequence: &Expr) -> Usage {
        let seq_text = checker.source.slice(sequence);
        let seq_names = helpers::names_in_expr(sequence);
        let is_sequence = |e: &Expr| same_kind(e, sequence) && checker.source.slice(e) == seq_text;
        let mut usage = Usage::default();
        helpers::for_each_node(body, &mut |node| match node {
            NodeVisit::Expr(Expr::Subscript(sub)) => {
                if is_sequence(&sub.value) {
                    let by_index = matches!(&*sub.slice, Expr::Name(n) if n.id.as_str() == index);
                    match sub.ctx {
                        ExprContext::Load if by_index => usage.element_reads.push(sub.range),
                        ExprContext::Store | ExprContext::Del => usage.sequence_mutated = true,
                        _ => {}
                    }
                }
                usage.index_arithmetic |= has_index_arithmetic(&sub.slice, index);
            }
            NodeVisit::Expr(Expr::Name(name)) => {
                let id = name.id.as_str();
                match name.ctx {
                    ExprContext::Load if id == index => usage.index_loads += 1,
                    ExprContext::Store | ExprContext::Del if id == index => usage.index_rebound = true,
                    ExprContext::Store | ExprContext::Del if seq_names.contains(id) => usage.sequence_rebound = true,
                    _ => {}
                }
            }
            NodeVisit::Expr(Expr::Attribute(attr)) if attr.ctx != ExprContext::Load => {
                usage.sequence_rebound |= sequence.is_attribute_expr() && checker.source.slice(attr) == seq_text;
            }
            NodeVisit::Expr(Expr::Call(call)) => {
                usage.sequence_mutated |= matches!(&*call.func, Expr::Attribute(method)
                    if MUTATING_METHODS.contains(&method.attr.as_str()) && is_sequence(&method.value));
            }
            NodeVisit::Expr(Expr::Lambda(lambda)) => {
                usage.index_rebound |=
                    lambda.parameters.as_ref().is_some_and(|p| p.iter().any(|p| p.name().as_str() == index));
            }
            NodeVisit::Stmt(Stmt::FunctionDef(function)) => {
                usage.index_rebound |= function.parameters.iter().any(|p| p.name().as_str() == index);
            }
            _ => {}
        });
        usage
    }

    fn blocks_fix(&self) -> bool {
        self.sequence_mutated || self.index_rebound
    }
}

fn same_kind(a: &Expr, b: &Expr) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Does `slice` do arithmetic with `index` (`i + 1`, `2 * i`, `i - 1:` in a slice)?
fn has_index_arithmetic(slice: &Expr, index: &str) -> bool {
    let mut found = false;
    let mut check = |expr: &Expr| {
        if let Expr::BinOp(binop) = expr {
            found |= !helpers::name_loads_in_expr(&binop.left, index).is_empty()
                || !helpers::name_loads_in_expr(&binop.right, index).is_empty();
        }
    };
    match slice {
        Expr::Slice(s) => [&s.lower, &s.upper, &s.step].into_iter().flatten().for_each(|e| check(e)),
        Expr::Tuple(t) => t.elts.iter().for_each(&mut check),
        other => check(other),
    }
    found
}

/// Is the loop variable read anywhere outside the loop in the enclosing scope (its final value
/// would be lost if the index went away)?
fn read_outside_loop(checker: &Checker, stmt: &Stmt, index: &str) -> bool {
    let scope_body = checker.enclosing_function().map_or(checker.module_body(), |f| &f.body[..]);
    helpers::name_loads_in_stmts(scope_body, index).iter().any(|load| !stmt.range().contains_range(*load))
}

fn enumerate_fix(
    checker: &Checker,
    for_stmt: &StmtFor,
    sequence: &Expr,
    usage: &Usage,
    only_indexing: bool,
) -> Option<Fix> {
    if !matches!(sequence, Expr::Name(_) | Expr::Attribute(_)) || checker.lookup("enumerate").is_some() {
        return None;
    }
    // `for (i) in (range(...)):` would need the parentheses rewritten too.
    let before = checker.source.token_before(for_stmt.target.start()).map(|t| t.kind());
    let after = checker.source.token_after(for_stmt.iter.end()).map(|t| t.kind());
    if before != Some(TokenKind::For) || after != Some(TokenKind::Colon) {
        return None;
    }
    let index = checker.source.slice(&*for_stmt.target);
    let seq = checker.source.slice(sequence);
    let element = element_name(checker, sequence);
    let header =
        if only_indexing { format!("{element} in {seq}") } else { format!("{index}, {element} in enumerate({seq})") };
    let mut edits = vec![Edit::replace(TextRange::new(for_stmt.target.start(), for_stmt.iter.end()), header)];
    edits.extend(usage.element_reads.iter().map(|read| Edit::replace(*read, element.clone())));
    let title =
        if only_indexing { format!("Iterate over `{seq}` directly") } else { format!("Use `enumerate({seq})`") };
    Fix::unsafe_(title, edits)
}

/// `items` -> `item`, `entries` -> `entry`, `self.names` -> `name`, `data` -> `data_item`; made
/// fresh against every name in the enclosing function (or module).
fn element_name(checker: &Checker, sequence: &Expr) -> String {
    let base = match sequence {
        Expr::Name(name) => name.id.as_str(),
        Expr::Attribute(attr) => attr.attr.as_str(),
        _ => "",
    };
    let preferred = singular(base).unwrap_or_else(|| {
        if base.is_empty() { "item".to_string() } else { format!("{}_item", base.trim_start_matches('_')) }
    });
    let mut taken: HashSet<&str> = match checker.enclosing_function() {
        Some(function) => {
            let mut names = helpers::names_in_stmts(&function.body);
            names.extend(function.parameters.iter().map(|p| p.name().as_str()));
            names
        }
        None => helpers::names_in_stmts(checker.module_body()),
    };
    taken.insert(base);
    helpers::fresh_name(&preferred, &taken)
}

fn singular(plural: &str) -> Option<String> {
    let lower = plural.to_ascii_lowercase();
    if plural.len() < 3 || ["ss", "us", "is"].iter().any(|end| lower.ends_with(end)) {
        return None;
    }
    let stem = if let Some(stem) = plural.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["sses", "xes", "ches", "shes"].iter().any(|end| lower.ends_with(end)) {
        plural[..plural.len() - 2].to_string()
    } else {
        plural.strip_suffix('s')?.to_string()
    };
    let valid = !stem.ends_with('_') && !KEYWORDS.contains(&stem.as_str());
    valid.then_some(stem)
}

/// Hard keywords: `ifs` must not become a variable named `if`.
const KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
    "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
    "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::RangeLenLoop as R;

    #[test]
    fn flags_index_loops_that_read_the_element() {
        assert_count("for i in range(len(xs)):\n    print(xs[i])\n", R, 1);
        assert_count("def f(self):\n    for i in range(len(self.items)):\n        use(self.items[i])\n", R, 1);
        assert_count("for i in range(len(xs)):\n    xs[i] = 0\n    print(xs[i])\n", R, 1);
        assert_count("for i in range(len(a[0])):\n    print(a[0][i])\n", R, 1);
    }

    #[test]
    fn ignores_arithmetic_rebinding_and_other_shapes() {
        assert_clean("for i in range(len(xs)):\n    print(xs[i], xs[i + 1])\n", R);
        assert_clean("for i in range(len(xs)):\n    print(xs[i], ys[i - 1])\n", R);
        assert_clean("for i in range(len(xs)):\n    print(xs[i:i + 2], xs[i])\n", R);
        assert_clean("for i in range(len(xs)):\n    xs = xs[1:]\n    print(xs[i])\n", R);
        assert_clean("for i in range(len(a.b)):\n    a = c\n    print(a.b[i])\n", R);
        assert_clean("for i in range(len(xs)):\n    print(i)\n", R);
        assert_clean("for i in range(len(xs)):\n    print(ys[i])\n", R);
        assert_clean("for i in range(0, len(xs)):\n    print(xs[i])\n", R);
        assert_clean("for i in range(len(xs) - 1):\n    print(xs[i])\n", R);
        assert_clean("def range(n): pass\nfor i in range(len(xs)):\n    print(xs[i])\n", R);
        assert_clean("for i, j in range(len(xs)):\n    print(xs[i])\n", R);
    }

    #[test]
    fn message_names_sequence_and_index() {
        let msg = message("for i in range(len(names)):\n    print(i, names[i])\n", R);
        assert!(msg.contains("`names[i]`") && msg.contains("`enumerate(names)`"), "{msg}");
        let msg = message("for i in range(len(names)):\n    print(names[i])\n", R);
        assert!(msg.contains("iterate over `names` directly"), "{msg}");
    }

    #[test]
    fn card_example() {
        let flagged = "names = [\"ada\", \"grace\", \"linus\"]\nscores = [91, 88, 79]\nfor i in range(len(names)):\n    print(i, names[i], scores[i])\n";
        assert_eq!(
            fixed(flagged, R),
            "names = [\"ada\", \"grace\", \"linus\"]\nscores = [91, 88, 79]\nfor i, name in enumerate(names):\n    print(i, name, scores[i])\n"
        );
        assert_eq!(findings(flagged, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let better = "names = [\"ada\", \"grace\", \"linus\"]\nscores = [91, 88, 79]\nfor i, (name, score) in enumerate(zip(names, scores, strict=True)):\n    print(i, name, score)\n";
        assert_clean(better, R);
    }

    #[test]
    fn singular_names() {
        let cases =
            [("items", Some("item")), ("entries", Some("entry")), ("boxes", Some("box")), ("matches", Some("match"))];
        for (plural, expected) in cases {
            assert_eq!(super::singular(plural).as_deref(), expected, "{plural}");
        }
        for plural in ["xs", "data", "status", "analysis", "class", "ifs", "classes", "__s"] {
            assert_eq!(super::singular(plural), None, "{plural}");
        }
    }

    #[test]
    fn fix_drops_the_index_when_unused() {
        let src = "def f(items):\n    for i in range(len(items)):\n        print(items[i].name, items[i])\n";
        assert_eq!(fixed(src, R), "def f(items):\n    for item in items:\n        print(item.name, item)\n");
        let src = "for j in range(len(classes)):\n    show(classes[j])\n";
        assert_eq!(fixed(src, R), "for classes_item in classes:\n    show(classes_item)\n");
        let src = "for k in range(len(self.entries)):\n    show(self.entries[k])\n";
        assert_eq!(fixed(src, R), "for entry in self.entries:\n    show(entry)\n");
    }

    #[test]
    fn fix_keeps_the_index_when_read_elsewhere() {
        let src = "for i in range(len(data)):\n    print(data[i])\nprint(i)\n";
        assert_eq!(fixed(src, R), "for i, data_item in enumerate(data):\n    print(data_item)\nprint(i)\n");
        let src = "def f(items, item):\n    for i in range(len(items)):\n        g(items[i][0], item, i)\n";
        assert_eq!(
            fixed(src, R),
            "def f(items, item):\n    for i, item_1 in enumerate(items):\n        g(item_1[0], item, i)\n"
        );
        let src = "for i in range(len(xs)):\n    print(i, xs[i])\n";
        assert_eq!(fixed(src, R), "for i, xs_item in enumerate(xs):\n    print(i, xs_item)\n");
    }

    #[test]
    fn no_fix_when_the_element_could_go_stale() {
        for src in [
            "for i in range(len(xs)):\n    xs[i] = xs[i] * 2\n",
            "for i in range(len(xs)):\n    xs[i] += 1\n    print(xs[i])\n",
            "for i in range(len(xs)):\n    if xs[i]:\n        del xs[0]\n",
            "for i in range(len(xs)):\n    xs.append(xs[i])\n",
            "for i in range(len(xs)):\n    i = 0\n    print(xs[i])\n",
            "for i in range(len(xs)):\n    print([xs[i] for i in range(2)])\n",
            "for i in range(len(a[0])):\n    print(a[0][i])\n",
            "for (i) in range(len(xs)):\n    print(xs[i])\n",
            "for i in (range(len(xs))):\n    print(xs[i])\n",
            "enumerate = None\nfor i in range(len(xs)):\n    print(xs[i], i)\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found[0].fix.is_none(), "{src}: {found:#?}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "for i in range(len(",
            "for i in range(len(xs)):\n",
            "for in range(len(xs)):\n    xs[]\n",
            "for i in range(len()):\n    x[i]\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
