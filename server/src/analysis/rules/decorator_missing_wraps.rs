//! `decorator-missing-wraps` (no Ruff or Pylint peer). A decorator `def D(fn)` that returns an
//! inner `def W` standing in for `fn`, with no `@functools.wraps(fn)` on `W`: every function it
//! decorates then reports `W`'s name, loses its docstring, and hides its signature, and
//! `inspect.unwrap` cannot reach the original.
//!
//! Shape, from the model (run on the finished model, once per function scope): `D` has one
//! positional parameter `fn`, returns (with a top-level `return W`) a `def W` of its own body, `W`
//! calls `fn` passing every one of its own parameters on as they came (`fn(*args, **kwargs)`,
//! `fn(request, *args, **kwargs)`, `fn(self, other)`; extra arguments may be added), and `W` does
//! not itself return a nested `def` (then `W` is the decorator, made by a factory `D`). The factory
//! form (`def retry(times): def D(fn): ...; return D`) is covered: every `def` is checked.
//!
//! Tiers:
//! - warning, when this module shows a function that loses its identity: `@D`, `@Owner.D`,
//!   `@factory(...)` or `alias = D(g)` on a function other code can reach (module or class level,
//!   no function body around it), whose name differs from the wrapper's, in a module that is not
//!   test code; the message names it. When another wrapper of the module uses `functools.wraps`,
//!   the author knows it and the omission may be deliberate (Django's syndication tests contrast a
//!   decorator with `wraps` and one without): a hint that says so.
//! - hint, when nothing here is decorated with it (it is used from other modules, or not at all),
//!   or only tests, local functions or the helpers of a test module (one importing `unittest`,
//!   `pytest`, `test.support` or `django.test`) are: their names and docstrings at most show in a
//!   test runner's report. The message says so. When nothing here is decorated, the hint needs a
//!   parameter named like a function (`fn`, `func`, `f`, `method`, `*_func`...): an undecorated
//!   combinator (`def exhaust(rule): def exhaustive_rl(expr): ...`) or a thread-target adapter
//!   (`def _make_killable(target)`) makes a new function on purpose, with its own name.
//! - nothing, when the code has handled the metadata or the wrapper is not a stand-in: any
//!   decorator on `W` called with `fn` (a project's own `wraps`) or resolving to `functools.wraps`;
//!   `functools.update_wrapper(W, ...)`, `functools.wraps(fn)(W)`, or `W` passed to a call that
//!   also receives `fn` or to a function of this module that sets a metadata attribute on its
//!   parameter (`_tidy(W)`); `W.__name__`, `__qualname__`, `__doc__`, `__wrapped__`, `__module__`
//!   or `__dict__` set by hand (the author chose what to keep); a wrapper that adapts the signature
//!   on purpose (a parameter it does not pass on, as `def handler(*, depth=5)` or
//!   `def inner(self, *args): return func(self._wrapped, *args)`); and a decorator local to a
//!   function body that the body does not return (it decorates only functions of that body, which
//!   nothing outside sees; test methods build such throwaway decorators, and Django's own tests
//!   check that one without `wraps` does not copy attributes).
//!
//! Class-based decorators are not `def`s and are not checked.
//!
//! Fix (unsafe: `__name__`, `__doc__`, `__wrapped__` and `inspect.signature` change, and `fn`'s
//! `__dict__` is copied onto the wrapper, usually the desired change): insert `@functools.wraps(fn)`
//! above `W`, importing `functools` when needed.

use ruff_python_ast::helpers::map_callable;
use ruff_python_ast::{Expr, ExprCall, Parameter, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextSize};

use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, ScopeId, ScopeKind, SemanticModel, Use};

/// Attributes that carry a function's identity; setting one by hand is a deliberate choice.
const METADATA: &[&str] = &["__dict__", "__doc__", "__module__", "__name__", "__qualname__", "__wrapped__"];

/// Runs once per function scope, after the walk.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    if let Some(finding) = inspect(checker, scope) {
        checker.report(finding);
    }
}

