//! Code shared by a family of rules. A rule imports from here, never from another rule.

pub mod appends;
pub mod assertions;
pub mod async_blocking;
pub mod comparisons;
pub mod containers;
pub mod defaults;
pub mod handlers;
pub mod loops;
pub mod messages;
pub mod mutability;
// catalogue wave 1: generators and scope
pub mod generators;
// catalogue wave 1: idioms
pub mod format_strings;
pub mod idioms;
