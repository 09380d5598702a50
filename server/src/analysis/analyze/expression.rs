use ruff_python_ast::Expr;

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::helpers::async_blocking;
use crate::analysis::rules::*;
use crate::analysis::semantic::NodeRef;

pub(crate) fn expression<'a>(checker: &mut Checker<'a>, expr: &'a Expr) {
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
            // catalogue wave 1: data structures
            if checker.enabled(Rule::ListMembershipInLoop) {
                list_membership_in_loop::check(checker, compare);
            }
            // catalogue wave 1: mutability
            if checker.enabled(Rule::UnhashableDictKey) {
                unhashable_dict_key::check_compare(checker, compare);
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
            if checker.any_enabled(async_blocking::RULES) && checker.in_async_function() {
                if checker.enabled(Rule::BlockingSleepInAsync) {
                    blocking_sleep_in_async::check(checker, call);
                }
                if checker.enabled(Rule::BlockingHttpInAsync) {
                    blocking_http_in_async::check(checker, call);
                }
                if checker.enabled(Rule::BlockingFileIoInAsync) {
                    blocking_file_io_in_async::check(checker, call);
                }
                if checker.enabled(Rule::BlockingSubprocessInAsync) {
                    blocking_subprocess_in_async::check(checker, call);
                }
            }
            // catalogue wave 1: data structures
            if checker.enabled(Rule::ListAsQueue) {
                list_as_queue::check(checker, call);
            }
            if checker.enabled(Rule::QuadraticListSummation) {
                quadratic_list_summation::check(checker, call);
            }
            // catalogue wave 1: mutability
            if checker.enabled(Rule::MutableFromkeysValue) {
                mutable_fromkeys_value::check(checker, call);
            }
            if checker.enabled(Rule::UnhashableDictKey) {
                unhashable_dict_key::check_call(checker, call);
            }
            // catalogue wave 1: idioms
            if checker.enabled(Rule::DictKeysMembership) {
                dict_keys_membership::check(checker, expr, call);
            }
            if checker.enabled(Rule::ZipPairwise) {
                zip_pairwise::check(checker, call);
            }
            if checker.enabled(Rule::ExtendWithString) {
                extend_with_string::check_call(checker, call);
            }
            if checker.enabled(Rule::MapFilterLambda) {
                map_filter_lambda::check(checker, call);
            }
            // catalogue wave 1: concepts
            if checker.enabled(Rule::OrderedDictSince37) {
                ordered_dict_since_37::check(checker, call);
            }
        }
        Expr::Subscript(subscript) => {
            // catalogue wave 1: data structures
            if checker.enabled(Rule::SortedForMinMax) {
                sorted_for_min_max::check(checker, subscript);
            }
            // catalogue wave 1: mutability
            if checker.enabled(Rule::UnhashableDictKey) {
                unhashable_dict_key::check_subscript(checker, subscript);
            }
        }
        // catalogue wave 1: mutability
        Expr::Dict(_) | Expr::Set(_) if checker.enabled(Rule::UnhashableDictKey) => {
            unhashable_dict_key::check_display(checker, expr);
        }
        _ => {}
    }
    // catalogue wave 1: generators and scope
    match expr {
        Expr::Call(call) if checker.enabled(Rule::StopiterationInGenerator) => {
            stopiteration_in_generator::check_call(checker, call);
        }
        _ => {}
    }
    // catalogue wave 1: idioms
    match expr {
        Expr::BinOp(binop) if checker.enabled(Rule::FstringFormatting) => {
            fstring_formatting::check_percent(checker, expr, binop);
        }
        Expr::Call(call) if checker.enabled(Rule::FstringFormatting) => {
            fstring_formatting::check_format_call(checker, expr, call);
        }
        _ => {}
    }
    // catalogue wave 1: data structures
    if matches!(expr, Expr::ListComp(_) | Expr::SetComp(_) | Expr::Generator(_))
        && checker.enabled(Rule::NestedLoopLookup)
    {
        nested_loop_lookup::check(checker, NodeRef::Expr(expr));
    }
    if matches!(expr, Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_))
        && checker.enabled(Rule::UnnecessaryComprehension)
    {
        unnecessary_comprehension::check(checker, expr);
    }
}
