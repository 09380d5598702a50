//! `decorator-missing-wraps` (no Ruff or Pylint peer). A decorator `def D(fn)` that returns an
//! inner `def W` calling `fn`, with no `@functools.wraps(fn)` on `W` (and no
//! `functools.update_wrapper(W, fn)`): every decorated function then reports `W`'s name,
//! docstring and signature, and `inspect.unwrap` cannot reach the original.
//!
//! The factory form (`def retry(times): def D(fn): ...; return D`) is covered because every
//! `def` is checked, the inner `D` included. Class-based decorators are not `def`s and are not
//! checked; wrappers that never call `fn` are not wrappers of it.

use ruff_python_ast::helpers::map_callable;
use ruff_python_ast::{Expr, Stmt, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, function: &'a StmtFunctionDef) {
    let Some(fn_name) = single_positional_parameter(function) else { return };
    let Some(wrapper) = returned_wrapper(function, fn_name) else { return };
    if has_wraps_decorator(checker, wrapper, fn_name)
        || copies_metadata(checker, function, wrapper, fn_name)
        || returned_wrapper_of_any(wrapper).is_some()
    {
        return;
    }
    let decorator = function.name.as_str();
    let name = wrapper.name.as_str();
    let message = format!(
        "Decorator `{decorator}` returns `{name}` without `@functools.wraps({fn_name})`: every function it decorates \
         will report the name `{name}`, lose its docstring, and hide its signature"
    );
    let fix = wraps_fix(checker, wrapper, fn_name);
    checker.report(Finding::new(Rule::DecoratorMissingWraps, wrapper.name.range(), message).with_fix(fix));
}

/// `def D(fn)`: exactly one positional parameter (keyword-only options are fine).
fn single_positional_parameter(function: &StmtFunctionDef) -> Option<&str> {
    let parameters = &function.parameters;
    if function.is_async || parameters.vararg.is_some() {
        return None;
    }
    let mut positional = parameters.posonlyargs.iter().chain(parameters.args.iter());
    let (Some(only), None) = (positional.next(), positional.next()) else { return None };
    let name = only.parameter.name.as_str();
    (!name.is_empty()).then_some(name)
}

/// The inner `def W` that `D` returns with a top-level `return W`, when `W` calls `fn` (and does
/// not shadow it with a parameter of its own).
fn returned_wrapper<'a>(function: &'a StmtFunctionDef, fn_name: &str) -> Option<&'a StmtFunctionDef> {
    let wrapper = returned_wrapper_of_any(function)?;
    (!wrapper.parameters.includes(fn_name) && calls_name(&wrapper.body, fn_name)).then_some(wrapper)
}

/// The inner `def` a function returns by name. When `W` itself returns one, `W` is a decorator
/// made by a factory `D`, not a wrapper, and `D`'s parameter is not the wrapped function.
fn returned_wrapper_of_any(function: &StmtFunctionDef) -> Option<&StmtFunctionDef> {
    let returned = function.body.iter().find_map(|stmt| match stmt {
        Stmt::Return(r) => match r.value.as_deref() {
            Some(Expr::Name(name)) => Some(name.id.as_str()),
            _ => None,
        },
        _ => None,
    })?;
    function.body.iter().find_map(|stmt| match stmt {
        Stmt::FunctionDef(inner) if inner.name.as_str() == returned => Some(inner),
        _ => None,
    })
}

fn calls_name(body: &[Stmt], name: &str) -> bool {
    let mut found = false;
    helpers::for_each_node(body, &mut |node| {
        if let NodeVisit::Expr(Expr::Call(call)) = node {
            found |= matches!(&*call.func, Expr::Name(n) if n.id.as_str() == name);
        }
    });
    found
}

/// `@functools.wraps(fn)` under any import form, or any decorator called with `fn` (a
/// project's own `wraps`, `six.wraps`...), which already copies the metadata.
fn has_wraps_decorator(checker: &Checker, wrapper: &StmtFunctionDef, fn_name: &str) -> bool {
    wrapper.decorator_list.iter().any(|decorator| {
        let callee = map_callable(&decorator.expression);
        let passes_fn = match &decorator.expression {
            Expr::Call(call) => {
                call.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == fn_name))
            }
            _ => false,
        };
        passes_fn || is_functools(checker, callee, "wraps")
    })
}

