//! `range-len-loop` (no Ruff peer; Pylint `consider-using-enumerate`). `for i in range(len(xs)):`
//! followed by `xs[i]` is index bookkeeping that Python's iteration protocol does for you:
//! `for x in xs:` when only the item is needed, `for i, x in enumerate(xs):` when both are,
//! `zip(xs, ys)` when two sequences are walked in step. The loop works; nothing goes wrong in it
//! that the rule can see, so it reports a hint, whose message says so.
//!
//! Detection, on the finished model (the loop is deferred until its body has been walked): a `for`
//! whose target is a name `i` and whose iterable is `range(len(X))` (one argument, the builtins),
//! with a body that reads `X[i]` through that very binding of `i`. Excluded: bodies that use `i` in
//! arithmetic inside a subscript (`X[i + 1]`, `Y[i - 1]`: neighbours need the index), bodies that
//! rebind `X` (or a name it is built from), and loops with no `X[i]` read at all. Test code is
//! treated like any code: tests that compare `expected[i]` with `actual[i]` are the `zip` idiom.
//!
//! Fix (unsafe: the element variable is read once per iteration, where `X[i]` re-reads):
//! `for i, x in enumerate(X):` with the `X[i]` reads replaced by `x`, or `for x in X:` when `i`
//! has no other use. No fix when the body writes or deletes `X[...]`, calls a mutating method on
//! `X`, rebinds `i` (also as a comprehension or lambda variable), or when `X` is not a plain name or
//! attribute.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprContext, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::loops::{taken_names, target_bindings, target_read_outside};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{BindingId, NodeId, NodeRef, SemanticModel};

/// During the walk, at a `for` statement of the right header: looked at again after the walk.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if matches!(&*for_stmt.target, Expr::Name(n) if !n.id.is_empty())
        && range_len_argument(checker, &for_stmt.iter).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::RangeLenLoop, node);
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt @ Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Expr::Name(target) = &*for_stmt.target else { return };
    let index = target.id.as_str();
    let Some(sequence) = range_len_argument(checker, &for_stmt.iter) else { return };
    let seq_text = checker.source.slice(sequence);
    let Some(Ok([index_binding])) = target_bindings(model, &for_stmt.target).map(<[BindingId; 1]>::try_from) else {
        return;
    };
    let (Some(first), Some(last)) = (for_stmt.body.first(), for_stmt.body.last()) else { return };
    if seq_text.is_empty() {
        return;
    }
    let body = TextRange::new(first.start(), last.end());
    let usage = Usage::collect(checker, node, body, index_binding, sequence);
    if usage.element_reads.is_empty() || usage.index_arithmetic || usage.sequence_rebound {
        return;
    }
    let index_loads = model.references(index_binding).filter(|r| body.contains_range(r.range)).count();
    let only_indexing =
        index_loads == usage.element_reads.len() && target_read_outside(model, node, stmt, &[index_binding]).is_none();
    let header = TextRange::new(stmt.start(), for_stmt.iter.end());
    let short = |text: &'_ str| {
        if text.len() <= 40 && !text.contains(['\n', '\r']) { text.to_string() } else { "...".to_string() }
    };
    let shown = short(seq_text);
    let message = match usage.in_step.first() {
        Some(other) => {
            let other = short(other);
            format!(
                "`{index}` indexes `{shown}[{index}]` and `{other}[{index}]` in step: this works, and \
                 `zip({shown}, {other})` pairs the items without the index bookkeeping (`strict=True`, \
                 3.10+, also checks that the lengths match)"
            )
        }
        None if only_indexing => format!(
            "`{index}` is only used to read `{shown}[{index}]`: this works, and iterating over `{shown}` \
             directly says the same without the index bookkeeping (and accepts any iterable)"
        ),
        None => format!(
            "This loop reads `{shown}[{index}]` by hand: this works, and `enumerate({shown})` gives the \
             index and the item together"
        ),
    };
    let fix = if usage.blocks_fix() { None } else { enumerate_fix(checker, for_stmt, sequence, &usage, only_indexing) };
    let finding = Finding::new(Rule::RangeLenLoop, header, message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
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
struct Usage<'a> {
    /// Ranges of the `X[i]` reads.
    element_reads: Vec<TextRange>,
    /// Other sequences read as `Y[i]` (their text), for the `zip` advice.
    in_step: Vec<&'a str>,
    /// `X[i + 1]` and the like, anywhere in the body.
    index_arithmetic: bool,
    /// `X` (or a name it is built from) assigned or deleted.
    sequence_rebound: bool,
    /// `X[...] = ...`, `del X[...]`, `X.append(...)`.
    sequence_mutated: bool,
    /// `i` assigned, or bound again by a nested comprehension, lambda or def.
    index_rebound: bool,
}

