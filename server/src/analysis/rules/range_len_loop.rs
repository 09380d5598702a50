//! TODO: range_len_loop

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, for_stmt: &'a StmtFor) {}