fn inspect(checker: &Checker, scope: ScopeId) -> Option<Finding> {
    let model = checker.semantic();
    let ScopeKind::Function(decorator) = model.scope(scope).kind else { return None };
    let parameter = single_positional_parameter(decorator)?;
    let fn_name = parameter.name.as_str();
    let fn_binding = parameter_binding(model, scope, parameter)?;
    let (wrapper, wrapper_binding, wrapper_scope) = returned_def(model, scope, decorator)?;
    if returned_def(model, wrapper_scope, wrapper).is_some() {
        return None;
    }
    // The wrapper calls `fn` (its own parameter named `fn` would shadow it: no reference here).
    let calls: Vec<&ExprCall> = model
        .references(fn_binding)
        .filter(|r| model.is_nested_in(r.scope, wrapper_scope))
        .filter_map(|r| match model.use_of(r) {
            Use::Called(call) => Some(call),
            _ => None,
        })
        .collect();
    if !calls.iter().any(|call| forwards(wrapper, call)) {
        return None;
    }
    if has_wraps_decorator(checker, wrapper, fn_name) || handles_metadata(checker, wrapper_binding, fn_name) {
        return None;
    }

    let name = wrapper.name.as_str();
    let d = decorator.name.as_str();
    let head = format!("Decorator `{d}` returns `{name}` without `@functools.wraps({fn_name})`");
    let (severity, message) = match applications(model, scope, decorator) {
        Applications::Local => return None,
        Applications::Some(targets) => {
            let shown = |t: &Target| format!("`{}` (line {})", t.exposed, checker.source.line_number(t.at));
            // Evidence: a function others can reach, not a test, whose name the wrapper changes.
            let test_module = is_test_module(model);
            match targets.iter().find(|t| t.visible && !t.test && !test_module && t.exposed != name) {
                Some(target) if uses_wraps_elsewhere(checker) => (
                    Severity::Hint,
                    format!(
                        "{head}, though other decorators in this module use it, so leaving it out may be \
                         deliberate; if not, {} reports the name `{name}` and loses its docstring",
                        shown(target)
                    ),
                ),
                Some(target) => {
                    let g = target.exposed;
                    let doc = if target.has_doc { ", loses its docstring," } else { "" };
                    (
                        Severity::Warning,
                        format!(
                            "{head}: {} is decorated with it, so `{g}.__name__` is `{name}`{doc} and \
                             `inspect.signature({g})` shows `{name}`'s parameters",
                            shown(target)
                        ),
                    )
                }
                None => (
                    Severity::Hint,
                    format!(
                        "{head}; here it decorates only tests or local functions (`{}`, line {}), whose names and \
                         docstrings at most a test runner's report shows; elsewhere every function it decorates \
                         would report the name `{name}` and lose its docstring",
                        targets[0].exposed,
                        checker.source.line_number(targets[0].at)
                    ),
                ),
            }
        }
        Applications::None if is_function_like_name(fn_name) => (
            Severity::Hint,
            format!(
                "{head}; nothing in this module is decorated with it, so no name is lost here yet, but every \
                 function it decorates will report the name `{name}`, lose its docstring and hide its signature"
            ),
        ),
        Applications::None => return None,
    };
    let fix = wraps_fix(checker, wrapper, fn_name);
    let finding = Finding::new(Rule::DecoratorMissingWraps, wrapper.name.range(), message).with_severity(severity);
    Some(finding.with_fix(fix))
}

/// `def D(fn)`: exactly one positional parameter (keyword-only options are fine).
fn single_positional_parameter(function: &StmtFunctionDef) -> Option<&Parameter> {
    let parameters = &function.parameters;
    if function.is_async || parameters.vararg.is_some() {
        return None;
    }
    let mut positional = parameters.posonlyargs.iter().chain(parameters.args.iter());
    let (Some(only), None) = (positional.next(), positional.next()) else { return None };
    (!only.parameter.name.as_str().is_empty()).then_some(&only.parameter)
}

fn parameter_binding(model: &SemanticModel, scope: ScopeId, parameter: &Parameter) -> Option<BindingId> {
    model
        .bindings_of(scope, parameter.name.as_str())
        .find(|b| matches!(model.binding(*b).kind, BindingKind::Parameter(p) if std::ptr::eq(p, parameter)))
}

