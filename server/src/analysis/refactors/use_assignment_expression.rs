//! "Use assignment expression", in two forms.
//!
//! `if`: `x = <call>` directly followed by `if x:` (or `if not x:`, `if x is None:`,
//! `if x is not None:`) becomes `if (x := <call>):`. Safe: the call runs at the same point, binds
//! the same name in the same scope, and the test sees the same value.
//!
//! `while`: `x = <call>` directly followed by `while x:` (the same tests) whose body ends with
//! `x = <the same call>` becomes `while (x := <call>):` without the last statement. Safe: the call
//! runs before the first test and again right before each later one, as before. Not offered when
//! the loop has a `continue` of its own (it skipped the re-assignment, so the old value was tested
//! again; the merged loop would call again), or when the body is that one statement.
//!
//! Both are offered only when nothing (not even a comment) sits between the assignment and the
//! test, and the statements removed are alone on their lines with no comment.

use ruff_python_ast::{CmpOp, Expr, ExprName, Stmt, StmtAssign, StmtIf, StmtWhile, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Refactor;
use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::semantic::NodeId;

pub(crate) fn check(checker: &mut Checker, if_stmt: &StmtIf) {
    if let Some(refactor) = build(checker, if_stmt) {
        checker.refactors.push(refactor);
    }
}

/// A `while` is looked at after the walk: its `continue`s are known then.
pub(crate) fn check_while(checker: &mut Checker, while_stmt: &StmtWhile) {
    if tested_name(&while_stmt.test).is_some()
        && let Some(node) = checker.node_id()
    {
        checker.defer_refactor(node, check_while_deferred);
    }
}

fn check_while_deferred(checker: &mut Checker, node: NodeId) {
    let NodeRef::Stmt(Stmt::While(while_stmt)) = checker.semantic.node(node) else { return };
    if let Some(refactor) = build_while(checker, node, while_stmt) {
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

/// `x = <call>` right before the statement at `node` (whose test reads `name`), alone on its
/// line with only blank lines after it: the assignment and the edit that deletes its lines.
fn assignment_before<'a>(checker: &Checker<'a>, node: NodeId, name: &ExprName) -> Option<(&'a StmtAssign, Edit)> {
    let (suite, index) = checker.semantic.suite_of(node)?;
    let statement = &suite[index];
    let Stmt::Assign(assign) = suite.get(index.checked_sub(1)?)? else { return None };
    let [Expr::Name(target)] = assign.targets.as_slice() else { return None };
    if target.id != name.id || !assign.value.is_call_expr() {
        return None;
    }
    let source = &checker.source;
    let text = source.text();
    // The assignment alone on one line, then only blank lines before the statement. Found by
    // scanning the text nearby: the file's line index is not needed (building it is the costly part).
    let between = &text[TextRange::new(assign.end(), statement.start())];
    let assign_line_start = text[..assign.start().to_usize()].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let next_line_start = assign.end().to_usize() + between.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let (assign_line_start, next_line_start) =
        (TextSize::try_from(assign_line_start).ok()?, TextSize::try_from(next_line_start).ok()?);
    if between.trim() != ""
        || !between.contains(['\n', '\r'])
        || text[TextRange::new(assign_line_start, assign.start())].trim() != ""
        || text[assign.range()].contains(['\n', '\r'])
        || source.has_comments(TextRange::new(assign_line_start, statement.start()))
    {
        return None;
    }
    Some((assign, Edit::delete(TextRange::new(assign_line_start, next_line_start))))
}

fn build(checker: &Checker, if_stmt: &StmtIf) -> Option<Refactor> {
    let name = tested_name(&if_stmt.test)?;
    let (assign, delete) = assignment_before(checker, checker.node_id()?, name)?;
    let value = checker.source.slice(&*assign.value);
    let edits = vec![delete, Edit::replace(name.range(), format!("({} := {value})", name.id))];
    let fix = Fix::safe("Use assignment expression", edits)?;
    let keyword_end = if_stmt.start() + TextSize::from(2);
    Some(Refactor {
        id: "use-assignment-expression",
        card: "walrus-operator",
        range: TextRange::new(assign.start(), keyword_end),
        fix,
    })
}

fn build_while(checker: &Checker, node: NodeId, while_stmt: &StmtWhile) -> Option<Refactor> {
    let name = tested_name(&while_stmt.test)?;
    let (assign, delete) = assignment_before(checker, node, name)?;
    let source = &checker.source;
    let value = source.slice(&*assign.value);
    // The body ends with the same assignment, written the same way.
    let [_, .., Stmt::Assign(last)] = while_stmt.body.as_slice() else { return None };
    let [Expr::Name(last_target)] = last.targets.as_slice() else { return None };
    if last_target.id != name.id || source.slice(&*last.value) != value {
        return None;
    }
    // Alone on its line, with no comment: the whole line goes.
    let line = TextRange::new(source.line_start(last.start()), source.full_line_end(last.end()));
    if source.indentation_at(last.start()).is_none()
        || source.text()[TextRange::new(last.end(), line.end())].trim() != ""
        || source.has_comments(line)
    {
        return None;
    }
    if has_own_continue(checker, node) {
        return None;
    }
    let edits = vec![delete, Edit::replace(name.range(), format!("({} := {value})", name.id)), Edit::delete(line)];
    let fix = Fix::safe("Use assignment expression", edits)?;
    let keyword_end = while_stmt.start() + TextSize::from(5);
    Some(Refactor {
        id: "use-assignment-expression",
        card: "walrus-operator",
        range: TextRange::new(assign.start(), keyword_end),
        fix,
    })
}

/// A `continue` whose nearest loop is the `while` at `node` (nested loops have their own).
fn has_own_continue(checker: &Checker, node: NodeId) -> bool {
    let model = checker.semantic();
    model.descendants(node).any(|n| {
        matches!(model.node(n), NodeRef::Stmt(Stmt::Continue(_)))
            && model.ancestor_ids(n).find(|a| matches!(model.node(*a), NodeRef::Stmt(Stmt::For(_) | Stmt::While(_))))
                == Some(node)
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

    #[test]
    fn merges_the_assignment_into_a_while_loop() {
        let src = "def drain(stream):\n    chunk = stream.read(4)\n    while chunk:\n        print(chunk)\n        chunk = stream.read(4)\n    return 'done'\n";
        assert_eq!(
            refactored(src).unwrap(),
            "def drain(stream):\n    while (chunk := stream.read(4)):\n        print(chunk)\n    return 'done'\n"
        );
        // `is not None`, an `else:` clause, a `break`, and a `continue` that belongs to an inner loop.
        let src = "line = q.get()\nwhile line is not None:\n    if line == 'stop':\n        break\n    for c in line:\n        if c == ' ':\n            continue\n    line = q.get()\nelse:\n    print('end')\n";
        assert_eq!(
            refactored(src).unwrap(),
            "while (line := q.get()) is not None:\n    if line == 'stop':\n        break\n    for c in line:\n        if c == ' ':\n            continue\nelse:\n    print('end')\n"
        );
    }

    #[test]
    fn the_merged_while_loop_behaves_the_same() {
        let src = "import io\n\ndef drain(stream):\n    out = []\n    chunk = stream.read(3)\n    while chunk:\n        if chunk == 'xyz':\n            break\n        out.append(chunk)\n        chunk = stream.read(3)\n    else:\n        out.append('eof')\n    return out, chunk\n\nfor text in ['', 'abcdefg', 'abcxyzdef']:\n    print(drain(io.StringIO(text)))\n\nitems = [3, 2, 1, None, 5]\nx = items.pop(0)\nwhile x is not None:\n    print('item', x)\n    x = items.pop(0)\nprint(x, items)\n";
        let (ok, before, stderr) = run_python(src);
        assert!(ok, "{stderr}");
        let once = refactored(src).unwrap();
        let twice = refactored(&once).unwrap();
        assert!(refactored(&twice).is_none(), "{twice}");
        assert!(
            twice.contains("while (chunk := stream.read(3)):")
                && twice.contains("while (x := items.pop(0)) is not None:")
        );
        let (ok, after, stderr) = run_python(&twice);
        assert!(ok, "{twice}\n{stderr}");
        assert_eq!(before, after);
    }

    #[test]
    fn while_form_not_offered_when_the_loop_differs() {
        for src in [
            // The body does not end with the same assignment, or only holds it.
            "x = f()\nwhile x:\n    x = g()\n    print(x)\n",
            "x = f()\nwhile x:\n    print(x)\n    x = f(1)\n",
            "x = f()\nwhile x:\n    print(x)\n    y = f()\n",
            "x = f()\nwhile x:\n    x = f()\n",
            // A `continue` of this loop skipped the re-assignment: the old value was tested again.
            "x = f()\nwhile x:\n    if x > 1:\n        continue\n    x = f()\n",
            // A comment on the removed line, or another statement sharing it.
            "x = f()\nwhile x:\n    print(x)\n    x = f()  # next\n",
            "x = f()\nwhile x:\n    print(x); x = f()\n",
            // Something between the assignment and the loop; another test.
            "x = f()\nprint(x)\nwhile x:\n    print(x)\n    x = f()\n",
            "x = f()\nwhile x > 0:\n    print(x)\n    x = f()\n",
        ] {
            assert!(refactored(src).is_none(), "{src}");
        }
    }
}
