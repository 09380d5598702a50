//! `dict-iteration-items` (peer: Ruff PLC0206; Pylint `consider-using-dict-items`). `for k in d:`
//! followed by `d[k]` in the body looks each value up again by its key; `for k, v in d.items():`
//! hands over key and value together. Nothing goes wrong — the extra lookup is a hash probe — so
//! the rule reports a hint whose message says the loop works.
//!
//! Detection, on the finished model (the loop is deferred until its body has been walked): a
//! synchronous `for` whose target is a name `k` and whose iterable is `D` or `D.keys()`, with `D`
//! a name or attribute chain, and a body that reads `D[k]` through that very binding of `k`.
//! `D` must be known to be a dict (display, `dict(...)`, comprehension, `dict[...]` annotation,
//! `OrderedDict`/`defaultdict`/`Counter`, a `**kwargs` parameter), or iterated through `.keys()`,
//! which only mappings offer: `for i in perm: perm[i]` on a list indexes by the items, and
//! `.items()` would not exist — except under `if hasattr(D, "keys"):`, the duck-typed protocol
//! `dict.update` accepts (`keys()` and `__getitem__`, with no promise of `items()`), where nothing
//! is reported.
//! Excluded: bodies that assign, augment or delete `D[...]`, call a mutating method on `D`
//! (`pop`, `update`, `setdefault`...), or rebind `D` or `k` — there the fresh lookup reads a value
//! the body may have changed, so `v` would be stale. Test code is treated like any code.
//!
//! Fix (unsafe: `d[k]` re-reads the dict each time, `v` is read once per iteration; a `__getitem__`
//! with side effects, a `defaultdict`'s factory, no longer runs): `for k, v in D.items():` with
//! the `D[k]` reads replaced by `v`, `v` a name free in the enclosing function.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprContext, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::idioms::is_known_dict;
use super::helpers::loops::{short, taken_names, target_bindings};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{BindingId, NodeId, NodeRef};

/// During the walk: a `for name in D` / `for name in D.keys()` header is looked at again after it.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if !for_stmt.is_async
        && matches!(&*for_stmt.target, Expr::Name(n) if !n.id.is_empty())
        && mapping_of(&for_stmt.iter).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::DictIterationItems, node);
    }
}

/// `D` in `for k in D` or `for k in D.keys()`, and whether `.keys()` was called.
fn mapping_of(iter: &Expr) -> Option<(&Expr, bool)> {
    let (mapping, keys) = match iter {
        Expr::Call(call) if call.arguments.is_empty() => match &*call.func {
            Expr::Attribute(attr) if attr.attr.as_str() == "keys" => (&*attr.value, true),
            _ => return None,
        },
        other => (other, false),
    };
    is_plain_reference(mapping).then_some((mapping, keys))
}

/// Is the loop under `if hasattr(D, "keys"):`? That is the protocol `dict.update` accepts:
/// `keys()` and `__getitem__`, with no promise of `items()`.
fn duck_typed_keys(checker: &Checker, node: NodeId, mapping: &Expr) -> bool {
    let model = checker.semantic();
    let text = checker.source.slice(mapping);
    let tests_keys = |test: &Expr| {
        let Expr::Call(call) = test else { return false };
        matches!(&*call.func, Expr::Name(n) if n.id.as_str() == "hasattr")
            && matches!(&*call.arguments.args, [object, Expr::StringLiteral(attr)]
                if checker.source.slice(object) == text && attr.value.to_str() == "keys")
    };
    model.ancestors(node).any(|a| match a {
        NodeRef::Stmt(Stmt::If(if_stmt)) => {
            tests_keys(&if_stmt.test)
                || if_stmt.elif_else_clauses.iter().filter_map(|c| c.test.as_ref()).any(tests_keys)
        }
        _ => false,
    })
}

