//! TODO: yield_from_delegation

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, for_stmt: &'a StmtFor) {}
