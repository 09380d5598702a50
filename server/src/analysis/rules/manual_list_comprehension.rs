//! TODO: manual_list_comprehension

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {}
