//! Shared by the comparison rules (`is-vs-eq-literal`, `eq-comparison-to-singleton`,
//! `type-equality-check`): the exact ranges of a comparison's operands, links and operators
//! (parentheses included), rewriting an operator in place, whether a comparison's value is used
//! as a condition, and which imported libraries give `==` a meaning of its own.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{CmpOp, Expr, ExprCompare, Stmt, UnaryOp};
use ruff_text_size::{Ranged, TextRange};

use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::Edit;
use crate::analysis::semantic::{NodeId, SemanticModel};

/// What `==` means for the objects of a library.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EqMeaning {
    /// Compares element by element and returns an array (or builds a lazy column expression);
    /// the result has no single truth value. NumPy, pandas and the array libraries like them.
    Elementwise,
    /// Builds a query or solver expression (`col == None` is `IS NULL`).
    Expression,
    /// Compares symbolic objects structurally, including with `True`, `False` and `None`
    /// (SymPy: `S.true == True`, codegen's `none == None`), even where the result is tested.
    Symbolic,
}

/// Libraries whose objects override `==` (checked by the first segment of an import).
const EQ_LIBRARIES: &[(&str, EqMeaning)] = &[
    ("numpy", EqMeaning::Elementwise),
    ("pandas", EqMeaning::Elementwise),
    ("polars", EqMeaning::Elementwise),
    ("xarray", EqMeaning::Elementwise),
    ("dask", EqMeaning::Elementwise),
    ("cupy", EqMeaning::Elementwise),
    ("jax", EqMeaning::Elementwise),
    ("torch", EqMeaning::Elementwise),
    ("tensorflow", EqMeaning::Elementwise),
    ("sqlalchemy", EqMeaning::Expression),
    ("sqlmodel", EqMeaning::Expression),
    ("peewee", EqMeaning::Expression),
    ("pyspark", EqMeaning::Expression),
    ("ibis", EqMeaning::Expression),
    ("z3", EqMeaning::Expression),
    ("sympy", EqMeaning::Symbolic),
];

/// The first library the module imports (anywhere, at any depth) whose `==` has one of the
/// meanings `wanted`. An operand whose type the model cannot tell may be one of its objects.
/// Only meaningful once the walk is over (every import is bound).
pub(crate) fn imported_eq_library(checker: &Checker, wanted: &[EqMeaning]) -> Option<&'static str> {
    checker.semantic().bindings().find_map(|(_, binding)| {
        let head = *binding.import_name()?.segments().first()?;
        EQ_LIBRARIES.iter().find(|(name, meaning)| *name == head && wanted.contains(meaning)).map(|(name, _)| *name)
    })
}

/// The range of `operand` (a part of `compare`) with the parentheses written around it:
/// `(a)` in `(a) is 1`. The AST range of a parenthesised expression leaves them out.
pub(crate) fn operand_range(checker: &Checker, compare: &ExprCompare, operand: &Expr) -> TextRange {
    let mut range = operand.range();
    loop {
        let before = checker.source.token_before(range.start());
        let after = checker.source.token_after(range.end());
        match (before, after) {
            (Some(open), Some(close))
                if open.kind() == TokenKind::Lpar
                    && close.kind() == TokenKind::Rpar
                    && open.start() >= compare.start()
                    && close.end() <= compare.end() =>
            {
                range = TextRange::new(open.start(), close.end());
            }
            _ => return range,
        }
    }
}

/// The range of one link `left op right` of `compare`, parentheses of its operands included.
pub(crate) fn link_range(checker: &Checker, compare: &ExprCompare, left: &Expr, right: &Expr) -> TextRange {
    TextRange::new(operand_range(checker, compare, left).start(), operand_range(checker, compare, right).end())
}

/// The link's code for a message (`` `x == None` ``), or `fallback` when it is long or spans lines.
pub(crate) fn shown_or(checker: &Checker, range: TextRange, fallback: &str) -> String {
    let text = checker.source.slice(&range);
    if text.len() <= 60 && !text.contains(['\n', '\r']) { format!("`{text}`") } else { fallback.to_string() }
}

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

