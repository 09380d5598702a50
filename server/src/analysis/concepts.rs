//! Constructs that are fine but worth teaching: each becomes an anchor that a hover turns into
//! the concept card. Collected during the same walk as the findings.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{self as ast, ExceptHandler, Expr, Parameters, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::checker::Checker;
use super::semantic::{BindingKind, qualified};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConceptAnchor {
    pub card: &'static str,
    pub range: TextRange,
    /// What this occurrence shows, put above the card (e.g. both bindings of a rebound name).
    pub note: Option<String>,
    /// The particular good practice seen, when the card is broader than it (`@functools.wraps`
    /// under decorators): a review names it as a strength.
    pub practice: Option<&'static str>,
}

fn anchor(checker: &mut Checker, card: &'static str, range: TextRange) {
    checker.concepts.push(ConceptAnchor { card, range, note: None, practice: None });
}

/// The card for a decorator expression: `@property` teaches properties, `@dataclass` dataclasses,
/// `@contextmanager` context managers; any other decorator teaches decorators.
fn decorator_card<'a>(checker: &Checker<'a>, expr: &'a Expr) -> &'static str {
    let callee = match expr {
        Expr::Call(call) => &*call.func,
        other => other,
    };
    let resolved = checker.resolve(callee);
    match resolved.as_ref().map(|name| name.segments()) {
        Some(["builtins", "property"] | ["functools", "cached_property"]) => "property",
        Some(["dataclasses", "dataclass"]) => "dataclass",
        Some(["contextlib", "contextmanager" | "asynccontextmanager"]) => "context-manager",
        _ => match callee {
            // `@x.setter` / `@x.deleter` belong to a property.
            Expr::Attribute(attr) if matches!(attr.attr.as_str(), "setter" | "getter" | "deleter") => "property",
            _ => "decorator",
        },
    }
}

/// `@functools.wraps(f)` / `@wraps(f)` (resolved, so a local `wraps` does not count).
fn is_wraps(checker: &Checker, expr: &Expr) -> bool {
    matches!(expr, Expr::Call(call) if checker.resolves_to(&call.func, "functools.wraps"))
}

/// Lock types whose `with` releases them on every exit.
const LOCKS: &[&str] = &[
    "threading.Lock",
    "threading.RLock",
    "threading.Semaphore",
    "threading.BoundedSemaphore",
    "threading.Condition",
    "multiprocessing.Lock",
    "multiprocessing.RLock",
    "asyncio.Lock",
    "asyncio.Semaphore",
];

/// `with lock:` where `lock` is a name bound (once, in its scope) to `threading.Lock()` or a
/// kin, or `with threading.Lock():` itself. A lock reached through an attribute (`self._lock`)
/// is not followed: the model tracks names, not attributes.
fn is_lock(checker: &Checker, expr: &Expr) -> bool {
    let value = match expr {
        Expr::Name(name) => {
            let Some(id) = checker.semantic.resolve_name(name) else { return false };
            let binding = checker.semantic.binding(id);
            if binding.shadowed.is_some() || binding.is_unpacked() {
                return false;
            }
            match binding.value {
                Some(value) => value,
                None => return false,
            }
        }
        other => other,
    };
    matches!(value, Expr::Call(call) if LOCKS.iter().any(|lock| checker.resolves_to(&call.func, lock)))
}

pub(crate) fn stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::FunctionDef(function) => {
            for decorator in &function.decorator_list {
                let card = decorator_card(checker, &decorator.expression);
                let practice = is_wraps(checker, &decorator.expression).then_some(
                    "`functools.wraps` on the wrapper keeps the wrapped function's name, docstring and `__wrapped__`",
                );
                checker.concepts.push(ConceptAnchor { card, range: decorator.range(), note: None, practice });
            }
            if function.is_async {
                // The `async def` keywords, up to the end of the name.
                anchor(checker, "async-await", TextRange::new(function.start(), function.name.end()));
            }
        }
        Stmt::ClassDef(class) => {
            for decorator in &class.decorator_list {
                let card = decorator_card(checker, &decorator.expression);
                anchor(checker, card, decorator.range());
            }
        }
        Stmt::With(with) => {
            let keyword_end = with.start() + TextSize::from(if with.is_async { 10 } else { 4 });
            let card = if with.is_async { "async-await" } else { "context-manager" };
            anchor(checker, card, TextRange::new(with.start(), keyword_end.min(with.end())));
            for item in &with.items {
                let practice = is_lock(checker, &item.context_expr)
                    .then_some("a lock taken with `with` is released on every way out of the block");
                checker.concepts.push(ConceptAnchor {
                    card: "context-manager",
                    range: item.range(),
                    note: None,
                    practice,
                });
            }
        }
        Stmt::For(for_stmt) if for_stmt.is_async => {
            anchor(checker, "async-await", TextRange::new(for_stmt.start(), for_stmt.target.start()));
        }
        Stmt::Nonlocal(nonlocal) => anchor(checker, "nonlocal-closure", nonlocal.range()),
        // The name first: finding the enclosing class walks the ancestors.
        Stmt::Assign(assign)
            if assign.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__"))
                && checker.current_class().is_some() =>
        {
            anchor(checker, "slots", assign.range());
        }
        Stmt::AnnAssign(assign)
            if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == "__slots__")
                && checker.current_class().is_some() =>
        {
            anchor(checker, "slots", assign.range());
        }
        _ => {}
    }
    wave1_stmt(checker, stmt);
}

