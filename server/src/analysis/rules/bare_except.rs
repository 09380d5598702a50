//! TODO: bare_except

#![allow(unused)]
use crate::analysis::checker::Checker;
use ruff_python_ast::*;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, handler: &'a ExceptHandlerExceptHandler) {}
