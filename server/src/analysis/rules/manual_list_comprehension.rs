//! TODO: manual_list_comprehension

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {}

