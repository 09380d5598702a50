//! `mutable-fromkeys-value` (peer: Ruff RUF024). `dict.fromkeys(keys, [])` evaluates `[]` once
//! and stores that one list under every key, so `d["a"].append(1)` shows up under every key.
//!
//! Detection: a call of `fromkeys` on `dict` or a `collections` dict subclass (`OrderedDict`,
//! `defaultdict`) whose value argument (second positional or `value=`) is a mutable display,
//! comprehension or constructor call.
//!
//! Tiers: a warning when the result is bound to a name and a later read changes one value in
//! place through it (`d[k].append(x)`, `d[k][j] = v`, `d[k] += [x]`, `d[k].attr = v`), naming that
//! line; otherwise a hint saying nothing here changes a value in place (replacing a value,
//! `d[k] = [x]`, is not such a change). Test code is treated like any other.
//!
//! Fix (display-only: every key gets its own object, which is the point but changes behaviour):
//! `{k: <value> for k in <keys>}` for `dict.fromkeys`, `Cls((k, <value>) for k in <keys>)` for a
//! subclass (`defaultdict(None, ...)`, as `fromkeys` sets no default factory); not in a class body when the value reads names (a comprehension cannot see them).

use ruff_python_ast::{Expr, ExprCall, Stmt};
use ruff_text_size::Ranged;

use super::helpers::defaults::is_mutable_value;
use super::helpers::mutability::slot_change;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{NodeId, NodeRef};

const DICT_TYPES: &[&str] = &["builtins.dict", "collections.OrderedDict", "collections.defaultdict"];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {
    let Some((keys, value)) = shape(checker, call) else { return };
    match (bound_name(checker, call), checker.node_id()) {
        // Whether a value is changed is known once every read of the name is: look again later.
        (Some(_), Some(node)) => checker.defer(Rule::MutableFromkeysValue, node),
        _ => report(checker, call, keys, value, None),
    }
}

/// After the walk, for a call bound to a name.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let NodeRef::Expr(Expr::Call(call)) = checker.semantic().node(node) else { return };
    let Some((keys, value)) = shape(checker, call) else { return };
    let evidence = bound_name(checker, call)
        .and_then(|name| checker.semantic().expr_id(name))
        .and_then(|name| checker.semantic().nodes.binding(name))
        .and_then(|binding| slot_change(checker, binding, false));
    report(checker, call, keys, value, evidence);
}

/// `(keys, value)` of a `fromkeys` call this rule reports.
fn shape<'a>(checker: &Checker<'a>, call: &'a ExprCall) -> Option<(&'a Expr, &'a Expr)> {
    // Prefilter on the attribute name before any resolution.
    let Expr::Attribute(attr) = &*call.func else { return None };
    if attr.attr.as_str() != "fromkeys" {
        return None;
    }
    let keys = call.arguments.find_argument_value("iterable", 0)?;
    let value = call.arguments.find_argument_value("value", 1)?;
    if call.arguments.len() != 2 || !is_mutable_value(checker, value) {
        return None;
    }
    checker.resolves_to_any(&attr.value, DICT_TYPES)?;
    Some((keys, value))
}

/// The name the call is assigned to, when it is the whole value of `x = ...`.
fn bound_name<'a>(checker: &Checker<'a>, call: &ExprCall) -> Option<&'a Expr> {
    let (targets, value): (&[Expr], Option<&Expr>) = match checker.current_statement()? {
        Stmt::Assign(assign) => (&assign.targets, Some(&*assign.value)),
        Stmt::AnnAssign(assign) => (std::slice::from_ref(&*assign.target), assign.value.as_deref()),
        _ => return None,
    };
    match (targets, value) {
        ([target @ Expr::Name(_)], Some(value)) if value.range() == call.range() => Some(target),
        _ => None,
    }
}

fn report(checker: &mut Checker, call: &ExprCall, keys: &Expr, value: &Expr, evidence: Option<String>) {
    let whole = checker.source.slice(call);
    let shown = if whole.len() <= 50 && !whole.contains(['\n', '\r']) {
        format!("`{whole}`")
    } else {
        "This `fromkeys` call".to_string()
    };
    let element = checker.source.slice(value);
    let element = if element.len() <= 20 && !element.contains(['\n', '\r']) { element } else { "..." };
    let head = format!("{shown} evaluates `{element}` once and stores that one object under every key");
    let (message, severity) = match evidence {
        Some(change) => (format!("{head}, so {change} changes the value of every key at once"), Severity::Warning),
        None => (
            format!(
                "{head}; nothing here changes a value in place, so it works, but one in-place change would show under every key"
            ),
            Severity::Hint,
        ),
    };
    let fix = comprehension_fix(checker, call, keys, value);
    checker
        .report(Finding::new(Rule::MutableFromkeysValue, call.range(), message).with_severity(severity).with_fix(fix));
}

