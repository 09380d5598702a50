//! TODO: pickle_untrusted

#![allow(unused)]
use ruff_python_ast::*;
use crate::analysis::checker::Checker;

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {}

