//! What the mutability rules share beyond defaults: which classes build their attributes from the
//! class body themselves (dataclasses, `NamedTuple`, pydantic...), and what a class's methods do
//! to `self.<attr>` (change it in place, or rebind it), read off the finished model.

use ruff_python_ast::{Expr, ExprSubscript, Stmt, StmtAugAssign, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::semantic::uses::is_mutating_method;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, NodeRef, Reference, ScopeId, Use};

const DATACLASS_DECORATORS: &[&str] = &["dataclasses.dataclass", "pydantic.dataclasses.dataclass"];

/// `@dataclass`, `@dataclass(...)`, `@dataclasses.dataclass(frozen=True)`: the decorator, when there is one.
pub(crate) fn dataclass_decorator<'a>(checker: &Checker, class: &'a StmtClassDef) -> Option<&'a Expr> {
    class.decorator_list.iter().map(|d| &d.expression).find(|expression| {
        let callee = match expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        checker.resolves_to_any(callee, DATACLASS_DECORATORS).is_some()
    })
}

/// Classes whose machinery turns class-body values into per-instance state or constants, so a
/// mutable value there is not one object shared through instances: dataclasses and attrs classes
/// (their defaults are handled by `mutable-dataclass-default`), `NamedTuple`, `TypedDict`, enums,
/// pydantic models and settings, msgspec structs.
pub(crate) fn builds_fields_from_body(checker: &Checker, class: &StmtClassDef) -> bool {
    let decorated = class.decorator_list.iter().any(|d| {
        let callee = match &d.expression {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        checker.resolve(callee).is_some_and(|name| {
            matches!(
                name.segments(),
                ["dataclasses", "dataclass"]
                    | ["pydantic", "dataclasses", "dataclass"]
                    | ["attr" | "attrs", "s" | "attrs" | "define" | "frozen" | "mutable" | "dataclass"]
            )
        })
    });
    decorated
        || class.bases().iter().any(|base| {
            checker.resolve(base).is_some_and(|name| match name.segments() {
                ["typing" | "typing_extensions", "NamedTuple" | "TypedDict"] => true,
                ["enum", _] => true,
                [first, ..] => matches!(*first, "pydantic" | "pydantic_settings" | "msgspec" | "sqlmodel"),
                [] => false,
            })
        })
}

/// What a method does to `self.<attr>`.
#[derive(Clone, Debug)]
pub(crate) enum AttributeEvent {
    /// Changed in place: `self.items.append(x)`, `self.items[k] = v`, `self.items += [x]`. `text`
    /// shows the change; `argument_is_owner` when it stores the instance itself (`append(self)`).
    Changed { text: String, method: String, line: usize, argument_is_owner: bool },
    /// Rebound on the instance: `self.items = ...`.
    Rebound { method: String, line: usize },
}

/// Methods that receive the class, not an instance, first: implicit classmethods, and `__new__`.
const CLASS_FIRST: &[&str] = &["__new__", "__init_subclass__", "__class_getitem__"];

fn is_class_method(checker: &Checker, function: &StmtFunctionDef) -> bool {
    CLASS_FIRST.contains(&function.name.as_str())
        || function.decorator_list.iter().any(|d| checker.resolves_to(&d.expression, "builtins.classmethod"))
}

fn is_static_method(checker: &Checker, function: &StmtFunctionDef) -> bool {
    function.decorator_list.iter().any(|d| checker.resolves_to(&d.expression, "builtins.staticmethod"))
}

fn methods<'a>(class: &'a StmtClassDef) -> impl Iterator<Item = &'a StmtFunctionDef> + 'a {
    class.body.iter().filter_map(|stmt| match stmt {
        Stmt::FunctionDef(function) => Some(function),
        _ => None,
    })
}

/// The methods of `class` that take the instance first (not static, class or `__new__`).
pub(crate) fn instance_methods<'a>(
    checker: &'a Checker,
    class: &'a StmtClassDef,
) -> impl Iterator<Item = &'a StmtFunctionDef> + 'a {
    methods(class).filter(|f| !is_class_method(checker, f) && !is_static_method(checker, f))
}