pub(crate) fn expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Generator(_) => anchor(checker, "generator-function", expr.range()),
        Expr::Await(_) => anchor(checker, "async-await", expr.range()),
        Expr::Call(call) => {
            // Resolving is the costly part: only callees whose last segment can match go on.
            let last = callee_last_segment(checker, &call.func);
            wave1_call(checker, call, last);
            if !matches!(
                last,
                Some("Thread" | "ThreadPoolExecutor" | "gather" | "TaskGroup" | "run" | "create_task" | "field")
            ) {
                return;
            }
            let resolved = checker.resolve(&call.func);
            let card = match resolved.as_ref().map(|name| name.segments()) {
                Some(
                    ["threading", "Thread"]
                    | ["concurrent", "futures", "ThreadPoolExecutor"]
                    | ["concurrent", "futures", "thread", "ThreadPoolExecutor"],
                ) => Some("gil-threading"),
                Some(["asyncio", "gather" | "TaskGroup" | "run" | "create_task"]) => Some("async-await"),
                Some(["dataclasses", "field"]) => Some("dataclass"),
                _ => None,
            };
            if let Some(card) = card {
                anchor(checker, card, call.func.range());
            }
        }
        _ => wave1_expr(checker, expr),
    }
}

// ---- catalogue wave 1: concepts --------------------------------------------------------------
// Each anchor is decided by the node's shape first; names are resolved only once it matched.

fn wave1_stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::FunctionDef(function) => {
            if matches!(function.name.as_str(), "__copy__" | "__deepcopy__") && checker.current_class().is_some() {
                anchor(checker, "copy-vs-deepcopy", TextRange::new(function.start(), function.name.end()));
            }
            parameters_of(checker, &function.parameters);
        }
        Stmt::ClassDef(class) => {
            for base in class.bases() {
                let callee = match base {
                    Expr::Subscript(subscript) => &*subscript.value,
                    other => other,
                };
                if last_segment(callee) == Some("Protocol")
                    && checker.resolves_to_any(callee, &["typing.Protocol", "typing_extensions.Protocol"]).is_some()
                {
                    anchor(checker, "duck-typing", base.range());
                }
            }
        }
        Stmt::Try(try_stmt) => {
            for handler in &try_stmt.handlers {
                let ExceptHandler::ExceptHandler(handler) = handler;
                let Some(type_) = &handler.type_ else { continue };
                let types = match &**type_ {
                    Expr::Tuple(tuple) => tuple.elts.as_slice(),
                    single => std::slice::from_ref(single),
                };
                for t in types {
                    if last_segment(t) == Some("AttributeError") && checker.resolves_to(t, "builtins.AttributeError") {
                        anchor(checker, "duck-typing", t.range());
                    }
                }
            }
        }
        Stmt::Return(ret) => {
            if let Some(Expr::Tuple(tuple)) = ret.value.as_deref()
                && !tuple.parenthesized
                && tuple.elts.len() >= 2
                && !tuple.elts.iter().any(Expr::is_starred_expr)
            {
                // The commas are what make the tuple; the elements keep their own hovers.
                for pair in tuple.elts.windows(2) {
                    let between = TextRange::new(pair[0].end(), pair[1].start());
                    let comma = checker.source.tokens_in(between).iter().find(|t| t.kind() == TokenKind::Comma);
                    if let Some(comma) = comma {
                        anchor(checker, "list-vs-tuple", comma.range());
                    }
                }
            }
        }
        Stmt::Match(match_stmt) => {
            let keyword = TextRange::at(match_stmt.start(), TextSize::from(5));
            anchor(checker, "match-statement", keyword);
            for case in &match_stmt.cases {
                anchor(checker, "match-statement", TextRange::at(case.start(), TextSize::from(4)));
            }
        }
        Stmt::Assign(assign) => rebinding(checker, assign),
        _ => {}
    }
}

