//! What the four blocking-call-in-a-coroutine rules share (sleep, HTTP, file I/O, subprocess;
//! peers: Ruff ASYNC210/212/220/221/222/230/240/251): naming the coroutine, resolving the objects a
//! method is called on, and the `await asyncio.to_thread(func, *args)` fix.
//!
//! The rules run for calls inside an `async def` (not inside a sync `def` or `lambda` nested in
//! it). A function passed to `asyncio.to_thread(requests.get, url)` or `loop.run_in_executor(...)`
//! is not called there, so it is never reported.

use ruff_python_ast::{ArgOrKeyword, Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::analysis::checker::{Checker, Frame, NodeRef};
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::QualifiedName;

/// The rules of the family: the walk asks "inside a coroutine?" only when one is enabled.
pub(crate) const RULES: &[Rule] = &[
    Rule::BlockingSleepInAsync,
    Rule::BlockingHttpInAsync,
    Rule::BlockingFileIoInAsync,
    Rule::BlockingSubprocessInAsync,
];

/// "`fetch`", the coroutine the call blocks.
pub(crate) fn coroutine_name(checker: &Checker) -> String {
    checker.enclosing_function().map_or_else(|| "this coroutine".to_string(), |f| format!("`{}`", f.name.as_str()))
}

/// The qualified names of the calls that may have produced `receiver`: the call itself
/// (`requests.Session().get`), or the value a name was assigned or `with`-bound to.
pub(crate) fn constructed_by<'a: 'e, 'e>(checker: &Checker<'a>, receiver: &'e Expr) -> Option<QualifiedName<'e>> {
    match receiver {
        Expr::Call(call) => checker.resolve(&call.func),
        Expr::Name(name) => match checker.binding_of(name)?.value? {
            Expr::Call(call) => checker.resolve(&call.func),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `receiver` is a parameter annotated with one of `classes` (also inside `X | None`,
/// `Optional[X]`, `Union[...]`).
pub(crate) fn annotated_as(checker: &Checker, receiver: &Expr, classes: &[&str]) -> bool {
    let Expr::Name(name) = receiver else { return false };
    match checker.binding_of(name) {
        Some(binding) if binding.parameter().is_some() => {
            binding.annotation.is_some_and(|annotation| annotation_names(checker, annotation, classes, 0))
        }
        _ => false,
    }
}

fn annotation_names(checker: &Checker, annotation: &Expr, classes: &[&str], depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match annotation {
        Expr::BinOp(binop) if binop.op.is_bit_or() => {
            annotation_names(checker, &binop.left, classes, depth + 1)
                || annotation_names(checker, &binop.right, classes, depth + 1)
        }
        Expr::Subscript(sub) => match checker.resolve(&sub.value).as_ref().map(|q| q.segments()) {
            Some(["typing" | "typing_extensions", "Optional" | "Union"]) => match &*sub.slice {
                Expr::Tuple(tuple) => tuple.elts.iter().any(|e| annotation_names(checker, e, classes, depth + 1)),
                other => annotation_names(checker, other, classes, depth + 1),
            },
            _ => false,
        },
        other => checker.resolves_to_any(other, classes).is_some(),
    }
}

/// The call is the operand of `await` (wrong already: a blocking call returns no awaitable).
pub(crate) fn is_awaited(checker: &Checker) -> bool {
    matches!(checker.parent_expr(), Some(Expr::Await(_)))
}

/// Where `await` may not be added: inside a generator expression (it would become an async
/// generator) or a class body nested in the coroutine (`await` there is a syntax error).
pub(crate) fn await_not_allowed(checker: &Checker) -> bool {
    let in_generator = checker
        .ancestors()
        .take_while(|node| matches!(node, NodeRef::Expr(_)))
        .any(|node| matches!(node, NodeRef::Expr(Expr::Generator(_))));
    let in_class_body =
        checker.frames().take_while(|f| !matches!(f, Frame::Function(_))).any(|f| matches!(f, Frame::Class(_)));
    in_generator || in_class_body
}

/// `await <text>`, parenthesised when the call is the object of an attribute, subscript or call
/// (`requests.get(u).json()` needs `(await ...).json()`).
pub(crate) fn awaited_text(checker: &Checker, expr: &Expr, text: &str) -> String {
    let is_primary_operand = match checker.parent_expr() {
        Some(Expr::Attribute(attr)) => std::ptr::eq(&*attr.value, expr),
        Some(Expr::Subscript(sub)) => std::ptr::eq(&*sub.value, expr),
        Some(Expr::Call(call)) => std::ptr::eq(&*call.func, expr),
        _ => false,
    };
    if is_primary_operand { format!("(await {text})") } else { format!("await {text}") }
}

/// How to call `module.member` here (reusing `from module import member` or `import module as m`),
/// and the import to add. `None` when a local binding hides the name the fix would use.
pub(crate) fn import_callable(checker: &Checker, module: &str, member: &str) -> Option<(String, Option<Edit>)> {
    let (name, edit) = helpers::import_member(checker, module, member);
    let head = name.split('.').next().unwrap_or(&name);
    let qualified = format!("{module}.{member}");
    let visible = match checker.lookup(head) {
        Some(binding) if binding.is_import() => binding.is_import_of(module) || binding.is_import_of(&qualified),
        Some(_) => false,
        None => edit.is_some(),
    };
    visible.then_some((name, edit))
}

/// `requests.get(url, timeout=5)` -> `await asyncio.to_thread(requests.get, url, timeout=5)`.
/// Each argument's source is carried over verbatim (starred forms included).
pub(crate) fn to_thread_fix(checker: &Checker, expr: &Expr, call: &ExprCall) -> Option<Fix> {
    if is_awaited(checker) || await_not_allowed(checker) || checker.source.has_comments(call.range()) {
        return None;
    }
    let (to_thread, import) = import_callable(checker, "asyncio", "to_thread")?;
    let func = checker.source.slice(&*call.func);
    if func.is_empty() {
        return None;
    }
    let mut text = format!("{to_thread}({func}");
    for argument in call.arguments.iter_source_order() {
        let source = match argument {
            ArgOrKeyword::Arg(arg) => argument_text(checker, arg),
            ArgOrKeyword::Keyword(keyword) => checker.source.slice(keyword).to_string(),
        };
        if source.is_empty() {
            return None;
        }
        text.push_str(", ");
        text.push_str(&source);
    }
    text.push(')');
    let mut edits = vec![Edit::replace(expr.range(), awaited_text(checker, expr, &text))];
    edits.extend(import);
    Fix::unsafe_(format!("Run `{func}` in a worker thread with `await {to_thread}(...)`"), edits)
}

/// An argument's source; a lone unparenthesised generator (`f(x for x in y)`) gets its parentheses.
fn argument_text(checker: &Checker, arg: &Expr) -> String {
    let text = checker.source.slice(arg);
    match arg {
        Expr::Generator(generator) if !generator.parenthesized => format!("({text})"),
        _ => text.to_string(),
    }
}
