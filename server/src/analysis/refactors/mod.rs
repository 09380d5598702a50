//! Code actions offered where no red flag fires: rewrites a strong candidate might choose.

pub mod convert_to_dataclass;
pub mod convert_to_generator;
// catalogue wave 1: concepts
pub mod convert_to_match;
pub mod rename_second_binding;
pub mod switch_copy_depth;
pub mod use_assignment_expression;

use ruff_python_ast::{Expr, Stmt};
use ruff_text_size::TextRange;

use super::checker::Checker;
use super::finding::Fix;
use super::semantic::ScopeId;

/// Offers the refactors that start at `stmt` (only when an editor asked for them).
pub(crate) fn statement<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    if let Stmt::ClassDef(class) = stmt {
        convert_to_dataclass::check(checker, class);
    }
    // catalogue wave 1: concepts
    match stmt {
        Stmt::If(if_stmt) => {
            use_assignment_expression::check(checker, if_stmt);
            convert_to_match::check(checker, if_stmt);
        }
        Stmt::While(while_stmt) => use_assignment_expression::check_while(checker, while_stmt),
        _ => {}
    }
}

/// Offers the refactors that start at `expr`, once its names are resolved (only when an editor
/// asked for them).
pub(crate) fn expression<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    // catalogue wave 1: concepts
    if matches!(expr, Expr::Call(_) | Expr::Subscript(_)) {
        switch_copy_depth::check(checker, expr);
    }
}

/// Offers the refactors that need the finished model, once per scope after the walk (only when
/// an editor asked for them).
pub(crate) fn scope(checker: &mut Checker, scope: ScopeId) {
    if checker.editor_data {
        convert_to_generator::check_scope(checker, scope);
        // catalogue wave 1: concepts
        rename_second_binding::check_scope(checker, scope);
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refactor {
    /// Stable id for clients and tests, e.g. "convert-to-generator".
    pub id: &'static str,
    /// The card that explains the idea behind it.
    pub card: &'static str,
    /// Where the cursor must be for the refactor to be offered.
    pub range: TextRange,
    pub fix: Fix,
}
