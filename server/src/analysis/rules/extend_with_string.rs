//! `extend-with-string` (no Ruff or Pylint peer). `names.extend("bob")` and `names += "bob"`
//! iterate the string, so the list gains `'b'`, `'o'`, `'b'` rather than `'bob'`: `extend` and
//! `+=` on a list take an iterable, and a str is an iterable of one-character strings.
//!
//! Detection: `X.extend(S)` (one positional argument) or `X += S`, where `X` is a name known to
//! hold a list (a display, comprehension, `list(...)` or `list[...]` annotation, every binding in
//! its scope agreeing) and `S` is a str literal of two or more characters, an f-string, or a name
//! known to hold a str. Tiers:
//!
//! - warning: the same list is shown to hold whole strings — its display, or an `append`,
//!   `insert` or `extend([...])` on it in the same scope, has a str literal that is not one
//!   character long — so the characters are not what the list is for; the message names that
//!   evidence.
//! - hint: no such evidence; the list may be a list of characters on purpose (`codes.extend("SU")`
//!   in NumPy's tests builds type codes), so the message says to keep it if the characters are
//!   meant.
//!
//! Not reported: a one-character literal (`extend("x")` adds the same item `append` would) and an
//! empty one (nothing is added); receivers not known to be lists (a `deque` or a user class has its
//! own `extend`; `array('u').extend(s)` is right). Test code is treated like any code.
//!
//! Fix (display-only: it changes what the list holds, which is the point): `X.append(S)`, or
//! `X += [S]` for the augmented assignment.

use ruff_python_ast::{Expr, ExprCall, Operator, Stmt, StmtAugAssign};
use ruff_text_size::Ranged;

use super::helpers::idioms::is_known_list;
use super::helpers::loops::short;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::types::SimpleType;
use crate::analysis::semantic::uses::Use;
use crate::analysis::semantic::{NodeId, NodeRef};

/// During the walk, at `X.extend(S)`: the evidence (other appends) is read after the walk.
pub(crate) fn check_call(checker: &mut Checker, call: &ExprCall) {
    let Expr::Attribute(attr) = &*call.func else { return };
    let ([argument], []) = (&*call.arguments.args, &*call.arguments.keywords) else { return };
    if attr.attr.as_str() == "extend" && is_candidate(checker, &attr.value, argument) {
        defer(checker);
    }
}

/// During the walk, at `X += S`.
pub(crate) fn check_aug_assign(checker: &mut Checker, aug: &StmtAugAssign) {
    if aug.op == Operator::Add && is_candidate(checker, &aug.target, &aug.value) {
        defer(checker);
    }
}

fn defer(checker: &mut Checker) {
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::ExtendWithString, node);
    }
}

fn is_candidate(checker: &Checker, list: &Expr, argument: &Expr) -> bool {
    list.is_name_expr() && string_kind(checker, argument).is_some() && is_known_list(checker, list)
}

/// What is known of the str: its literal value, or only that it is a str (f-string, name).
enum Str<'a> {
    Literal(&'a str),
    Unknown,
}

fn string_kind<'a>(checker: &Checker, expr: &'a Expr) -> Option<Str<'a>> {
    match expr {
        Expr::StringLiteral(s) => {
            let value = s.value.to_str();
            (value.chars().nth(1).is_some()).then_some(Str::Literal(value))
        }
        Expr::FString(_) => Some(Str::Unknown),
        Expr::Name(name) => (checker.semantic().type_of_name(name) == Some(SimpleType::Str)).then_some(Str::Unknown),
        _ => None,
    }
}

pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let (list, argument, call) = match model.node(node) {
        NodeRef::Expr(Expr::Call(call)) => {
            let Expr::Attribute(attr) = &*call.func else { return };
            let [argument] = &*call.arguments.args else { return };
            (&*attr.value, argument, Some(call))
        }
        NodeRef::Stmt(Stmt::AugAssign(aug)) => (&*aug.target, &*aug.value, None),
        _ => return,
    };
    let Expr::Name(list_name) = list else { return };
    let Some(kind) = string_kind(checker, argument) else { return };
    let evidence = whole_string_evidence(checker, list_name);
    let list_text = list_name.id.as_str();
    let arg_text = short(checker, argument);
    let operation = match call {
        Some(_) => format!("`{list_text}.extend({arg_text})`"),
        None => format!("`{list_text} += {arg_text}`"),
    };
    let items = match kind {
        Str::Literal(value) if value.chars().count() <= 6 && !value.contains(['\n', '\r', '\'', '\\']) => {
            let chars: Vec<String> = value.chars().map(|c| format!("'{c}'")).collect();
            format!("adds {} as separate items", chars.join(", "))
        }
        _ => "adds each character as a separate item".to_string(),
    };
    let (severity, message) = match evidence {
        Some(line_text) => (
            Severity::Warning,
            format!(
                "{operation} {items}: a str is iterated character by character, and `{list_text}` holds whole \
                 strings (`{line_text}`); `append` adds the string as one item"
            ),
        ),
        None => (
            Severity::Hint,
            format!(
                "{operation} {items} (a str is iterated character by character); if one string was meant, \
                 `append` adds it as one item, and if the characters are meant this is fine (a comment helps)"
            ),
        ),
    };
    let fix = match call {
        Some(call) => {
            let Expr::Attribute(attr) = &*call.func else { return };
            Fix::display_only("Append the string as one item", vec![Edit::replace(attr.attr.range(), "append")])
        }
        None => {
            let text = checker.source.slice(argument);
            Fix::display_only("Add the string as one item", vec![Edit::replace(argument.range(), format!("[{text}]"))])
        }
    };
    let range = model.node(node).range();
    let finding = Finding::new(Rule::ExtendWithString, range, message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

/// The text of a place in the list's scope that shows it holds whole strings: a str literal
/// that is not one character long in its display, or given to `append`, `insert` or
/// `extend([...])` on it.
fn whole_string_evidence(checker: &Checker, name: &ruff_python_ast::ExprName) -> Option<String> {
    let model = checker.semantic();
    let binding = model.resolve_name(name)?;
    let scope = model.binding(binding).scope;
    let whole = |e: &Expr| matches!(e, Expr::StringLiteral(s) if s.value.chars().nth(1).is_some());
    for id in model.bindings_of(scope, name.id.as_str()).take(8) {
        let b = model.binding(id);
        if let Some(value @ Expr::List(list)) = b.value
            && list.elts.iter().any(whole)
        {
            return Some(format!("{} = {}", b.name, checker.source.shown(value)));
        }
        for reference in model.references(id) {
            let Use::MethodCall { method, call } = model.use_of(reference) else { continue };
            let shows_whole = match (method, &*call.arguments.args) {
                ("append", [item]) | ("insert", [_, item]) => whole(item),
                ("extend", [items]) => elements(items).iter().any(whole),
                _ => false,
            };
            if shows_whole {
                return Some(checker.source.shown(call).into_owned());
            }
        }
    }
    None
}

/// The items of a list or tuple display.
fn elements(expr: &Expr) -> &[Expr] {
    match expr {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ExtendWithString as R;

    #[test]
    fn warns_when_the_list_holds_whole_strings() {
        let appended = "names = []\nnames.append('alice')\nnames.extend('bob')\n";
        assert_tier(appended, R, Severity::Warning, "'b', 'o', 'b'");
        assert_tier(appended, R, Severity::Warning, "names.append('alice')");
        assert_tier("names = ['alice']\nnames += 'bob'\n", R, Severity::Warning, "names = ['alice']");
        let inserted =
            "def f(word: str):\n    out = []\n    out.insert(0, 'start')\n    out.extend(word)\n    return out\n";
        assert_tier(inserted, R, Severity::Warning, "each character");
        let extended = "def f(n):\n    xs: list[str] = []\n    xs.extend(['ab', 'cd'])\n    xs.extend(f'{n}px')\n";
        assert_tier(extended, R, Severity::Warning, "xs.extend(['ab', 'cd'])");
    }

    #[test]
    fn a_hint_without_evidence() {
        assert_tier("codes = []\ncodes.extend('SU')\n", R, Severity::Hint, "if the characters are meant");
        // A one-character string elsewhere is no evidence either way.
        assert_tier("cs = ['a']\ncs.append('b')\ncs.extend('cd')\n", R, Severity::Hint, "'c', 'd'");
    }

    #[test]
    fn ignores_other_shapes() {
        // One character or none: `extend` adds what `append` would, or nothing.
        assert_clean("names = ['al']\nnames.extend('b')\n", R);
        assert_clean("names = ['al']\nnames.extend('')\n", R);
        // Receivers not known to be lists.
        assert_clean("import collections\nd = collections.deque()\nd.extend('bcd')\n", R);
        assert_clean("def f(xs):\n    xs.append('ab')\n    xs.extend('bcd')\n", R);
        assert_clean("class C:\n    def f(self):\n        self.xs = []\n        self.xs.extend('ab')\n", R);
        assert_clean("xs = []\nxs = load()\nxs.extend('ab')\n", R);
        // Arguments that are not strings.
        assert_clean("xs = ['ab']\nxs.extend(['cd'])\nxs.extend(other)\nxs += ('ef',)\n", R);
        assert_clean("xs = ['ab']\nxs.extend(b'cd')\n", R);
        assert_clean("xs = ['ab']\nxs.extend('cd', 1)\nxs -= 'ab'\n", R);
        assert_clean("def f(s):\n    xs = ['ab']\n    xs.extend(s)\n", R);
    }

    #[test]
    fn fix_appends_the_string_and_is_display_only() {
        let src = "names = ['alice']\nnames.extend('bob')\nprint(names)\n";
        assert_eq!(fixed(src, R), "names = ['alice']\nnames.append('bob')\nprint(names)\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::DisplayOnly));
        assert_eq!(fixed_output(src, R, ""), "['alice', 'bob']\n");
        let aug = "names = ['alice']\nnames += 'bob'\nprint(names)\n";
        assert_eq!(fixed(aug, R), "names = ['alice']\nnames += ['bob']\nprint(names)\n");
        assert_eq!(fixed_output(aug, R, ""), "['alice', 'bob']\n");
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["xs = []\nxs.extend('ab'", "xs = []\nxs += ", "xs = []\nxs.extend(", "xs = [\nxs.extend('ab')"] {
            let _ = findings(src, R);
        }
    }
}
