use ruff_python_ast::ExceptHandler;

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::*;

pub(crate) fn except_handler<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandler) {
    let ExceptHandler::ExceptHandler(handler) = handler;
    if checker.enabled(Rule::BareExcept) {
        bare_except::check(checker, handler);
    }
    if checker.enabled(Rule::SwallowedBroadException) {
        swallowed_broad_exception::check(checker, handler);
    }
}
