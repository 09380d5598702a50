//! TODO: is_vs_eq_literal

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {}