/// The `def W` of `function`'s own body that a top-level `return W` returns, with its binding
/// and scope.
fn returned_def<'a>(
    model: &SemanticModel<'a>,
    scope: ScopeId,
    function: &'a StmtFunctionDef,
) -> Option<(&'a StmtFunctionDef, BindingId, ScopeId)> {
    let returned = function.body.iter().find_map(|stmt| match stmt {
        Stmt::Return(r) => match r.value.as_deref() {
            Some(Expr::Name(name)) => Some(name),
            _ => None,
        },
        _ => None,
    })?;
    let binding = model.resolve_name(returned).filter(|b| model.binding(*b).scope == scope)?;
    let BindingKind::FunctionDef(inner) = model.binding(binding).kind else { return None };
    let inner_scope = model.binding(binding).source.and_then(|node| model.scope_opened_by(node))?;
    Some((inner, binding, inner_scope))
}

/// Does `call` (a call of `fn` in the wrapper) pass every parameter of the wrapper on as it came?
fn forwards(wrapper: &StmtFunctionDef, call: &ExprCall) -> bool {
    let arguments = &call.arguments;
    let is_name = |expr: &Expr, name: &str| matches!(expr, Expr::Name(n) if n.id.as_str() == name);
    let passed = |name: &str| {
        arguments.args.iter().any(|a| is_name(a, name))
            || arguments.keywords.iter().any(|k| k.arg.is_some() && is_name(&k.value, name))
    };
    let parameters = &wrapper.parameters;
    let named_ok = parameters
        .posonlyargs
        .iter()
        .chain(&parameters.args)
        .chain(&parameters.kwonlyargs)
        .all(|p| passed(p.parameter.name.as_str()));
    let vararg_ok = parameters.vararg.as_ref().is_none_or(|v| {
        arguments.args.iter().any(|a| matches!(a, Expr::Starred(s) if is_name(&s.value, v.name.as_str())))
    });
    let kwarg_ok = parameters
        .kwarg
        .as_ref()
        .is_none_or(|k| arguments.keywords.iter().any(|kw| kw.arg.is_none() && is_name(&kw.value, k.name.as_str())));
    // A fixed parameter list passed on with extra arguments is a different signature on purpose
    // (`def inner(x): return func(x, 1)`); a generic `*args, **kwargs` wrapper may inject some.
    let generic = parameters.vararg.is_some() || parameters.kwarg.is_some();
    let exact = generic || arguments.args.len() + arguments.keywords.len() == parameters.len();
    named_ok && vararg_ok && kwarg_ok && exact
}

/// Parameter names that say "a function": a decorator takes one; a combinator takes a rule.
fn is_function_like_name(name: &str) -> bool {
    let name = name.trim_start_matches('_');
    matches!(
        name,
        "f" | "fn" | "func" | "function" | "meth" | "method" | "wrapped" | "callable" | "coro" | "view" | "test"
    ) || ["_func", "_fn", "_function", "_method", "_meth"].iter().any(|s| name.ends_with(s))
}

/// `@functools.wraps(fn)` under any import form, or any decorator called with `fn` (a project's
/// own `wraps`, `six.wraps`...), which already copies the metadata.
fn has_wraps_decorator(checker: &Checker, wrapper: &StmtFunctionDef, fn_name: &str) -> bool {
    wrapper.decorator_list.iter().any(|decorator| {
        let passes_fn = match &decorator.expression {
            Expr::Call(call) => {
                call.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == fn_name))
            }
            _ => false,
        };
        passes_fn || checker.resolves_to(map_callable(&decorator.expression), "functools.wraps")
    })
}

/// Does the decorator's body take care of the wrapper's metadata some other way?
fn handles_metadata(checker: &Checker, wrapper: BindingId, fn_name: &str) -> bool {
    let model = checker.semantic();
    model.references(wrapper).any(|r| match model.use_of(r) {
        Use::AttributeStore(attr) | Use::AttributeLoad(attr) if attr == "__dict__" => true,
        Use::AttributeStore(attr) => METADATA.contains(&attr),
        Use::Argument { call } => {
            let passes_fn = call.arguments.args.iter().any(|a| matches!(a, Expr::Name(n) if n.id.as_str() == fn_name));
            passes_fn
                || checker.resolves_to(&call.func, "functools.update_wrapper")
                || matches!(&*call.func, Expr::Call(inner) if checker.resolves_to(&inner.func, "functools.wraps"))
                || sets_metadata_on_parameter(model, &call.func)
        }
        _ => false,
    })
}