/// The first line where `<attr>` of `class` is used through the class rather than an instance:
/// `Cls.attr` anywhere, `cls.attr` in a classmethod (or `__new__`, `__init_subclass__`), or
/// `type(self).attr` / `self.__class__.attr` in a method. Such code treats it as shared on purpose.
pub(crate) fn class_level_use(
    checker: &Checker,
    class_scope: ScopeId,
    class: &StmtClassDef,
    attr: &str,
) -> Option<usize> {
    let model = checker.semantic();
    let line = |r: &crate::analysis::semantic::Reference| checker.source.line_number(r.range.start());
    let is_attr = |u: Use| matches!(u, Use::AttributeLoad(a) | Use::AttributeStore(a) if a == attr);
    // `Cls.attr`, through the binding the `class` statement makes.
    if let Some(def) = model.scope(class_scope).node {
        let holder = model.nodes.scope(def);
        let binding = model
            .bindings_of(holder, class.name.as_str())
            .find(|b| matches!(model.binding(*b).kind, BindingKind::ClassDef(c) if std::ptr::eq(c, class)));
        if let Some(found) = binding.and_then(|b| model.references(b).find(|r| is_attr(model.use_of(r)))) {
            return Some(line(found));
        }
    }
    for function in methods(class) {
        let Some(first) = function.parameters.iter().next() else { continue };
        let Some(scope) = model.function_scope(function) else { continue };
        let Some(me) =
            model.bindings_of(scope, first.name().as_str()).find(|b| model.binding(*b).parameter().is_some())
        else {
            continue;
        };
        let through_class = is_class_method(checker, function);
        for reference in model.references(me) {
            let how = model.use_of(reference);
            if through_class && is_attr(how) {
                return Some(line(reference));
            }
            // `type(self).attr`, `self.__class__.attr`.
            let outer = match how {
                Use::Argument { call } if checker.resolves_to(&call.func, "builtins.type") => {
                    model.parent_id(reference.node).and_then(|c| model.parent_id(c))
                }
                Use::AttributeLoad("__class__") => model.parent_id(reference.node).and_then(|a| model.parent_id(a)),
                _ => None,
            };
            if let Some(NodeRef::Expr(Expr::Attribute(a))) = outer.map(|o| model.node(o))
                && a.attr.as_str() == attr
            {
                return Some(line(reference));
            }
        }
    }
    None
}

/// Every change and rebinding of `<first parameter>.<attr>` in `methods`, in source order per
/// method.
pub(crate) fn attribute_events<'a>(
    checker: &Checker<'a>,
    methods: impl Iterator<Item = &'a StmtFunctionDef>,
    attr: &str,
) -> Vec<AttributeEvent> {
    let model = checker.semantic();
    let mut events = Vec::new();
    for function in methods {
        let Some(first) = function.parameters.iter().next() else { continue };
        let owner = first.name().as_str();
        let Some(scope) = model.function_scope(function) else { continue };
        let Some(me) = model.bindings_of(scope, owner).find(|b| model.binding(*b).parameter().is_some()) else {
            continue;
        };
        for reference in model.references(me) {
            let (Use::AttributeLoad(a) | Use::AttributeStore(a)) = model.use_of(reference) else { continue };
            if a != attr {
                continue;
            }
            let Some(attribute) = model.parent_id(reference.node) else { continue };
            let line = checker.source.line_number(reference.range.start());
            let method = function.name.to_string();
            let shown = format!("{owner}.{attr}");
            let changed = |text: String, argument_is_owner: bool| AttributeEvent::Changed {
                text,
                method: method.clone(),
                line,
                argument_is_owner,
            };
            let event = match model.use_of_node(attribute) {
                Use::MethodCall { method: name, call } if is_mutating_method(name) => {
                    let stores_owner =
                        call.arguments.args.iter().any(|arg| matches!(arg, Expr::Name(n) if n.id.as_str() == owner));
                    changed(format!("`{}`", checker.source.shown(call)), stores_owner)
                }
                Use::SubscriptStore => {
                    // `self.members[name] = self`: a registry of instances.
                    let stores_owner = model
                        .parent_id(attribute)
                        .and_then(|s| model.parent_id(s))
                        .is_some_and(|s| matches!(model.node(s), NodeRef::Stmt(Stmt::Assign(a)) if matches!(&*a.value, Expr::Name(n) if n.id.as_str() == owner)));
                    changed(format!("`{shown}[...] = ...`"), stores_owner)
                }
                Use::AugmentedAssignment => changed(format!("`{shown} += ...`"), false),
                _ => match model.parent_id(attribute).map(|p| model.node(p)) {
                    Some(NodeRef::Stmt(Stmt::Assign(_) | Stmt::AnnAssign(_))) if matches!(model.node(attribute), NodeRef::Expr(Expr::Attribute(a)) if a.ctx.is_store()) => {
                        AttributeEvent::Rebound { method, line }
                    }
                    _ => continue,
                },
            };
            events.push(event);
        }
    }
    events
}

