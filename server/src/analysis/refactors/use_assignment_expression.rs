//! "Use assignment expression": `x = <call>` directly followed by `if x:` (or `if not x:`,
//! `if x is None:`, `if x is not None:`) becomes `if (x := <call>):`. Safe: the call runs at the
//! same point, binds the same name in the same scope, and the test sees the same value; it is
//! offered only when nothing (not even a comment) sits between the two statements.

use ruff_python_ast::{CmpOp, Expr, ExprName, Stmt, StmtIf, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};

pub(crate) fn check(checker: &mut Checker, if_stmt: &StmtIf) {
    if let Some(refactor) = build(checker, if_stmt) {
        checker.refactors.push(refactor);
    }
}

/// The name the test reads, when it is the whole test or the operand of `not` / `is [not] None`.
fn tested_name(test: &Expr) -> Option<&ExprName> {
    match test {
        Expr::Name(name) => Some(name),
        Expr::UnaryOp(unary) if unary.op == UnaryOp::Not => unary.operand.as_name_expr(),
        Expr::Compare(compare)
            if matches!(&*compare.ops, [CmpOp::Is | CmpOp::IsNot])
                && matches!(&*compare.comparators, [Expr::NoneLiteral(_)]) =>
        {
            compare.left.as_name_expr()
        }
        _ => None,
    }
}

fn build(checker: &Checker, if_stmt: &StmtIf) -> Option<Refactor> {
    let name = tested_name(&if_stmt.test)?;
    let node = checker.node_id()?;
    let (suite, index) = checker.semantic.suite_of(node)?;
    let Stmt::Assign(assign) = suite.get(index.checked_sub(1)?)? else { return None };
    let [Expr::Name(target)] = assign.targets.as_slice() else { return None };
    if target.id != name.id || !assign.value.is_call_expr() {
        return None;
    }
    let source = &checker.source;
    let text = source.text();
    // The assignment alone on one line, then only blank lines before the `if`. Found by scanning
    // the text nearby: the file's line index is not needed (building it is the costly part).
    let between = &text[TextRange::new(assign.end(), if_stmt.start())];
    let assign_line_start = text[..assign.start().to_usize()].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let if_line_start = assign.end().to_usize() + between.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let (assign_line_start, if_line_start) =
        (TextSize::try_from(assign_line_start).ok()?, TextSize::try_from(if_line_start).ok()?);
    if between.trim() != ""
        || !between.contains(['\n', '\r'])
        || text[TextRange::new(assign_line_start, assign.start())].trim() != ""
        || text[assign.range()].contains(['\n', '\r'])
        || source.has_comments(TextRange::new(assign_line_start, if_stmt.start()))
    {
        return None;
    }
    let value = source.slice(&*assign.value);
    let edits = vec![
        Edit::delete(TextRange::new(assign_line_start, if_line_start)),
        Edit::replace(name.range(), format!("({} := {value})", name.id)),
    ];
    let fix = Fix::safe("Use assignment expression", edits)?;
    let keyword_end = if_stmt.start() + TextSize::from(2);
    Some(Refactor {
        id: "use-assignment-expression",
        card: "walrus-operator",
        range: TextRange::new(assign.start(), keyword_end),
        fix,
    })
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::rules::test_support::run_python;
    use crate::analysis::{AnalysisOptions, Applicability, analyze};

    fn refactored(source: &str) -> Option<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        let refactor = analysis.refactors.iter().find(|r| r.id == "use-assignment-expression")?;
        assert_eq!(refactor.fix.applicability, Applicability::Safe);
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "{result}");
        Some(result)
    }

    #[test]
    fn merges_the_assignment_into_the_test() {
        let src = "import re\n\ndef first_word(text):\n    m = re.match(r'\\w+', text)\n    if m:\n        return m.group()\n    return None\n";
        assert_eq!(
            refactored(src).unwrap(),
            "import re\n\ndef first_word(text):\n    if (m := re.match(r'\\w+', text)):\n        return m.group()\n    return None\n"
        );
        let src = "def f(d):\n    v = d.get('k')\n\n    if v is not None:\n        return v\n";
        assert_eq!(refactored(src).unwrap(), "def f(d):\n    if (v := d.get('k')) is not None:\n        return v\n");
        let src = "x = dict().get(1)\nif not x:\n    print('none')\n";
        assert_eq!(refactored(src).unwrap(), "if not (x := dict().get(1)):\n    print('none')\n");
    }

    #[test]
    fn the_merged_code_behaves_the_same() {
        let src = "import re\n\ndef first_word(text):\n    m = re.match(r'\\w+', text)\n    if m is None:\n        return '-'\n    else:\n        return m.group()\n\nfor t in ['hello world', '  ', '']:\n    print(repr(first_word(t)))\n\nclass C:\n    n = len('abc')\n    if n:\n        print(n)\nprint(C.n)\n";
        let (ok, before, stderr) = run_python(src);
        assert!(ok, "{stderr}");
        // Two offers (the function and the class body); apply them one at a time.
        let once = refactored(src).unwrap();
        let twice = refactored(&once).unwrap();
        assert!(refactored(&twice).is_none());
        let (ok, after, stderr) = run_python(&twice);
        assert!(ok, "{twice}\n{stderr}");
        assert_eq!(before, after);
    }

    #[test]
    fn not_offered_when_the_shape_differs() {
        for src in [
            // Not a call, another name, another test, a statement in between.
            "x = 1\nif x:\n    pass\n",
            "x = f()\nif y:\n    pass\n",
            "x = f()\nif x > 1:\n    pass\n",
            "x = f()\ny = 2\nif x:\n    pass\n",
            // A comment would be lost; two statements on a line; a multi-line value.
            "x = f()  # why\nif x:\n    pass\n",
            "x = f()\n# why\nif x:\n    pass\n",
            "y = 1; x = f()\nif x:\n    pass\n",
            "x = f(\n    1)\nif x:\n    pass\n",
            // Unpacking and attribute targets cannot be walrus targets.
            "a, b = f()\nif a:\n    pass\n",
            "self.x = f()\nif self.x:\n    pass\n",
            "x: int = f()\nif x:\n    pass\n",
        ] {
            assert!(refactored(src).is_none(), "{src}");
        }
    }
}
