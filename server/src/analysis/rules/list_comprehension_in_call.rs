//! TODO: list_comprehension_in_call

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {}
