//! TODO: range_len_loop

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, for_stmt: &'a StmtFor) {}

