use ruff_python_ast::Stmt;

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::*;
use crate::analysis::semantic::NodeRef;

pub(crate) fn statement<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt) {
    match stmt {
        Stmt::For(for_stmt) => {
            if checker.enabled(Rule::RangeLenLoop) {
                range_len_loop::check(checker, for_stmt);
            }
            if checker.enabled(Rule::YieldFromDelegation) {
                yield_from_delegation::check(checker, for_stmt);
            }
            if checker.enabled(Rule::ManualListComprehension) {
                manual_list_comprehension::check(checker, for_stmt);
            }
            // catalogue wave 1: mutability
            if checker.enabled(Rule::ModifyCollectionWhileIterating) {
                modify_collection_while_iterating::check(checker, for_stmt);
            }
        }
        Stmt::AugAssign(_) | Stmt::Assign(_) if checker.enabled(Rule::StringConcatInLoop) => {
            string_concat_in_loop::check(checker, stmt);
        }
        _ => {}
    }
    // catalogue wave 1: data structures
    if matches!(stmt, Stmt::If(_) | Stmt::Assign(_)) && checker.enabled(Rule::ManualCounterGrouping) {
        manual_counter_grouping::check(checker, stmt);
    }
    // catalogue wave 1: mutability
    if let Stmt::Assign(assign) = stmt {
        if checker.enabled(Rule::ShallowCopyNestedMutation) {
            shallow_copy_nested_mutation::check(checker, assign);
        }
        if checker.enabled(Rule::AccidentalAliasMutation) {
            accidental_alias_mutation::check(checker, assign);
        }
    }
    if stmt.is_for_stmt() && checker.enabled(Rule::NestedLoopLookup) {
        nested_loop_lookup::check(checker, NodeRef::Stmt(stmt));
    }
    // catalogue wave 1: generators and scope
    match stmt {
        Stmt::Raise(raise) if checker.enabled(Rule::StopiterationInGenerator) => {
            stopiteration_in_generator::check_raise(checker, raise);
        }
        Stmt::Assign(assign) if checker.enabled(Rule::GeneratorReuse) => generator_reuse::check(checker, assign),
        Stmt::Global(global) if checker.enabled(Rule::GlobalStatement) => global_statement::check(checker, global),
        Stmt::For(for_stmt) if checker.enabled(Rule::IterateMaterialisedList) => {
            iterate_materialised_list::check(checker, for_stmt);
        }
        _ => {}
    }
    // catalogue wave 1: idioms
    if let Stmt::AugAssign(aug) = stmt
        && checker.enabled(Rule::ExtendWithString)
    {
        extend_with_string::check_aug_assign(checker, aug);
    }
    if let Stmt::For(for_stmt) = stmt
        && checker.enabled(Rule::DictIterationItems)
    {
        dict_iteration_items::check(checker, for_stmt);
    }
    if let Stmt::For(for_stmt) = stmt
        && checker.enabled(Rule::ReimplementedAnyAll)
    {
        reimplemented_any_all::check(checker, for_stmt);
    }
    if let Stmt::For(for_stmt) = stmt
        && checker.enabled(Rule::ManualDictComprehension)
    {
        manual_dict_comprehension::check(checker, for_stmt);
    }
    // catalogue wave 1: appends and counters
    match stmt {
        Stmt::For(for_stmt) => {
            if checker.enabled(Rule::ManualIndexCounter) {
                manual_index_counter::check(checker, for_stmt);
            }
            if checker.enabled(Rule::ManualListCopyOrExtend) {
                manual_list_copy_or_extend::check(checker, for_stmt);
            }
        }
        Stmt::Expr(expr_stmt) if checker.enabled(Rule::RepeatedAppend) => repeated_append::check(checker, expr_stmt),
        _ => {}
    }
}
