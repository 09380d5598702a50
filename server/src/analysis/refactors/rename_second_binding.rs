//! "Rename second binding": where a function binds one name to a literal of one type and then
//! rebinds it to a literal of another (the `dynamic-typing-rebind` hover), the second binding and
//! everything after it that uses it get a name of their own (`total` -> `total_str`).
//!
//! Safe, because it is offered only when no control-flow merge mixes the two bindings: both
//! assignments sit in the same block (the second runs only after the first); the block is not a
//! loop body, nor inside one in this function (a later iteration would read the second binding
//! where the text reads the first); every binding and read of the name from the second on lies
//! in that block after it (a read after an `if`, `try` or `with` holding the block could see
//! either); and the name is read in this function's own code or its comprehensions only (a
//! closure reads whichever binding is live when it runs). Also not offered when the name is
//! declared `global`/`nonlocal`, deleted, or bound by an import, `def` or `class` from the second
//! binding on, when the function calls `locals`, `vars`, `eval` or `exec`, or when an f-string
//! prints the name itself (`f"{x=}"`).

use std::collections::HashSet;

use ruff_python_ast::Stmt;
use ruff_text_size::{Ranged, TextRange};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::concepts::literal_kind;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;
use crate::analysis::semantic::{BindingId, BindingKind, NodeRef, ScopeId, ScopeKind, SemanticModel};

/// Once per function scope, after the walk: every read of each binding is known then.
pub(crate) fn check_scope(checker: &mut Checker, scope: ScopeId) {
    let ScopeKind::Function(function) = checker.semantic().scope(scope).kind else { return };
    let model = checker.semantic();
    let mut pairs = Vec::new();
    for (name, _) in model.scope(scope).bindings() {
        let chain: Vec<BindingId> = model.bindings_of(scope, name).collect();
        // Latest first: `pair[1]` is the binding `pair[0]` shadows.
        for pair in chain.windows(2) {
            if changes_literal_type(model, pair[1], pair[0]) {
                pairs.push((pair[1], pair[0]));
            }
        }
    }
    if pairs.is_empty() {
        return;
    }
    pairs.sort_by_key(|(_, second)| model.binding(*second).range.start());
    let mut taken = helpers::names_in_stmts(&function.body);
    if ["locals", "vars", "eval", "exec"].iter().any(|n| taken.contains(n)) {
        return;
    }
    taken.extend(model.scope(scope).bindings().map(|(name, _)| name));
    taken.extend(function.parameters.iter().map(|p| p.name().as_str()));
    let refactors: Vec<Refactor> =
        pairs.into_iter().filter_map(|(first, second)| build(checker, scope, first, second, &taken)).collect();
    checker.refactors.extend(refactors);
}

/// The pair the hover anchor shows: `x = <literal>` then `x = <literal of another kind>`.
fn changes_literal_type(model: &SemanticModel, first: BindingId, second: BindingId) -> bool {
    let (first, second) = (model.binding(first), model.binding(second));
    if !matches!(first.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment)
        || !matches!(second.kind, BindingKind::Assignment)
    {
        return false;
    }
    let single_target = second.source.and_then(|s| model.node(s).as_stmt()).is_some_and(
        |stmt| matches!(stmt, Stmt::Assign(assign) if assign.targets.len() == 1 && assign.targets[0].is_name_expr()),
    );
    match (first.value.and_then(literal_kind), second.value.and_then(literal_kind)) {
        (Some(a), Some(b)) => single_target && a != b,
        _ => false,
    }
}

fn build(
    checker: &Checker,
    scope: ScopeId,
    first: BindingId,
    second: BindingId,
    taken: &HashSet<&str>,
) -> Option<Refactor> {
    let model = checker.semantic();
    let binding = model.binding(second);
    let name = binding.name;
    if model.scope(scope).declaration(name).is_some() {
        return None;
    }
    let second_stmt = model.statement_id(binding.node?)?;
    let first_stmt = model.statement_id(model.binding(first).node?)?;
    let (suite, index) = model.suite_of(second_stmt)?;
    let (first_suite, first_index) = model.suite_of(first_stmt)?;
    if !std::ptr::eq(suite, first_suite) || first_index >= index {
        return None;
    }
    // Not a loop body, nor inside a loop of this function.
    let function_node = model.scope(scope).node?;
    let in_loop = model
        .ancestor_ids(second_stmt)
        .take_while(|a| *a != function_node)
        .any(|a| matches!(model.node(a), NodeRef::Stmt(Stmt::For(_) | Stmt::While(_))));
    if in_loop {
        return None;
    }
    // From the second statement to the end of its block.
    let region = TextRange::new(suite[index].start(), suite.last()?.end());
    let inside = |range: TextRange| region.contains_range(range);
    let own_code = |from: ScopeId| {
        model
            .scope_chain(from)
            .take_while(|s| *s != scope)
            .all(|s| matches!(model.scope(s).kind, ScopeKind::Comprehension))
    };
    let mut ranges = Vec::new();
    for id in model.bindings_of(scope, name) {
        let b = model.binding(id);
        if id == first {
            break;
        }
        let renamable = matches!(
            b.kind,
            BindingKind::Assignment
                | BindingKind::AnnotatedAssignment
                | BindingKind::Annotation
                | BindingKind::AugmentedAssignment
                | BindingKind::LoopVar
                | BindingKind::WithItemVar
                | BindingKind::NamedExpr
                | BindingKind::MatchCapture
                | BindingKind::ExceptHandler
        );
        if !renamable || !inside(b.range) || !own_code(b.bound_in) {
            return None;
        }
        ranges.push(b.range);
        for reference in model.references(id) {
            if !inside(reference.range) || !own_code(reference.scope) || is_self_documenting(checker, reference.range) {
                return None;
            }
            ranges.push(reference.range);
        }
    }
    // Reads of the earlier bindings end with the second statement (its value may read the first),
    // and none is in a closure.
    let mut earlier = model.bindings_of(scope, name).skip_while(|id| *id != first);
    if earlier.any(|id| model.references(id).any(|r| r.start() >= suite[index].end() || !own_code(r.scope))) {
        return None;
    }
    let new_name = helpers::fresh_name(&format!("{name}_{}", suffix(binding.value.and_then(literal_kind)?)), taken);
    let edits = ranges.into_iter().map(|range| Edit::replace(range, new_name.clone())).collect();
    let fix = Fix::safe(format!("Rename second binding of `{name}` to `{new_name}`"), edits)?;
    Some(Refactor { id: "rename-second-binding", card: "dynamic-typing-rebind", range: binding.range, fix })
}

