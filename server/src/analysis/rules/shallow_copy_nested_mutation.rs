//! `shallow-copy-nested-mutation` (no Ruff or Pylint peer: FURB145 only restyles `x[:]`, W1507
//! covers `copy.copy(os.environ)`). `b = a.copy()` (also `copy.copy(a)`, `a[:]`, `list(a)`,
//! `dict(a)`, `[*a]`, `{**a}`) makes one new outer container holding the same inner objects, so
//! `b[k].append(x)` changes the list that `a[k]` holds too.
//!
//! Detection: `b = <shallow copy of a>` (a plain name `b`, in a function or at module level; `a`
//! a name, or an attribute or item of one: `self.rows`, `d[k]`), then, through that binding of `b`
//! in its own function, a change to an object one slot holds (see
//! `helpers::mutability::element_change`): `b[k].append(x)`, `b[i][j] = v`, `del b[i][j]`,
//! `b[k] += [x]`, `b.setdefault(k, []).append(x)`, `row.append(x)` after `row = b[k]`, in
//! `for v in b.values()` or `for k, v in b.items()`, and in `for row in b` (list copies only: a
//! dict iterates its keys).
//!
//! Reported (warning) only where something still holds the shared inner objects and sees the
//! change, named in the message: `a` is read after the change; or `a` belongs to someone else — a
//! parameter (the caller's object; for `list(a)`, `[*a]` and `dict(a)` only when annotated as a
//! list, dict or set, since `items = list(items)` is also how a function accepts any iterable,
//! iterators included), an attribute or item (`self.rows`), a name bound to one
//! (`rows = self.rows`), a module-level or imported name read from a function, or an item of a
//! loop over a name or attribute (`for entry in entries: e = dict(entry)`).
//!
//! Not reported: a local `a` made here (a display, a call) and not read after the change (nothing
//! else sees it); a slot replaced before it is changed (`b[k] = list(b[k])`, then
//! `b[k].append(x)`: the usual way to copy one level deeper by hand); `a` bound to a display of
//! literals only; attribute stores on elements (`b[i].name = v`: objects are usually shared on
//! purpose); copies in class bodies; `.copy()`, `copy.copy` and `[:]` of a value of unknown type in
//! a file that imports NumPy, pandas, PyTorch, JAX, TensorFlow or xarray (their `copy()` copies the
//! data, and `[:]` is a view); `.copy()` of a value of unknown type when a class in the file
//! defines its own `copy()`, or called on `self` (such a method may copy deeper, as SymPy's
//! `DDM.copy` copies every row). Test code: a later read of `a` inside an assertion
//! (`self.assertIs(b[0], a[0])`) is a test of copying itself and does not count as evidence.
//!
//! Fix (display-only: the point is that `a` no longer changes, and `deepcopy` also copies objects
//! meant to stay shared, such as locks or sessions, and fails on some): copy every level with
//! `copy.deepcopy(...)` (adds `import copy` when needed).

use ruff_python_ast::{Expr, Stmt, StmtAssign};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::helpers::assertions::in_assertion;
use super::helpers::mutability::{ElementChange, element_change};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, NodeRef, ScopeId, ScopeKind, SimpleType};

/// Libraries whose `copy()` copies the data and whose `[:]` is a view, not a shallow copy.
const ARRAY_LIBRARIES: &[&str] = &["numpy", "pandas", "torch", "jax", "tensorflow", "xarray", "cupy", "dask"];

/// How `b` was copied.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `a.copy()`
    Method,
    /// `copy.copy(a)`
    CopyCopy,
    /// `a[:]`
    Slice,
    /// `list(a)`
    List,
    /// `dict(a)`
    Dict,
    /// `[*a]`
    StarList,
    /// `{**a}`
    StarDict,
}

impl Form {
    /// Iterating the copy gives its slots (a dict gives its keys).
    fn iterates_slots(self) -> bool {
        !matches!(self, Form::Dict | Form::StarDict)
    }
}

