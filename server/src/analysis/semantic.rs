//! Scopes and bindings, enough to resolve a name or attribute chain to what it was imported as.
//!
//! `import time as t; t.sleep(1)` resolves to `time.sleep`; a local `def sleep` shadows
//! `from time import sleep`; names never bound resolve to `builtins.<name>` when they are builtins.

use rustc_hash::FxHashMap as HashMap;

use ruff_python_ast::{Expr, StmtClassDef, StmtFunctionDef};

pub type ScopeId = usize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function { is_async: bool },
    Lambda,
    Comprehension,
}

#[derive(Clone, Debug)]
pub enum Binding<'a> {
    /// `import a.b` binds `a` to "a"; `import a.b as c` binds `c` to "a.b".
    Import(String),
    /// `from m import x as y` binds `y` to "m.x".
    FromImport(String),
    Assignment(Option<&'a Expr>),
    Parameter(Option<&'a Expr>),
    Function(&'a StmtFunctionDef),
    Class(&'a StmtClassDef),
    /// `global x`: look the name up in the module scope instead.
    Global,
    /// Bound some other way (for/with/except targets, `nonlocal`, walrus, patterns).
    Other,
}

pub struct Scope<'a> {
    pub kind: ScopeKind,
    pub parent: Option<ScopeId>,
    bindings: HashMap<&'a str, Binding<'a>>,
}

#[derive(Default)]
pub struct Semantic<'a> {
    scopes: Vec<Scope<'a>>,
}

impl<'a> Semantic<'a> {
    pub fn new() -> Self {
        Semantic { scopes: vec![Scope { kind: ScopeKind::Module, parent: None, bindings: HashMap::default() }] }
    }

    pub const MODULE: ScopeId = 0;

    pub fn push_scope(&mut self, kind: ScopeKind, parent: ScopeId) -> ScopeId {
        self.scopes.push(Scope { kind, parent: Some(parent), bindings: HashMap::default() });
        self.scopes.len() - 1
    }

    pub fn scope(&self, id: ScopeId) -> &Scope<'a> {
        &self.scopes[id]
    }

    pub fn bind(&mut self, scope: ScopeId, name: &'a str, binding: Binding<'a>) {
        let bindings = &mut self.scopes[scope].bindings;
        // `global x` / `nonlocal x` then `x = ...` keeps the redirect.
        if let Some(Binding::Global) = bindings.get(name) {
            return;
        }
        bindings.insert(name, binding);
    }

    /// The binding `name` refers to when read in `scope`, following Python's LEGB rule
    /// (class bodies are not visible from the functions nested in them).
    pub fn lookup(&self, scope: ScopeId, name: &str) -> Option<&Binding<'a>> {
        let mut current = Some(scope);
        let mut first = true;
        while let Some(id) = current {
            let s = &self.scopes[id];
            if first || s.kind != ScopeKind::Class {
                match s.bindings.get(name) {
                    Some(Binding::Global) => return self.scopes[Self::MODULE].bindings.get(name),
                    Some(binding) => return Some(binding),
                    None => {}
                }
            }
            first = false;
            current = s.parent;
        }
        None
    }

    /// The dotted name an expression refers to: `t.sleep` -> "time.sleep", `open` -> "builtins.open".
    pub fn resolve(&self, scope: ScopeId, expr: &Expr) -> Option<String> {
        match expr {
            Expr::Name(name) => {
                let id = name.id.as_str();
                match self.lookup(scope, id) {
                    Some(Binding::Import(path) | Binding::FromImport(path)) => Some(path.clone()),
                    Some(_) => None,
                    None if is_builtin(id) => Some(format!("builtins.{id}")),
                    None => None,
                }
            }
            Expr::Attribute(attr) => {
                let mut base = self.resolve(scope, &attr.value)?;
                if base.starts_with("builtins.") {
                    return None;
                }
                base.push('.');
                base.push_str(attr.attr.as_str());
                Some(base)
            }
            _ => None,
        }
    }

    /// The name a module or member is already imported under in the module scope, if any:
    /// used by fixes to reuse `import functools as ft` or `from functools import wraps as w`.
    pub fn module_alias_for(&self, qualified: &str) -> Option<&'a str> {
        self.scopes[Self::MODULE].bindings.iter().find_map(|(name, binding)| match binding {
            Binding::Import(path) | Binding::FromImport(path) if path == qualified => Some(*name),
            _ => None,
        })
    }
}

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.binary_search(&name).is_ok()
}