/// `callee` is a function of this module that sets a metadata attribute on its first parameter
/// (`def _tidy(fn): fn.__doc__ = ...`).
fn sets_metadata_on_parameter(model: &SemanticModel, callee: &Expr) -> bool {
    let Expr::Name(name) = callee else { return false };
    let Some(binding) = model.resolve_name(name) else { return false };
    let BindingKind::FunctionDef(helper) = model.binding(binding).kind else { return false };
    let Some(scope) = model.binding(binding).source.and_then(|node| model.scope_opened_by(node)) else {
        return false;
    };
    let Some(first) = helper.parameters.posonlyargs.iter().chain(&helper.parameters.args).next() else {
        return false;
    };
    let Some(parameter) = parameter_binding(model, scope, &first.parameter) else { return false };
    model
        .references(parameter)
        .any(|r| matches!(model.use_of(r), Use::AttributeStore(attr) if METADATA.contains(&attr)))
}

enum Applications<'a> {
    /// The decorator is local to a function body that does not return it.
    Local,
    /// Not applied in this module.
    None,
    /// What it decorates here, in source order (never empty).
    Some(Vec<Target<'a>>),
}

/// A function this module decorates, under the name it is exposed as.
struct Target<'a> {
    exposed: &'a str,
    at: TextSize,
    has_doc: bool,
    /// Defined at module or class level, where other code can reach it.
    visible: bool,
    test: bool,
}

impl<'a> Target<'a> {
    /// `node` is the `def` statement of `function`.
    fn new(
        model: &SemanticModel<'a>,
        node: NodeId,
        function: &'a StmtFunctionDef,
        exposed: &'a str,
        at: TextSize,
    ) -> Self {
        let visible = reachable(model, model.nodes.scope(node));
        Target {
            exposed,
            at,
            has_doc: function.body.first().is_some_and(helpers::is_docstring),
            visible,
            test: is_test(function),
        }
    }
}

/// The functions this module decorates with `decorator` (the function of scope `scope`): `@D`,
/// `@Owner.D`, `g = D(f)`, or `@F(...)` when a factory `F` returns `D`.
fn applications<'a>(model: &SemanticModel<'a>, scope: ScopeId, decorator: &StmtFunctionDef) -> Applications<'a> {
    let Some(node) = model.scope(scope).node else { return Applications::None };
    let Some(binding) = model.definition_binding(node) else { return Applications::None };
    let parent = model.binding(binding).scope;
    let mut targets = Vec::new();
    if model.scope(parent).kind.is_function_like() {
        // Returned by its enclosing function: that function is a decorator factory.
        if !model.references(binding).any(|r| matches!(model.use_of(r), Use::Returned)) {
            return Applications::Local;
        }
        let factory = model.scope(parent).node.and_then(|n| model.definition_binding(n));
        for r in factory.into_iter().flat_map(|f| model.references(f)) {
            if let Use::Called(call) = model.use_of(r)
                && let Some(call_node) = model.parent_id(r.node)
                && let Some(g) = decorated_by(model, call_node, call)
                && let Some(def) = model.parent_id(call_node)
            {
                targets.push(Target::new(model, def, g, g.name.as_str(), g.name.start()));
            }
        }
    } else {
        let name = decorator.name.as_str();
        for (id, node) in model.nodes.iter() {
            match node {
                // `@D` (resolving to this decorator) or `@Owner.D`.
                NodeRef::Stmt(Stmt::FunctionDef(g))
                    if g.decorator_list.iter().any(|d| match &d.expression {
                        Expr::Name(n) => model.resolve_name(n) == Some(binding),
                        Expr::Attribute(a) => a.attr.as_str() == name,
                        _ => false,
                    }) =>
                {
                    targets.push(Target::new(model, id, g, g.name.as_str(), g.name.start()));
                }
                // `alias = D(g)`.
                NodeRef::Expr(Expr::Call(call)) if matches!(&*call.func, Expr::Name(n) if model.resolve_name(n) == Some(binding)) =>
                {
                    targets.extend(assigned_call(model, id, call));
                }
                _ => {}
            }
        }
    }
    if targets.is_empty() { Applications::None } else { Applications::Some(targets) }
}

/// The `def` whose decorator list holds the call `call` (node `call_node`).
fn decorated_by<'a>(model: &SemanticModel<'a>, call_node: NodeId, call: &ExprCall) -> Option<&'a StmtFunctionDef> {
    match model.parent_id(call_node).map(|p| model.node(p)) {
        Some(NodeRef::Stmt(Stmt::FunctionDef(g)))
            if g.decorator_list.iter().any(|d| d.expression.range() == call.range()) =>
        {
            Some(g)
        }
        _ => None,
    }
}

