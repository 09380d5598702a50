//! TODO: eq_comparison_to_singleton

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {}
