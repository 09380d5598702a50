//! What `mutable-default-argument` and `call-in-default-argument` share: which defaults are
//! mutable, which annotations promise no mutation, which functions are exempt, how the message
//! names the default, what the body does with the shared object (on the finished model), and the
//! `None`-sentinel fix; and which calls are worth reporting when evaluated once (also used for
//! dataclass field defaults).

use ruff_python_ast::{Expr, Parameter, Parameters, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;
use crate::analysis::rules::helpers::mutability::{self, AttributeEvent};
use crate::analysis::semantic::{BindingId, BindingKind, ScopeId, ScopeKind, Use, qualified};

const MUTABLE_CONSTRUCTORS: &[&str] = &[
    "builtins.list",
    "builtins.dict",
    "builtins.set",
    "builtins.bytearray",
    "collections.deque",
    "collections.defaultdict",
    "collections.OrderedDict",
    "collections.Counter",
];

/// A display, comprehension or constructor call that makes a new mutable object.
pub(crate) fn is_mutable_value(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::ListComp(_) | Expr::DictComp(_) | Expr::SetComp(_) => true,
        Expr::Call(call) => checker.resolves_to_any(&call.func, MUTABLE_CONSTRUCTORS).is_some(),
        _ => false,
    }
}

/// Annotations that promise the value is not mutated (`Sequence[int]`, `tuple`, `frozenset`...),
/// as Ruff's B006/B008 accept them.
pub(crate) fn is_immutable_annotation(checker: &Checker, annotation: &Expr) -> bool {
    match annotation {
        Expr::Subscript(sub) => {
            let base = checker.resolve(&sub.value);
            match base.as_ref().map(|q| q.segments()) {
                Some(["typing" | "typing_extensions", "Optional"]) => is_immutable_annotation(checker, &sub.slice),
                Some(["typing", "Union"]) => match &*sub.slice {
                    Expr::Tuple(t) => t.elts.iter().all(|e| is_none(e) || is_immutable_annotation(checker, e)),
                    other => is_immutable_annotation(checker, other),
                },
                Some(segments) => is_immutable_type_name(segments),
                None => false,
            }
        }
        Expr::BinOp(binop) if binop.op.is_bit_or() => {
            (is_none(&binop.left) || is_immutable_annotation(checker, &binop.left))
                && (is_none(&binop.right) || is_immutable_annotation(checker, &binop.right))
        }
        other => checker.resolve(other).is_some_and(|name| is_immutable_type_name(name.segments())),
    }
}

pub(crate) fn is_none(expr: &Expr) -> bool {
    expr.is_none_literal_expr()
}

fn is_immutable_type_name(segments: &[&str]) -> bool {
    let Some((short, module)) = segments.split_last() else { return false };
    match module {
        ["builtins"] => {
            matches!(*short, "tuple" | "frozenset" | "int" | "str" | "bytes" | "float" | "bool" | "complex" | "range")
        }
        ["typing"] | ["typing_extensions"] | ["collections", "abc"] => matches!(
            *short,
            "Sequence"
                | "Mapping"
                | "AbstractSet"
                | "Collection"
                | "Iterable"
                | "Container"
                | "Tuple"
                | "FrozenSet"
                | "Hashable"
                | "Sized"
                | "Reversible"
        ),
        _ => false,
    }
}

/// Defaults in `.pyi` stubs and `@overload` signatures are documentation, not values.
pub(crate) fn is_exempt(checker: &Checker, function: Option<&StmtFunctionDef>) -> bool {
    checker.is_stub
        || function.is_some_and(|function| {
            function.decorator_list.iter().any(|d| {
                checker.resolves_to_any(&d.expression, &["typing.overload", "typing_extensions.overload"]).is_some()
            })
        })
}

/// Each parameter with a default, except those annotated with a read-only type.
pub(crate) fn checked_defaults<'a>(
    checker: &Checker<'a>,
    parameters: &'a Parameters,
) -> Vec<(&'a Parameter, &'a Expr)> {
    parameters
        .iter()
        .filter_map(|parameter| {
            let default = parameter.default()?;
            let p = parameter.as_parameter();
            (!p.annotation().is_some_and(|a| is_immutable_annotation(checker, a))).then_some((p, default))
        })
        .collect()
}