/// `last`: the callee's [`callee_last_segment`], computed once for both tables.
fn wave1_call<'a>(checker: &mut Checker<'a>, call: &'a ast::ExprCall, last: Option<&'a str>) {
    for arg in &call.arguments.args {
        if let Expr::Starred(starred) = arg {
            anchor(checker, "args-kwargs", starred.range());
        }
    }
    for keyword in &call.arguments.keywords {
        if keyword.arg.is_none() {
            anchor(checker, "args-kwargs", keyword.range());
        }
    }
    let Some(last) = last else { return };
    match last {
        "copy" | "deepcopy" => {
            let is_copy = match &*call.func {
                // `x.copy()`: a container's own shallow copy, whatever `x` is.
                Expr::Attribute(_) if last == "copy" && call.arguments.is_empty() => true,
                func => checker.resolves_to_any(func, &["copy.copy", "copy.deepcopy"]).is_some(),
            };
            if is_copy {
                anchor(checker, "copy-vs-deepcopy", call.func.range());
            }
        }
        "OrderedDict" if checker.resolves_to(&call.func, "collections.OrderedDict") => {
            anchor(checker, "ordered-dict-since-37", call.func.range());
        }
        "isinstance" => {
            let [_, types] = &*call.arguments.args else { return };
            let types = match types {
                Expr::Tuple(tuple) => tuple.elts.as_slice(),
                single => std::slice::from_ref(single),
            };
            let abc = types.iter().any(|t| {
                matches!(t, Expr::Name(_) | Expr::Attribute(_))
                    && checker.resolve(t).is_some_and(|n| qualified::in_module(&n, "collections.abc"))
            });
            if abc && checker.resolves_to(&call.func, "builtins.isinstance") {
                anchor(checker, "duck-typing", call.range());
            }
        }
        "hasattr" => {
            if let [_, Expr::StringLiteral(_)] = &*call.arguments.args
                && checker.resolves_to(&call.func, "builtins.hasattr")
            {
                anchor(checker, "duck-typing", call.range());
            }
        }
        _ => {}
    }
}

fn wave1_expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Subscript(subscript) => {
            if let Expr::Slice(slice) = &*subscript.slice {
                // `x[:]`: a full-slice copy (one level deep), read rather than assigned to.
                if subscript.ctx.is_load() && slice.lower.is_none() && slice.upper.is_none() && slice.step.is_none() {
                    anchor(checker, "copy-vs-deepcopy", subscript.range());
                }
            } else if matches!(last_segment(&subscript.value), Some("tuple" | "Tuple"))
                && checker.resolves_to_any(&subscript.value, &["builtins.tuple", "typing.Tuple"]).is_some()
            {
                anchor(checker, "list-vs-tuple", subscript.value.range());
            }
        }
        Expr::Dict(dict) => {
            for key in dict.items.iter().filter_map(|item| item.key.as_ref()) {
                if key.is_tuple_expr() {
                    anchor(checker, "list-vs-tuple", key.range());
                }
            }
        }
        Expr::Set(set) => {
            for element in &set.elts {
                if element.is_tuple_expr() {
                    anchor(checker, "list-vs-tuple", element.range());
                }
            }
        }
        Expr::ListComp(ast::ExprListComp { generators, .. })
        | Expr::SetComp(ast::ExprSetComp { generators, .. })
        | Expr::DictComp(ast::ExprDictComp { generators, .. }) => comprehension(checker, expr, generators),
        Expr::Named(_) => anchor(checker, "walrus-operator", expr.range()),
        Expr::Lambda(lambda) => {
            if let Some(parameters) = &lambda.parameters {
                parameters_of(checker, parameters);
            }
        }
        _ => {}
    }
}

/// The last segment of the name a callee can resolve to, found without resolving: an attribute's
/// own name, or for a bare name the member its import brought in (`from copy import deepcopy as
/// dc` gives `deepcopy`), else the name itself.
fn callee_last_segment<'e>(checker: &Checker<'e>, func: &'e Expr) -> Option<&'e str> {
    match func {
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        Expr::Name(name) => match checker.binding_of(name).and_then(|b| b.import_name()) {
            Some(imported) => imported.segments().last().copied(),
            None => Some(name.id.as_str()),
        },
        _ => None,
    }
}

