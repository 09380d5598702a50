//! TODO: list_multiplication_aliasing

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, binop: &'a ExprBinOp) {}
