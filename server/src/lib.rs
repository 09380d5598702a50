//! interview-lens: Python interview practice from the code you write.
//!
//! Layers, each knowing only those below it: `analysis` (text -> findings), `cards` (the question
//! bank), `config` (settings), then the front ends `cli` and `lsp`.

pub mod analysis;
pub mod cards;
pub mod cli;
pub mod config;
pub mod exercise;
pub mod lsp;
pub mod practice;
