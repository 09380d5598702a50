use ruff_python_ast::Stmt;

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::*;

/// A block of statements, before any of them is walked.
pub(crate) fn suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {
    if checker.enabled(Rule::ManualListComprehension) {
        manual_list_comprehension::check_suite(checker, body);
    }
    if checker.enabled(Rule::StringConcatInLoop) {
        string_concat_in_loop::check_suite(checker, body);
    }
}
