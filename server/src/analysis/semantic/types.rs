//! The simple local type of a value: what a display, literal, builtin constructor or comparison
//! makes. Enough to tell `flag == True` on a `bool` from `column == True` on an object whose
//! `__eq__` builds a query.

use ruff_python_ast::{CmpOp, Expr, ExprName, Number, UnaryOp};

use super::binding::{BindingId, BindingKind};
use super::model::SemanticModel;
use super::qualified;

/// How far `x = y == z` chains are followed, and how many bindings of one name are compared.
const MAX_DEPTH: u8 = 4;
const MAX_BINDINGS: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpleType {
    List,
    Dict,
    Set,
    FrozenSet,
    Tuple,
    Str,
    Bytes,
    Int,
    Float,
    Complex,
    Bool,
    None,
}

impl SimpleType {
    /// Containers whose contents can change in place.
    pub fn is_mutable(self) -> bool {
        matches!(self, SimpleType::List | SimpleType::Dict | SimpleType::Set)
    }

    /// The Python name of the type, as a message shows it.
    pub fn name(self) -> &'static str {
        match self {
            SimpleType::List => "list",
            SimpleType::Dict => "dict",
            SimpleType::Set => "set",
            SimpleType::FrozenSet => "frozenset",
            SimpleType::Tuple => "tuple",
            SimpleType::Str => "str",
            SimpleType::Bytes => "bytes",
            SimpleType::Int => "int",
            SimpleType::Float => "float",
            SimpleType::Complex => "complex",
            SimpleType::Bool => "bool",
            SimpleType::None => "None",
        }
    }
}

impl<'a> SemanticModel<'a> {
    /// The type `expr` evaluates to, when its form alone says.
    pub fn type_of_expr(&self, expr: &'a Expr) -> Option<SimpleType> {
        self.type_of_expr_at(expr, 0)
    }

