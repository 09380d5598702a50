//! "Convert to match": an `if`/`elif` chain of four or more tests of one name becomes a `match`
//! statement with literal, value and class patterns (an `else:` becomes `case _:`).
//!
//! Offered only where each `case` tests exactly what the `if` tested:
//! - `x == <number, string or bytes literal>` -> `case <literal>:` (a literal pattern compares
//!   with `==`, subject on the left, as the test did);
//! - `x == a.B` -> `case a.B:` (a dotted name is a value pattern, compared with `==`); a bare name
//!   is never used, since `case B:` would capture instead of compare;
//! - `x is None` / `is True` / `is False` -> `case None:` and so on (those patterns compare by
//!   identity); `x == None` / `== True` is left alone, since `1 == True` but `1 is not True`;
//! - `isinstance(x, C)` / `isinstance(x, (C, D))` -> `case C():` / `case C() | D():`, where `C` is
//!   a class: a builtin type, a class defined in the file, or an imported CamelCase name (not from
//!   `typing`, whose aliases are not classes); a class pattern raises `TypeError` on anything else,
//!   such as a tuple of types held in a name;
//! - `a or b` of those -> an or-pattern.
//!
//! The subject must be a plain name (an attribute could run a property once instead of once per
//! test). Not offered when a test has a guard-like extra condition, a test spans lines, a body
//! shares its header's line, the chain holds a string that spans lines (re-indenting would change
//! it), or indentation mixes tabs.
//!
//! Unsafe: the result needs Python 3.10 or later, and the project's minimum version is not known
//! here. Under that assumption the behaviour is the same.

use ruff_python_ast::{BoolOp, CmpOp, ElifElseClause, Expr, ExprName, StmtIf, UnaryOp};
use ruff_text_size::{Ranged, TextRange, TextSize};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::semantic::{BindingKind, is_builtin};

/// Fewer branches read as well as an `if` chain.
const MIN_TESTS: usize = 4;

pub(crate) fn check(checker: &mut Checker, if_stmt: &StmtIf) {
    // Cheapest test first: the chain's length.
    if if_stmt.elif_else_clauses.iter().filter(|c| c.test.is_some()).count() + 1 < MIN_TESTS {
        return;
    }
    if let Some(refactor) = build(checker, if_stmt) {
        checker.refactors.push(refactor);
    }
}

fn build(checker: &Checker, if_stmt: &StmtIf) -> Option<Refactor> {
    let source = &checker.source;
    let text = source.text();
    let subject = subject_of(&if_stmt.test)?;
    let mut patterns = vec![pattern(checker, &if_stmt.test, subject)?];
    let clauses: &[ElifElseClause] = &if_stmt.elif_else_clauses;
    for (i, clause) in clauses.iter().enumerate() {
        match &clause.test {
            Some(test) => patterns.push(pattern(checker, test, subject)?),
            // `else:` can only be last; the parser accepts worse while code is half-typed.
            None if i + 1 == clauses.len() => {}
            None => return None,
        }
    }
    if source.has_multiline_string(if_stmt.range()) {
        return None;
    }
    let indent = source.indentation_at(if_stmt.start())?;
    let body_indent = source.indentation_at(if_stmt.body.first()?.start())?;
    let unit = body_indent.strip_prefix(indent).filter(|u| !u.is_empty())?;
    if indent.contains('\t') || unit.contains('\t') {
        return None;
    }
    for clause in clauses {
        if source.indentation_at(clause.start()) != Some(indent)
            || source.indentation_at(clause.body.first()?.start()) != Some(body_indent)
        {
            return None;
        }
    }
    let tests = std::iter::once(&*if_stmt.test).chain(clauses.iter().filter_map(|c| c.test.as_ref()));
    if tests.clone().any(|t| source.slice(t).contains(['\n', '\r'])) {
        return None;
    }

    let nl = source.line_ending();
    let mut edits = vec![Edit::replace(
        TextRange::new(if_stmt.start(), if_stmt.test.end()),
        format!("match {subject}:{nl}{indent}{unit}case {}", patterns[0]),
    )];
    let mut next = patterns[1..].iter();
    for clause in clauses {
        match &clause.test {
            Some(test) => {
                let pattern = next.next()?;
                edits.push(Edit::replace(TextRange::new(clause.start(), test.end()), format!("case {pattern}")));
            }
            None => edits.push(Edit::replace(TextRange::at(clause.start(), TextSize::from(4)), "case _")),
        }
    }
    // One more level for every non-blank line after the first: bodies, `elif`/`else` lines and
    // comments between them.
    let first_line_end = source.full_line_end(if_stmt.start()).to_usize();
    let end = if_stmt.end().to_usize();
    let mut at = first_line_end;
    while at < end {
        let line_end = source.full_line_end(TextSize::try_from(at).ok()?).to_usize();
        if !text[at..line_end].trim().is_empty() {
            edits.push(Edit::insert(TextSize::try_from(at).ok()?, unit));
        }
        at = line_end;
    }
    let fix = Fix::unsafe_("Convert to match (Python 3.10+)", edits)?;
    Some(Refactor {
        id: "convert-to-match",
        card: "match-statement",
        range: TextRange::new(if_stmt.start(), if_stmt.test.end()),
        fix,
    })
}