/// Does some other wrapper in this module use `functools.wraps`? Then the author knows it, and
/// leaving it out here may be a choice (a test contrasting both, a wrapper meant to differ).
fn uses_wraps_elsewhere(checker: &Checker) -> bool {
    checker.semantic().nodes.iter().any(|(_, node)| match node {
        NodeRef::Stmt(Stmt::FunctionDef(f)) => {
            f.decorator_list.iter().any(|d| checker.resolves_to(map_callable(&d.expression), "functools.wraps"))
        }
        _ => false,
    })
}

/// Can code outside reach what `scope` defines: is it the module, or classes nested in it, with
/// no function body on the way?
fn reachable(model: &SemanticModel, scope: ScopeId) -> bool {
    model.scope_chain(scope).all(|s| matches!(model.scope(s).kind, ScopeKind::Module | ScopeKind::Class(_)))
}

/// Does the module import a test framework (`unittest`, `pytest`, CPython's `test.support`,
/// `django.test`)? Its functions are tests and test helpers, whose names and docstrings only a
/// test runner's report shows.
fn is_test_module(model: &SemanticModel) -> bool {
    model.scope(ScopeId::MODULE).bindings().any(|(_, id)| {
        model.binding(id).import_name().is_some_and(|q| match q.segments() {
            ["unittest" | "pytest" | "_pytest", ..] => true,
            ["test", "support", ..] | ["django", "test", ..] => true,
            ["test", member] => *member == "support",
            _ => false,
        })
    })
}

/// `alias = D(g)` for a `def g`: decoration without `@`, exposed as `alias`.
fn assigned_call<'a>(model: &SemanticModel<'a>, call_node: NodeId, call: &ExprCall) -> Option<Target<'a>> {
    let [Expr::Name(argument)] = &*call.arguments.args else { return None };
    let g_binding = model.binding(model.resolve_name(argument)?);
    let BindingKind::FunctionDef(g) = g_binding.kind else { return None };
    let Some(NodeRef::Stmt(Stmt::Assign(assign))) = model.parent_id(call_node).map(|p| model.node(p)) else {
        return None;
    };
    let [Expr::Name(alias)] = assign.targets.as_slice() else { return None };
    let mut target = Target::new(model, g_binding.source?, g, alias.id.as_str(), assign.start());
    // The alias lives where the assignment is.
    target.visible = reachable(model, model.nodes.scope(call_node));
    Some(target)
}

