//! TODO: open_without_with

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {}