/// Sorted for binary search.
const BUILTINS: &[&str] = &[
    "ArithmeticError",
    "AssertionError",
    "AttributeError",
    "BaseException",
    "BaseExceptionGroup",
    "BlockingIOError",
    "BrokenPipeError",
    "BufferError",
    "BytesWarning",
    "ChildProcessError",
    "ConnectionAbortedError",
    "ConnectionError",
    "ConnectionRefusedError",
    "ConnectionResetError",
    "DeprecationWarning",
    "EOFError",
    "Ellipsis",
    "EncodingWarning",
    "EnvironmentError",
    "Exception",
    "ExceptionGroup",
    "False",
    "FileExistsError",
    "FileNotFoundError",
    "FloatingPointError",
    "FutureWarning",
    "GeneratorExit",
    "IOError",
    "ImportError",
    "ImportWarning",
    "IndentationError",
    "IndexError",
    "InterruptedError",
    "IsADirectoryError",
    "KeyError",
    "KeyboardInterrupt",
    "LookupError",
    "MemoryError",
    "ModuleNotFoundError",
    "NameError",
    "None",
    "NotADirectoryError",
    "NotImplemented",
    "NotImplementedError",
    "OSError",
    "OverflowError",
    "PendingDeprecationWarning",
    "PermissionError",
    "ProcessLookupError",
    "RecursionError",
    "ReferenceError",
    "ResourceWarning",
    "RuntimeError",
    "RuntimeWarning",
    "StopAsyncIteration",
    "StopIteration",
    "SyntaxError",
    "SyntaxWarning",
    "SystemError",
    "SystemExit",
    "TabError",
    "TimeoutError",
    "True",
    "TypeError",
    "UnboundLocalError",
    "UnicodeDecodeError",
    "UnicodeEncodeError",
    "UnicodeError",
    "UnicodeTranslateError",
    "UnicodeWarning",
    "UserWarning",
    "ValueError",
    "Warning",
    "ZeroDivisionError",
    "__build_class__",
    "__debug__",
    "__import__",
    "abs",
    "aiter",
    "all",
    "anext",
    "any",
    "ascii",
    "bin",
    "bool",
    "breakpoint",
    "bytearray",
    "bytes",
    "callable",
    "chr",
    "classmethod",
    "compile",
    "complex",
    "copyright",
    "credits",
    "delattr",
    "dict",
    "dir",
    "divmod",
    "enumerate",
    "eval",
    "exec",
    "exit",
    "filter",
    "float",
    "format",
    "frozenset",
    "getattr",
    "globals",
    "hasattr",
    "hash",
    "help",
    "hex",
    "id",
    "input",
    "int",
    "isinstance",
    "issubclass",
    "iter",
    "len",
    "license",
    "list",
    "locals",
    "map",
    "max",
    "memoryview",
    "min",
    "next",
    "object",
    "oct",
    "open",
    "ord",
    "pow",
    "print",
    "property",
    "quit",
    "range",
    "repr",
    "reversed",
    "round",
    "set",
    "setattr",
    "slice",
    "sorted",
    "staticmethod",
    "str",
    "sum",
    "super",
    "tuple",
    "type",
    "vars",
    "zip",
];

#[cfg(test)]
mod tests {
    #[test]
    fn builtins_sorted() {
        let mut sorted = super::BUILTINS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, super::BUILTINS);
    }
}
