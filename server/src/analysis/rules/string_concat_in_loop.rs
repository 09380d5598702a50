//! TODO: string_concat_in_loop

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check_suite<'a>(checker: &mut Checker<'a>, body: &'a [Stmt]) {}
