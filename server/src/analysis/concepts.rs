//! Constructs that are fine but worth teaching: each becomes an anchor that a hover turns into
//! the concept card. Collected during the same walk as the findings.

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::checker::Checker;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConceptAnchor {
    pub card: &'static str,
    pub range: TextRange,
    /// The particular good practice seen, when the card is broader than it (`@functools.wraps`
    /// under decorators): a review names it as a strength.
    pub practice: Option<&'static str>,
}

fn anchor(checker: &mut Checker, card: &'static str, range: TextRange) {
    checker.concepts.push(ConceptAnchor { card, range, practice: None });
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
                checker.concepts.push(ConceptAnchor { card, range: decorator.range(), practice });
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
                checker.concepts.push(ConceptAnchor { card: "context-manager", range: item.range(), practice });
            }
        }
        Stmt::For(for_stmt) if for_stmt.is_async => {
            anchor(checker, "async-await", TextRange::new(for_stmt.start(), for_stmt.target.start()));
        }
        Stmt::Nonlocal(nonlocal) => anchor(checker, "nonlocal-closure", nonlocal.range()),
        Stmt::Assign(assign)
            if checker.current_class().is_some()
                && assign.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__")) =>
        {
            anchor(checker, "slots", assign.range());
        }
        Stmt::AnnAssign(assign) if checker.current_class().is_some() => {
            if matches!(&*assign.target, Expr::Name(n) if n.id.as_str() == "__slots__") {
                anchor(checker, "slots", assign.range());
            }
        }
        _ => {}
    }
}

pub(crate) fn expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Generator(_) => anchor(checker, "generator-function", expr.range()),
        Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) => anchor(checker, "comprehension", expr.range()),
        Expr::Await(_) => anchor(checker, "async-await", expr.range()),
        Expr::Call(call) => {
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
        _ => {}
    }
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
    fn comprehensions_are_anchored_and_generator_expressions_keep_their_card() {
        let src = "a = [x for x in y]\nb = {x for x in y}\nc = {x: 1 for x in y}\nd = (x for x in y)\n";
        let analysis = analyze(src, &AnalysisOptions::default());
        let cards: Vec<&str> = analysis.concepts.iter().map(|c| c.card).collect();
        assert_eq!(cards, ["comprehension", "comprehension", "comprehension", "generator-function"]);
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
}
