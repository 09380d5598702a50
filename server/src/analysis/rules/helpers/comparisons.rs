//! Rewriting comparison operators in place (`is` -> `==`, `== None` -> `is None`...).

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{CmpOp, Expr};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::Checker;
use crate::analysis::finding::Edit;

/// The range of the comparison operator `op` written between `left` and `right` (`is not` and
/// `not in` span two tokens). `None` if the tokens do not match the AST (recovered parse).
pub(crate) fn operator_range(checker: &Checker, left: &Expr, op: CmpOp, right: &Expr) -> Option<TextRange> {
    if left.end() > right.start() {
        return None;
    }
    let tokens: Vec<_> = checker
        .source
        .tokens_in(TextRange::new(left.end(), right.start()))
        .iter()
        .filter(|t| !t.kind().is_trivia() && !matches!(t.kind(), TokenKind::Lpar | TokenKind::Rpar))
        .collect();
    let (first, last) = match (op, tokens.as_slice()) {
        (CmpOp::IsNot, [is, not]) if is.kind() == TokenKind::Is && not.kind() == TokenKind::Not => (is, not),
        (CmpOp::NotIn, [not, is]) if not.kind() == TokenKind::Not && is.kind() == TokenKind::In => (not, is),
        (_, [single]) if single.kind() == expected_token(op)? => (single, single),
        _ => return None,
    };
    Some(TextRange::new(first.start(), last.end()))
}

/// An edit replacing the operator at `range` with `replacement`, adding the spaces a keyword
/// operator needs when the source wrote a symbol without them (`a==b` -> `a is b`).
pub(crate) fn replace_operator(checker: &Checker, range: TextRange, replacement: &str) -> Edit {
    let text = checker.source.text();
    let is_word = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    let before = text.get(..range.start().to_usize()).and_then(|t| t.chars().next_back());
    let after = text.get(range.end().to_usize()..).and_then(|t| t.chars().next());
    let keyword = replacement.starts_with(char::is_alphabetic);
    let lead = if keyword && is_word(before) { " " } else { "" };
    let trail = if keyword && is_word(after) { " " } else { "" };
    Edit::replace(range, format!("{lead}{replacement}{trail}"))
}

fn expected_token(op: CmpOp) -> Option<TokenKind> {
    Some(match op {
        CmpOp::Eq => TokenKind::EqEqual,
        CmpOp::NotEq => TokenKind::NotEqual,
        CmpOp::Lt => TokenKind::Less,
        CmpOp::LtE => TokenKind::LessEqual,
        CmpOp::Gt => TokenKind::Greater,
        CmpOp::GtE => TokenKind::GreaterEqual,
        CmpOp::Is => TokenKind::Is,
        CmpOp::In => TokenKind::In,
        CmpOp::IsNot | CmpOp::NotIn => return None,
    })
}
