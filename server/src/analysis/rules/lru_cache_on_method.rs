//! TODO: lru_cache_on_method

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, function: &'a StmtFunctionDef) {}
