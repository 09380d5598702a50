//! "Convert function to generator": a function that only builds a list with appends and returns
//! it becomes a generator that yields each item. Unsafe: callers that index, take `len()` of, or
//! iterate the result twice change behaviour.

use ruff_python_ast::StmtFunctionDef;

use crate::analysis::checker::Checker;

pub(crate) fn check(_checker: &mut Checker, _function: &StmtFunctionDef) {}
