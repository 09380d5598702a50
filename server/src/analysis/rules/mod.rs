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
// catalogue wave 1: idioms
pub mod dict_iteration_items;
pub mod dict_keys_membership;
pub mod extend_with_string;
pub mod manual_dict_comprehension;
pub mod map_filter_lambda;
pub mod reimplemented_any_all;
pub mod unnecessary_comprehension;
pub mod zip_pairwise;

pub mod helpers;

#[cfg(test)]
pub(crate) mod test_support;
