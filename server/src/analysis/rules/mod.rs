//! Dispatch from the walk to the rules, by node kind. One file per rule.

pub mod bare_except;
pub mod blocking_call_in_async;
pub mod blocking_file_io_in_async;
pub mod blocking_http_in_async;
pub mod blocking_sleep_in_async;
pub mod blocking_subprocess_in_async;
pub mod call_in_default_argument;
pub mod decorator_missing_wraps;
pub mod eq_comparison_to_singleton;
pub mod getter_setter_methods;
pub mod is_vs_eq_literal;
pub mod late_binding_closure;
pub mod list_comprehension_in_call;
pub mod list_multiplication_aliasing;
pub mod lru_cache_on_method;
pub mod manual_list_comprehension;
pub mod mutable_default_argument;
pub mod open_without_with;
pub mod pickle_untrusted;
pub mod range_len_loop;
pub mod string_concat_in_loop;
pub mod swallowed_broad_exception;
pub mod type_equality_check;
pub mod yield_from_delegation;

#[cfg(test)]
pub(crate) mod test_support;

use ruff_python_ast::{ExceptHandler, Expr, Stmt};

use super::checker::Checker;
use super::refactors;
use super::rule::Rule;

pub(crate) fn stmt<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::FunctionDef(function) => {
            if checker.any_enabled(&[Rule::MutableDefaultArgument, Rule::CallInDefaultArgument]) {
                mutable_default_argument::check_parameters(checker, &function.parameters, Some(function));
            }
            if checker.enabled(Rule::LateBindingClosure) {
                late_binding_closure::check_function(checker, stmt, function);
            }
            if checker.enabled(Rule::DecoratorMissingWraps) {
                decorator_missing_wraps::check(checker, function);
            }
            if checker.enabled(Rule::LruCacheOnMethod) {
                lru_cache_on_method::check(checker, function);
            }
            if checker.editor_data {
                refactors::convert_to_generator::check(checker, function);
            }
        }
        Stmt::ClassDef(class) => {
            if checker.enabled(Rule::GetterSetterMethods) {
                getter_setter_methods::check_class(checker, class);
            }
            if checker.editor_data {
                refactors::convert_to_dataclass::check(checker, class);
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

pub(crate) fn expr<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
    match expr {
        Expr::Compare(compare) => {
            if checker.enabled(Rule::IsVsEqLiteral) {
                is_vs_eq_literal::check(checker, compare);
            }
            if checker.enabled(Rule::EqComparisonToSingleton) {
                eq_comparison_to_singleton::check(checker, compare);
            }
            if checker.enabled(Rule::TypeEqualityCheck) {
                type_equality_check::check(checker, compare);
            }
        }
        Expr::Lambda(lambda) => {
            if let Some(parameters) = &lambda.parameters
                && checker.any_enabled(&[Rule::MutableDefaultArgument, Rule::CallInDefaultArgument])
            {
                mutable_default_argument::check_parameters(checker, parameters, None);
            }
            if checker.enabled(Rule::LateBindingClosure) {
                late_binding_closure::check_lambda(checker, expr, lambda);
            }
        }
        Expr::BinOp(binop) if checker.enabled(Rule::ListMultiplicationAliasing) => {
            list_multiplication_aliasing::check(checker, binop);
        }
        Expr::Call(call) => {
            if checker.enabled(Rule::ListComprehensionInCall) {
                list_comprehension_in_call::check(checker, call);
            }
            if checker.enabled(Rule::OpenWithoutWith) {
                open_without_with::check(checker, expr, call);
            }
            if checker.enabled(Rule::PickleUntrusted) {
                pickle_untrusted::check(checker, call);
            }
            if checker.in_async_function() {
                blocking_call_in_async::check(checker, expr, call);
            }
            if checker.enabled(Rule::GetterSetterMethods) {
                getter_setter_methods::record_call(checker, expr, call);
            }
        }
        _ => {}
    }
}

pub(crate) fn suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {
    if checker.enabled(Rule::ManualListComprehension) {
        manual_list_comprehension::check_suite(checker, body);
    }
    if checker.enabled(Rule::StringConcatInLoop) {
        string_concat_in_loop::check_suite(checker, body);
    }
}

pub(crate) fn except_handler<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandler) {
    let ExceptHandler::ExceptHandler(handler) = handler;
    if checker.enabled(Rule::BareExcept) {
        bare_except::check(checker, handler);
    }
    if checker.enabled(Rule::SwallowedBroadException) {
        swallowed_broad_exception::check(checker, handler);
    }
}

/// Rules that need the whole module before they can report.
pub(crate) fn finish(checker: &mut Checker) {
    if checker.enabled(Rule::GetterSetterMethods) {
        getter_setter_methods::finish(checker);
    }
}