/// The copied expression and how, from the form alone (no resolution: the walk's cheap test).
fn shape(value: &Expr) -> Option<(&Expr, Form)> {
    let (source, how) = match value {
        Expr::Call(call) if call.arguments.keywords.is_empty() => match (&*call.func, &*call.arguments.args) {
            (Expr::Attribute(attr), []) if attr.attr.as_str() == "copy" => (&*attr.value, Form::Method),
            (Expr::Attribute(attr), [arg]) if attr.attr.as_str() == "copy" => (arg, Form::CopyCopy),
            (Expr::Name(name), [arg]) => match name.id.as_str() {
                "list" => (arg, Form::List),
                "dict" => (arg, Form::Dict),
                "copy" => (arg, Form::CopyCopy),
                _ => return None,
            },
            _ => return None,
        },
        Expr::Subscript(sub) => match &*sub.slice {
            Expr::Slice(slice) if slice.lower.is_none() && slice.upper.is_none() && slice.step.is_none() => {
                (&*sub.value, Form::Slice)
            }
            _ => return None,
        },
        Expr::List(list) => match list.elts.as_slice() {
            [Expr::Starred(starred)] => (&*starred.value, Form::StarList),
            _ => return None,
        },
        Expr::Dict(dict) => match dict.items.as_slice() {
            [item] if item.key.is_none() => (&item.value, Form::StarDict),
            _ => return None,
        },
        _ => return None,
    };
    root(source)?;
    Some((source, how))
}

/// The name an attribute/item chain starts from: `rows` in `rows`, `self.rows`, `d[k].items`.
fn root(expr: &Expr) -> Option<&ruff_python_ast::ExprName> {
    match expr {
        Expr::Name(name) => Some(name),
        Expr::Attribute(attr) => root(&attr.value),
        Expr::Subscript(sub) => root(&sub.value),
        _ => None,
    }
}

/// During the walk, at `b = <copy>`: looked at again once every read is known.
pub(crate) fn check(checker: &mut Checker, assign: &StmtAssign) {
    let [Expr::Name(_)] = assign.targets.as_slice() else { return };
    if shape(&assign.value).is_none() || matches!(checker.semantic().current_scope().kind, ScopeKind::Class(_)) {
        return;
    }
    if let Some(node) = checker.node_id() {
        checker.defer(Rule::ShallowCopyNestedMutation, node);
    }
}

/// The call really is the builtin / `copy.copy`, and the copy is one a shallow-copy claim fits.
fn confirmed(checker: &Checker, value: &Expr, source: &Expr, how: Form) -> bool {
    let model = checker.semantic();
    let known = |e: &Expr| match e {
        Expr::Name(name) => model.type_of_name(name),
        _ => None,
    };
    let func = match value {
        Expr::Call(call) => Some(&*call.func),
        _ => None,
    };
    let unknown_in_array_file = || {
        !known(source).is_some_and(|t| t.is_mutable() || t == SimpleType::Tuple)
            && model.has_imported_any(ARRAY_LIBRARIES)
    };
    // A class here that defines `copy()` (or the instance itself, `self.copy()`): that method may
    // copy deeper (SymPy's `DDM.copy` copies each row).
    let custom_copy = || {
        known(source).is_none()
            && (matches!(source, Expr::Name(n) if matches!(n.id.as_str(), "self" | "cls"))
                || model.scopes().any(|(_, s)| s.kind.is_class() && s.get("copy").is_some()))
    };
    match how {
        Form::List => func.is_some_and(|f| checker.resolves_to(f, "builtins.list")),
        Form::Dict => func.is_some_and(|f| checker.resolves_to(f, "builtins.dict")),
        Form::CopyCopy => func.is_some_and(|f| checker.resolves_to(f, "copy.copy")) && !unknown_in_array_file(),
        Form::Method => !unknown_in_array_file() && !custom_copy(),
        Form::Slice => !unknown_in_array_file(),
        Form::StarList | Form::StarDict => true,
    }
}

/// After the walk, for `b = <copy>`.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(Stmt::Assign(assign)) = model.node(node).as_stmt() else { return };
    let [Expr::Name(target)] = assign.targets.as_slice() else { return };
    let Some((source, how)) = shape(&assign.value) else { return };
    if !confirmed(checker, &assign.value, source, how) {
        return;
    }
    let Some(copy) = model.nodes.id_of_name(target).and_then(|id| model.nodes.binding(id)) else { return };
    let b = model.binding(copy);
    if b.bound_in != b.scope || model.scope(b.scope).declaration(b.name).is_some() {
        return;
    }
    let Some(change) = element_change(checker, copy, how.iterates_slots()) else { return };
    if slot_replaced_before(checker, copy, &change) {
        return;
    }
    let Some(root_name) = root(source) else { return };
    let Some(original) = model.nodes.id_of_name(root_name).and_then(|id| model.nodes.binding(id)) else { return };
    if holds_only_literals(checker, original) {
        return;
    }
    let Some(evidence) = evidence(checker, original, source, how, b.scope, change.at.end()) else { return };
    report(checker, assign, source, how, &change, &evidence);
}