/// A comprehension's brackets and `for` keywords, not the names inside it, which keep their own
/// hovers.
fn comprehension(checker: &mut Checker, expr: &Expr, generators: &[ast::Comprehension]) {
    let one = TextSize::from(1);
    anchor(checker, "comprehension", TextRange::at(expr.start(), one));
    for generator in generators {
        let keyword = TextSize::from(if generator.is_async { 5 } else { 3 });
        anchor(checker, "comprehension", TextRange::at(generator.start(), keyword));
    }
    if expr.end() > expr.start() + one {
        anchor(checker, "comprehension", TextRange::new(expr.end() - one, expr.end()));
    }
}

fn last_segment(expr: &Expr) -> Option<&str> {
    match expr {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attribute) => Some(attribute.attr.as_str()),
        _ => None,
    }
}

/// `*args` and `**kwargs` (with their stars), and a bare `*` before keyword-only parameters.
fn parameters_of(checker: &mut Checker, parameters: &Parameters) {
    // A variadic parameter's range starts at its stars.
    if let Some(vararg) = &parameters.vararg {
        anchor(checker, "args-kwargs", vararg.range());
    } else if let Some(first) = parameters.kwonlyargs.first() {
        // The bare `*` is the last `*` token before the first keyword-only parameter.
        let before = TextRange::new(parameters.start(), first.start());
        let star = checker.source.tokens_in(before).iter().rev().find(|t| t.kind() == TokenKind::Star);
        if let Some(star) = star {
            anchor(checker, "args-kwargs", star.range());
        }
    }
    if let Some(kwarg) = &parameters.kwarg {
        anchor(checker, "args-kwargs", kwarg.range());
    }
}

/// What a literal value is, for telling a rebinding to another type; numbers are one kind, since
/// `total = 0` then `total = 0.5` is ordinary arithmetic.
pub(crate) fn literal_kind(expr: &Expr) -> Option<&'static str> {
    Some(match expr {
        Expr::NumberLiteral(_) => "a number",
        Expr::StringLiteral(_) | Expr::FString(_) => "a str",
        Expr::BytesLiteral(_) => "bytes",
        Expr::BooleanLiteral(_) => "a bool",
        Expr::List(_) | Expr::ListComp(_) => "a list",
        Expr::Dict(_) | Expr::DictComp(_) => "a dict",
        Expr::Set(_) | Expr::SetComp(_) => "a set",
        Expr::Tuple(_) => "a tuple",
        _ => return None,
    })
}

/// `x = <literal>` in a function where `x` was last bound, in this scope, to a literal of
/// another kind: the note names both bindings. `None` first is the Optional pattern, not a rebind.
fn rebinding<'a>(checker: &mut Checker<'a>, assign: &'a ast::StmtAssign) {
    let [Expr::Name(target)] = assign.targets.as_slice() else { return };
    let Some(kind) = literal_kind(&assign.value) else { return };
    if !checker.semantic.current_scope().kind.is_function_like() {
        return;
    }
    let Some(previous) = checker.semantic.current_scope().get(target.id.as_str()) else { return };
    let previous = checker.semantic.binding(previous);
    if !matches!(previous.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment) {
        return;
    }
    let Some(previous_kind) = previous.value.and_then(literal_kind) else { return };
    if previous_kind == kind {
        return;
    }
    let line = checker.source.line_number(previous.range.start());
    let note =
        format!("`{}` was bound to {previous_kind} on line {line}; here the same name is rebound to {kind}", target.id);
    checker.concepts.push(ConceptAnchor {
        card: "dynamic-typing-rebind",
        range: target.range(),
        note: Some(note),
        practice: None,
    });
}

#[cfg(test)]
mod tests {
    use crate::analysis::{AnalysisOptions, analyze};

    /// (card, practice) of every anchor that names a practice.
    fn practices(src: &str) -> Vec<(&'static str, &'static str)> {
        let analysis = analyze(src, &AnalysisOptions::default());
        analysis.concepts.iter().filter_map(|c| Some((c.card, c.practice?))).collect()
    }

