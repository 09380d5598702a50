//! TODO: lru_cache_on_method

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, function: &'a StmtFunctionDef) {}

