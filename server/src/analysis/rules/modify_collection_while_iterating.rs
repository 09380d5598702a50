//! `modify-collection-while-iterating` (peers: Ruff B909 and PLE4703, both preview; Pylint
//! W4701, E4702, E4703). A `for` loop walks a list by index, so removing an item shifts the rest
//! left and the loop skips the one after it; a dict or set raises `RuntimeError` at the next step
//! once its size has changed.
//!
//! Detection, on the finished model (the loop is deferred until its body has been walked): a `for`
//! whose iterable is a name `X`, `self.<attr>`, or `X.keys()` / `.values()` / `.items()`, and a
//! change to that same object in the loop body (not in its `else:`, not in a nested function):
//! a mutating method call, `del X[...]`, `X[k] = v` on a dict, or `X += ...`. The object's type
//! comes from what the name is bound to (a display or constructor); otherwise it is unknown (also
//! for `.keys()` on an unknown object: `email.message.Message.keys()` returns a list).
//!
//! Tiers: a warning for a removal (`remove`, `pop`, `popitem`, `discard`, `clear`, `del X[...]`)
//! and for `insert` on a list, which make the loop skip items (list) or raise (dict, set), when
//! the type is known; the message names the change and its line. The same change on a collection
//! of unknown type (a parameter, `self.<attr>`) is a hint that says what happens for each type: a
//! collection class may iterate over a copy of itself (an `email.message.Message`, SQLAlchemy's
//! column collections), and a loop over `self` is never matched for that reason. A hint for growth (`append`, `extend`, `add`,
//! `update`, `setdefault`, `X[new_key] = v`, `+=`): a growing list is also walked over its new
//! items, which work-list loops do on purpose, and a dict or set raises only if a key is new.
//! Nothing when the change is followed in its block by `break`, `return` or `raise` (the loop
//! never takes another step), inside `assertRaises(RuntimeError)` / `pytest.raises` or a `try`
//! that catches `RuntimeError` (for dicts and sets: tests of the error itself), when a dict's value is replaced under the loop's own key (`d[k] = v` in
//! `for k in d`: no size change), for item replacement in a list (`X[i] = v`), and when the
//! iterable is already a copy (`list(X)`, `X[:]`, `sorted(X)`...: not a bare name, so not matched).
//! Test code is treated like any other.
//!
//! Fix for removals (unsafe: the loop then visits every original item, the intended change, and
//! for a dict or set it no longer raises): iterate a snapshot, `for x in list(X):`.

use ruff_python_ast::{Expr, ExprName, Stmt, StmtFor};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::rules::helpers::loops::target_names;
use crate::analysis::rules::helpers::mutability::expects_error;
use crate::analysis::semantic::{NodeId, NodeRef, SimpleType, Use};

/// What the loop iterates: the name that holds the collection, the attribute of it when the
/// collection is `self.<attr>`, and the dict view method when it is `X.keys()` and the like.
struct Iterated<'a> {
    name: &'a ExprName,
    attr: Option<&'a str>,
    view: Option<&'a str>,
}

fn iterated(iter: &Expr) -> Option<Iterated<'_>> {
    match iter {
        // A class iterating over itself defines its own iteration (often over a copy).
        Expr::Name(name) if name.id.as_str() != "self" => Some(Iterated { name, attr: None, view: None }),
        Expr::Attribute(attribute) => match &*attribute.value {
            Expr::Name(name) if name.id.as_str() == "self" => {
                Some(Iterated { name, attr: Some(attribute.attr.as_str()), view: None })
            }
            _ => None,
        },
        Expr::Call(call) if call.arguments.is_empty() => {
            let Expr::Attribute(method) = &*call.func else { return None };
            let view = method.attr.as_str();
            if !matches!(view, "keys" | "values" | "items") {
                return None;
            }
            let inner = iterated(&method.value)?;
            (inner.view.is_none()).then_some(Iterated { view: Some(view), ..inner })
        }
        _ => None,
    }
}