/// "`bucket=[]`" (or "`bucket=...`" for long defaults) and "`def add`" / "the `lambda`".
pub(crate) fn shown_default(
    checker: &Checker,
    parameter: &Parameter,
    default: &Expr,
    function: Option<&StmtFunctionDef>,
) -> (String, String) {
    let value = checker.source.slice(default);
    let shown = if value.len() > 40 || value.contains('\n') { "..." } else { value };
    let owner = function.map_or_else(|| "the `lambda`".to_string(), |f| format!("`def {}`", f.name.as_str()));
    (format!("`{}={shown}`", parameter.name.as_str()), owner)
}

/// Replace the default with `None` and build the value in the body: `if p is None: p = <default>`.
pub(crate) fn sentinel_fix(
    checker: &Checker,
    parameter: &Parameter,
    default: &Expr,
    function: &StmtFunctionDef,
) -> Option<Fix> {
    let name = parameter.name.as_str();
    // `def f(n=[n])` or `def m(self, i=self.pos())`: in the body those names are the parameters,
    // not the outer objects the default was built from.
    let reads = helpers::names_in_expr(default);
    if function.parameters.iter().any(|p| reads.contains(p.name().as_str())) {
        return None;
    }
    let (at, indent) = helpers::body_insert_point(checker, &function.body)?;
    let nl = checker.source.line_ending();
    let unit = checker.source.indent_unit();
    let value = checker.source.slice(default);
    let mut edits = vec![
        Edit::replace(default.range(), "None"),
        Edit::insert(at, format!("{indent}if {name} is None:{nl}{indent}{unit}{name} = {value}{nl}")),
    ];
    if let Some(annotation) = parameter.annotation()
        && !annotation_allows_none(annotation)
        && !annotation.is_string_literal_expr()
    {
        edits.push(Edit::insert(annotation.end(), " | None"));
    }
    Fix::unsafe_(format!("Use a `None` sentinel for `{name}`"), edits)
}

fn annotation_allows_none(annotation: &Expr) -> bool {
    match annotation {
        Expr::NoneLiteral(_) => true,
        Expr::BinOp(b) => annotation_allows_none(&b.left) || annotation_allows_none(&b.right),
        Expr::Subscript(s) => {
            matches!(&*s.value, Expr::Name(n) if n.id.as_str() == "Optional")
                || matches!(&*s.value, Expr::Attribute(a) if a.attr.as_str() == "Optional")
        }
        // `Any`, a lambda-unfriendly `object`...: widening is harmless but noisy; a binop keeps it simple.
        _ => false,
    }
}

/// The parameters with a default of a function or lambda scope, with the function when it is a
/// `def` (lambdas get no fix: their body is one expression).
pub(crate) fn scope_parameters<'a>(
    checker: &Checker<'a>,
    scope: ScopeId,
) -> Option<(&'a Parameters, Option<&'a StmtFunctionDef>)> {
    match checker.semantic().scope(scope).kind {
        ScopeKind::Function(function) => Some((&*function.parameters, Some(function))),
        ScopeKind::Lambda(lambda) => Some((lambda.parameters.as_deref()?, None)),
        _ => None,
    }
}

/// The binding `parameter` makes in the function's own scope.
pub(crate) fn parameter_binding(checker: &Checker, scope: ScopeId, parameter: &Parameter) -> Option<BindingId> {
    let model = checker.semantic();
    model
        .bindings_of(scope, parameter.name.as_str())
        .find(|b| matches!(model.binding(*b).kind, BindingKind::Parameter(p) if std::ptr::eq(p, parameter)))
}

/// What the body does with the shared default object.
pub(crate) enum SharedUse {
    /// Changed in place: "`bucket.append(item)` (line 3)".
    Mutated(String),
    /// Handed out without a visible change: "`return x` (line 3)", "`self.items = items` (line 4)".
    Handed(String),
    /// Captured by a nested function or lambda that does not change it (its line).
    Captured(usize),
    /// Passed to a call we cannot see into (the callee, its line).
    Passed(String, usize),
    /// Only copied (`x[:]`, `list(x)`, `x.copy()`, `copy.copy(x)`): the copy protects every call.
    CopiedOnly,
    /// Read, never changed or handed out.
    ReadOnly,
    /// Not used at all.
    Unused,
}

