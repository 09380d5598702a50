use ruff_python_ast::Stmt;

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::helpers::defaults;
use crate::analysis::rules::*;

pub(crate) fn statement<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::FunctionDef(function)
            if checker.enabled(Rule::CallInDefaultArgument) && !defaults::is_exempt(checker, Some(function)) =>
        {
            for (parameter, default) in defaults::checked_defaults(checker, &function.parameters) {
                call_in_default_argument::check(checker, parameter, default, Some(function));
            }
        }
        Stmt::For(for_stmt) => {
            if checker.enabled(Rule::RangeLenLoop) {
                range_len_loop::check(checker, stmt, for_stmt);
            }
            if checker.enabled(Rule::YieldFromDelegation) {
                yield_from_delegation::check(checker, stmt, for_stmt);
            }
        }
        _ => {}
    }
}