/// During the walk: a loop over a name or `self.<attr>` is looked at again after the walk.
pub(crate) fn check(checker: &mut Checker, for_stmt: &StmtFor) {
    if iterated(&for_stmt.iter).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::ModifyCollectionWhileIterating, node);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Dict,
    Set,
    Unknown,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Removes or inserts: the loop skips items, or raises.
    Shrinks,
    /// Adds: a list is walked over its new items; a dict or set raises if a key is new.
    Grows,
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Stmt::For(for_stmt)) = model.node(node).as_stmt() else { return };
    if for_stmt.is_async {
        return;
    }
    let Some(iter) = iterated(&for_stmt.iter) else { return };
    let (Some(first), Some(last)) = (for_stmt.body.first(), for_stmt.body.last()) else { return };
    let body = TextRange::new(first.start(), last.end());
    let Some(binding) = model.nodes.id_of_name(iter.name).and_then(|id| model.nodes.binding(id)) else { return };
    let kind = match (iter.view, iter.attr) {
        // `.keys()` on a name not known to hold a dict may be anything's (`Message.keys()` is a list).
        (Some(_), Some(_)) => Kind::Unknown,
        (Some(_), None) => match model.type_of_binding(binding) {
            Some(SimpleType::Dict) => Kind::Dict,
            _ => Kind::Unknown,
        },
        (None, Some(_)) => Kind::Unknown,
        (None, None) => match model.type_of_binding(binding) {
            Some(SimpleType::List) => Kind::List,
            Some(SimpleType::Dict) => Kind::Dict,
            Some(SimpleType::Set) => Kind::Set,
            // Immutable values cannot change; a rebinding inside the loop is not a change.
            Some(_) => return,
            None => Kind::Unknown,
        },
    };
    let mut loop_names = Vec::new();
    target_names(&for_stmt.target, &mut loop_names);
    let mut found: Option<(Change, String, usize)> = None;
    for reference in model.references(binding) {
        if !body.contains_range(reference.range) || model.is_captured(reference, binding) {
            continue;
        }
        // The node that is the collection: the name, or `self.<attr>`.
        let collection = match iter.attr {
            None => reference.node,
            Some(attr) => match model.use_of(reference) {
                Use::AttributeLoad(a) | Use::AttributeStore(a) if a == attr => {
                    let Some(parent) = model.parent_id(reference.node) else { continue };
                    parent
                }
                _ => continue,
            },
        };
        let Some(change) = classify(checker, collection, kind, &loop_names) else { continue };
        if exits_right_after(checker, collection, node) {
            continue;
        }
        let line = checker.source.line_number(reference.range.start());
        let text = change_text(checker, collection);
        // The strongest change wins: a removal over an addition.
        if found.as_ref().is_none_or(|(c, ..)| *c == Change::Grows && change == Change::Shrinks) {
            found = Some((change, text, line));
        }
    }
    let Some((change, text, line)) = found else { return };
    // Tests of the failure itself (`with self.assertRaises(RuntimeError):` around the loop).
    if kind != Kind::List && expects_error(checker, "RuntimeError") {
        return;
    }
    report(checker, for_stmt, kind, change, &text, line);
}

/// What the use of the collection at `collection` does to it.
fn classify(checker: &Checker, collection: NodeId, kind: Kind, loop_names: &[&ExprName]) -> Option<Change> {
    let model = checker.semantic();
    match model.use_of_node(collection) {
        Use::MethodCall { method, .. } => match (kind, method) {
            (_, "remove" | "pop" | "clear") => Some(Change::Shrinks),
            (Kind::Dict | Kind::Unknown, "popitem") => Some(Change::Shrinks),
            (Kind::Set | Kind::Unknown, "discard") => Some(Change::Shrinks),
            (Kind::List, "insert") => Some(Change::Shrinks),
            (Kind::List | Kind::Unknown, "append" | "extend" | "insert") => Some(Change::Grows),
            (Kind::Set | Kind::Unknown, "add") => Some(Change::Grows),
            (Kind::Dict | Kind::Set, "update") | (Kind::Dict, "setdefault") => Some(Change::Grows),
            _ => None,
        },
        Use::SubscriptStore => {
            let subscript = model.parent_id(collection)?;
            let NodeRef::Expr(Expr::Subscript(sub)) = model.node(subscript) else { return None };
            match model.parent_id(subscript).map(|p| model.node(p)) {
                Some(NodeRef::Stmt(Stmt::Delete(_))) => match (kind, &*sub.slice) {
                    // `del x[:]` on a list empties it, `del x[i]` shifts it; both count.
                    (Kind::Set, _) => None,
                    _ => Some(Change::Shrinks),
                },
                Some(NodeRef::Stmt(Stmt::Assign(_))) if kind == Kind::Dict => {
                    // Replacing the value under the loop's own key changes no size.
                    let own_key = matches!(&*sub.slice, Expr::Name(n) if loop_names.iter().any(|l| l.id == n.id));
                    (!own_key).then_some(Change::Grows)
                }
                _ => None,
            }
        }
        Use::AugmentedAssignment if kind != Kind::Unknown => Some(Change::Grows),
        _ => None,
    }
}