/// How the body uses the parameter's binding, strongest evidence first. A change counts when it
/// is visible: in the body (a nested function included), or, for `self.attr = param`, anywhere in
/// the class through `self.attr`.
pub(crate) fn shared_use(checker: &Checker, binding: BindingId) -> SharedUse {
    let model = checker.semantic();
    let line = |offset| checker.source.line_number(offset);
    let name = model.binding(binding).name;
    if let Some((reference, how)) = model.first_mutation(binding, false) {
        return SharedUse::Mutated(format!(
            "{} (line {})",
            change_text(checker, name, how),
            line(reference.range.start())
        ));
    }
    let mut handed = None;
    let mut captured = None;
    let mut passed = None;
    let mut read = false;
    let mut any = false;
    for reference in model.references(binding) {
        any = true;
        let at = line(reference.range.start());
        if model.is_captured(reference, binding) {
            captured.get_or_insert(at);
            continue;
        }
        match model.use_of(reference) {
            Use::Returned => _ = handed.get_or_insert_with(|| format!("`return {name}` (line {at})")),
            Use::Yielded => _ = handed.get_or_insert_with(|| format!("`yield {name}` (line {at})")),
            Use::Stored { target } => {
                if let Some(change) = attribute_change_in_class(checker, binding, target) {
                    return SharedUse::Mutated(change);
                }
                handed.get_or_insert_with(|| format!("`{} = {name}` (line {at})", checker.source.shown(target)));
            }
            how if is_copy(checker, how) => {}
            Use::Argument { call } if !model.is_read_only_call(call) => {
                passed.get_or_insert_with(|| (checker.source.shown(&*call.func).into_owned(), at));
            }
            _ => read = true,
        }
    }
    if let Some(handed) = handed {
        return SharedUse::Handed(handed);
    }
    if let Some((callee, at)) = passed {
        return SharedUse::Passed(callee, at);
    }
    if let Some(at) = captured {
        return SharedUse::Captured(at);
    }
    match (read, any) {
        (true, _) => SharedUse::ReadOnly,
        (false, true) => SharedUse::CopiedOnly,
        (false, false) => SharedUse::Unused,
    }
}

fn change_text(checker: &Checker, name: &str, how: Use) -> String {
    match how {
        Use::MethodCall { call, .. } => format!("`{}`", checker.source.shown(call)),
        Use::SubscriptStore => format!("`{name}[...] = ...`"),
        Use::AttributeStore(attr) => format!("`{name}.{attr} = ...`"),
        _ => format!("`{name} += ...`"),
    }
}

/// For `self.<attr> = param` in a method: the first change to `self.<attr>` in any method of the
/// class (`self.items.append(x)`, `self.items[k] = v`, `self.items += ...`).
fn attribute_change_in_class(checker: &Checker, binding: BindingId, target: &Expr) -> Option<String> {
    let model = checker.semantic();
    let Expr::Attribute(target) = target else { return None };
    let Expr::Name(owner) = &*target.value else { return None };
    let attr = target.attr.as_str();
    let method_scope = model.binding(binding).scope;
    let class_scope =
        model.scope_chain(method_scope).skip(1).find(|s| !matches!(model.scope(*s).kind, ScopeKind::Type))?;
    let ScopeKind::Class(class) = model.scope(class_scope).kind else { return None };
    // `owner` must be the method's first parameter (`self`), as it is in every method we search.
    let ScopeKind::Function(method) = model.scope(method_scope).kind else { return None };
    if method.parameters.iter().next().is_none_or(|p| p.name().as_str() != owner.id.as_str()) {
        return None;
    }
    let methods = class.body.iter().filter_map(|s| match s {
        ruff_python_ast::Stmt::FunctionDef(f) => Some(f),
        _ => None,
    });
    let events = mutability::attribute_events(checker, methods, attr);
    let Some(AttributeEvent::Changed { text, method, line, .. }) = mutability::first_change(&events) else {
        return None;
    };
    let stored_at = checker.source.line_number(target.start());
    Some(format!(
        "`self.{attr} = {}` (line {stored_at}) keeps it, and {text} in `{method}` (line {line})",
        model.binding(binding).name
    ))
}

/// A defensive copy: `x[:]`, `[*x]`, `{**x}`, `x.copy()`, `list(x)`, `dict(x)`, `set(x)`, `copy.copy(x)`, `copy.deepcopy(x)`.
fn is_copy(checker: &Checker, how: Use) -> bool {
    match how {
        Use::Unpacked => true,
        Use::SubscriptLoad(sub) => {
            matches!(&*sub.slice, Expr::Slice(s) if s.lower.is_none() && s.upper.is_none() && s.step.is_none())
        }
        Use::MethodCall { method, call } => method == "copy" && call.arguments.is_empty(),
        Use::Argument { call } => is_copy_call(checker, call),
        _ => false,
    }
}