/// `f"{x=}"` prints the name as written: renaming would change the output.
fn is_self_documenting(checker: &Checker, range: TextRange) -> bool {
    let after = checker.source.text()[range.end().to_usize()..].trim_start();
    after.starts_with('=') && !after.starts_with("==")
}

/// A short name for the kind [`literal_kind`] reports.
fn suffix(kind: &str) -> &'static str {
    match kind {
        "a number" => "num",
        "a str" => "str",
        "bytes" => "bytes",
        "a bool" => "flag",
        "a list" => "list",
        "a dict" => "dict",
        "a set" => "set",
        "a tuple" => "tuple",
        _ => "new",
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::rules::test_support::run_python;
    use crate::analysis::{AnalysisOptions, Applicability, analyze};

    fn renamed(source: &str) -> Option<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        let refactor = analysis.refactors.iter().find(|r| r.id == "rename-second-binding")?;
        assert_eq!(refactor.fix.applicability, Applicability::Safe);
        // Offered where the hover anchor is.
        assert!(
            analysis.concepts.iter().any(|c| c.card == "dynamic-typing-rebind" && c.range == refactor.range),
            "{source}"
        );
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "{result}");
        Some(result)
    }

    #[test]
    fn renames_the_second_binding_and_its_reads() {
        let src = "def report(rows):\n    total = 0\n    print(total)\n    total = f'{total} rows'\n    total = total.upper()\n    if total:\n        print(total, [c for c in total])\n    return total\n";
        // `total = f'...'` reads the number; from there on the name is the string's.
        assert_eq!(
            renamed(src).unwrap(),
            "def report(rows):\n    total = 0\n    print(total)\n    total_str = f'{total} rows'\n    total_str = total_str.upper()\n    if total_str:\n        print(total_str, [c for c in total_str])\n    return total_str\n"
        );
        // The fresh name avoids one already used in the function.
        let src = "def f(x_list):\n    x = {}\n    x = []\n    return x, x_list\n";
        assert_eq!(
            renamed(src).unwrap(),
            "def f(x_list):\n    x = {}\n    x_list_1 = []\n    return x_list_1, x_list\n"
        );
    }

    #[test]
    fn the_renamed_code_behaves_the_same() {
        let src = "def report(rows, flag):\n    total = 0\n    print(total + len(rows))\n    total = 'rows'\n    if flag:\n        total += '!'\n    return total\n\ndef g():\n    x = [1, 2]\n    print(x)\n    x = 'ab'\n    for ch in x:\n        print(ch)\n    x += 'c'\n    return x\n\nprint(report([1, 2], True), report([], False), g())\n";
        let (ok, before, stderr) = run_python(src);
        assert!(ok, "{stderr}");
        let once = renamed(src).unwrap();
        let twice = renamed(&once).unwrap();
        assert!(renamed(&twice).is_none(), "{twice}");
        let (ok, after, stderr) = run_python(&twice);
        assert!(ok, "{twice}\n{stderr}");
        assert_eq!(before, after);
    }

    #[test]
    fn not_offered_where_the_two_bindings_merge() {
        for src in [
            // The second binding in a branch: after the `if`, either could be live.
            "def f(c):\n    x = 1\n    if c:\n        x = 'a'\n    return x\n",
            // Read after the block holding the second binding.
            "def f(c):\n    if c:\n        x = 1\n        x = 'a'\n    return x\n",
            "def f():\n    try:\n        x = 1\n        x = 'a'\n    except ValueError:\n        pass\n    return x\n",
            // Inside a loop: the next iteration reads the second binding before the first is made.
            "def f(rows):\n    for r in rows:\n        print(x)\n        x = 1\n        x = 'a'\n",
            "def f(rows):\n    while rows:\n        x = 1\n        x = 'a'\n        rows.pop()\n",
            // A closure reads whichever binding is live when it runs.
            "def f():\n    x = 1\n    g = lambda: x\n    x = 'a'\n    return g()\n",
            "def f():\n    x = 1\n    x = 'a'\n    def g():\n        return x\n    return g\n",
            // Introspection, a self-documenting f-string, `del`, `global`.
            "def f():\n    x = 1\n    x = 'a'\n    return locals()\n",
            "def f():\n    x = 1\n    x = 'a'\n    return f'{x=}'\n",
            "def f():\n    x = 1\n    x = 'a'\n    del x\n    return 0\n",
            "def f():\n    global x\n    x = 1\n    x = 'a'\n",
            // Not a change of literal type; module level.
            "def f():\n    x = 1\n    x = 2.5\n    return x\n",
            "x = 1\nx = 'a'\nprint(x)\n",
        ] {
            assert!(renamed(src).is_none(), "{src}");
        }
    }
}
