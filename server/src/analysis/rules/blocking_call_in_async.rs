//! TODO: blocking_call_in_async

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {}