/// Does `expr` refer to `functools.<member>`? A name imported inside the decorator's own body is
/// not bound yet when the `def` is checked, so an unresolved `wraps`/`x.wraps` counts too.
fn is_functools(checker: &Checker, expr: &Expr, member: &str) -> bool {
    match checker.resolve(expr) {
        Some(resolved) => matches!(resolved.segments(), ["functools", m] if *m == member),
        None => match expr {
            Expr::Name(n) => n.id.as_str() == member,
            Expr::Attribute(a) => a.attr.as_str() == member,
            _ => false,
        },
    }
}

/// Metadata copied another way: `functools.update_wrapper(W, ...)`, a project's own helper
/// called as `helper(W, fn)`, or by hand (`W.__wrapped__ = fn`, or both `__name__` and `__doc__`).
fn copies_metadata(checker: &Checker, function: &StmtFunctionDef, wrapper: &StmtFunctionDef, fn_name: &str) -> bool {
    let w = wrapper.name.as_str();
    let is = |expr: Option<&Expr>, name: &str| matches!(expr, Some(Expr::Name(n)) if n.id.as_str() == name);
    let (mut call, mut wrapped, mut name, mut doc) = (false, false, false, false);
    helpers::for_each_node(&function.body, &mut |node| match node {
        NodeVisit::Expr(Expr::Call(c)) => {
            let args = &c.arguments.args;
            call |=
                is(args.first(), w) && (is(args.get(1), fn_name) || is_functools(checker, &c.func, "update_wrapper"));
        }
        NodeVisit::Expr(Expr::Attribute(a)) if a.ctx.is_store() && is(Some(&a.value), w) => match a.attr.as_str() {
            "__wrapped__" => wrapped = true,
            "__name__" => name = true,
            "__doc__" => doc = true,
            _ => {}
        },
        _ => {}
    });
    call || wrapped || (name && doc)
}

