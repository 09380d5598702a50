//! One file per rule; code a family of rules shares lives in `helpers`. The walk calls rules
//! through `analysis::analyze`.

pub mod bare_except;
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
// catalogue wave 1: data structures
pub mod list_as_queue;
pub mod list_membership_in_loop;
pub mod manual_counter_grouping;
pub mod nested_loop_lookup;
pub mod quadratic_list_summation;
pub mod sorted_for_min_max;

// catalogue wave 1: mutability
pub mod accidental_alias_mutation;
pub mod modify_collection_while_iterating;
pub mod mutable_class_attribute;
pub mod mutable_dataclass_default;
pub mod mutable_fromkeys_value;
pub mod shallow_copy_nested_mutation;
pub mod unhashable_dict_key;
// catalogue wave 1: generators and scope
pub mod builtin_shadowing;
pub mod generator_reuse;
pub mod global_statement;
pub mod iterate_materialised_list;
pub mod stopiteration_in_generator;
pub mod unbound_local_outer_name;
// catalogue wave 1: idioms
pub mod dict_iteration_items;
pub mod dict_keys_membership;
pub mod extend_with_string;
pub mod fstring_formatting;
pub mod manual_dict_comprehension;
pub mod map_filter_lambda;
pub mod reimplemented_any_all;
pub mod unnecessary_comprehension;
pub mod zip_pairwise;
// catalogue wave 1: appends and counters
pub mod manual_index_counter;
pub mod manual_list_copy_or_extend;
pub mod repeated_append;
// catalogue wave 1: concepts
pub mod ordered_dict_since_37;

pub mod helpers;

#[cfg(test)]
pub(crate) mod test_support;
