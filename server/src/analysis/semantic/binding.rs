//! Bindings: one per place a name is bound, with what bound it. Rebinding a name makes a new
//! binding that shadows the old one, so `x = []` and a later `x = ""` are two facts, not one.

use ruff_python_ast::name::QualifiedName;
use ruff_python_ast::{Expr, Parameter, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::nodes::NodeId;
use super::scope::ScopeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BindingId(u32);

impl BindingId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn new(index: usize) -> Self {
        BindingId(u32::try_from(index).expect("fewer than 2^32 bindings"))
    }
}

/// Import names are boxed: a `QualifiedName` holds eight segments inline, and every binding would
/// carry that size otherwise.
#[derive(Clone, Debug)]
pub enum BindingKind<'a> {
    /// `import a` binds `a` to `a`; `import a.b as c` binds `c` to `a.b`.
    Import(Box<QualifiedName<'a>>),
    /// `import a.b.c` binds `a`, and makes `a.b.c` reachable through it.
    SubmoduleImport(Box<QualifiedName<'a>>),
    /// `from a.b import c as d` binds `d` to `a.b.c`; relative imports start with `.` segments.
    FromImport(Box<QualifiedName<'a>>),
    /// `x = ...`, also each name of an unpacking target (see [`Binding::is_unpacked`]).
    Assignment,
    /// `x: T = ...`
    AnnotatedAssignment,
    /// `x: T` without a value: declares, does not bind a value.
    Annotation,
    /// `x += ...`: reads `x`, then rebinds it.
    AugmentedAssignment,
    /// `for x in ...` / `async for`.
    LoopVar,
    /// `with ... as x`.
    WithItemVar,
    /// `(x := ...)`.
    NamedExpr,
    /// `for x in` inside a comprehension.
    ComprehensionVar,
    /// A capture in a `case` pattern: `case x:`, `case [*rest]`, `case {**rest}`, `case P() as x`.
    MatchCapture,
    /// `except E as x`; the name is unbound again after the handler.
    ExceptHandler,
    Parameter(&'a Parameter),
    FunctionDef(&'a StmtFunctionDef),
    ClassDef(&'a StmtClassDef),
    /// `type X = ...` (PEP 695).
    TypeAlias,
    /// `def f[T]()`.
    TypeParam,
    /// `del x`: from here on the name is unbound.
    Deletion,
}

bitflags::bitflags! {
    /// Facts about how a binding came about.
    #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
    pub struct BindingFlags: u8 {
        /// One name of an unpacking target: `a, b = pair`, `for k, v in items`.
        const UNPACKED = 1 << 0;
        /// Bound in a function through `global x` (the binding lives in the module scope).
        const GLOBAL = 1 << 1;
        /// Bound through `nonlocal x` (the binding lives in an enclosing function's scope).
        const NONLOCAL = 1 << 2;
        /// Bound inside an `except` handler.
        const IN_EXCEPT_HANDLER = 1 << 3;
    }
}

#[derive(Clone, Debug)]
pub struct Binding<'a> {
    pub kind: BindingKind<'a>,
    pub name: &'a str,
    /// The bound name's range (the identifier, or the whole import alias).
    pub range: TextRange,
    /// The scope the binding belongs to (the module for `global` names).
    pub scope: ScopeId,
    /// The scope whose code made the binding (differs from `scope` for `global`/`nonlocal`).
    pub bound_in: ScopeId,
    /// The statement (or walrus / comprehension) that binds it.
    pub source: Option<NodeId>,
    /// The `Name` node that is bound, when there is one (not for imports, `def`, `class`).
    pub node: Option<NodeId>,
    /// The value the name is bound to, when the name is the whole target: `x = v`, `x: T = v`,
    /// `(x := v)`, `with v as x`. `None` for unpacking, loops, parameters and the like.
    pub value: Option<&'a Expr>,
    /// The annotation of a parameter or an annotated assignment.
    pub annotation: Option<&'a Expr>,
    /// The binding of the same name in the same scope that this one shadows.
    pub shadowed: Option<BindingId>,
    pub flags: BindingFlags,
    /// Index range of this binding's references (filled in when the walk is complete).
    pub(crate) references: (u32, u32),
}

impl<'a> Binding<'a> {
    pub fn is_unpacked(&self) -> bool {
        self.flags.contains(BindingFlags::UNPACKED)
    }

    /// Imports of any form.
    pub fn is_import(&self) -> bool {
        matches!(self.kind, BindingKind::Import(_) | BindingKind::SubmoduleImport(_) | BindingKind::FromImport(_))
    }

    /// The name does not hold a value after this binding (`del x`, a bare annotation).
    pub fn is_unbound(&self) -> bool {
        matches!(self.kind, BindingKind::Deletion | BindingKind::Annotation)
    }

    /// What the name was imported as, for every import form.
    pub fn import_name(&self) -> Option<&QualifiedName<'a>> {
        match &self.kind {
            BindingKind::Import(name) | BindingKind::SubmoduleImport(name) | BindingKind::FromImport(name) => {
                Some(&**name)
            }
            _ => None,
        }
    }

    /// Is the name bound to what `qualified` (`"json"`, `"functools.wraps"`) names? `import os.path`
    /// binds `os` to the module `os`.
    pub fn is_import_of(&self, qualified: &str) -> bool {
        match &self.kind {
            BindingKind::Import(name) | BindingKind::FromImport(name) => super::qualified::is(name, qualified),
            BindingKind::SubmoduleImport(name) => name.segments().first() == Some(&qualified),
            _ => false,
        }
    }

    pub fn parameter(&self) -> Option<&'a Parameter> {
        match self.kind {
            BindingKind::Parameter(p) => Some(p),
            _ => None,
        }
    }
}

impl Ranged for Binding<'_> {
    fn range(&self) -> TextRange {
        self.range
    }
}

impl<'a> super::model::SemanticModel<'a> {
    /// The value an assignment gives the name: the whole value (`x = v`), or, for one name of a
    /// tuple assigned to a tuple of the same length (`n, out = 0, []`), the element at its place.
    /// `None` for other unpacking (`a, b = pair`), starred targets, and other kinds of binding.
    pub fn assigned_value(&self, id: BindingId) -> Option<&'a Expr> {
        let binding = self.binding(id);
        if !matches!(binding.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment | BindingKind::NamedExpr)
        {
            return None;
        }
        if !binding.is_unpacked() {
            return binding.value;
        }
        let ruff_python_ast::Stmt::Assign(assign) = self.node(binding.source?).as_stmt()? else { return None };
        let ([Expr::Tuple(targets)], Expr::Tuple(values)) = (assign.targets.as_slice(), &*assign.value) else {
            return None;
        };
        if targets.elts.len() != values.elts.len() || targets.elts.iter().chain(&values.elts).any(Expr::is_starred_expr)
        {
            return None;
        }
        let position = targets.elts.iter().position(|t| matches!(t, Expr::Name(n) if n.range == binding.range))?;
        values.elts.get(position)
    }
}
