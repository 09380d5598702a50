//! "Switch to deepcopy" on a shallow copy (`copy.copy(x)`, `x.copy()`, `x[:]`) and "Switch to
//! shallow copy" on `copy.deepcopy(x)`. Never behaviour-preserving: changing the depth is the
//! point (nested objects become independent, or shared again), so the fix is display-only.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::{Ranged, TextRange};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;
use crate::analysis::semantic::qualified;

pub(crate) fn check(checker: &mut Checker, expr: &Expr) {
    if let Some(refactor) = build(checker, expr) {
        checker.refactors.push(refactor);
    }
}

fn build(checker: &Checker, expr: &Expr) -> Option<Refactor> {
    let (range, edits, title) = match expr {
        Expr::Call(call) => from_call(checker, call)?,
        // `x[:]` read as a value: a shallow copy of a sequence.
        Expr::Subscript(subscript) => {
            let Expr::Slice(slice) = &*subscript.slice else { return None };
            if !subscript.ctx.is_load() || slice.lower.is_some() || slice.upper.is_some() || slice.step.is_some() {
                return None;
            }
            let (deepcopy, import) = copy_member(checker, "deepcopy")?;
            let text = format!("{deepcopy}({})", checker.source.slice(&*subscript.value));
            let mut edits = vec![Edit::replace(subscript.range(), text)];
            edits.extend(import);
            (subscript.range(), edits, "Switch to deepcopy")
        }
        _ => return None,
    };
    let fix = Fix::display_only(title, edits)?;
    Some(Refactor { id: "switch-copy-depth", card: "copy-vs-deepcopy", range, fix })
}

fn from_call(checker: &Checker, call: &ExprCall) -> Option<(TextRange, Vec<Edit>, &'static str)> {
    let arguments = &call.arguments;
    match &*call.func {
        // `x.copy()` on anything but the `copy` module: the container's own shallow copy.
        Expr::Attribute(attribute)
            if attribute.attr.as_str() == "copy"
                && arguments.is_empty()
                && checker.resolve(&attribute.value).is_none_or(|n| !qualified::is(&n, "copy")) =>
        {
            let (deepcopy, import) = copy_member(checker, "deepcopy")?;
            let text = format!("{deepcopy}({})", checker.source.slice(&*attribute.value));
            let mut edits = vec![Edit::replace(call.range(), text)];
            edits.extend(import);
            Some((call.range(), edits, "Switch to deepcopy"))
        }
        func => {
            // One positional argument: `deepcopy(x, memo)` has no shallow counterpart.
            if arguments.args.len() != 1 || !arguments.keywords.is_empty() || arguments.args[0].is_starred_expr() {
                return None;
            }
            // Only a name imported as `copy`/`deepcopy` can be one of them: nothing else resolves.
            if let Expr::Name(name) = func {
                let imported = checker.binding_of(name).and_then(|b| b.import_name())?;
                if !matches!(imported.segments().last(), Some(&("copy" | "deepcopy"))) {
                    return None;
                }
            }
            let (other, title) = match checker.resolves_to_any(func, &["copy.copy", "copy.deepcopy"])? {
                "copy.copy" => ("deepcopy", "Switch to deepcopy"),
                _ => ("copy", "Switch to shallow copy"),
            };
            let edits = match func {
                // `copy.copy(...)` through the module: rename the attribute only.
                Expr::Attribute(attribute) => vec![Edit::replace(attribute.attr.range(), other)],
                _ => {
                    let (name, import) = copy_member(checker, other)?;
                    let mut edits = vec![Edit::replace(func.range(), name)];
                    edits.extend(import);
                    edits
                }
            };
            Some((call.range(), edits, title))
        }
    }
}

/// How to name `copy.<member>` here, and the import to add. `None` when adding `import copy` would
/// rebind a `copy` that already means something else (`from copy import copy`, a parameter).
fn copy_member(checker: &Checker, member: &str) -> Option<(String, Option<Edit>)> {
    let (name, import) = helpers::import_member(checker, "copy", member);
    if import.is_some() && checker.lookup("copy").is_some() {
        return None;
    }
    Some((name, import))
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::rules::test_support::run_python;
    use crate::analysis::{AnalysisOptions, Applicability, analyze};

    /// The refactor offered on `needle` (the first occurrence), applied; the result must parse and
    /// run.
    fn switched(source: &str, needle: &str) -> Option<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        let at = ruff_text_size::TextSize::try_from(source.find(needle).unwrap()).unwrap();
        let refactor =
            analysis.refactors.iter().find(|r| r.id == "switch-copy-depth" && r.range.contains_inclusive(at))?;
        assert_eq!(refactor.fix.applicability, Applicability::DisplayOnly, "changing the depth changes behaviour");
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "{result}");
        let (ok, _, stderr) = run_python(&result);
        assert!(ok, "{result}\n{stderr}");
        Some(result)
    }

    #[test]
    fn shallow_copies_become_deep_and_back() {
        let src = "import copy\n\ngrid = [[0], [1]]\na = copy.copy(grid)\nb = copy.deepcopy(grid)\nc = grid.copy()\nd = grid[:]\n";
        assert!(switched(src, "copy.copy").unwrap().contains("a = copy.deepcopy(grid)\n"));
        assert!(switched(src, "copy.deepcopy").unwrap().contains("b = copy.copy(grid)\n"));
        assert!(switched(src, "grid.copy").unwrap().contains("c = copy.deepcopy(grid)\n"));
        assert!(switched(src, "grid[:]").unwrap().contains("d = copy.deepcopy(grid)\n"));
    }

    #[test]
    fn imports_what_the_new_call_needs() {
        let src = "from copy import deepcopy as dc\n\nrow = {'a': [1]}\nx = dc(row)\ny = row.copy()\n";
        assert_eq!(
            switched(src, "dc(row)").unwrap(),
            "from copy import deepcopy as dc\nimport copy\n\nrow = {'a': [1]}\nx = copy.copy(row)\ny = row.copy()\n"
        );
        assert!(switched(src, "row.copy").unwrap().contains("y = dc(row)\n"));
        let src = "row = [[1]]\nz = list(row[:])\n";
        assert_eq!(switched(src, "row[:]").unwrap(), "import copy\nrow = [[1]]\nz = list(copy.deepcopy(row))\n");
    }

    #[test]
    fn the_deep_copy_really_is_independent() {
        let src = "grid = [[0]]\nclone = grid.copy()\nclone[0].append(1)\nprint(grid)\n";
        assert_eq!(run_python(src).1, "[[0, 1]]\n");
        let result = switched(src, "grid.copy").unwrap();
        assert_eq!(run_python(&result).1, "[[0]]\n");
    }

    #[test]
    fn not_offered_where_it_cannot_be_written() {
        for (src, needle) in [
            // `import copy` would replace the function imported under that name.
            ("from copy import copy\nrow = [[1]]\nx = copy(row)\n", "copy(row)"),
            ("def f(copy, row):\n    return row.copy()\n", "row.copy"),
            // The memo argument has no shallow form; slices and assignments are not copies.
            ("import copy\nx = copy.deepcopy([], {})\n", "copy.deepcopy"),
            ("row = [1]\nrow[:] = [2]\n", "row[:]"),
            ("row = [1]\ny = row[1:]\n", "row[1:]"),
            ("row = {}\ny = row.copy(1)\n", "row.copy"),
        ] {
            assert!(switched(src, needle).is_none(), "{src}");
        }
    }
}