/// `{k: <value> for k in <keys>}`, or `Cls((k, <value>) for k in <keys>)` for a subclass.
fn comprehension_fix(checker: &Checker, call: &ExprCall, keys: &Expr, value: &Expr) -> Option<Fix> {
    if checker.source.has_comments(call.range())
        || matches!(keys, Expr::Starred(_) | Expr::Yield(_) | Expr::YieldFrom(_))
    {
        return None;
    }
    let Expr::Attribute(attr) = &*call.func else { return None };
    let mut names = helpers::names_in_expr(value);
    // A comprehension in a class body cannot see the class's names.
    if checker.current_class().is_some() && !names.is_empty() {
        return None;
    }
    names.extend(helpers::names_in_expr(keys));
    let var = helpers::fresh_name("k", &names);
    let (keys, value) = (checker.source.slice(keys), checker.source.slice(value));
    let content = if checker.resolves_to(&attr.value, "builtins.dict") {
        format!("{{{var}: {value} for {var} in {keys}}}")
    } else if checker.resolves_to(&attr.value, "collections.defaultdict") {
        // `fromkeys` leaves the default factory unset; the constructor takes it first.
        format!("{}(None, (({var}, {value}) for {var} in {keys}))", checker.source.slice(&*attr.value))
    } else {
        format!("{}(({var}, {value}) for {var} in {keys})", checker.source.slice(&*attr.value))
    };
    Fix::display_only("Give each key its own object with a comprehension", vec![Edit::replace(call.range(), content)])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::MutableFromkeysValue as R;

    #[test]
    fn warning_when_a_value_is_changed_in_place() {
        for (src, evidence) in [
            ("d = dict.fromkeys(['a', 'b'], [])\nd['a'].append(1)\n", "`d['a'].append(1)` (line 2)"),
            ("d = dict.fromkeys(names, {})\nd[n]['x'] = 1\n", "`d[...][...] = ...` (line 2)"),
            ("d = dict.fromkeys(names, value=[])\nd[n] += [1]\n", "`d[...] += ...` (line 2)"),
            (
                "import collections\ndef f(ks):\n    d = collections.OrderedDict.fromkeys(ks, set())\n    for k in ks:\n        d[k].add(k)\n    return d\n",
                "`d[k].add(k)` (line 5)",
            ),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
    }

    #[test]
    fn hint_when_nothing_changes_a_value() {
        for src in [
            "d = dict.fromkeys(names, [])\nprint(d)\n",
            // Replacing a value is not a change through the shared object.
            "d = dict.fromkeys(names, [])\nd['a'] = [1]\nprint(d['b'])\n",
            "def f(ks):\n    return dict.fromkeys(ks, [])\n",
            // Iterating a dict gives its keys, not the shared value.
            "d = dict.fromkeys(names, [])\nfor k in d:\n    k.upper()\n",
        ] {
            assert_tier(src, R, Severity::Hint, "nothing here changes a value in place");
        }
    }

    #[test]
    fn ignores_immutable_values_and_other_fromkeys() {
        for src in [
            "d = dict.fromkeys(names)\n",
            "d = dict.fromkeys(names, 0)\ne = dict.fromkeys(names, ())\nf = dict.fromkeys(names, None)\n",
            "d = thing.fromkeys(names, [])\n",
            "class dict:\n    @staticmethod\n    def fromkeys(a, b): pass\nd = dict.fromkeys(names, [])\n",
            "d = dict.fromkeys(names, [], extra)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn fix_gives_each_key_its_own_object() {
        let src = "d = dict.fromkeys(['a', 'b'], [])\nd['a'].append(1)\nprint(d)\n";
        assert_eq!(fixed(src, R), "d = {k: [] for k in ['a', 'b']}\nd['a'].append(1)\nprint(d)\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::DisplayOnly));
        let (_, before, _) = run_python(src);
        assert_eq!(before, "{'a': [1], 'b': [1]}\n");
        assert_eq!(fixed_output(src, R, ""), "{'a': [1], 'b': []}\n");
        assert_eq!(
            fixed("from collections import OrderedDict\nd = OrderedDict.fromkeys(k, value=set())\n", R),
            "from collections import OrderedDict\nd = OrderedDict((k_1, set()) for k_1 in k)\n"
        );
        let src =
            "import collections\nd = collections.defaultdict.fromkeys('ab', [])\nd['a'].append(1)\nprint(dict(d))\n";
        assert_eq!(fixed_output(src, R, ""), "{'a': [1], 'b': []}\n");
    }

    #[test]
    fn no_fix_in_a_class_body_when_the_value_reads_names() {
        let found = findings("class C:\n    n = 0\n    d = dict.fromkeys('ab', [n])\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["dict.fromkeys(", "dict.fromkeys(a, [", "d = dict.fromkeys(*a, [])\n", "dict.fromkeys(value=[])"] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
