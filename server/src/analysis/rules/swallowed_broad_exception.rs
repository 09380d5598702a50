//! TODO: swallowed_broad_exception

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandlerExceptHandler) {}