fn is_copy_call(checker: &Checker, call: &ruff_python_ast::ExprCall) -> bool {
    !call.arguments.args.is_empty()
        && checker
            .resolves_to_any(
                &call.func,
                &["builtins.list", "builtins.dict", "builtins.set", "builtins.bytearray", "copy.copy", "copy.deepcopy"],
            )
            .is_some()
}

/// The `def` whose body defines the function of `scope`: its defaults are built anew each time
/// that outer function runs, so they are shared only by the calls made during one of its runs.
pub(crate) fn defining_function<'a>(checker: &Checker<'a>, scope: ScopeId) -> Option<&'a StmtFunctionDef> {
    let model = checker.semantic();
    model.scope_chain(scope).skip(1).find_map(|s| match model.scope(s).kind {
        ScopeKind::Type | ScopeKind::Comprehension => None,
        ScopeKind::Function(f) => Some(Some(f)),
        _ => Some(None),
    })?
}

/// Calls whose result is immutable, so evaluating them once is harmless.
const IMMUTABLE_CALLS: &[&str] = &[
    "builtins.tuple",
    "builtins.frozenset",
    "builtins.int",
    "builtins.float",
    "builtins.str",
    "builtins.bytes",
    "builtins.bool",
    "builtins.complex",
    "builtins.range",
    "builtins.object",
    "builtins.len",
    "builtins.ord",
    "builtins.chr",
    "builtins.abs",
    "builtins.round",
    "builtins.hash",
    "builtins.repr",
    "builtins.format",
    "builtins.min",
    "builtins.max",
    "builtins.sorted",
    "re.compile",
    "types.MappingProxyType",
    "operator.attrgetter",
    "operator.itemgetter",
    "operator.methodcaller",
    "typing.NewType",
    "typing.TypeVar",
    "decimal.Decimal",
    "fractions.Fraction",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "pathlib.PurePosixPath",
    "pathlib.WindowsPath",
    "pathlib.PureWindowsPath",
    "datetime.timedelta",
    "datetime.date",
    "datetime.datetime",
    "datetime.time",
    "datetime.timezone",
    "ipaddress.ip_address",
    "ipaddress.ip_network",
    "sys.intern",
    "os.path.join",
    "os.path.abspath",
    "os.path.dirname",
    "os.path.expanduser",
    "uuid.UUID",
    "enum.auto",
    "dataclasses.field",
    "attr.ib",
    "attrs.field",
];

/// Framework markers that are meant to be evaluated once (dependency injection, CLI options).
const FRAMEWORK_MARKERS: &[&str] = &[
    "Depends", "Query", "Path", "Body", "Header", "Cookie", "File", "Form", "Security", "Option", "Argument", "Param",
];

/// Producers of time- or identity-dependent values: always worth flagging.
const ALWAYS_FLAG: &[&str] = &[
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "time.time",
    "time.monotonic",
    "time.perf_counter",
    "uuid.uuid1",
    "uuid.uuid4",
    "os.getenv",
    "os.environ.get",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// Time, randomness, identity: the frozen value is almost certainly a bug.
    Volatile,
    Other,
}

/// `Some` when `expr` is a call whose result, evaluated once, is worth reporting (shared by
/// `call-in-default-argument` and `mutable-dataclass-default`).
pub(crate) fn classify<'a>(checker: &Checker<'a>, expr: &'a Expr) -> Option<CallKind> {
    let Expr::Call(call) = expr else { return None };
    let resolved = checker.resolve(&call.func);
    if let Some(name) = &resolved {
        // `random.random()`, `random.randint(...)`: a value; `random.Random()` is an RNG object.
        let random_value = matches!(name.segments(), ["random", f] if f.starts_with(char::is_lowercase));
        if qualified::which(name, ALWAYS_FLAG).is_some() || random_value {
            return Some(CallKind::Volatile);
        }
        if qualified::which(name, IMMUTABLE_CALLS).is_some() {
            return None;
        }
        let segments = name.segments();
        let last = segments.last().copied().unwrap_or_default();
        let module = segments.first().copied().unwrap_or_default();
        if FRAMEWORK_MARKERS.contains(&last) && matches!(module, "fastapi" | "typer" | "click" | "starlette") {
            return None;
        }
    }
    // Unresolved callees (locals, parameters) are reported like B008 does, except names that
    // look like framework markers imported elsewhere.
    let last_segment = match &*call.func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => "",
    };
    if resolved.is_none() && FRAMEWORK_MARKERS.contains(&last_segment) {
        return None;
    }
    Some(CallKind::Other)
}