/// The first in-place change among `events` (with `self.items = x` stored from a parameter,
/// `mutable-default-argument` wants exactly this).
pub(crate) fn first_change(events: &[AttributeEvent]) -> Option<&AttributeEvent> {
    events.iter().find(|e| matches!(e, AttributeEvent::Changed { .. }))
}

/// The first read that changes the object held in one slot of a container bound to `binding`:
/// "`grid[0][1] = ...` (line 4)", "`d[k].append(x)` (line 3)", `grid[i] += [x]`; and, when
/// `loop_values` (the container iterates over its slots, as a list does and a dict does not),
/// `row.append(x)` in `for row in grid`. Replacing a slot (`grid[0] = [...]`) is not such a change.
pub(crate) fn slot_change(checker: &Checker, binding: BindingId, loop_values: bool) -> Option<String> {
    let model = checker.semantic();
    let name = model.binding(binding).name;
    let line = |offset| checker.source.line_number(offset);
    for reference in model.references(binding) {
        let at = line(reference.range.start());
        match model.use_of(reference) {
            Use::SubscriptLoad(sub) => {
                let Some(slot) = subscript_node(checker, reference.node).filter(
                    |s| matches!(model.node(*s), NodeRef::Expr(Expr::Subscript(found)) if std::ptr::eq(found, sub)),
                ) else {
                    continue;
                };
                match model.use_of_node(slot) {
                    Use::MethodCall { method, call } if is_mutating_method(method) => {
                        return Some(format!("`{}` (line {at})", checker.source.shown(call)));
                    }
                    Use::SubscriptStore => return Some(format!("`{name}[...][...] = ...` (line {at})")),
                    Use::AttributeStore(attr) => return Some(format!("`{name}[...].{attr} = ...` (line {at})")),
                    Use::AugmentedAssignment => return Some(format!("`{name}[...] += ...` (line {at})")),
                    _ => {}
                }
            }
            // `grid[i] += [x]` extends the shared row in place (and stores it back).
            Use::SubscriptStore if is_augmented_target(checker, reference.node) => {
                return Some(format!("`{name}[...] += ...` (line {at})"));
            }
            Use::Iterated if loop_values => {
                if let Some(found) = loop_variable_change(checker, reference.node, name) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

/// The `x[i]` node whose value is the name read at `name_node`.
fn subscript_node(checker: &Checker, name_node: NodeId) -> Option<NodeId> {
    let parent = checker.semantic().parent_id(name_node)?;
    matches!(checker.semantic().node(parent), NodeRef::Expr(Expr::Subscript(_))).then_some(parent)
}

fn is_augmented_target(checker: &Checker, name_node: NodeId) -> bool {
    let model = checker.semantic();
    let Some(sub) = model.parent_id(name_node) else { return false };
    matches!(
        (model.node(sub), model.parent_id(sub).map(|s| model.node(s))),
        (NodeRef::Expr(target), Some(NodeRef::Stmt(Stmt::AugAssign(aug)))) if std::ptr::eq(target, &*aug.target)
    )
}

/// `for row in grid: row.append(x)` (the loop variable changes one shared row).
fn loop_variable_change(checker: &Checker, name_node: NodeId, name: &str) -> Option<String> {
    let model = checker.semantic();
    let NodeRef::Stmt(Stmt::For(for_stmt)) = model.node(model.parent_id(name_node)?) else { return None };
    let Expr::Name(target) = &*for_stmt.target else { return None };
    let row = model.nodes.binding(model.expr_id(&for_stmt.target)?)?;
    let (reference, how) = model.first_mutation(row, false)?;
    let at = checker.source.line_number(reference.range.start());
    let what = match how {
        Use::MethodCall { call, .. } => format!("`{}`", checker.source.shown(call)),
        _ => format!("a change to `{}`", target.id),
    };
    Some(format!("{what} (line {at}) in `for {} in {name}`", target.id))
}

/// The code at the checker's node expects the exception `error` (`TypeError`, `RuntimeError`):
/// it runs inside `with pytest.raises(...)` / `with self.assertRaises(...)`, as an argument of
/// `assertRaises(...)`, or in the body of a `try` whose handler catches `error` (or `Exception`).
/// Tests of the failure itself do this on purpose.
pub(crate) fn expects_error(checker: &Checker, error: &str) -> bool {
    let Some(node) = checker.node_id() else { return false };
    let model = checker.semantic();
    let at = model.node(node).range();
    for ancestor in checker.ancestors() {
        match ancestor {
            NodeRef::Stmt(Stmt::With(with))
                if with
                    .items
                    .iter()
                    .any(|item| matches!(&item.context_expr, Expr::Call(call) if is_raises(&call.func))) =>
            {
                return true;
            }
            NodeRef::Expr(Expr::Call(call)) if is_raises(&call.func) => return true,
            NodeRef::Stmt(Stmt::Try(try_stmt)) => {
                let in_body = try_stmt
                    .body
                    .first()
                    .zip(try_stmt.body.last())
                    .is_some_and(|(first, last)| first.start() <= at.start() && at.end() <= last.end());
                if in_body
                    && try_stmt.handlers.iter().any(|handler| {
                        let ruff_python_ast::ExceptHandler::ExceptHandler(handler) = handler;
                        handler.type_.as_deref().is_none_or(|t| catches(t, error))
                    })
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

fn is_raises(func: &Expr) -> bool {
    let last = match func {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    last == "raises" || last.starts_with("assertRaises")
}

fn catches(expr: &Expr, error: &str) -> bool {
    let name = match expr {
        Expr::Tuple(tuple) => return tuple.elts.iter().any(|e| catches(e, error)),
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    name == error || matches!(name, "Exception" | "BaseException")
}

/// A change, made through a container's name, to an object one of its slots holds.
#[derive(Clone, Debug)]
pub(crate) struct ElementChange<'a> {
    /// The read of the container's name that reaches the element.
    pub reference: Reference,
    /// Where the element is changed (the read that changes it).
    pub at: TextRange,
    /// The change as a message shows it: `b[k].append(x)`, `b[i][j] = ...`, `del b[i][j]`.
    pub shown: String,
    /// The slot read, `b[k]` in `b[k].append(x)`, when the element is reached that way.
    pub slot: Option<&'a ExprSubscript>,
    /// How the element was reached when the change does not start at the container's name:
    /// "in `for row in b`", "through `row = b[k]`".
    pub via: Option<String>,
}

/// The first read of `binding` in its own function (not in a nested function or lambda) that leads
/// to an in-place change of a container held in one of its slots: `b[k].append(x)` (a mutating
/// method), `b[i][j] = v`, `del b[i][j]`, `b[i][j] += v`, `b[k] += [x]` (a list or set operand:
/// `+=` on an int slot only replaces it), `b.get(k).append(x)`, `b.setdefault(k, []).append(x)`,
/// the same through a name (`row = b[k]`, then `row.append(x)`), through `for v in b.values()` /
/// `for k, v in b.items()`, and, when `iterates_slots` (iterating the container gives its slots, as
/// for a list), through `for row in b`. Unlike [`slot_change`], attribute stores (`b[i].name = v`)
/// do not count: objects held in a list are usually meant to be shared.
pub(crate) fn element_change<'a>(
    checker: &Checker<'a>,
    binding: BindingId,
    iterates_slots: bool,
) -> Option<ElementChange<'a>> {
    let model = checker.semantic();
    for reference in model.references(binding) {
        if model.is_captured(reference, binding) {
            continue;
        }
        let direct =
            |shown: String, slot| ElementChange { reference: *reference, at: reference.range, shown, slot, via: None };
        let change = match model.use_of(reference) {
            // `b[1:]` is a new list, not a slot.
            Use::SubscriptLoad(sub) if !sub.slice.is_slice_expr() => {
                let Some(slot) = subscript_node(checker, reference.node) else { continue };
                value_change(checker, slot).map(|(shown, at, via)| ElementChange {
                    reference: *reference,
                    at: at.unwrap_or(reference.range),
                    shown,
                    slot: Some(sub),
                    via,
                })
            }
            Use::SubscriptStore if is_augmented_target(checker, reference.node) => {
                let Some(stmt @ Stmt::AugAssign(aug)) = model.statement(reference.node) else { continue };
                let Expr::Subscript(sub) = &*aug.target else { continue };
                if !in_place_operand(checker, aug) {
                    continue;
                }
                shown_store(checker, stmt).map(|shown| direct(shown, Some(sub)))
            }
            Use::Iterated if iterates_slots => loop_change(checker, reference.node, false)
                .map(|(shown, at, via)| ElementChange { reference: *reference, at, shown, slot: None, via: Some(via) }),
            Use::MethodCall { method, .. } => {
                let Some(call) = model.parent_id(reference.node).and_then(|a| model.parent_id(a)) else { continue };
                match method {
                    "get" | "setdefault" => value_change(checker, call).map(|(shown, at, via)| ElementChange {
                        reference: *reference,
                        at: at.unwrap_or(reference.range),
                        shown,
                        slot: None,
                        via,
                    }),
                    "values" | "items" => loop_change(checker, call, method == "items").map(|(shown, at, via)| {
                        ElementChange { reference: *reference, at, shown, slot: None, via: Some(via) }
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        if change.is_some() {
            return change;
        }
    }
    None
}

/// The value at node `value` (a slot `b[k]`, a call `b.get(k)`) changed in place: directly
/// (`b[k].append(x)`, `b[k][j] = v`, `del b[k][j]`) or through the one name it is assigned to
/// (`row = b[k]`, then `row.append(x)`). With the change's position when it is not at `value`,
/// and how the name was bound.
fn value_change(checker: &Checker, value: NodeId) -> Option<(String, Option<TextRange>, Option<String>)> {
    let model = checker.semantic();
    match model.use_of_node(value) {
        Use::MethodCall { method, call } if is_mutating_method(method) => {
            Some((checker.source.shown(call).into_owned(), None, None))
        }
        Use::SubscriptStore => Some((shown_store(checker, model.statement(value)?)?, None, None)),
        Use::Stored { target: target @ Expr::Name(name) } => {
            let Stmt::Assign(assign) = model.statement(value)? else { return None };
            if assign.targets.len() != 1 || assign.value.range() != model.node(value).range() {
                return None;
            }
            let held = model.nodes.binding(model.expr_id(target)?)?;
            let (shown, at) = name_change(checker, held)?;
            Some((shown, Some(at), Some(format!("through `{} = {}`", name.id, checker.source.shown(&*assign.value)))))
        }
        _ => None,
    }
}

/// `for row in <iterable at node>`: the first change to `row` in the loop's function, with the
/// loop shown; `second` takes the second name of `for k, v in ...`.
fn loop_change(checker: &Checker, iterable: NodeId, second: bool) -> Option<(String, TextRange, String)> {
    let model = checker.semantic();
    let NodeRef::Stmt(Stmt::For(for_stmt)) = model.node(model.parent_id(iterable)?) else { return None };
    if for_stmt.iter.range() != model.node(iterable).range() {
        return None;
    }
    let target = match (&*for_stmt.target, second) {
        (name @ Expr::Name(_), false) => name,
        (Expr::Tuple(tuple), true) => match tuple.elts.as_slice() {
            [_, name @ Expr::Name(_)] => name,
            _ => return None,
        },
        _ => return None,
    };
    let row = model.nodes.binding(model.expr_id(target)?)?;
    let (shown, at) = name_change(checker, row)?;
    let via =
        format!("in `for {} in {}`", checker.source.shown(&*for_stmt.target), checker.source.shown(&*for_stmt.iter));
    Some((shown, at, via))
}

/// The first in-place change to a container through `binding`'s name, in its own function:
/// `row.append(x)`, `row[j] = v`, `del row[j]`, `row += [x]`.
fn name_change(checker: &Checker, binding: BindingId) -> Option<(String, TextRange)> {
    let model = checker.semantic();
    model.references(binding).filter(|r| !model.is_captured(r, binding)).find_map(|r| {
        let shown = match model.use_of(r) {
            Use::MethodCall { method, call } if is_mutating_method(method) => checker.source.shown(call).into_owned(),
            Use::SubscriptStore => shown_store(checker, model.statement(r.node)?)?,
            Use::AugmentedAssignment => match model.statement(r.node)? {
                stmt @ Stmt::AugAssign(aug) if in_place_operand(checker, aug) => shown_store(checker, stmt)?,
                _ => return None,
            },
            _ => return None,
        };
        Some((shown, r.range))
    })
}

/// `x += [1]`, `x |= {1}`: the operand says the target is a list or set, changed in place.
fn in_place_operand(checker: &Checker, aug: &StmtAugAssign) -> bool {
    matches!(checker.semantic().type_of_expr(&aug.value), Some(t) if t.is_mutable())
}

/// How a message shows a store: `x[i] = ...`, `x[i] += ...`, `del x[i]`.
fn shown_store(checker: &Checker, stmt: &Stmt) -> Option<String> {
    let shown = |e: &Expr| checker.source.shown(e).into_owned();
    Some(match stmt {
        Stmt::Assign(assign) => format!("{} = ...", shown(assign.targets.first()?)),
        Stmt::AugAssign(aug) => format!("{} {}= ...", shown(&aug.target), aug.op.as_str()),
        Stmt::Delete(delete) => format!("del {}", shown(delete.targets.first()?)),
        _ => return None,
    })
}
