//! Dispatch from the walk to the rules, by node kind. Every call is gated by its rule (or family)
//! being enabled, so a run with a few rules selected pays only for those.
//!
//! During the walk: [`statement`], [`expression`], [`except_handler`]. After it, on the
//! finished model: [`deferred_node`] (nodes a rule asked to see again), [`deferred_scope`] (each
//! scope once) and [`module_end`].

mod deferred;
mod except_handler;
mod expression;
mod statement;

pub(crate) use deferred::{deferred_node, deferred_scope, module_end};
pub(crate) use except_handler::except_handler;
pub(crate) use expression::expression;
pub(crate) use statement::statement;
