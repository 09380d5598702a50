//! TODO: is_vs_eq_literal

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, compare: &'a ExprCompare) {}
