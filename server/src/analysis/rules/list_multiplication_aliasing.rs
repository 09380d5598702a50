//! TODO: list_multiplication_aliasing

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, binop: &'a ExprBinOp) {}

