//! TODO: late_binding_closure

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check_function<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, function: &'a StmtFunctionDef) {}

pub(crate) fn check_lambda<'a>(checker: &mut Checker<'a>, expr: &'a Expr, lambda: &'a ExprLambda) {}
