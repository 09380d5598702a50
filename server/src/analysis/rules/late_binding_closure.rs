//! TODO: late_binding_closure

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check_function<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, function: &'a StmtFunctionDef) {}

pub(crate) fn check_lambda<'a>(checker: &mut Checker<'a>, expr: &'a Expr, lambda: &'a ExprLambda) {}

