//! What a read does with the object it reads: calls a method on it, stores it elsewhere, returns
//! it, passes it on... The facts behind "is this binding mutated" and "does it escape".

use ruff_python_ast::{Expr, ExprCall, ExprContext, ExprSubscript, Stmt};
use ruff_text_size::{Ranged, TextSize};

use super::binding::BindingId;
use super::model::SemanticModel;
use super::nodes::{NodeId, NodeRef};
use super::reference::Reference;

#[derive(Clone, Copy, Debug)]
pub enum Use<'a> {
    /// `x.method(...)`.
    MethodCall { method: &'a str, call: &'a ExprCall },
    /// `x.attr` read, not called.
    AttributeLoad(&'a str),
    /// `x.attr = v`, `x.attr += v`, `del x.attr`.
    AttributeStore(&'a str),
    /// `x[k]` read.
    SubscriptLoad(&'a ExprSubscript),
    /// `x[k] = v`, `x[k] += v`, `del x[k]`.
    SubscriptStore,
    /// `x += v` on the name itself: in place for mutable objects, then rebinds `x`.
    AugmentedAssignment,
    /// `x(...)`.
    Called(&'a ExprCall),
    /// `f(x)`, `f(*x)`, `f(key=x)`: `call` receives the object.
    Argument { call: &'a ExprCall },
    /// `return x` (also inside a returned tuple or list).
    Returned,
    /// `yield x`.
    Yielded,
    /// `y = x`, `self.a = x`, `d[k] = x`, `(y := x)`, `for y in (x,)`: another name or place
    /// holds the object now. `target` is the first target.
    Stored { target: &'a Expr },
    /// `for _ in x`, a comprehension's iterable, `yield from x`.
    Iterated,
    /// `[*x]`, `{*x}`, `{**x}`: the items are copied into a new display.
    Unpacked,
    /// `with x:` / `with x as y:`.
    WithItem,
    /// `raise x`.
    Raised,
    /// `del x`.
    Deleted,
    /// Anything else: an operand, a test, a formatted value, an `await`...
    Read,
}

impl Use<'_> {
    /// The object leaves the reach of the code that made it: returned, yielded, stored, passed on.
    pub fn escapes(self) -> bool {
        matches!(self, Use::Returned | Use::Yielded | Use::Stored { .. } | Use::Argument { .. } | Use::Raised)
    }
}

/// How an object leaves the code that holds it.
#[derive(Clone, Copy, Debug)]
pub enum Escape<'a> {
    /// A nested function or lambda reads it, and may run after this call returns.
    Captured,
    /// Returned, yielded, stored, passed on or raised (see [`Use::escapes`]).
    Via(Use<'a>),
}

/// Methods that change a list, dict, set, bytearray or deque in place.
pub const MUTATING_METHODS: &[&str] = &[
    "__delitem__",
    "__iadd__",
    "__setitem__",
    "add",
    "append",
    "appendleft",
    "clear",
    "difference_update",
    "discard",
    "extend",
    "extendleft",
    "insert",
    "intersection_update",
    "move_to_end",
    "pop",
    "popitem",
    "popleft",
    "remove",
    "reverse",
    "rotate",
    "setdefault",
    "sort",
    "symmetric_difference_update",
    "update",
];

/// Builtins that only read their arguments (sorted for binary search).
const READ_ONLY_BUILTINS: &[&str] = &[
    "abs",
    "all",
    "any",
    "ascii",
    "bool",
    "bytes",
    "callable",
    "chr",
    "divmod",
    "enumerate",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "hasattr",
    "hash",
    "id",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "list",
    "map",
    "max",
    "min",
    "next",
    "ord",
    "print",
    "repr",
    "reversed",
    "round",
    "set",
    "sorted",
    "str",
    "sum",
    "tuple",
    "type",
    "zip",
];

pub fn is_mutating_method(name: &str) -> bool {
    MUTATING_METHODS.binary_search(&name).is_ok()
}

impl<'a> SemanticModel<'a> {
    /// How the `Name` read by `reference` is used by the code around it.
    pub fn use_of(&self, reference: &Reference) -> Use<'a> {
        self.use_of_node(reference.node)
    }

    /// How the value of expression node `id` is used. Displays, starred items, conditional
    /// branches and `or`/`and` operands are looked through: `return (x, 1)` returns `x`.
    pub fn use_of_node(&self, id: NodeId) -> Use<'a> {
        let mut child = id;
        for _ in 0..64 {
            let Some(parent_id) = self.parent_id(child) else { return Use::Read };
            let NodeRef::Expr(child_expr) = self.node(child) else { return Use::Read };
            match self.node(parent_id) {
                NodeRef::Expr(parent) => match parent {
                    Expr::Attribute(attr) if is(&attr.value, child_expr) => {
                        return match attr.ctx {
                            ExprContext::Store | ExprContext::Del => Use::AttributeStore(attr.attr.as_str()),
                            _ => match self.parent_id(parent_id).map(|p| self.node(p)) {
                                Some(NodeRef::Expr(Expr::Call(call))) if is(&call.func, parent) => {
                                    Use::MethodCall { method: attr.attr.as_str(), call }
                                }
                                Some(NodeRef::Stmt(Stmt::AugAssign(aug))) if is(&aug.target, parent) => {
                                    Use::AttributeStore(attr.attr.as_str())
                                }
                                _ => Use::AttributeLoad(attr.attr.as_str()),
                            },
                        };
                    }
                    Expr::Subscript(sub) if is(&sub.value, child_expr) => {
                        return match sub.ctx {
                            ExprContext::Store | ExprContext::Del => Use::SubscriptStore,
                            _ => match self.parent_id(parent_id).map(|p| self.node(p)) {
                                Some(NodeRef::Stmt(Stmt::AugAssign(aug))) if is(&aug.target, parent) => {
                                    Use::SubscriptStore
                                }
                                _ => Use::SubscriptLoad(sub),
                            },
                        };
                    }
                    Expr::Call(call) => {
                        return if is(&call.func, child_expr) { Use::Called(call) } else { Use::Argument { call } };
                    }
                    Expr::Starred(starred) if is(&starred.value, child_expr) => {
                        // `f(*x)` passes x's items on; `[*x]` copies them.
                        match self.parent_id(parent_id).map(|p| self.node(p)) {
                            Some(NodeRef::Expr(Expr::Call(call))) => return Use::Argument { call },
                            _ => return Use::Unpacked,
                        }
                    }
                    // `{**x}` copies x's items into a new dict.
                    Expr::Dict(dict) if dict.items.iter().any(|i| i.key.is_none() && is(&i.value, child_expr)) => {
                        return Use::Unpacked;
                    }
                    Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) => {
                        if child_expr_is_store(child_expr) {
                            return Use::Read;
                        }
                        child = parent_id;
                    }
                    Expr::If(if_expr) if !is(&if_expr.test, child_expr) => child = parent_id,
                    Expr::BoolOp(_) => child = parent_id,
                    Expr::Named(named) if is(&named.value, child_expr) => {
                        return Use::Stored { target: &named.target };
                    }
                    Expr::Yield(_) => return Use::Yielded,
                    Expr::YieldFrom(_) => return Use::Iterated,
                    Expr::Generator(g) if g.generators.first().is_some_and(|c| is(&c.iter, child_expr)) => {
                        return Use::Iterated;
                    }
                    Expr::ListComp(g) if g.generators.first().is_some_and(|c| is(&c.iter, child_expr)) => {
                        return Use::Iterated;
                    }
                    Expr::SetComp(g) if g.generators.first().is_some_and(|c| is(&c.iter, child_expr)) => {
                        return Use::Iterated;
                    }
                    Expr::DictComp(g) if g.generators.first().is_some_and(|c| is(&c.iter, child_expr)) => {
                        return Use::Iterated;
                    }
                    _ => return Use::Read,
                },
                NodeRef::Stmt(stmt) => {
                    return match stmt {
                        Stmt::Return(_) => Use::Returned,
                        Stmt::Assign(assign) if is(&assign.value, child_expr) => {
                            Use::Stored { target: assign.targets.first().map_or(child_expr, |t| t) }
                        }
                        Stmt::AnnAssign(assign) if assign.value.as_deref().is_some_and(|v| is(v, child_expr)) => {
                            Use::Stored { target: &assign.target }
                        }
                        Stmt::AugAssign(aug) if is(&aug.target, child_expr) => Use::AugmentedAssignment,
                        Stmt::AugAssign(aug) if is(&aug.value, child_expr) => match &*aug.target {
                            // `total += x` copies a number; `items += x` on a list extends with x's items.
                            Expr::Name(_) => Use::Read,
                            target => Use::Stored { target },
                        },
                        Stmt::For(for_stmt) if is(&for_stmt.iter, child_expr) => {
                            if child == id {
                                Use::Iterated
                            } else {
                                // `for y in (x, z)`: `y` is `x` for one iteration.
                                Use::Stored { target: &for_stmt.target }
                            }
                        }
                        Stmt::With(with) if with.items.iter().any(|i| is(&i.context_expr, child_expr)) => Use::WithItem,
                        Stmt::Raise(_) => Use::Raised,
                        Stmt::Delete(_) => Use::Deleted,
                        _ => Use::Read,
                    };
                }
            }
        }
        Use::Read
    }

    /// Is the read inside a function or lambda nested in the scope that owns the binding?
    pub fn is_captured(&self, reference: &Reference, binding: BindingId) -> bool {
        let owner = self.binding(binding).scope;
        self.scope_chain(reference.scope).take_while(|s| *s != owner).any(|s| self.scope(s).kind.is_function_like())
    }

    /// The first read that changes the object in place: a mutating method (any method when
    /// `any_method`), an item or attribute store, `+=`. `None` when no read does.
    pub fn first_mutation(&self, binding: BindingId, any_method: bool) -> Option<(&Reference, Use<'a>)> {
        self.references(binding).map(|r| (r, self.use_of(r))).find(|(_, u)| match u {
            Use::MethodCall { method, .. } => any_method || is_mutating_method(method),
            Use::AttributeStore(_) | Use::SubscriptStore | Use::AugmentedAssignment => true,
            _ => false,
        })
    }

    /// The first read that hands the object to other code (see [`Use::escapes`]; builtins that
    /// only read their argument, like `len` or `sorted`, do not count), or captures it in a closure.
    pub fn first_escape(&self, binding: BindingId) -> Option<(&Reference, Escape<'a>)> {
        self.references(binding).find_map(|r| {
            if self.is_captured(r, binding) {
                return Some((r, Escape::Captured));
            }
            match self.use_of(r) {
                Use::Argument { call } if self.is_read_only_call(call) => None,
                u if u.escapes() => Some((r, Escape::Via(u))),
                _ => None,
            }
        })
    }

    /// A call to a builtin that reads its arguments and keeps no reference to them once it
    /// returns (or returns only an iterator over them).
    pub fn is_read_only_call(&self, call: &ExprCall) -> bool {
        let Expr::Name(name) = &*call.func else { return false };
        READ_ONLY_BUILTINS.binary_search(&name.id.as_str()).is_ok()
            && self.resolve_name(name).is_none()
            && super::builtins::is_builtin(name.id.as_str())
    }

    /// Is `binding` read anywhere after `offset` in the text?
    pub fn is_read_after(&self, binding: BindingId, offset: TextSize) -> bool {
        self.references(binding).any(|r| r.start() >= offset)
    }
}

fn is(a: &Expr, b: &Expr) -> bool {
    std::ptr::eq(a, b)
}

/// `a, b = ...` targets are stores, not reads of a display.
fn child_expr_is_store(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(n) if n.ctx != ExprContext::Load)
}

#[cfg(test)]
mod tests {
    #[test]
    fn tables_sorted() {
        for table in [super::MUTATING_METHODS, super::READ_ONLY_BUILTINS] {
            let mut sorted = table.to_vec();
            sorted.sort_unstable();
            assert_eq!(sorted, table);
        }
    }
}