/// The name the first test examines.
fn subject_of(test: &Expr) -> Option<&str> {
    let name = match test {
        Expr::BoolOp(op) => return subject_of(op.values.first()?),
        Expr::Compare(compare) => compare.left.as_name_expr()?,
        Expr::Call(call) => call.arguments.args.first()?.as_name_expr()?,
        _ => return None,
    };
    Some(name.id.as_str())
}

fn is_subject(expr: &Expr, subject: &str) -> bool {
    matches!(expr, Expr::Name(ExprName { id, .. }) if id.as_str() == subject)
}

/// The pattern that tests what `test` tests, when one does exactly that.
fn pattern(checker: &Checker, test: &Expr, subject: &str) -> Option<String> {
    let source = &checker.source;
    match test {
        Expr::BoolOp(op) if op.op == BoolOp::Or => {
            let alternatives: Option<Vec<String>> = op.values.iter().map(|v| pattern(checker, v, subject)).collect();
            Some(alternatives?.join(" | "))
        }
        Expr::Compare(compare) => {
            let ([op], [value]) = (&*compare.ops, &*compare.comparators) else { return None };
            if !is_subject(&compare.left, subject) {
                return None;
            }
            match op {
                CmpOp::Eq if is_literal(value) || is_dotted(value) => Some(source.slice(value).to_string()),
                CmpOp::Is => match value {
                    Expr::NoneLiteral(_) => Some("None".into()),
                    Expr::BooleanLiteral(b) => Some(if b.value { "True" } else { "False" }.into()),
                    _ => None,
                },
                _ => None,
            }
        }
        Expr::Call(call) => {
            let [object, classes] = &*call.arguments.args else { return None };
            if !call.arguments.keywords.is_empty()
                || !is_subject(object, subject)
                || !checker.resolves_to(&call.func, "builtins.isinstance")
            {
                return None;
            }
            let classes = match classes {
                Expr::Tuple(tuple) if !tuple.elts.is_empty() => tuple.elts.as_slice(),
                single => std::slice::from_ref(single),
            };
            let mut alternatives = Vec::with_capacity(classes.len());
            for class in classes {
                if !is_class(checker, class) {
                    return None;
                }
                alternatives.push(format!("{}()", source.slice(class)));
            }
            Some(alternatives.join(" | "))
        }
        _ => None,
    }
}

/// A number, string or bytes literal (a negative number too): what a literal pattern accepts
/// and compares with `==`. f-strings and `+1` are not patterns.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_) | Expr::StringLiteral(_) | Expr::BytesLiteral(_) => true,
        Expr::UnaryOp(unary) => unary.op == UnaryOp::USub && unary.operand.is_number_literal_expr(),
        _ => false,
    }
}