    #[test]
    fn functools_wraps_is_named_on_its_decorator_anchor() {
        let src = "import functools\nfrom functools import wraps\n\ndef deco(f):\n    @functools.wraps(f)\n    def w(*a):\n        return f(*a)\n    return w\n\ndef deco2(f):\n    @wraps(f)\n    def w(*a):\n        return f(*a)\n    return w\n";
        let found = practices(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(card, p)| *card == "decorator" && p.contains("functools.wraps")));
        // A local function called `wraps` is not functools'.
        assert!(practices("def wraps(f):\n    return lambda g: g\n\n@wraps(print)\ndef h():\n    pass\n").is_empty());
    }

    #[test]
    fn a_lock_taken_with_with_is_named() {
        let src = "import threading\nlock = threading.Lock()\n\ndef f():\n    with lock:\n        pass\n    with threading.RLock():\n        pass\n";
        let found = practices(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|(card, p)| *card == "context-manager" && p.contains("lock")));
        // Not a lock: a file, or a name bound to something else.
        assert!(practices("lock = open('x')\nwith lock:\n    pass\nwith open('y') as f:\n    pass\n").is_empty());
    }

    /// The anchors for `card` in `source`, as the text each one covers.
    fn anchored(source: &str, card: &str) -> Vec<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        analysis.concepts.iter().filter(|c| c.card == card).map(|c| source[c.range].to_string()).collect()
    }

    #[test]
    fn copy_calls_slices_and_hooks() {
        let src = "import copy\nfrom copy import deepcopy as dc\n\ndef f(a, d):\n    b = copy.copy(a)\n    c = dc(a)\n    e = d.copy()\n    g = a[:]\n    a[:] = []\n    h = a[1:]\n    i = d.copy(1)\n    return b, c, e, g, h, i\n\nclass C:\n    def __deepcopy__(self, memo):\n        return self\n";
        assert_eq!(anchored(src, "copy-vs-deepcopy"), ["copy.copy", "dc", "d.copy", "a[:]", "def __deepcopy__"]);
        // A function of that name outside a class, and a local `copy` that is not the module.
        let src = "def __copy__(self):\n    pass\n\ndef f(copy):\n    return copy.deepcopy(1)\n";
        assert!(anchored(src, "copy-vs-deepcopy").is_empty());
    }

    #[test]
    fn tuples_as_keys_members_records_and_annotations() {
        let src = "from typing import Tuple\n\ndef f(p: tuple[int, int], q: Tuple[str]) -> tuple[int, ...]:\n    d = {(1, 2): 'a', 'k': 1}\n    s = {(1, 2), 3}\n    return p[0], q\n";
        assert_eq!(anchored(src, "list-vs-tuple"), ["tuple", "Tuple", "tuple", "(1, 2)", "(1, 2)", ","]);
        // Lists, a parenthesised or single return, and a `tuple` that is not the builtin.
        let src = "def f(tuple):\n    d = {1: (1, 2)}\n    x = tuple[0]\n    return (1, 2)\n\ndef g():\n    return 1\n";
        assert!(anchored(src, "list-vs-tuple").is_empty(), "{:?}", anchored(src, "list-vs-tuple"));
    }

    #[test]
    fn ordered_dict_calls() {
        let src = "import collections\nfrom collections import OrderedDict as OD\na = collections.OrderedDict()\nb = OD(x=1)\n";
        assert_eq!(anchored(src, "ordered-dict-since-37"), ["collections.OrderedDict", "OD"]);
        let src = "class OrderedDict(dict):\n    pass\n\na = OrderedDict()\nb = dict()\n";
        assert!(anchored(src, "ordered-dict-since-37").is_empty());
    }

    #[test]
    fn duck_typing_shapes() {
        let src = "import collections.abc\nfrom collections.abc import Mapping\nfrom typing import Protocol\n\nclass Closer(Protocol):\n    def close(self) -> None: ...\n\ndef f(x):\n    if isinstance(x, (Mapping, int)):\n        pass\n    if isinstance(x, collections.abc.Iterable):\n        pass\n    if hasattr(x, 'read'):\n        pass\n    try:\n        x.close()\n    except (AttributeError, KeyError):\n        pass\n";
        assert_eq!(
            anchored(src, "duck-typing"),
            [
                "Protocol",
                "isinstance(x, (Mapping, int))",
                "isinstance(x, collections.abc.Iterable)",
                "hasattr(x, 'read')",
                "AttributeError"
            ]
        );
        // Concrete types, a computed attribute name, other exceptions, a class named Protocol.
        let src = "class Protocol:\n    pass\n\nclass A(Protocol):\n    pass\n\ndef f(x, name):\n    if isinstance(x, dict) or hasattr(x, name):\n        pass\n    try:\n        x.close()\n    except KeyError:\n        pass\n";
        assert!(anchored(src, "duck-typing").is_empty(), "{:?}", anchored(src, "duck-typing"));
    }

    #[test]
    fn a_name_rebound_to_another_literal_type() {
        let src = "def f():\n    x = 1\n    x = 'one'\n    y = None\n    y = []\n    z = 0\n    z = 0.5\n    w = [1]\n    w = {}\n    return x, y, z, w\n";
        assert_eq!(anchored(src, "dynamic-typing-rebind"), ["x", "w"]);
        let analysis = crate::analysis::analyze(src, &crate::analysis::AnalysisOptions::default());
        let note = analysis.concepts.iter().find(|c| c.card == "dynamic-typing-rebind").unwrap().note.clone();
        assert_eq!(
            note.as_deref(),
            Some("`x` was bound to a number on line 2; here the same name is rebound to a str")
        );
        // Module level, a computed value, a parameter, and `x += ...`.
        let src = "x = 1\nx = 'a'\n\ndef f(a=1):\n    a = 'b'\n    y = 1\n    y = str(y)\n    z = 1\n    z += 2\n    z = 'c'\n    return a, y, z\n";
        assert!(anchored(src, "dynamic-typing-rebind").is_empty(), "{:?}", anchored(src, "dynamic-typing-rebind"));
    }

    #[test]
    fn comprehensions_walrus_and_match() {
        let src = "import re\nxs = [x for x in range(3)]\nys = {x for x in xs}\nzs = {x: 1 for x in xs}\nif (m := re.match('a', 'a')):\n    pass\nmatch m:\n    case None:\n        pass\n    case _:\n        pass\n";
        let brackets_and_keywords = ["[", "for", "]", "{", "for", "}", "{", "for", "}"];
        assert_eq!(anchored(src, "comprehension"), brackets_and_keywords);
        let nested = "async def f(rows):\n    return [c async for r in rows for c in r]\n";
        assert_eq!(anchored(nested, "comprehension"), ["[", "async", "for", "]"]);
        assert_eq!(anchored(src, "walrus-operator"), ["m := re.match('a', 'a')"]);
        assert_eq!(anchored(src, "match-statement"), ["match", "case", "case"]);
        // `match` as a plain name, lists and generator expressions are not these concepts.
        let src = "match = [1, 2]\nmatch[0] = 3\ng = sum(x for x in match)\nm = re.match('a', 'a')\n";
        for card in ["comprehension", "walrus-operator", "match-statement"] {
            assert!(anchored(src, card).is_empty(), "{card}: {:?}", anchored(src, card));
        }
    }

    #[test]
    fn variadic_parameters_and_unpacking() {
        let src = "def f(a, *args, b=1, **kwargs):\n    return g(*args, x=1, **kwargs)\n\ndef h(a, *, key):\n    return lambda *rest: rest\n";
        assert_eq!(anchored(src, "args-kwargs"), ["*args", "**kwargs", "*args", "**kwargs", "*", "*rest"]);
        let src = "def f(a, b=2):\n    first, *rest = a\n    return [*rest], {**b}, g(a, b=1)\n";
        assert!(anchored(src, "args-kwargs").is_empty(), "{:?}", anchored(src, "args-kwargs"));
    }

    #[test]
    fn call_anchors_follow_aliased_imports() {
        let src = "from threading import Thread as T\nimport asyncio as aio\nT()\naio.run(None)\nprint()\n";
        assert_eq!(anchored(src, "gil-threading"), ["T"]);
        assert_eq!(anchored(src, "async-await"), ["aio.run"]);
    }

    #[test]
    fn touching_anchors_prefer_the_one_under_the_cursor() {
        let src = "def f(xs):\n    return [x for x in xs], 1\n";
        let analysis = analyze(src, &AnalysisOptions::default());
        let comma = ruff_text_size::TextSize::try_from(src.find("], 1").unwrap() + 1).unwrap();
        assert_eq!(analysis.concept_at(comma).map(|c| c.card), Some("list-vs-tuple"));
        assert_eq!(
            analysis.concept_at(comma - ruff_text_size::TextSize::from(1)).map(|c| c.card),
            Some("comprehension")
        );
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in ["def f(*", "def f(*, ", "match x:\n    case", "x = (y :=", "isinstance(", "{(1,", "return a,"] {
            let _ = anchored(src, "args-kwargs");
        }
    }
}