impl<'a> Usage<'a> {
    fn collect(checker: &Checker<'a>, node: NodeId, body: TextRange, index: BindingId, sequence: &Expr) -> Self {
        let model = checker.semantic();
        let source = &checker.source;
        let seq_text = source.slice(sequence);
        let is_sequence = |e: &Expr| same_kind(e, sequence) && source.slice(e) == seq_text;
        let reads_index = |e: &Expr| matches!(e, Expr::Name(n) if model.resolve_name(n) == Some(index));
        let mut usage = Usage::default();
        let in_body = |n: &NodeId| body.contains_range(model.node(*n).range());
        for id in model.descendants(node).filter(in_body) {
            match model.node(id) {
                NodeRef::Expr(Expr::Subscript(sub)) => {
                    if is_sequence(&sub.value) {
                        match sub.ctx {
                            ExprContext::Load if reads_index(&sub.slice) => usage.element_reads.push(sub.range),
                            ExprContext::Store | ExprContext::Del => usage.sequence_mutated = true,
                            _ => {}
                        }
                    } else if sub.ctx == ExprContext::Load
                        && reads_index(&sub.slice)
                        && matches!(&*sub.value, Expr::Name(_) | Expr::Attribute(_))
                    {
                        let other = source.slice(&*sub.value);
                        if !usage.in_step.contains(&other) {
                            usage.in_step.push(other);
                        }
                    }
                    usage.index_arithmetic |= has_index_arithmetic(model, &sub.slice, index);
                }
                NodeRef::Expr(Expr::Attribute(attr)) if attr.ctx != ExprContext::Load => {
                    usage.sequence_rebound |= sequence.is_attribute_expr() && source.slice(attr) == seq_text;
                }
                NodeRef::Expr(Expr::Call(call)) => {
                    usage.sequence_mutated |= matches!(&*call.func, Expr::Attribute(method)
                        if is_mutating_method(method.attr.as_str()) && is_sequence(&method.value));
                }
                _ => {}
            }
        }
        // Bindings made in the body: of `i` (by anything, in any scope nested here), and of the
        // names `X` is built from (in this scope).
        let index_name = model.binding(index).name;
        let mut sequence_names = Vec::new();
        sequence_names_of(model, sequence, &mut sequence_names);
        for (id, binding) in model.bindings() {
            if !body.contains_range(binding.range) {
                continue;
            }
            usage.index_rebound |= binding.name == index_name && id != index;
            usage.sequence_rebound |= binding.scope == checker.scope() && sequence_names.contains(&binding.name);
        }
        usage
    }

    fn blocks_fix(&self) -> bool {
        self.sequence_mutated || self.index_rebound
    }
}

/// The names read in the sequence expression (`a` and `b` in `a[b].c`).
fn sequence_names_of<'a>(model: &SemanticModel<'a>, sequence: &Expr, out: &mut Vec<&'a str>) {
    let Some(id) = model.expr_id(sequence) else { return };
    for n in std::iter::once(id).chain(model.descendants(id)) {
        if let NodeRef::Expr(Expr::Name(name)) = model.node(n) {
            out.push(name.id.as_str());
        }
    }
}

fn same_kind(a: &Expr, b: &Expr) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// Does `slice` do arithmetic with the index (`i + 1`, `2 * i`, `i - 1:` in a slice)?
fn has_index_arithmetic(model: &SemanticModel, slice: &Expr, index: BindingId) -> bool {
    let arithmetic = |expr: &Expr| {
        let Expr::BinOp(_) = expr else { return false };
        let Some(id) = model.expr_id(expr) else { return false };
        model.descendants(id).any(
            |n| matches!(model.node(n), NodeRef::Expr(Expr::Name(name)) if model.resolve_name(name) == Some(index)),
        )
    };
    match slice {
        Expr::Slice(s) => [&s.lower, &s.upper, &s.step].into_iter().flatten().any(|e| arithmetic(e)),
        Expr::Tuple(t) => t.elts.iter().any(arithmetic),
        other => arithmetic(other),
    }
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
    let mut taken = taken_names(checker.semantic(), checker.scope());
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
    use crate::analysis::finding::{Applicability, Severity};
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
        // `i` is rebound before the read: `xs[i]` is `xs[0]`, not the loop's element.
        assert_clean("for i in range(len(xs)):\n    i = 0\n    print(xs[i])\n", R);
        assert_clean("for i in range(len(xs)):\n    print([xs[i] for i in range(2)])\n", R);
    }

    #[test]
    fn message_names_sequence_and_index() {
        let msg = message("for i in range(len(names)):\n    print(i, names[i])\n", R);
        assert!(msg.contains("`names[i]`") && msg.contains("`enumerate(names)`"), "{msg}");
        let msg = message("for i in range(len(names)):\n    print(names[i])\n", R);
        assert!(msg.contains("iterating over `names` directly") && msg.contains("this works"), "{msg}");
        let found = findings("for i in range(len(names)):\n    print(names[i])\n", R);
        assert_eq!(found[0].severity, Severity::Hint);
    }

    #[test]
    fn message_suggests_zip_for_sequences_walked_in_step() {
        let msg = message("for i in range(len(xs)):\n    print(xs[i], self.ys[i])\n", R);
        assert!(msg.contains("`zip(xs, self.ys)`") && msg.contains("strict=True"), "{msg}");
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(items):\n    for i in range(len(items)):\n        print(items[i].upper(), items[i])\n";
        assert_fix_keeps_output(src, R, "f(['a', 'b'])\n");
        let src = "data = [3, 4]\nfor i in range(len(data)):\n    print(i, data[i] * 2)\nprint(i)\n";
        assert_fix_keeps_output(src, R, "");
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
            "for i in range(len(xs)):\n    print(xs[i])\n    i = 0\n",
            "for i in range(len(xs)):\n    print(xs[i], [xs[i] for i in range(2)])\n",
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