/// `a.b` or `a.b.c`: a value pattern.
fn is_dotted(expr: &Expr) -> bool {
    let Expr::Attribute(attribute) = expr else { return false };
    let mut value = &*attribute.value;
    loop {
        match value {
            Expr::Name(_) => return true,
            Expr::Attribute(inner) => value = &inner.value,
            _ => return false,
        }
    }
}

/// Builtin classes a class pattern accepts (exceptions are recognised by name).
const BUILTIN_TYPES: &[&str] = &[
    "bool",
    "bytearray",
    "bytes",
    "complex",
    "dict",
    "float",
    "frozenset",
    "int",
    "list",
    "memoryview",
    "object",
    "range",
    "set",
    "slice",
    "str",
    "tuple",
    "type",
];

/// Is `expr` a class, so that `case expr():` means `isinstance(subject, expr)`?
fn is_class(checker: &Checker, expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => {
            let id = name.id.as_str();
            match checker.lookup(id) {
                None => {
                    is_builtin(id)
                        && (BUILTIN_TYPES.contains(&id)
                            || id.ends_with("Error")
                            || id.ends_with("Exception")
                            || id.ends_with("Warning"))
                }
                Some(binding) => match &binding.kind {
                    BindingKind::ClassDef(_) => true,
                    BindingKind::FromImport(_) => imported_class(checker, expr),
                    _ => false,
                },
            }
        }
        Expr::Attribute(_) if is_dotted(expr) => imported_class(checker, expr),
        _ => false,
    }
}