/// `b[k] = list(b[k])` (any store to the slot with the same subscript text) before the change:
/// the slot holds a new object by then.
fn slot_replaced_before(checker: &Checker, copy: BindingId, change: &ElementChange) -> bool {
    let model = checker.semantic();
    let Some(slot) = change.slot else { return false };
    let key = checker.source.slice(&*slot.slice);
    model.references(copy).take_while(|r| r.range.start() < change.reference.range.start()).any(|r| {
        let Some(NodeRef::Expr(Expr::Subscript(sub))) = model.parent_id(r.node).map(|p| model.node(p)) else {
            return false;
        };
        sub.ctx.is_store() && checker.source.slice(&*sub.slice) == key
    })
}

/// `a = [1, 2]`, `a = {"x": 0}`: no slot holds a mutable object.
fn holds_only_literals(checker: &Checker, original: BindingId) -> bool {
    let model = checker.semantic();
    let literal = |e: &Expr| e.is_literal_expr() || matches!(e, Expr::FString(_));
    match model.binding(original).value {
        Some(Expr::List(list)) => list.elts.iter().all(literal),
        Some(Expr::Tuple(tuple)) => tuple.elts.iter().all(literal),
        Some(Expr::Set(set)) => set.elts.iter().all(literal),
        Some(Expr::Dict(dict)) => dict.items.iter().all(|i| i.key.is_some() && literal(&i.value)),
        _ => false,
    }
}

/// Who else still holds the inner objects and sees the change, as the message says it: "that
/// `a` also holds, and `a` is read on line 7", "that the caller's `a` also holds".
fn evidence(
    checker: &Checker,
    original: BindingId,
    source: &Expr,
    how: Form,
    scope: ScopeId,
    after: TextSize,
) -> Option<String> {
    let model = checker.semantic();
    let a = model.binding(original);
    let shown = format!("`{}`", checker.source.shown(source));
    // A read after the change, outside assertions (tests of copying check the sharing on purpose).
    if let Some(read) = model.references(original).find(|r| r.range.start() >= after) {
        if in_assertion(checker.semantic(), read.node) {
            return None;
        }
        let line = checker.source.line_number(read.range.start());
        return Some(format!("that {shown} also holds, and `{}` is read on line {line}", a.name));
    }
    if !matches!(source, Expr::Name(_)) {
        return Some(format!("that {shown} also holds"));
    }
    if a.scope != scope {
        let whose = if a.scope == ScopeId::MODULE { "module-level" } else { "enclosing function's" };
        return Some(format!("that the {whose} {shown} also holds"));
    }
    match a.kind {
        // `items = list(items)` is also how a function accepts any iterable: the caller may have
        // passed an iterator whose items nothing else holds. `.copy()`, `[:]` and `{**a}` need a
        // container (or mapping) that keeps its items.
        BindingKind::Parameter(_) if !accepts_any_iterable(checker, how, a.annotation) => {
            Some(format!("that the caller's {shown} also holds"))
        }
        _ if a.is_import() => Some(format!("that the imported {shown} also holds")),
        BindingKind::Assignment | BindingKind::AnnotatedAssignment => match a.value {
            Some(value @ (Expr::Attribute(_) | Expr::Subscript(_))) if root(value).is_some() => {
                Some(format!("that `{}` also holds (through {shown})", checker.source.shown(value)))
            }
            _ => None,
        },
        BindingKind::LoopVar => {
            let Some(Stmt::For(for_stmt)) = a.source.and_then(|s| model.node(s).as_stmt()) else { return None };
            matches!(&*for_stmt.iter, Expr::Name(_) | Expr::Attribute(_)).then(|| {
                format!("that `{}` also holds ({shown} is one of its items)", checker.source.shown(&*for_stmt.iter))
            })
        }
        _ => None,
    }
}