/// Inserts `@functools.wraps(fn)` (or the file's alias for it) above `W` and its decorators.
fn wraps_fix(checker: &Checker, wrapper: &StmtFunctionDef, fn_name: &str) -> Option<Fix> {
    let first_line = wrapper.decorator_list.first().map_or(wrapper.start(), |d| d.start());
    let indent = checker.source.indentation_at(first_line)?;
    let (wraps, import) = helpers::import_member(checker, "functools", "wraps");
    let nl = checker.source.line_ending();
    let mut edits =
        vec![Edit::insert(checker.source.line_start(first_line), format!("{indent}@{wraps}({fn_name}){nl}"))];
    edits.extend(import);
    Fix::unsafe_(format!("Add `@{wraps}({fn_name})` to `{}`", wrapper.name.as_str()), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::rule::Rule::DecoratorMissingWraps as R;

    const LOGGED: &str = "def logged(fn):\n    def wrapper(*args, **kwargs):\n        print('calling')\n        return fn(*args, **kwargs)\n    return wrapper\n";

    #[test]
    fn flags_plain_and_factory_decorators() {
        assert_count(LOGGED, R, 1);
        let factory = "def retry(times):\n    def deco(fn):\n        async def wrapper(*a):\n            for _ in range(times):\n                await fn(*a)\n        return wrapper\n    return deco\n";
        assert_count(factory, R, 1);
        // Some other decorator on the wrapper does not copy the metadata.
        assert_count("def d(fn):\n    @trace\n    def w():\n        return fn()\n    return w\n", R, 1);
    }

    #[test]
    fn message_names_decorator_and_wrapper_on_the_wrapper() {
        let found = findings(LOGGED, R);
        let range = found[0].range;
        assert_eq!(&LOGGED[range.start().to_usize()..range.end().to_usize()], "wrapper");
        let msg = message(LOGGED, R);
        assert!(msg.contains("`logged`") && msg.contains("`wrapper`") && msg.contains("wraps(fn)"), "{msg}");
    }

    #[test]
    fn ignores_wrapped_and_update_wrapper_forms() {
        assert_clean(
            "import functools\ndef d(fn):\n    @functools.wraps(fn)\n    def w():\n        return fn()\n    return w\n",
            R,
        );
        assert_clean(
            "from functools import wraps as w2\ndef d(fn):\n    @w2(fn)\n    def w():\n        return fn()\n    return w\n",
            R,
        );
        assert_clean(
            "import functools as ft\ndef d(fn):\n    @ft.wraps(fn, assigned=())\n    def w():\n        return fn()\n    return w\n",
            R,
        );
        assert_clean(
            "def d(fn):\n    from functools import wraps\n    @wraps(fn)\n    def w():\n        return fn()\n    return w\n",
            R,
        );
        assert_clean(
            "import functools\ndef d(fn):\n    def w():\n        return fn()\n    functools.update_wrapper(w, fn)\n    return w\n",
            R,
        );
        assert_clean(
            "import functools\ndef d(fn):\n    def w():\n        return fn()\n    return functools.update_wrapper(w, fn)\n",
            R,
        );
        assert_clean("def d(fn):\n    def w():\n        return fn()\n    _wrap(w, fn)\n    return w\n", R);
        assert_clean("def d(fn):\n    def w():\n        return fn()\n    w.__wrapped__ = fn\n    return w\n", R);
        let by_hand = "def d(fn):\n    def w():\n        return fn()\n    w.__name__ = fn.__name__\n    w.__doc__ = fn.__doc__\n    return w\n";
        assert_clean(by_hand, R);
        // Copying only the name still loses the rest.
        assert_count(
            "def d(fn):\n    def w():\n        return fn()\n    w.__name__ = fn.__name__\n    return w\n",
            R,
            1,
        );
    }

    #[test]
    fn ignores_non_wrappers() {
        // The inner function does not call `fn`.
        assert_clean("def d(fn):\n    def w():\n        return 1\n    return w\n", R);
        // Not returned.
        assert_clean("def d(fn):\n    def w():\n        return fn()\n    w()\n", R);
        // Two positional parameters, or `*args`.
        assert_clean("def d(fn, extra):\n    def w():\n        return fn()\n    return w\n", R);
        assert_clean("def d(*fns):\n    def w():\n        return fns[0]()\n    return w\n", R);
        // The wrapper's own parameter shadows `fn`.
        assert_clean("def d(fn=None):\n    def w(fn):\n        return fn()\n    return w\n", R);
        // A factory whose argument is a callback: the inner function is itself a decorator.
        let factory = "import functools\ndef on_result(action):\n    def wrap(func):\n        @functools.wraps(func)\n        def wrapper(*a):\n            action(func(*a))\n        return wrapper\n    return wrap\n";
        assert_clean(factory, R);
        // Class-based decorators.
        assert_clean(
            "class D:\n    def __init__(self, fn):\n        self.fn = fn\n    def __call__(self, *a):\n        return self.fn(*a)\n",
            R,
        );
    }

    #[test]
    fn fix_adds_import_and_decorator() {
        let src = "\"\"\"Doc.\"\"\"\nimport os\n\ndef logged(fn):\n    @trace\n    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return wrapper\n";
        assert_eq!(
            fixed(src, R),
            "\"\"\"Doc.\"\"\"\nimport os\nimport functools\n\ndef logged(fn):\n    @functools.wraps(fn)\n    @trace\n    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return wrapper\n"
        );
    }

    #[test]
    fn fix_reuses_existing_imports_and_line_endings() {
        let src =
            "from functools import wraps as w\r\ndef d(f):\r\n\tdef inner():\r\n\t\treturn f()\r\n\treturn inner\r\n";
        assert_eq!(
            fixed(src, R),
            "from functools import wraps as w\r\ndef d(f):\r\n\t@w(f)\r\n\tdef inner():\r\n\t\treturn f()\r\n\treturn inner\r\n"
        );
        let src = "import functools as ft\ndef d(f):\n    def inner():\n        return f()\n    return inner\n";
        assert_eq!(
            fixed(src, R),
            "import functools as ft\ndef d(f):\n    @ft.wraps(f)\n    def inner():\n        return f()\n    return inner\n"
        );
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def d(fn):\n    def (:\n        fn()\n    return\n",
            "def (",
            "def d():\n    def w():\n        ()\n    return w\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
