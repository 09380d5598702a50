//! Checks that run on the finished model: every binding's reads are known here.

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::*;
use crate::analysis::semantic::{NodeId, ScopeId};

/// A node a rule deferred during the walk (`Checker::defer`); the checker stands at `node`.
pub(crate) fn deferred_node(checker: &mut Checker, rule: Rule, node: NodeId) {
    match rule {
        Rule::BareExcept => bare_except::check_try(checker),
        Rule::OpenWithoutWith => open_without_with::check_deferred(checker, node),
        _ => {}
    }
}

/// Each scope once, after the walk; the checker stands at the node that opened it.
pub(crate) fn deferred_scope(checker: &mut Checker, scope: ScopeId) {
    if checker.enabled(Rule::MutableDefaultArgument) {
        mutable_default_argument::check_scope(checker, scope);
    }
}

/// Once, after everything else.
pub(crate) fn module_end(checker: &mut Checker) {
    if checker.enabled(Rule::GetterSetterMethods) {
        getter_setter_methods::check_module(checker);
    }
}
