//! "Convert to dataclass": a class whose only method is an `__init__` that stores each parameter
//! on `self` becomes a `@dataclass` with one annotated field per parameter. Unsafe: the class
//! gains value equality (and so becomes unhashable), a generated `__repr__`, and field-order rules.

use ruff_python_ast::{Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::Refactor;
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers::{self, is_docstring};

pub(crate) fn check(checker: &mut Checker, class: &StmtClassDef) {
    if let Some(refactor) = build(checker, class) {
        checker.refactors.push(refactor);
    }
}

fn build(checker: &Checker, class: &StmtClassDef) -> Option<Refactor> {
    if !class.decorator_list.is_empty() || class.type_params.is_some() {
        return None;
    }
    if let Some(arguments) = &class.arguments {
        let only_object = arguments.keywords.is_empty()
            && arguments.args.iter().all(|base| checker.resolves_to(base, "builtins.object"));
        if !only_object {
            return None;
        }
    }
    let mut body = class.body.iter().filter(|s| !is_docstring(s));
    let Some(Stmt::FunctionDef(init)) = body.next() else { return None };
    if body.next().is_some() || init.name.as_str() != "__init__" || init.is_async || !init.decorator_list.is_empty() {
        return None;
    }
    let fields = fields(checker, init)?;
    if fields.is_empty() {
        return None;
    }
    let source = &checker.source;
    let init_indent = source.indentation_at(init.start())?;
    let class_indent = source.indentation_at(class.start())?;
    let init_lines = TextRange::new(source.line_start(init.start()), source.full_line_end(init.end()));
    if source.has_comments(init_lines) || source.has_multiline_string(init_lines) {
        return None;
    }
    let nl = source.line_ending();
    let needs_any = fields.iter().any(|f| f.annotation.is_none());
    let (decorator, dataclass_import) = helpers::import_member(checker, "dataclasses", "dataclass");
    let (any, any_import) =
        if needs_any { helpers::import_member(checker, "typing", "Any") } else { (String::new(), None) };

    let mut field_lines = String::new();
    for field in &fields {
        let annotation = field.annotation.unwrap_or(&any);
        match field.default {
            Some(default) => {
                field_lines.push_str(&format!("{init_indent}{}: {annotation} = {default}{nl}", field.name))
            }
            None => field_lines.push_str(&format!("{init_indent}{}: {annotation}{nl}", field.name)),
        }
    }
    let mut edits = vec![
        Edit::insert(source.line_start(class.start()), format!("{class_indent}@{decorator}{nl}")),
        Edit::replace(init_lines, field_lines),
    ];
    // Both imports go in at the same place: one edit keeps their order defined.
    let imports: Vec<Edit> = [dataclass_import, any_import].into_iter().flatten().collect();
    if let Some(first) = imports.first() {
        let content: String = imports.iter().map(|e| e.content.as_str()).collect();
        edits.push(Edit::insert(first.range.start(), content));
    }
    let fix = Fix::unsafe_(format!("Convert `{}` to a dataclass", class.name.as_str()), edits)?;
    Some(Refactor {
        id: "convert-to-dataclass",
        card: "dataclass",
        range: TextRange::new(class.start(), class.name.end()),
        fix,
    })
}

struct Field<'a> {
    name: &'a str,
    annotation: Option<&'a str>,
    default: Option<&'a str>,
}

/// The fields, when `__init__(self, a, b=1)` is only `self.a = a; self.b = b` (in any order) with
/// simple defaults. Defaults that build objects would be shared or rejected by `dataclass`.
fn fields<'a>(checker: &Checker<'a>, init: &'a StmtFunctionDef) -> Option<Vec<Field<'a>>> {
    let params = &init.parameters;
    if params.vararg.is_some()
        || params.kwarg.is_some()
        || !params.kwonlyargs.is_empty()
        || !params.posonlyargs.is_empty()
    {
        return None;
    }
    let mut args = params.args.iter();
    let self_param = args.next()?;
    let self_name = self_param.name().as_str();
    let mut fields = Vec::new();
    for param in args {
        let default = match param.default() {
            None => None,
            Some(expr) if is_simple_default(expr) => Some(checker.source.slice(expr)),
            Some(_) => return None,
        };
        let annotation = param.annotation().map(|a| checker.source.slice(a));
        fields.push(Field { name: param.name().as_str(), annotation, default });
    }
    let statements: Vec<&Stmt> = init.body.iter().filter(|s| !is_docstring(s)).collect();
    if statements.len() != fields.len() {
        return None;
    }
    let mut seen = Vec::new();
    for stmt in statements {
        let Stmt::Assign(assign) = stmt else { return None };
        let [Expr::Attribute(target)] = assign.targets.as_slice() else { return None };
        let Expr::Name(owner) = &*target.value else { return None };
        let Expr::Name(value) = &*assign.value else { return None };
        let name = target.attr.as_str();
        if owner.id.as_str() != self_name || value.id.as_str() != name || seen.contains(&name) {
            return None;
        }
        if !fields.iter().any(|f| f.name == name) {
            return None;
        }
        seen.push(name);
    }
    Some(fields)
}

fn is_simple_default(expr: &Expr) -> bool {
    match expr {
        Expr::NumberLiteral(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::BooleanLiteral(_)
        | Expr::NoneLiteral(_)
        | Expr::EllipsisLiteral(_) => true,
        Expr::UnaryOp(op) => is_simple_default(&op.operand),
        Expr::Tuple(t) => t.elts.iter().all(is_simple_default),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::{AnalysisOptions, analyze};

    fn refactored(source: &str) -> Option<String> {
        let analysis = analyze(source, &AnalysisOptions::default());
        let refactor = analysis.refactors.iter().find(|r| r.id == "convert-to-dataclass")?;
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "{result}");
        Some(result)
    }

    #[test]
    fn converts_a_storage_only_class() {
        let src = "import os\n\nclass Point:\n    \"\"\"A point.\"\"\"\n\n    def __init__(self, x: int, y: int = 0, label=None):\n        self.x = x\n        self.y = y\n        self.label = label\n";
        assert_eq!(
            refactored(src).unwrap(),
            "import os\nimport dataclasses\nimport typing\n\n@dataclasses.dataclass\nclass Point:\n    \"\"\"A point.\"\"\"\n\n    x: int\n    y: int = 0\n    label: typing.Any = None\n"
        );
    }

    #[test]
    fn reuses_existing_imports() {
        let src =
            "from dataclasses import dataclass\n\nclass P:\n    def __init__(self, a: str):\n        self.a = a\n";
        assert_eq!(refactored(src).unwrap(), "from dataclasses import dataclass\n\n@dataclass\nclass P:\n    a: str\n");
    }

    #[test]
    fn not_offered_for_classes_that_do_more() {
        for src in [
            "class A:\n    def __init__(self, a):\n        self.a = a * 2\n",
            "class A(Base):\n    def __init__(self, a):\n        self.a = a\n",
            "class A:\n    def __init__(self, a):\n        self.a = a\n    def area(self):\n        return 1\n",
            "class A:\n    def __init__(self, a=[]):\n        self.a = a\n",
            "class A:\n    def __init__(self, *args):\n        self.args = args\n",
            "@final\nclass A:\n    def __init__(self, a):\n        self.a = a\n",
            "class A:\n    def __init__(self, a):\n        self.b = a\n",
        ] {
            assert!(refactored(src).is_none(), "{src}");
        }
    }
}