fn is_plain_reference(expr: &Expr) -> bool {
    match expr {
        Expr::Name(_) => true,
        Expr::Attribute(attr) => is_plain_reference(&attr.value),
        _ => false,
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    let Some((mapping, via_keys)) = mapping_of(&for_stmt.iter) else { return };
    let known = is_known_dict(checker, mapping);
    if !known && (!via_keys || duck_typed_keys(checker, node, mapping)) {
        return;
    }
    let Some(Ok([key])) = target_bindings(model, &for_stmt.target).map(<[BindingId; 1]>::try_from) else { return };
    let (Some(first), Some(last)) = (for_stmt.body.first(), for_stmt.body.last()) else { return };
    let body = TextRange::new(first.start(), last.end());
    let Some(reads) = value_reads(checker, node, body, key, mapping) else { return };
    if reads.is_empty() {
        return;
    }
    let shown = short(checker, mapping);
    let key_name = model.binding(key).name;
    let message = format!(
        "The loop looks up `{shown}[{key_name}]` again for each key: this works, and `for {key_name}, value in \
         {shown}.items():` gives the key and the value together"
    );
    let fix = items_fix(checker, for_stmt, mapping, &reads);
    let header = TextRange::new(for_stmt.start(), for_stmt.iter.end());
    let finding = Finding::new(Rule::DictIterationItems, header, message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// The ranges of the `D[k]` loads in the body; `None` when the body changes `D` or rebinds
/// `D` (or a name it is read through) or `k`, where a fresh lookup is what the code needs.
fn value_reads(
    checker: &Checker,
    node: NodeId,
    body: TextRange,
    key: BindingId,
    mapping: &Expr,
) -> Option<Vec<TextRange>> {
    let model = checker.semantic();
    let source = &checker.source;
    let text = source.slice(mapping);
    let is_mapping = |e: &Expr| is_plain_reference(e) && source.slice(e) == text;
    let mut reads = Vec::new();
    for id in model.descendants(node).filter(|n| body.contains_range(model.node(*n).range())) {
        match model.node(id) {
            NodeRef::Expr(Expr::Subscript(sub)) if is_mapping(&sub.value) => match sub.ctx {
                ExprContext::Load => {
                    if matches!(&*sub.slice, Expr::Name(n) if model.resolve_name(n) == Some(key)) {
                        reads.push(sub.range);
                    }
                }
                // `D[...] = v`, `D[...] += v`, `del D[...]`.
                _ => return None,
            },
            NodeRef::Expr(Expr::Call(call)) => {
                if matches!(&*call.func, Expr::Attribute(m) if is_mutating_method(m.attr.as_str()) && is_mapping(&m.value))
                {
                    return None;
                }
            }
            NodeRef::Expr(Expr::Attribute(attr)) if attr.ctx != ExprContext::Load && source.slice(attr) == text => {
                return None;
            }
            NodeRef::Stmt(Stmt::AugAssign(aug)) if is_mapping(&aug.target) => return None,
            _ => {}
        }
    }
    // Rebinding `k`, or a name `D` is read through, inside the body.
    let key_name = model.binding(key).name;
    let root = root_name(mapping);
    let rebinds = model
        .bindings()
        .any(|(id, b)| body.contains_range(b.range) && ((b.name == key_name && id != key) || Some(b.name) == root));
    (!rebinds).then_some(reads)
}

fn root_name(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(n) => Some(n.id.as_str()),
        Expr::Attribute(a) => root_name(&a.value),
        _ => None,
    }
}

fn items_fix(checker: &Checker, for_stmt: &StmtFor, mapping: &Expr, reads: &[TextRange]) -> Option<Fix> {
    // `for (k) in (d):` would need its parentheses rewritten too.
    let before = checker.source.token_before(for_stmt.target.start()).map(|t| t.kind());
    let after = checker.source.token_after(for_stmt.iter.end()).map(|t| t.kind());
    if before != Some(TokenKind::For) || after != Some(TokenKind::Colon) {
        return None;
    }
    let key = checker.source.slice(&*for_stmt.target);
    let taken = taken_names(checker.semantic(), checker.scope());
    let value = helpers::fresh_name("value", &taken);
    let header = format!("{key}, {value} in {}.items()", checker.source.slice(mapping));
    let mut edits = vec![Edit::replace(TextRange::new(for_stmt.target.start(), for_stmt.iter.end()), header)];
    edits.extend(reads.iter().map(|read| Edit::replace(*read, value.clone())));
    Fix::unsafe_(format!("Iterate over `{}.items()`", short(checker, mapping)), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::DictIterationItems as R;

    #[test]
    fn flags_loops_that_look_each_value_up() {
        assert_count("d = {}\nfor k in d:\n    print(k, d[k])\n", R, 1);
        assert_count("def f(d):\n    for k in d.keys():\n        print(d[k])\n", R, 1);
        assert_count("def f(d: dict[str, int]):\n    for k in d:\n        print(d[k] + d[k])\n", R, 1);
        assert_count("def f(**kw):\n    for k in kw:\n        print(kw[k])\n", R, 1);
        assert_count(
            "class C:\n    def f(self):\n        for k in self.m.keys():\n            print(self.m[k])\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_unknown_receivers_and_changes_to_the_dict() {
        // Without `.keys()` an unknown object may be a list indexed by its items.
        assert_clean("def f(perm):\n    for i in perm:\n        print(perm[i])\n", R);
        // The keys-and-getitem protocol promises no `items()`.
        let duck = "def update(self, other):\n    if isinstance(other, dict):\n        pass\n    elif hasattr(other, 'keys'):\n        for key in other.keys():\n            self[key] = other[key]\n";
        assert_clean(duck, R);
        assert_clean("d = {}\nfor k in d:\n    d[k] = d[k] + 1\n", R);
        assert_clean("d = {}\nfor k in d:\n    d[k] += 1\n    print(d[k])\n", R);
        assert_clean("d = {}\nfor k in list(d):\n    print(d[k])\n", R);
        assert_clean("d = {}\nfor k in d:\n    print(d[k])\n    del d[k]\n", R);
        assert_clean("d = {}\nfor k in d:\n    print(d[k])\n    d.pop(k)\n", R);
        assert_clean("d = {}\nfor k in d:\n    d = {}\n    print(d[k])\n", R);
        assert_clean("d = {}\nfor k in d:\n    k = 1\n    print(d[k])\n", R);
        assert_clean("d = {}\nfor k in d:\n    print(k, e[k])\n", R);
        assert_clean("d = {}\nfor k in d:\n    print(d[k + 1])\n", R);
        assert_clean("d = {}\nfor k, j in d:\n    print(d[k])\n", R);
        assert_clean("async def f(d):\n    async for k in d.keys():\n        print(d[k])\n", R);
        assert_clean("def f(m):\n    for k in m().keys():\n        print(m()[k])\n", R);
    }

    #[test]
    fn a_hint_that_says_it_works() {
        assert_tier("d = {}\nfor k in d:\n    print(d[k])\n", R, Severity::Hint, "this works");
    }

    #[test]
    fn fix_iterates_over_items() {
        assert_eq!(
            fixed("def f(d):\n    for k in d.keys():\n        print(k, d[k], d[k])\n", R),
            "def f(d):\n    for k, value in d.items():\n        print(k, value, value)\n"
        );
        assert_eq!(
            fixed("def f(d, value):\n    for k in d.keys():\n        print(value, d[k])\n", R),
            "def f(d, value):\n    for k, value_1 in d.items():\n        print(value, value_1)\n"
        );
        assert_eq!(first_fix_applicability("d = {}\nfor k in d:\n    print(d[k])\n", R), Some(Applicability::Unsafe));
        let parenthesised = "d = {}\nfor (k) in d:\n    print(d[k])\n";
        assert!(findings(parenthesised, R)[0].fix.is_none());
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def f(d: dict):\n    total = 0\n    for k in d:\n        total += d[k] * len(k)\n    return total\n";
        assert_fix_keeps_output(src, R, "print(f({'ab': 2, 'c': 5}), f({}))");
        let keys = "def f(d):\n    for k in d.keys():\n        print(k, d[k])\n";
        assert_fix_keeps_output(keys, R, "f({'x': 1, 'y': [2]})");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "d = {}\nfor k in d:\n",
            "d = {}\nfor k in d:\n    d[",
            "for k in d.keys(:\n    d[k]",
            "for in d:\n    d[k]",
        ] {
            let _ = findings(src, R);
        }
    }
}