    fn type_of_expr_at(&self, expr: &'a Expr, depth: u8) -> Option<SimpleType> {
        if depth > MAX_DEPTH {
            return None;
        }
        let inner = |e: &'a Expr| self.type_of_expr_at(e, depth + 1);
        Some(match expr {
            Expr::List(_) | Expr::ListComp(_) => SimpleType::List,
            Expr::Dict(_) | Expr::DictComp(_) => SimpleType::Dict,
            Expr::Set(_) | Expr::SetComp(_) => SimpleType::Set,
            Expr::Tuple(_) => SimpleType::Tuple,
            Expr::StringLiteral(_) | Expr::FString(_) => SimpleType::Str,
            Expr::BytesLiteral(_) => SimpleType::Bytes,
            Expr::BooleanLiteral(_) => SimpleType::Bool,
            Expr::NoneLiteral(_) => SimpleType::None,
            Expr::NumberLiteral(n) => match n.value {
                Number::Int(_) => SimpleType::Int,
                Number::Float(_) => SimpleType::Float,
                Number::Complex { .. } => SimpleType::Complex,
            },
            Expr::UnaryOp(op) if op.op == UnaryOp::Not => SimpleType::Bool,
            // `is`, `in` and their negations always give a bool; `==` and `<` only for operands
            // whose type is known (NumPy and SQLAlchemy objects return other things).
            Expr::Compare(compare) => {
                let always_bool =
                    compare.ops.iter().all(|op| matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn));
                let known = std::iter::once(&*compare.left)
                    .chain(compare.comparators.iter())
                    .all(|e| inner(e).is_some_and(|t| t != SimpleType::None || always_bool));
                if always_bool || known {
                    SimpleType::Bool
                } else {
                    return None;
                }
            }
            Expr::BoolOp(op) => {
                let first = inner(op.values.first()?)?;
                if op.values.iter().all(|v| inner(v) == Some(first)) {
                    first
                } else {
                    return None;
                }
            }
            Expr::Call(call) => {
                let name = self.resolve_qualified_name(&call.func)?;
                let segments = name.segments();
                if segments.len() != 2 || segments[0] != "builtins" {
                    return None;
                }
                match segments[1] {
                    "list" => SimpleType::List,
                    "dict" => SimpleType::Dict,
                    "set" => SimpleType::Set,
                    "frozenset" => SimpleType::FrozenSet,
                    "tuple" => SimpleType::Tuple,
                    "str" | "repr" | "chr" | "format" | "ascii" => SimpleType::Str,
                    "bytes" => SimpleType::Bytes,
                    "int" | "len" | "ord" | "hash" | "id" => SimpleType::Int,
                    "float" => SimpleType::Float,
                    "bool" | "isinstance" | "issubclass" | "callable" | "hasattr" => SimpleType::Bool,
                    _ => return None,
                }
            }
            Expr::Name(name) => return self.type_of_name_at(name, depth + 1),
            _ => return None,
        })
    }

    /// The type a binding gives its name: from the value it binds (`x = []`) or the annotation
    /// it declares (`flag: bool`).
    pub fn type_of_binding(&self, id: BindingId) -> Option<SimpleType> {
        self.type_of_binding_at(id, 0)
    }

    fn type_of_binding_at(&self, id: BindingId, depth: u8) -> Option<SimpleType> {
        let binding = self.binding(id);
        match binding.kind {
            BindingKind::Assignment | BindingKind::NamedExpr | BindingKind::AnnotatedAssignment
                if !binding.is_unpacked() =>
            {
                if let Some(annotation) = binding.annotation
                    && let Some(t) = self.type_of_annotation(annotation)
                {
                    return Some(t);
                }
                self.type_of_expr_at(binding.value?, depth + 1)
            }
            BindingKind::Parameter(_) => self.type_of_annotation(binding.annotation?),
            _ => None,
        }
    }

    /// The type a `Name` holds where it is read, when every binding of the name in that scope
    /// agrees (so a rebinding elsewhere in a loop cannot make the answer wrong).
    pub fn type_of_name(&self, name: &ExprName) -> Option<SimpleType> {
        self.type_of_name_at(name, 0)
    }

    fn type_of_name_at(&self, name: &ExprName, depth: u8) -> Option<SimpleType> {
        if depth > MAX_DEPTH {
            return None;
        }
        let binding = self.resolve_name(name)?;
        let scope = self.binding(binding).scope;
        let first = self.type_of_binding_at(binding, depth + 1)?;
        let mut others = self.bindings_of(scope, name.id.as_str()).filter(|b| *b != binding);
        // Many rebindings: give up rather than follow each (the walk must stay linear).
        let agree = others.by_ref().take(MAX_BINDINGS).all(|b| self.type_of_binding_at(b, depth + 1) == Some(first));
        (agree && others.next().is_none()).then_some(first)
    }

    /// `bool`, `list[int]`, `dict`, `str`... as an annotation (a promise, not a proof).
    pub fn type_of_annotation(&self, annotation: &'a Expr) -> Option<SimpleType> {
        let base = match annotation {
            Expr::Subscript(sub) => &*sub.value,
            other => other,
        };
        let name = self.resolve_qualified_name(base)?;
        Some(
            match qualified::which(
                &name,
                &[
                    "builtins.bool",
                    "builtins.list",
                    "typing.List",
                    "builtins.dict",
                    "typing.Dict",
                    "builtins.set",
                    "typing.Set",
                    "builtins.str",
                    "builtins.bytes",
                    "builtins.int",
                    "builtins.float",
                    "builtins.tuple",
                    "typing.Tuple",
                    "builtins.frozenset",
                ],
            )? {
                "builtins.bool" => SimpleType::Bool,
                "builtins.list" | "typing.List" => SimpleType::List,
                "builtins.dict" | "typing.Dict" => SimpleType::Dict,
                "builtins.set" | "typing.Set" => SimpleType::Set,
                "builtins.str" => SimpleType::Str,
                "builtins.bytes" => SimpleType::Bytes,
                "builtins.int" => SimpleType::Int,
                "builtins.float" => SimpleType::Float,
                "builtins.frozenset" => SimpleType::FrozenSet,
                _ => SimpleType::Tuple,
            },
        )
    }
}