/// The statement that makes the change is followed in its block by `break`, `return` or `raise`
/// (before any `continue`), or is itself a `return` / `raise`: the loop takes no further step.
fn exits_right_after(checker: &Checker, collection: NodeId, loop_node: NodeId) -> bool {
    let model = checker.semantic();
    let Some(stmt_id) = model.statement_id(collection) else { return false };
    if matches!(model.node(stmt_id).as_stmt(), Some(Stmt::Return(_) | Stmt::Raise(_))) {
        return true;
    }
    // A `break` after a change inside an inner loop ends only the inner loop.
    let inner_loop = model
        .ancestor_ids(stmt_id)
        .take_while(|a| *a != loop_node)
        .any(|a| matches!(model.node(a).as_stmt(), Some(Stmt::For(_) | Stmt::While(_))));
    let Some((suite, index)) = model.suite_of(stmt_id) else { return false };
    // The statements after it in its block run in order: the first jump decides.
    for later in &suite[index + 1..] {
        match later {
            Stmt::Break(_) => return !inner_loop,
            Stmt::Return(_) | Stmt::Raise(_) => return true,
            Stmt::Continue(_) => return false,
            _ => {}
        }
    }
    false
}

fn change_text(checker: &Checker, collection: NodeId) -> String {
    let model = checker.semantic();
    let shown = checker.source.shown(&model.node(collection)).into_owned();
    match model.use_of_node(collection) {
        Use::MethodCall { call, .. } => format!("`{}`", checker.source.shown(call)),
        Use::SubscriptStore => {
            match model.parent_id(collection).and_then(|s| model.parent_id(s)).map(|p| model.node(p)) {
                Some(NodeRef::Stmt(Stmt::Delete(_))) => format!("`del {shown}[...]`"),
                _ => format!("`{shown}[...] = ...`"),
            }
        }
        _ => format!("`{shown} += ...`"),
    }
}

fn report(checker: &mut Checker, for_stmt: &StmtFor, kind: Kind, change: Change, text: &str, line: usize) {
    let iter_text = checker.source.slice(&*for_stmt.iter);
    let header = if iter_text.len() <= 30 { format!("`for ... in {iter_text}`") } else { "the loop".to_string() };
    let (tail, severity) = match (change, kind) {
        (Change::Shrinks, Kind::List) => (
            "a list is walked by position, so each removal or insertion shifts the items after it and the loop \
             skips or repeats one",
            Severity::Warning,
        ),
        (Change::Shrinks, Kind::Dict | Kind::Set) => {
            ("its size changes, so the next step of the loop raises `RuntimeError`", Severity::Warning)
        }
        // The type is not known here: a custom collection may iterate over a copy of itself.
        (Change::Shrinks, Kind::Unknown) => (
            "its type is not known here: if it is a list the loop skips the item after each removal, if a dict or \
             set the next step raises `RuntimeError` (a collection class that iterates over a copy is safe)",
            Severity::Hint,
        ),
        (Change::Grows, Kind::List | Kind::Unknown) => (
            "the loop also walks the items added, which is fine for a deliberate work list but never ends if every \
             step adds one",
            Severity::Hint,
        ),
        (Change::Grows, Kind::Dict | Kind::Set) => (
            "if that adds a new key the next step raises `RuntimeError`; nothing here shows whether it does",
            Severity::Hint,
        ),
    };
    let message = format!("{text} (line {line}) changes the collection that {header} is iterating: {tail}");
    let fix = (change == Change::Shrinks).then(|| snapshot_fix(checker, for_stmt)).flatten();
    checker.report(
        Finding::new(Rule::ModifyCollectionWhileIterating, for_stmt.iter.range(), message)
            .with_severity(severity)
            .with_fix(fix),
    );
}