/// An imported name spelled as a class (CamelCase), outside `typing`.
fn imported_class(checker: &Checker, expr: &Expr) -> bool {
    let Some(qualified) = checker.resolve(expr) else { return false };
    let segments = qualified.segments();
    let (Some(first), Some(last)) = (segments.first(), segments.last()) else { return false };
    !matches!(*first, "typing" | "typing_extensions" | "builtins")
        && last.starts_with(|c: char| c.is_ascii_uppercase())
        && last.contains(|c: char| c.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::rules::test_support::run_python;
    use crate::analysis::{AnalysisOptions, Applicability, analyze};

    fn converted(source: &str) -> Option<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        let refactor = analysis.refactors.iter().find(|r| r.id == "convert-to-match")?;
        assert_eq!(refactor.fix.applicability, Applicability::Unsafe, "needs Python 3.10+");
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "{result}");
        Some(result)
    }

    #[test]
    fn literals_dotted_names_and_singletons_become_cases() {
        let src = "def f(code):\n    if code == 200:\n        return 'ok'\n    elif code == -1 or code == 0:\n        return 'none'\n    # redirects\n    elif code == Status.MOVED:\n        x = 1\n        return 'moved'\n    elif code is None:\n        return 'unset'\n    else:\n        return 'other'\n";
        assert_eq!(
            converted(src).unwrap(),
            "def f(code):\n    match code:\n        case 200:\n            return 'ok'\n        case -1 | 0:\n            return 'none'\n        # redirects\n        case Status.MOVED:\n            x = 1\n            return 'moved'\n        case None:\n            return 'unset'\n        case _:\n            return 'other'\n"
        );
    }

    #[test]
    fn isinstance_tests_become_class_patterns() {
        let src = "from decimal import Decimal\n\nclass Point:\n    pass\n\nif isinstance(v, bool):\n    kind = 'flag'\nelif isinstance(v, (int, float)):\n    kind = 'number'\nelif isinstance(v, Decimal):\n    kind = 'decimal'\nelif isinstance(v, Point) or v == 'origin':\n    kind = 'point'\n";
        assert_eq!(
            converted(src).unwrap(),
            "from decimal import Decimal\n\nclass Point:\n    pass\n\nmatch v:\n    case bool():\n        kind = 'flag'\n    case int() | float():\n        kind = 'number'\n    case Decimal():\n        kind = 'decimal'\n    case Point() | 'origin':\n        kind = 'point'\n"
        );
    }

    #[test]
    fn the_match_behaves_the_same() {
        let src = "import enum\nfrom decimal import Decimal\n\nclass Color(enum.Enum):\n    RED = 1\n    BLUE = 2\n\nclass Loud:\n    def __eq__(self, other):\n        return other == 'loud'\n    def __repr__(self):\n        return 'Loud()'\n\ndef describe(v):\n    if v is True:\n        return 'true'\n    elif v == 1:\n        return 'one'\n    elif v == 'a' or v == b'a':\n        return 'a'\n    elif v == Color.RED:\n        return 'red'\n    elif isinstance(v, (Decimal, list)):\n        return 'decimal or list'\n    elif v is None:\n        return 'none'\n    else:\n        return 'other'\n\nfor v in [True, 1, 1.0, False, 0, 'a', b'a', Color.RED, Color.BLUE, Decimal(1), Decimal(2), [], None, Loud(), 2j]:\n    print(repr(v), describe(v))\n";
        let (ok, before, stderr) = run_python(src);
        assert!(ok, "{stderr}");
        let after_src = converted(src).unwrap();
        let (ok, after, stderr) = run_python(&after_src);
        assert!(ok, "{after_src}\n{stderr}");
        assert_eq!(before, after);
    }

    #[test]
    fn not_offered_where_a_case_would_test_something_else() {
        let chain = |tests: [&str; 4]| {
            format!(
                "def f(x, y, LIMIT, TYPES):\n    if {}:\n        pass\n    elif {}:\n        pass\n    elif {}:\n        pass\n    elif {}:\n        pass\n",
                tests[0], tests[1], tests[2], tests[3]
            )
        };
        let base = ["x == 1", "x == 2", "x == 3"];
        assert!(converted(&chain(["x == 1", "x == 2", "x == 3", "x == 4"])).is_some());
        for fourth in [
            // A bare name would capture; `== None` / `== True` compare by equality, not identity.
            "x == LIMIT",
            "x == None",
            "x == True",
            // Another subject, a guard, another comparison, a reversed comparison.
            "y == 4",
            "x == 4 and y",
            "x != 4",
            "x in (4, 5)",
            "4 == x",
            "x.attr == 4",
            // Not literals: an f-string, a call, `+1`.
            "x == f'{y}'",
            "x == len(y)",
            "x == +4",
            // A name holding a tuple of types, a typing alias, a parameter.
            "isinstance(x, TYPES)",
            "isinstance(x, typing.List)",
            "isinstance(x, y)",
        ] {
            let src = chain([base[0], base[1], base[2], fourth]).replace("def f", "import typing\n\ndef f");
            assert!(converted(&src).is_none(), "{fourth}");
        }
        for src in [
            // Three tests only.
            "if x == 1:\n    pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelse:\n    pass\n",
            // A body on its header's line, a string over lines, a test over lines, tabs.
            "if x == 1: pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x == 4:\n    pass\n",
            "if x == 1:\n    s = '''a\nb'''\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x == 4:\n    pass\n",
            "if (x == 1 or\n        x == 5):\n    pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x == 4:\n    pass\n",
            "if x == 1:\n\tpass\nelif x == 2:\n\tpass\nelif x == 3:\n\tpass\nelif x == 4:\n\tpass\n",
            // A local `isinstance` is not the builtin.
            "isinstance = lambda a, b: True\nif isinstance(x, int):\n    pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x == 4:\n    pass\n",
        ] {
            assert!(converted(src).is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_chains_do_not_panic() {
        for src in [
            "if x == 1:\n    pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x ==",
            "if x == 1:\nelif x == 2:\nelif x == 3:\nelif x == 4:\n",
            "if x == 1:\n    pass\nelse:\n    pass\nelif x == 2:\n    pass\nelif x == 3:\n    pass\nelif x == 4:\n    pass\n",
        ] {
            let _ = converted(src);
        }
    }
}
