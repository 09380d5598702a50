//! TODO: list_comprehension_in_call

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {}