/// `for x in list(X):` walks a copy taken before the loop starts.
fn snapshot_fix(checker: &Checker, for_stmt: &StmtFor) -> Option<Fix> {
    if checker.lookup("list").is_some() || checker.source.has_comments(for_stmt.iter.range()) {
        return None;
    }
    let iter = checker.source.slice(&*for_stmt.iter);
    Fix::unsafe_("Iterate over a snapshot", vec![Edit::replace(for_stmt.iter.range(), format!("list({iter})"))])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ModifyCollectionWhileIterating as R;

    #[test]
    fn warning_for_removals() {
        for (src, evidence) in [
            (
                "nums = [1, 2, 2, 3]\nfor n in nums:\n    if n == 2:\n        nums.remove(n)\n",
                "`nums.remove(n)` (line 4) changes the collection that `for ... in nums` is iterating: a list",
            ),
            ("d = {'a': 1}\nfor k in d:\n    del d[k]\n", "`del d[...]` (line 3)"),
            ("d = dict(a=1)\nfor k, v in d.items():\n    if not v:\n        d.pop(k)\n", "raises `RuntimeError`"),
            ("d = {}\nfor k in d.keys():\n    del d[k]\n", "its size changes"),
            ("s = {1, 2}\nfor x in s:\n    s.discard(x)\n", "raises `RuntimeError`"),
            ("xs = [1]\nfor x in xs:\n    xs.insert(0, x)\n", "skips or repeats one"),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
    }

    #[test]
    fn hint_for_removals_from_a_collection_of_unknown_type() {
        assert_tier(
            "class C:\n    def prune(self):\n        for c in self.children:\n            if c.dead:\n                self.children.remove(c)\n",
            R,
            Severity::Hint,
            "`self.children.remove(c)` (line 5) changes the collection that `for ... in self.children` is iterating: its type is not known here",
        );
        assert_tier(
            "def f(items):\n    for x in items:\n        items.pop()\n",
            R,
            Severity::Hint,
            "if it is a list the loop skips",
        );
        // A class iterating over itself.
        assert_clean("class Jar:\n    def expire(self):\n        for c in self:\n            self.clear(c)\n", R);
    }

    #[test]
    fn nothing_in_tests_of_the_error_itself() {
        assert_clean(
            "import unittest\nclass T(unittest.TestCase):\n    def test(self):\n        d = {0: 0}\n        with self.assertRaises(RuntimeError):\n            for v in d.values():\n                del d[0]\n",
            R,
        );
        assert_clean("d = {0: 0}\ntry:\n    for k in d:\n        d.pop(k)\nexcept RuntimeError:\n    pass\n", R);
    }

    #[test]
    fn hint_for_growth() {
        for src in [
            "todo = [root]\nfor node in todo:\n    todo.extend(node.children)\n",
            "d = {'a': 1}\nfor k in d.keys():\n    d[k + '_copy'] = 1\n",
            "s = set()\nfor x in s:\n    s.add(x + 1)\n",
            "xs = [1]\nfor x in xs:\n    xs += [x]\n",
        ] {
            assert_eq!(only_severity(src, R), Severity::Hint, "{src}");
        }
    }

    #[test]
    fn nothing_when_the_loop_stops_or_the_size_does_not_change() {
        for src in [
            "xs = load()\nfor x in xs:\n    if x == 1:\n        xs.remove(x)\n        break\n",
            "def f(xs):\n    for x in xs:\n        if x:\n            xs.remove(x)\n            return x\n",
            "def f(xs):\n    for x in xs:\n        return xs.pop()\n",
            // A return a few statements later on the same path.
            "def f(args):\n    args = list(args)\n    for s in args:\n        if s:\n            args.remove(s)\n            rest = args + [s]\n            return rest\n",
            "d = {'a': 1}\nfor k in d:\n    d[k] = 2\n",
            "d = {'a': 1}\nfor k, v in d.items():\n    d[k] = v + 1\n",
            "xs = [1, 2]\nfor x in xs:\n    xs[0] = x\n",
            // Copies, other objects, a nested function, the loop's else.
            "xs = load()\nfor x in list(xs):\n    xs.remove(x)\n",
            "xs = load()\nfor x in xs[:]:\n    xs.remove(x)\n",
            "xs = load()\nfor x in xs:\n    ys.remove(x)\n",
            "xs = load()\nfor x in xs:\n    def later():\n        xs.remove(x)\n",
            "xs = load()\nfor x in xs:\n    pass\nelse:\n    xs.clear()\n",
            // Rebinding is not a change of the iterated object.
            "xs = [1]\nfor x in xs:\n    xs = xs + [x]\n",
            "name = 'abc'\nfor c in name:\n    name.replace(c, '')\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn a_break_after_a_change_in_an_inner_loop_does_not_end_the_outer_loop() {
        assert_eq!(
            only_severity("xs = [1, 2]\nfor x in xs:\n    for y in ys:\n        xs.remove(x)\n        break\n", R),
            Severity::Warning
        );
    }

    #[test]
    fn fix_iterates_a_snapshot() {
        let src = "nums = [1, 2, 2, 3]\nfor n in nums:\n    if n == 2:\n        nums.remove(n)\nprint(nums)\n";
        let (_, before, _) = run_python(src);
        assert_eq!(before, "[1, 2, 3]\n");
        assert_eq!(fixed(src, R), src.replace("in nums:", "in list(nums):"));
        assert_eq!(fixed_output(src, R, ""), "[1, 3]\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        let src = "d = {'a': 0, 'b': 1}\nfor k, v in d.items():\n    if not v:\n        del d[k]\nprint(d)\n";
        assert!(!run_python(src).0, "the original raises");
        assert_eq!(fixed_output(src, R, ""), "{'b': 1}\n");
        // No fix for the hint tier.
        assert!(findings("todo = [1]\nfor n in todo:\n    todo.append(n)\n", R)[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "for x in xs:\n    xs.remove(",
            "for x in self.items:\n    del self.items[",
            "for in xs:\n    xs.pop()\n",
            "for x in d.items(:\n    d.pop(x)\n",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