/// `list(a)`, `[*a]`, `dict(a)` of a parameter not annotated as a container: the usual way to take
/// any iterable, so the argument may be an iterator that keeps nothing.
fn accepts_any_iterable(checker: &Checker, how: Form, annotation: Option<&Expr>) -> bool {
    matches!(how, Form::List | Form::StarList | Form::Dict)
        && !annotation.and_then(|a| checker.semantic().type_of_annotation(a)).is_some_and(SimpleType::is_mutable)
}

fn report(
    checker: &mut Checker,
    assign: &StmtAssign,
    source: &Expr,
    how: Form,
    change: &ElementChange,
    evidence: &str,
) {
    let name = checker.source.slice(&assign.targets[0]);
    let copied = checker.source.shown(&*assign.value);
    let line = checker.source.line_number(change.at.start());
    let what = &change.shown;
    let change_text = match &change.via {
        Some(via) => format!("`{what}` (line {line}, {via})"),
        None => format!("`{what}` (line {line})"),
    };
    let message = format!(
        "`{name} = {copied}` copies only the outer container, so {change_text} changes an inner object \
         {evidence}; if `{name}` should be independent, copy every level (`copy.deepcopy`)"
    );
    let fix = deepcopy_fix(checker, assign, source, how);
    let range = TextRange::new(assign.start(), assign.value.end());
    checker.report(Finding::new(Rule::ShallowCopyNestedMutation, range, message).with_fix(fix));
}

