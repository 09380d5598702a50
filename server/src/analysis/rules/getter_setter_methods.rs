//! TODO
#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

#[derive(Default)]
pub(crate) struct State<'a> {
    calls: Vec<&'a ExprCall>,
}

pub(crate) fn check_class<'a>(checker: &mut Checker<'a>, class: &'a StmtClassDef) {}

pub(crate) fn record_call<'a>(checker: &mut Checker<'a>, expr: &'a Expr, call: &'a ExprCall) {}

pub(crate) fn finish(checker: &mut Checker) {}