fn is_test(function: &StmtFunctionDef) -> bool {
    function.name.as_str().starts_with("test")
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
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::DecoratorMissingWraps as R;

    const LOGGED: &str = "def logged(fn):\n    def wrapper(*args, **kwargs):\n        print('calling')\n        return fn(*args, **kwargs)\n    return wrapper\n";

    fn applied(decorator: &str) -> String {
        format!("{decorator}\n@logged\ndef add(a, b):\n    \"\"\"Return a + b.\"\"\"\n    return a + b\n")
    }

    #[track_caller]
    fn one(src: &str, severity: Severity, evidence: &str) {
        assert_tier(src, R, severity, evidence);
    }

    #[test]
    fn warns_when_a_function_here_is_decorated_with_it() {
        one(
            &applied(LOGGED),
            Severity::Warning,
            "Decorator `logged` returns `wrapper` without `@functools.wraps(fn)`: `add` (line 8) is decorated \
             with it, so `add.__name__` is `wrapper`, loses its docstring, and `inspect.signature(add)` shows \
             `wrapper`'s parameters",
        );
        let factory = "def retry(times):\n    def deco(fn):\n        async def wrapper(*a):\n            for _ in range(times):\n                await fn(*a)\n        return wrapper\n    return deco\n\n@retry(3)\nasync def fetch():\n    pass\n";
        one(factory, Severity::Warning, "`fetch` (line 10) is decorated with it");
        // Decoration without `@`.
        let src = format!("{LOGGED}\ndef add(a, b):\n    return a + b\nadd = logged(add)\n");
        one(&src, Severity::Warning, "`add` (line 9) is decorated with it");
        // An alias made by calling it: the alias reports the wrapper's name.
        let src = format!(
            "{LOGGED}\nclass T:\n    def equal(self, a, b):\n        return a == b\n    failUnlessEqual = logged(equal)\n"
        );
        one(
            &src,
            Severity::Warning,
            "`failUnlessEqual` (line 10) is decorated with it, so `failUnlessEqual.__name__` is `wrapper`",
        );
        // Applied through its class: `@Cache.me`.
        let src = "class Cache:\n    @staticmethod\n    def me(cb):\n        def cache_wrap_me(self, *args, **kwargs):\n            return cb(self, *args, **kwargs)\n        return cache_wrap_me\n\nclass Opt:\n    @Cache.me\n    def feature_names(self, names=None):\n        return names\n";
        one(src, Severity::Warning, "`feature_names` (line 10)");
        // A method wrapper that forwards `self` and its arguments.
        let src = "def check(func):\n    def wrapper(self, other):\n        other = convert(other)\n        return func(self, other)\n    return wrapper\n\nclass T:\n    @check\n    def __add__(self, other):\n        return 1\n";
        one(src, Severity::Warning, "`__add__` (line 9)");
        // Some other decorator on the wrapper does not copy the metadata.
        let src = "def d(fn):\n    @trace\n    def w():\n        return fn()\n    return w\n@d\ndef g():\n    pass\n";
        one(src, Severity::Warning, "`g` (line 7)");
    }

    #[test]
    fn hint_when_the_module_uses_wraps_elsewhere() {
        let src = format!(
            "from functools import wraps\ndef traced(f):\n    @wraps(f)\n    def w(*a):\n        return f(*a)\n    return w\n{}",
            applied(LOGGED)
        );
        one(
            &src,
            Severity::Hint,
            "though other decorators in this module use it, so leaving it out may be deliberate; if not, `add` (line 14)",
        );
    }

    #[test]
    fn hint_when_nothing_here_is_decorated_or_only_tests_are() {
        one(LOGGED, Severity::Hint, "nothing in this module is decorated with it");
        let only_tests = format!("{LOGGED}\nclass T:\n    @logged\n    def test_add(self):\n        pass\n");
        one(&only_tests, Severity::Hint, "decorates only tests or local functions (`test_add`, line 9)");
        // Local functions: nothing outside reads their names.
        let local = format!("{LOGGED}\ndef test():\n    @logged\n    def go():\n        pass\n    go()\n");
        one(&local, Severity::Hint, "(`go`, line 9)");
        // A method of a class local to a function is local too.
        let local_class = format!(
            "{LOGGED}\ndef test():\n    class Extra:\n        @logged\n        def __getattr__(self, name):\n            return 1\n"
        );
        one(&local_class, Severity::Hint, "(`__getattr__`, line 10)");
        // In a test module, decorated helpers are test code.
        let test_module =
            format!("import unittest\n{LOGGED}\nclass Helper:\n    @logged\n    def run(self):\n        pass\n");
        one(&test_module, Severity::Hint, "(`run`, line 10)");
        // A function named like the wrapper keeps its name: no evidence.
        let same = "def deco(fn):\n    def go():\n        return fn()\n    return go\n@deco\ndef go():\n    pass\n";
        one(same, Severity::Hint, "(`go`, line 6)");
        // Not named like a function: not a decorator unless something here is decorated with it.
        assert_clean(
            "def _make_killable(target):\n    def killable(*args, **kwargs):\n        return target(*args, **kwargs)\n    return killable\n",
            R,
        );
    }

    #[test]
    fn nothing_for_combinators_that_make_a_new_function() {
        let src = "def exhaust(rule):\n    def exhaustive_rl(expr):\n        new, old = rule(expr), expr\n        while new != old:\n            new, old = rule(new), new\n        return new\n    return exhaustive_rl\n";
        assert_clean(src, R);
        // Applied, it is a decorator after all.
        one(&format!("{src}@exhaust\ndef simplify(e):\n    return e\n"), Severity::Warning, "`simplify` (line 9)");
    }

    #[test]
    fn nothing_when_the_metadata_is_handled() {
        for src in [
            "import functools\ndef d(fn):\n    @functools.wraps(fn)\n    def w():\n        return fn()\n    return w\n",
            "from functools import wraps as w2\ndef d(fn):\n    @w2(fn)\n    def w():\n        return fn()\n    return w\n",
            "import functools as ft\ndef d(fn):\n    @ft.wraps(fn, assigned=())\n    def w():\n        return fn()\n    return w\n",
            "def d(fn):\n    from functools import wraps\n    @wraps(fn)\n    def w():\n        return fn()\n    return w\n",
            "def d(fn):\n    @my_wraps(fn)\n    def w():\n        return fn()\n    return w\n",
            "import functools\ndef d(fn):\n    def w():\n        return fn()\n    functools.update_wrapper(w, fn)\n    return w\n",
            "import functools\ndef d(fn):\n    def w():\n        return fn()\n    w = functools.wraps(fn)(w)\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    _wrap(w, fn)\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    w.__wrapped__ = fn\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    w.__name__ = fn.__name__\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    w.__doc__ = fn.__doc__\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    w.__qualname__ = 'x'\n    return w\n",
            "def d(fn):\n    def w():\n        return fn()\n    w.__dict__.update(fn.__dict__)\n    return w\n",
            // A helper of this module that sets the docstring itself.
            "def _tidy(f):\n    f.__doc__ = 'Instrumented.'\ndef d(fn):\n    def w(self, item):\n        fn(self, item)\n    _tidy(w)\n    return w\n",
        ] {
            assert_clean(&format!("{src}@d\ndef g():\n    pass\n"), R);
        }
    }

    #[test]
    fn nothing_when_the_wrapper_adapts_the_signature() {
        for src in [
            // Keyword-only options of its own, not passed on.
            "def rebuild(attr_fn):\n    def handler(*, depth=5):\n        if rebuild_model(depth):\n            return attr_fn()\n    return handler\n",
            // `self` replaced by the wrapped object.
            "def new_method_proxy(func):\n    def inner(self, *args):\n        return func(self._wrapped, *args)\n    return inner\n",
            // A different parameter list: a function made from another, not a stand-in.
            "def make_agg(nan_func):\n    def nan_agg_with_axis(table):\n        return [nan_func(table[:, i]) for i in range(3)]\n    return nan_agg_with_axis\n",
            "def uncurry(func):\n    def uncurry_rl(args):\n        return func(*args)\n    return uncurry_rl\n",
            "def adapt(func):\n    def inner(x):\n        return func(x, 1)\n    return inner\n",
            "def view(cls):\n    def view(request, *args, **kwargs):\n        self = cls(request)\n        return self.dispatch(request, *args, **kwargs)\n    return view\n",
        ] {
            assert_clean(&format!("{src}@{}\ndef g():\n    pass\n", src[4..].split('(').next().unwrap_or_default()), R);
        }
    }

    #[test]
    fn nothing_for_a_decorator_local_to_a_body() {
        let src = "class T:\n    def test_it(self):\n        def add_mark(func):\n            def _wrapper(*args, **kwargs):\n                return func(*args, **kwargs) + '?'\n            return _wrapper\n        @add_mark\n        def f():\n            return 'x'\n        assert f() == 'x?'\n";
        assert_clean(src, R);
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
    fn card_example() {
        assert_card_examples(R);
        // The flagged example shows the harm: a warning.
        let bank = crate::cards::Bank::builtin();
        let flagged = bank.get("decorator-missing-wraps").and_then(|c| c.example.flagged.clone()).unwrap_or_default();
        assert!(findings(&flagged, R).iter().any(|f| f.severity == Severity::Warning), "{flagged}");
    }

    #[test]
    fn fix_adds_import_and_decorator() {
        let src = "\"\"\"Doc.\"\"\"\nimport os\n\ndef logged(fn):\n    @trace\n    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return wrapper\n";
        assert_eq!(
            fixed(src, R),
            "\"\"\"Doc.\"\"\"\nimport os\nimport functools\n\ndef logged(fn):\n    @functools.wraps(fn)\n    @trace\n    def wrapper(*args, **kwargs):\n        return fn(*args, **kwargs)\n    return wrapper\n"
        );
        assert_eq!(findings(src, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn fix_keeps_behaviour_and_restores_the_name() {
        let src = applied(LOGGED);
        let fixed_text = assert_fix_keeps_output(&src, R, "print(add(1, 2))\n");
        let (ok, out, err) =
            run_python(&format!("{fixed_text}\nprint(add.__name__, add.__doc__, add.__wrapped__(2, 3))\n"));
        assert!(ok, "{err}");
        assert_eq!(out, "add Return a + b. 5\n");
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
            "def d(fn):\n    def w(*args):\n        return fn(*args\n    return w\n",
        ] {
            let _ = findings(src, R);
        }
    }
}
