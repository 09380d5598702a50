//! Checks that run on the finished model: every binding's reads are known here.

use crate::analysis::checker::Checker;
use crate::analysis::rule::Rule;
use crate::analysis::rules::*;
use crate::analysis::semantic::{NodeId, ScopeId};

/// A node a rule deferred during the walk (`Checker::defer`); the checker stands at `node`.
pub(crate) fn deferred_node(checker: &mut Checker, rule: Rule, node: NodeId) {
    match rule {
        Rule::BlockingFileIoInAsync => blocking_file_io_in_async::report(checker, node),
        Rule::BlockingHttpInAsync => blocking_http_in_async::report(checker, node),
        Rule::BlockingSleepInAsync => blocking_sleep_in_async::report(checker, node),
        Rule::BlockingSubprocessInAsync => blocking_subprocess_in_async::report(checker, node),
        Rule::EqComparisonToSingleton => eq_comparison_to_singleton::check_deferred(checker, node),
        Rule::ListMultiplicationAliasing => list_multiplication_aliasing::check_deferred(checker, node),
        Rule::ManualListComprehension => manual_list_comprehension::check_deferred(checker, node),
        Rule::RangeLenLoop => range_len_loop::check_deferred(checker, node),
        Rule::StringConcatInLoop => string_concat_in_loop::check_deferred(checker, node),
        Rule::TypeEqualityCheck => type_equality_check::check_deferred(checker, node),
        Rule::YieldFromDelegation => yield_from_delegation::check_deferred(checker, node),
        Rule::BareExcept => bare_except::check_try(checker),
        Rule::OpenWithoutWith => open_without_with::check_deferred(checker, node),
        // catalogue wave 1: data structures
        Rule::ListMembershipInLoop => list_membership_in_loop::check_deferred(checker, node),
        Rule::ListAsQueue => list_as_queue::check_deferred(checker, node),
        Rule::ManualCounterGrouping => manual_counter_grouping::check_deferred(checker, node),
        Rule::NestedLoopLookup => nested_loop_lookup::check_deferred(checker, node),
        // catalogue wave 1: mutability
        Rule::MutableFromkeysValue => mutable_fromkeys_value::check_deferred(checker, node),
        Rule::ModifyCollectionWhileIterating => modify_collection_while_iterating::check_deferred(checker, node),
        Rule::ShallowCopyNestedMutation => shallow_copy_nested_mutation::check_deferred(checker, node),
        Rule::AccidentalAliasMutation => accidental_alias_mutation::check_deferred(checker, node),
        // catalogue wave 1: generators and scope
        Rule::StopiterationInGenerator => stopiteration_in_generator::check_deferred(checker, node),
        Rule::GeneratorReuse => generator_reuse::check_deferred(checker, node),
        Rule::GlobalStatement => global_statement::check_deferred(checker, node),
        Rule::IterateMaterialisedList => iterate_materialised_list::check_deferred(checker, node),
        // catalogue wave 1: idioms
        Rule::ExtendWithString => extend_with_string::check_deferred(checker, node),
        Rule::DictIterationItems => dict_iteration_items::check_deferred(checker, node),
        Rule::ReimplementedAnyAll => reimplemented_any_all::check_deferred(checker, node),
        Rule::ManualDictComprehension => manual_dict_comprehension::check_deferred(checker, node),
        // catalogue wave 1: appends and counters
        Rule::ManualIndexCounter => manual_index_counter::check_deferred(checker, node),
        Rule::ManualListCopyOrExtend => manual_list_copy_or_extend::check_deferred(checker, node),
        Rule::RepeatedAppend => repeated_append::check_deferred(checker, node),
        // catalogue wave 1: concepts
        Rule::OrderedDictSince37 => ordered_dict_since_37::check_deferred(checker, node),
        _ => {}
    }
}

/// Each scope once, after the walk; the checker stands at the node that opened it.
pub(crate) fn deferred_scope(checker: &mut Checker, scope: ScopeId) {
    crate::analysis::refactors::scope(checker, scope);
    if checker.enabled(Rule::MutableDefaultArgument) {
        mutable_default_argument::check_scope(checker, scope);
    }
    if checker.enabled(Rule::CallInDefaultArgument) {
        call_in_default_argument::check_scope(checker, scope);
    }
    if checker.enabled(Rule::DecoratorMissingWraps) {
        decorator_missing_wraps::check_scope(checker, scope);
    }
    if checker.enabled(Rule::LruCacheOnMethod) {
        lru_cache_on_method::check_scope(checker, scope);
    }
    // catalogue wave 1: mutability
    if checker.enabled(Rule::MutableClassAttribute) {
        mutable_class_attribute::check_scope(checker, scope);
    }
    if checker.enabled(Rule::MutableDataclassDefault) {
        mutable_dataclass_default::check_scope(checker, scope);
    }
    // catalogue wave 1: generators and scope
    if checker.enabled(Rule::BuiltinShadowing) {
        builtin_shadowing::check_scope(checker, scope);
    }
}

/// Once, after everything else.
pub(crate) fn module_end(checker: &mut Checker) {
    if checker.enabled(Rule::LateBindingClosure) {
        late_binding_closure::check_module(checker);
    }
    if checker.enabled(Rule::GetterSetterMethods) {
        getter_setter_methods::check_module(checker);
    }
    // catalogue wave 1: generators and scope
    if checker.enabled(Rule::UnboundLocalOuterName) {
        unbound_local_outer_name::check_module(checker);
    }
}