/// Is the value of expression `node` used as a condition — tested for truth by `if`, `while`,
/// `assert`, `not`, a conditional expression, a comprehension's `if`, a `case` guard, `bool()`,
/// or an operand of `and`/`or` that is tested (every operand but the last, and the last one when
/// the whole `and`/`or` is itself a condition)?
pub(crate) fn is_condition(model: &SemanticModel, node: NodeId) -> bool {
    let mut child = model.node(node);
    for parent in model.ancestors(node) {
        let is_child = |expr: &Expr| NodeRef::Expr(expr).is(child);
        match parent {
            NodeRef::Stmt(Stmt::If(s)) => {
                return is_child(&s.test) || s.elif_else_clauses.iter().any(|c| c.test.as_ref().is_some_and(is_child));
            }
            NodeRef::Stmt(Stmt::While(s)) => return is_child(&s.test),
            NodeRef::Stmt(Stmt::Assert(s)) => return is_child(&s.test),
            NodeRef::Stmt(Stmt::Match(s)) => return s.cases.iter().any(|c| c.guard.as_deref().is_some_and(is_child)),
            NodeRef::Stmt(_) => return false,
            NodeRef::Expr(Expr::UnaryOp(u)) => return u.op == UnaryOp::Not,
            NodeRef::Expr(Expr::BoolOp(b)) => {
                if !b.values.last().is_some_and(is_child) {
                    return true;
                }
            }
            NodeRef::Expr(Expr::If(e)) => {
                if is_child(&e.test) {
                    return true;
                }
            }
            NodeRef::Expr(Expr::ListComp(c)) => return c.generators.iter().any(|g| g.ifs.iter().any(is_child)),
            NodeRef::Expr(Expr::SetComp(c)) => return c.generators.iter().any(|g| g.ifs.iter().any(is_child)),
            NodeRef::Expr(Expr::DictComp(c)) => return c.generators.iter().any(|g| g.ifs.iter().any(is_child)),
            NodeRef::Expr(Expr::Generator(c)) => return c.generators.iter().any(|g| g.ifs.iter().any(is_child)),
            NodeRef::Expr(Expr::Call(call)) => {
                return call.arguments.keywords.is_empty()
                    && matches!(&*call.arguments.args, [arg] if is_child(arg))
                    && model.resolve_qualified_name(&call.func).is_some_and(|q| q.segments() == ["builtins", "bool"]);
            }
            NodeRef::Expr(_) => return false,
        }
        child = parent;
    }
    false
}

/// Would `not <expr>` written in place of `compare` need parentheses? `not` binds more loosely
/// than a comparison, so only where the comparison stands unparenthesised in a context that a
/// `not` expression cannot (an operand of `+`, `-x`, `await`...) — which the parser only
/// allows with parentheses already, unless the comparison is parenthesised itself.
pub(crate) fn not_needs_parentheses(checker: &Checker, compare: &ExprCompare) -> bool {
    let parent_accepts_not = match checker.ancestors().next() {
        None | Some(NodeRef::Stmt(_)) => true,
        Some(NodeRef::Expr(parent)) => {
            matches!(
                parent,
                Expr::BoolOp(_)
                    | Expr::If(_)
                    | Expr::Lambda(_)
                    | Expr::Named(_)
                    | Expr::Call(_)
                    | Expr::List(_)
                    | Expr::Tuple(_)
                    | Expr::Set(_)
                    | Expr::Dict(_)
                    | Expr::Subscript(_)
                    | Expr::FString(_)
                    | Expr::Yield(_)
                    | Expr::ListComp(_)
                    | Expr::SetComp(_)
                    | Expr::DictComp(_)
                    | Expr::Generator(_)
            ) || matches!(parent, Expr::UnaryOp(u) if u.op == UnaryOp::Not)
        }
    };
    !parent_accepts_not && !is_parenthesized(checker, compare.range)
}

fn is_parenthesized(checker: &Checker, range: TextRange) -> bool {
    let before = checker.source.token_before(range.start()).map(|t| t.kind());
    let after = checker.source.token_after(range.end()).map(|t| t.kind());
    before == Some(TokenKind::Lpar) && after == Some(TokenKind::Rpar)
}

/// The compared expression of a deferred comparison node.
pub(crate) fn compare_at<'a>(checker: &Checker<'a>, node: NodeId) -> Option<&'a ExprCompare> {
    match checker.semantic().node(node) {
        NodeRef::Expr(Expr::Compare(compare)) => Some(compare),
        _ => None,
    }
}