/// `copy.copy(a)` -> `copy.deepcopy(a)`; `a.copy()`, `a[:]` -> `copy.deepcopy(a)`; `list(a)`,
/// `dict(a)`, `[*a]`, `{**a}` -> `copy.deepcopy(list(a))` (the outer type stays what it was).
fn deepcopy_fix(checker: &Checker, assign: &StmtAssign, source: &Expr, how: Form) -> Option<Fix> {
    let value = &*assign.value;
    if checker.source.has_comments(value.range()) {
        return None;
    }
    let (deepcopy, import) = helpers::import_member(checker, "copy", "deepcopy");
    // A local name shadowing the one the fix would use.
    let head = deepcopy.split('.').next().unwrap_or(&deepcopy);
    if checker.lookup(head).is_some_and(|b| !b.is_import()) {
        return None;
    }
    let inner = match how {
        Form::Method | Form::Slice | Form::CopyCopy => checker.source.slice(source),
        _ => checker.source.slice(value),
    };
    let mut edits = vec![Edit::replace(value.range(), format!("{deepcopy}({inner})"))];
    edits.extend(import);
    Fix::display_only("Copy every level with `copy.deepcopy`", edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::ShallowCopyNestedMutation as R;

    #[test]
    fn warning_names_the_change_and_who_still_holds_the_inner_object() {
        for (src, evidence) in [
            (
                "def f(matrix):\n    m = matrix[:]\n    m[0][0] = 1\n    return m\n",
                "`m[0][0] = ...` (line 3) changes an inner object that the caller's `matrix` also holds",
            ),
            (
                "def f():\n    a = [[1], [2]]\n    b = list(a)\n    for row in b:\n        row.append(0)\n    print(a)\n",
                "`row.append(0)` (line 5, in `for row in b`) changes an inner object that `a` also holds, and `a` is read on line 6",
            ),
            ("import copy\ngrid = [[0]]\ns = copy.copy(grid)\ns[0][0] = 9\nprint(grid)\n", "`grid` is read on line 5"),
            ("from copy import copy\ngrid = [[0]]\ns = copy(grid)\ns[0].append(9)\nprint(grid)\n", "line 5"),
            (
                "class C:\n    def headers(self):\n        h = self.defaults.copy()\n        h['x']['y'] = 1\n        return h\n",
                "that `self.defaults` also holds",
            ),
            (
                "def f(self):\n    rows = self.rows\n    r = rows.copy()\n    r[0].append(1)\n    return r\n",
                "that `self.rows` also holds (through `rows`)",
            ),
            (
                "def f(entries):\n    out = []\n    for entry in entries:\n        e = dict(entry)\n        e['tags'].append('x')\n        out.append(e)\n    return out\n",
                "that `entries` also holds (`entry` is one of its items)",
            ),
            (
                "DEFAULTS = {'h': {}}\ndef f():\n    d = {**DEFAULTS}\n    d['h'].update(a=1)\n    return d\n",
                "module-level `DEFAULTS`",
            ),
            ("def f(a: list):\n    b = [*a]\n    del b[0][1]\n    return b\n", "`del b[0][1]` (line 3)"),
            ("def f(d, k):\n    e = d.copy()\n    e[k] += [1]\n    return e\n", "`e[k] += ...` (line 3)"),
            (
                "def f(d: dict, k):\n    e = dict(d)\n    e[k].setdefault('x', []).append(1)\n    return e\n",
                "`e[k].setdefault('x', [])",
            ),
            (
                "def f(d, k, v):\n    e = d.copy()\n    e.setdefault(k, []).append(v)\n    return e\n",
                "`e.setdefault(k, []).append(v)` (line 3)",
            ),
            (
                "def f(d, k):\n    e = d.copy()\n    row = e[k]\n    row.append(1)\n    return e\n",
                "`row.append(1)` (line 4, through `row = e[k]`)",
            ),
            (
                "def f(d):\n    e = d.copy()\n    for k, v in e.items():\n        v.append(k)\n    return e\n",
                "`v.append(k)` (line 4, in `for k, v in e.items()`)",
            ),
            (
                "def f(d: dict[str, list]):\n    e = dict(d)\n    for v in e.values():\n        v.clear()\n    return e\n",
                "`v.clear()` (line 4, in `for v in e.values()`)",
            ),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
    }

    #[test]
    fn nothing_when_no_one_else_sees_the_change() {
        for src in [
            // A local made here and not read after the change.
            "def f():\n    a = [[1]]\n    b = a[:]\n    b[0].append(2)\n    return b\n",
            "def f(n):\n    a = make(n)\n    b = list(a)\n    b[0].append(2)\n    return b\n",
            // `list(items)` of a parameter: maybe an iterator of fresh rows.
            "def f(rows):\n    rows = list(rows)\n    for r in rows:\n        r.append(0)\n    return rows\n",
            "def f(pairs):\n    d = dict(pairs)\n    d['k'].append(0)\n    return d\n",
            // Not a copy of an existing container.
            "def f():\n    b = list(gen())\n    b[0].append(1)\n    return b\n",
            // A read inside an assertion: a test of copying itself.
            "import copy\ndef test(self):\n    a = [[1]]\n    b = copy.copy(a)\n    b[0].append(2)\n    self.assertIs(a[0], b[0])\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nothing_when_the_slot_no_longer_holds_a_shared_object() {
        for src in [
            // Copied one level deeper by hand before the change.
            "def f(d):\n    e = d.copy()\n    e['x'] = list(e['x'])\n    e['x'].append(1)\n    return e\n",
            // Only literals to share.
            "def f(k):\n    a = [1, 2]\n    b = a[:]\n    b[k] = []\n    b[0].append(1)\n    print(a)\n",
            // `b` rebound before the change.
            "def f(a, other):\n    b = a.copy()\n    b = other\n    b[0].append(1)\n    print(a)\n",
            // A slice of the copy is a new list.
            "def f(a):\n    b = list(a)\n    c = b[1:]\n    c.append(1)\n    b[:2].sort()\n    return a\n",
            // `+=` on an int slot replaces it.
            "def f(a):\n    b = dict(a)\n    b['n'] += 1\n    return b\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn exclusions() {
        for src in [
            // Attribute stores on elements: objects are shared on purpose.
            "def f(nodes):\n    b = list(nodes)\n    b[0].parent = None\n    for n in b:\n        n.seen = True\n    return b\n",
            // A dict iterates its keys.
            "def f(a):\n    b = dict(a)\n    for k in b:\n        k.append(1)\n    return b\n",
            // Class bodies.
            "class C:\n    A = [[1]]\n    b = A.copy()\n    b[0].append(1)\n    print(A)\n",
            // Array libraries: `copy()` copies the data, `[:]` is a view.
            "import numpy as np\ndef f(a):\n    b = a.copy()\n    b[0][0] = 1\n    c = a[:]\n    c[0].sort()\n    return a\n",
            // A class here with its own `copy()`, or `self.copy()`: it may copy deeper.
            "class M:\n    def copy(self):\n        return M([r[:] for r in self.rows])\ndef f(m):\n    c = m.copy()\n    c[0][0] = 1\n    return c\n",
            "class M(Base):\n    def lu(self):\n        lu = self.copy()\n        lu[0][0] = 1\n        return lu\n",
            // Someone else's `list`.
            "def list(x):\n    return x\ndef f(a):\n    b = list(a)\n    b[0].append(1)\n    return b\n",
            // A change in a nested function runs at an unknown time.
            "def f(a):\n    b = a.copy()\n    def g():\n        b[0].append(1)\n    return g\n",
        ] {
            assert_clean(src, R);
        }
        // With NumPy imported, a builtin `list(...)` copy is still a shallow copy.
        assert_count("import numpy as np\ndef f(a):\n    b = list(a)\n    b[0].append(1)\n    return a\n", R, 1);
    }

    #[test]
    fn fix_copies_every_level() {
        let src = "grid = [[0], [1]]\nb = list(grid)\nb[0].append(5)\nprint(grid, b)\n";
        assert_eq!(
            fixed(src, R),
            "import copy\ngrid = [[0], [1]]\nb = copy.deepcopy(list(grid))\nb[0].append(5)\nprint(grid, b)\n"
        );
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::DisplayOnly));
        assert_eq!(run_python(src).1, "[[0, 5], [1]] [[0, 5], [1]]\n");
        assert_eq!(fixed_output(src, R, ""), "[[0], [1]] [[0, 5], [1]]\n");
        let src = "import copy\ngrid = [[0]]\nb = copy.copy(grid)\nb[0][0] = 1\nprint(grid)\n";
        assert_eq!(fixed(src, R), "import copy\ngrid = [[0]]\nb = copy.deepcopy(grid)\nb[0][0] = 1\nprint(grid)\n");
        assert_eq!(fixed_output(src, R, ""), "[[0]]\n");
        let src = "from copy import deepcopy\ndef f(d):\n    e = d.copy()\n    e['k'].append(1)\n    return e\n";
        let out = fixed(src, R);
        assert!(out.contains("    e = deepcopy(d)\n") && !out.contains("import copy\n"), "{out}");
        assert_eq!(fixed_output(src, R, "d = {'k': []}\nf(d)\nprint(d)\n"), "{'k': []}\n");
        let src = "def f(a):\n    b = a[:]\n    b[0].append(1)\n    return b\n";
        assert_eq!(fixed_output(src, R, "a = [[0]]\nf(a)\nprint(a)\n"), "[[0]]\n");
    }

    #[test]
    fn no_fix_when_a_local_takes_the_name() {
        let found = findings("def f(a, copy):\n    b = a.copy()\n    b[0].append(1)\n    return b\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "{:?}", found[0].fix);
    }

    #[test]
    fn realistic_cases() {
        // The corpus has four findings (all labelled true); these stand in for more.
        for (src, evidence) in [
            (
                "def step(board):\n    new = board[:]\n    for i, row in enumerate(board):\n        for j, cell in enumerate(row):\n            new[i][j] = 1 - cell\n    return new\n",
                "the caller's `board`",
            ),
            (
                "def with_header(config, key, value):\n    merged = config.copy()\n    merged['headers'][key] = value\n    return merged\n",
                "the caller's `config`",
            ),
            (
                "DEFAULTS = {'tags': []}\n\ndef settings_for(user):\n    s = DEFAULTS.copy()\n    s['tags'].append(user)\n    return s\n",
                "module-level `DEFAULTS`",
            ),
            (
                "def restock(inventory: dict, item, qty):\n    updated = dict(inventory)\n    updated[item].append(qty)\n    return updated\n",
                "`updated[item].append(qty)` (line 3)",
            ),
            (
                "import copy\n\ndef simulate(state):\n    trial = copy.copy(state)\n    trial['queue'].pop(0)\n    return trial, state\n",
                "`state` is read on line 6",
            ),
        ] {
            assert_tier(src, R, Severity::Warning, evidence);
        }
        // The same tasks written correctly.
        for src in [
            "def step(board):\n    new = [row[:] for row in board]\n    new[0][0] = 1\n    return new\n",
            "def with_header(config, key, value):\n    merged = config.copy()\n    merged['headers'] = dict(merged['headers'])\n    merged['headers'][key] = value\n    return merged\n",
            "def add_user(users, user):\n    out = users.copy()\n    out.append(user)\n    return out\n",
            "import copy\n\ndef simulate(state):\n    trial = copy.deepcopy(state)\n    trial['queue'].pop(0)\n    return trial, state\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "b = a.copy(\nb[0].append(",
            "b = a[:]\nb[0][",
            "b = [*]\nb[0].append(1)",
            "b = {**}\ndel b[0][",
            "b = list(a",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
