//! Where a simple type comes from: values alone (`done = False`, `n = len(xs)`), which prove it,
//! or an annotation somewhere on the way (`flag: bool`, a parameter), which only promises it — a
//! caller can pass anything. A fix may rely on a proved type; a promised one makes it unsafe.

use ruff_python_ast::{CmpOp, Expr, ExprName};

use super::binding::BindingKind;
use super::model::SemanticModel;

/// How far names bound to names are followed, as in `type_of_expr`; past it, the answer is
/// "rests on an annotation" (the cautious one).
const MAX_DEPTH: u8 = 6;
const MAX_BINDINGS: usize = 8;

impl<'a> SemanticModel<'a> {
    /// Whether the type [`SemanticModel::type_of_expr`] gives `expr` depends on an annotation
    /// (or a parameter, whose value is whatever the caller passes) anywhere in the chain of
    /// names it follows. `false` means the values alone show the type.
    pub fn type_rests_on_annotation(&self, expr: &'a Expr) -> bool {
        self.rests_on_annotation_at(expr, 0)
    }

    fn rests_on_annotation_at(&self, expr: &'a Expr, depth: u8) -> bool {
        if depth > MAX_DEPTH {
            return true;
        }
        let inner = |e: &'a Expr| self.rests_on_annotation_at(e, depth + 1);
        match expr {
            Expr::Name(name) => self.name_rests_on_annotation(name, depth + 1),
            // `is` and `in` give a bool whatever the operands; `==` and `<` only on known ones.
            Expr::Compare(compare) => {
                !compare.ops.iter().all(|op| matches!(op, CmpOp::Is | CmpOp::IsNot | CmpOp::In | CmpOp::NotIn))
                    && (inner(&compare.left) || compare.comparators.iter().any(inner))
            }
            Expr::BoolOp(op) => op.values.iter().any(inner),
            // `not x` is a bool whatever `x` is; a literal or a builtin call is its own proof.
            _ => false,
        }
    }

    fn name_rests_on_annotation(&self, name: &ExprName, depth: u8) -> bool {
        let Some(binding) = self.resolve_name(name) else { return true };
        let scope = self.binding(binding).scope;
        let mut all = self.bindings_of(scope, name.id.as_str());
        let rests = all.by_ref().take(MAX_BINDINGS).any(|id| {
            let binding = self.binding(id);
            match binding.kind {
                BindingKind::Parameter(_) => true,
                _ if binding.annotation.is_some_and(|a| self.type_of_annotation(a).is_some()) => true,
                _ => binding.value.is_none_or(|value| self.rests_on_annotation_at(value, depth + 1)),
            }
        });
        rests || all.next().is_some()
    }
}

#[cfg(test)]
mod tests {
    use ruff_python_ast::Expr;
    use ruff_text_size::Ranged;

    use crate::analysis::checker::Checker;
    use crate::analysis::semantic::{NodeRef, SimpleType};

    /// (type, rests on an annotation) of the last expression whose source is `text`.
    fn last(src: &str, text: &str) -> (Option<SimpleType>, bool) {
        Checker::with_model(src, |model| {
            let expr = model
                .nodes
                .iter()
                .filter_map(|(_, node)| match node {
                    NodeRef::Expr(e) if &src[e.range()] == text && !matches!(e, Expr::Name(n) if n.ctx.is_store()) => {
                        Some(e)
                    }
                    _ => None,
                })
                .max_by_key(|e| e.start())
                .expect("the expression");
            (model.type_of_expr(expr), model.type_rests_on_annotation(expr))
        })
    }

    #[test]
    fn values_prove_a_type() {
        assert_eq!(last("done = False\nx = done\n", "done"), (Some(SimpleType::Bool), false));
        assert_eq!(last("ok = x in ys\nok\n", "ok"), (Some(SimpleType::Bool), false));
        assert_eq!(last("a = 1\nb = 2\nprint(a < b)\n", "a < b"), (Some(SimpleType::Bool), false));
        assert_eq!(last("def f(xs):\n    n = len(xs)\n    return n\n", "n"), (Some(SimpleType::Int), false));
        assert_eq!(
            last("def f(x):\n    ok = isinstance(x, int)\n    return ok\n", "ok"),
            (Some(SimpleType::Bool), false)
        );
    }

    #[test]
    fn annotations_and_parameters_only_promise_one() {
        assert_eq!(last("def f(flag: bool):\n    return flag\n", "flag"), (Some(SimpleType::Bool), true));
        assert_eq!(last("flag: bool = compute()\nflag\n", "flag"), (Some(SimpleType::Bool), true));
        // Followed through another name.
        assert_eq!(last("def f(flag: bool):\n    b = flag\n    return b\n", "b"), (Some(SimpleType::Bool), true));
        assert_eq!(last("def f(a: int, b: int):\n    return a < b\n", "a < b"), (Some(SimpleType::Bool), true));
        // A parameter rebound in the body is still whatever the caller passed on some path.
        assert!(last("def f(flag: bool):\n    if g():\n        flag = False\n    return flag\n", "flag").1);
    }
}
