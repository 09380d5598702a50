//! "Convert function to generator": a function that only builds a list with appends and returns
//! it becomes a generator that yields each item. Unsafe: callers that index, take `len()` of, or
//! iterate the result twice change behaviour.
//!
//! Offered when the body (after a docstring) is `res = []` (or `list()`), statements that touch
//! `res` only through `res.append(<expr>)` statements (at any depth of loops, `if`, `with`, `try`,
//! never inside a nested function, lambda or comprehension), and a final `return res`, with no
//! other `return` and no `yield` of its own.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Expr, ExprCall, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use super::Refactor;
use crate::analysis::checker::{Checker, MAX_DEPTH};
use crate::analysis::finding::{Edit, Fix};
use crate::analysis::helpers;

pub(crate) fn check(checker: &mut Checker, function: &StmtFunctionDef) {
    if let Some(refactor) = refactor(checker, function) {
        checker.refactors.push(refactor);
    }
}

fn refactor(checker: &Checker, function: &StmtFunctionDef) -> Option<Refactor> {
    let name = function.name.as_str();
    // Dunder methods answer protocols (`__dir__`, `__getstate__`...) that want a real list.
    if function.is_async || name.is_empty() || name.starts_with("__") && name != "__iter__" {
        return None;
    }
    let body = match function.body.split_first() {
        Some((first, rest)) if helpers::is_docstring(first) => rest,
        _ => &function.body[..],
    };
    let [init, middle @ .., last] = body else { return None };
    let list = empty_list_target(checker, init)?;
    let Stmt::Return(ret) = last else { return None };
    if !matches!(ret.value.as_deref(), Some(Expr::Name(n)) if n.id.as_str() == list) {
        return None;
    }
    let mut scan = Scan { list, appends: Vec::new(), valid: true, nested: 0, depth: 0 };
    scan.visit_body(middle);
    if !scan.valid || scan.appends.is_empty() {
        return None;
    }
    let mut edits = vec![delete_statement(checker, init)?, delete_statement(checker, last)?];
    for (stmt, call) in &scan.appends {
        let [value] = &*call.arguments.args else { return None };
        edits.push(Edit::replace(stmt.range(), format!("yield {}", yield_operand(checker, value))));
    }
    let fix = Fix::unsafe_(format!("Convert `{name}` to a generator"), edits)?;
    Some(Refactor {
        id: "convert-to-generator",
        card: "generator-function",
        range: header_range(checker, function),
        fix,
    })
}

/// `res = []`, `res = list()` or `res: T = []`: the list's name.
fn empty_list_target<'a>(checker: &Checker, stmt: &'a Stmt) -> Option<&'a str> {
    let (target, value) = match stmt {
        Stmt::Assign(a) if a.targets.len() == 1 => (&a.targets[0], &*a.value),
        Stmt::AnnAssign(a) => (&*a.target, a.value.as_deref()?),
        _ => return None,
    };
    let Expr::Name(name) = target else { return None };
    let empty = match value {
        Expr::List(list) => list.elts.is_empty(),
        Expr::Call(call) => call.arguments.is_empty() && checker.resolves_to(&call.func, "builtins.list"),
        _ => false,
    };
    (empty && !name.id.is_empty()).then_some(name.id.as_str())
}

/// From `def` to the end of the name: where the action is offered.
fn header_range(checker: &Checker, function: &StmtFunctionDef) -> TextRange {
    let name = function.name.range();
    let start = checker
        .source
        .token_before(name.start())
        .filter(|t| t.kind() == TokenKind::Def)
        .map_or(name.start(), |t| t.start());
    TextRange::new(start, name.end())
}

/// Removes a statement that sits on its own line (with the line), keeping a trailing comment.
fn delete_statement(checker: &Checker, stmt: &Stmt) -> Option<Edit> {
    let source = &checker.source;
    source.indentation_at(stmt.start())?;
    if !source.nothing_after_on_line(stmt.end()) {
        return None;
    }
    let line_start = source.line_start(stmt.start());
    let line_end = source.full_line_end(stmt.end());
    let rest = source.slice(&TextRange::new(stmt.end(), line_end));
    if rest.trim().is_empty() {
        Some(Edit::delete(TextRange::new(line_start, line_end)))
    } else {
        // `res = []  # note`: the comment stays, on a line of its own.
        Some(Edit::delete(TextRange::new(stmt.start(), stmt.end())))
    }
}

/// `yield` takes an expression list; parenthesise what would read differently or not parse.
fn yield_operand(checker: &Checker, value: &Expr) -> String {
    let text = checker.source.slice(value);
    let wrap = text.contains(['\n', '\r'])
        || match value {
            Expr::Named(_) | Expr::Starred(_) => true,
            Expr::Generator(g) => !g.parenthesized,
            _ => false,
        };
    if wrap { format!("({text})") } else { text.to_string() }
}

/// Checks that the list is only ever appended to by statements of the function's own body.
struct Scan<'n, 'a> {
    list: &'n str,
    appends: Vec<(&'a Stmt, &'a ExprCall)>,
    valid: bool,
    /// Inside a nested function, class, lambda or comprehension.
    nested: usize,
    depth: usize,
}

impl<'a> Scan<'_, 'a> {
    /// `res.append(<one positional argument>)` as a whole statement of the function's own scope.
    fn append_call(&self, stmt: &'a Stmt) -> Option<&'a ExprCall> {
        let Stmt::Expr(expr) = stmt else { return None };
        let Expr::Call(call) = &*expr.value else { return None };
        let Expr::Attribute(attr) = &*call.func else { return None };
        let is_list = matches!(&*attr.value, Expr::Name(n) if n.id.as_str() == self.list);
        let one_arg = call.arguments.args.len() == 1 && call.arguments.keywords.is_empty();
        (self.nested == 0 && is_list && attr.attr.as_str() == "append" && one_arg).then_some(call)
    }

    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        self.nested += 1;
        f(self);
        self.nested -= 1;
    }
}

impl<'a> Visitor<'a> for Scan<'_, 'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            self.valid = false;
            return;
        }
        self.depth += 1;
        if let Some(call) = self.append_call(stmt) {
            call.arguments.args.iter().for_each(|a| self.visit_expr(a));
            self.appends.push((stmt, call));
        } else {
            match stmt {
                // Any other `return` would end the generator without the items, or return a value.
                Stmt::Return(_) if self.nested == 0 => self.valid = false,
                Stmt::FunctionDef(_) | Stmt::ClassDef(_) => self.nested(|s| visitor::walk_stmt(s, stmt)),
                _ => visitor::walk_stmt(self, stmt),
            }
        }
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            self.valid = false;
            return;
        }
        self.depth += 1;
        match expr {
            Expr::Name(n) if n.id.as_str() == self.list => self.valid = false,
            // Already a generator.
            Expr::Yield(_) | Expr::YieldFrom(_) if self.nested == 0 => self.valid = false,
            Expr::Lambda(_) | Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_) => {
                self.nested(|s| visitor::walk_expr(s, expr));
            }
            _ => visitor::walk_expr(self, expr),
        }
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::fixer::apply_edits;
    use crate::analysis::{AnalysisOptions, Refactor, analyze};

    fn refactors(source: &str) -> Vec<Refactor> {
        analyze(source, &AnalysisOptions::default())
            .refactors
            .into_iter()
            .filter(|r| r.id == "convert-to-generator")
            .collect()
    }

    #[track_caller]
    fn converted(source: &str) -> String {
        let found = refactors(source);
        let refactor = found.first().unwrap_or_else(|| panic!("no refactor on:\n{source}"));
        let result = apply_edits(source, &refactor.fix.edits);
        assert!(ruff_python_parser::parse_module(&result).is_ok(), "does not parse:\n{result}");
        result
    }

    #[test]
    fn converts_append_loops_to_yields() {
        let src = "def evens(xs):\n    \"\"\"Doc.\"\"\"\n    out = []\n    for x in xs:\n        if x % 2 == 0:\n            out.append(x * 10)\n    return out\n";
        assert_eq!(
            converted(src),
            "def evens(xs):\n    \"\"\"Doc.\"\"\"\n    for x in xs:\n        if x % 2 == 0:\n            yield x * 10\n"
        );
        let refactor = &refactors(src)[0];
        assert_eq!(&src[refactor.range.start().to_usize()..refactor.range.end().to_usize()], "def evens");
        assert_eq!(refactor.card, "generator-function");
        assert_eq!(refactor.fix.title, "Convert `evens` to a generator");
    }

    #[test]
    fn converts_appends_in_with_and_try_and_keeps_comments_and_crlf() {
        let src = "def lines(p):\r\n\tres = list()  # collected\r\n\twith open(p) as f:\r\n\t\ttry:\r\n\t\t\tfor l in f:\r\n\t\t\t\tres.append(l.strip())\r\n\t\t\tres.append(x := 1)\r\n\t\texcept OSError:\r\n\t\t\tres.append('-' +\r\n\t\t\t\t'x')\r\n\treturn res\r\n";
        assert_eq!(
            converted(src),
            "def lines(p):\r\n\t  # collected\r\n\twith open(p) as f:\r\n\t\ttry:\r\n\t\t\tfor l in f:\r\n\t\t\t\tyield l.strip()\r\n\t\t\tyield (x := 1)\r\n\t\texcept OSError:\r\n\t\t\tyield ('-' +\r\n\t\t\t\t'x')\r\n"
        );
    }

    #[test]
    fn not_offered_when_the_list_is_used_otherwise() {
        let not = [
            // Read, extended, or returned early.
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n        print(len(out))\n    return out\n",
            "def f(xs):\n    out = []\n    out.extend(xs)\n    return out\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        if x:\n            return out\n        out.append(x)\n    return out\n",
            // Appended inside a nested function or lambda.
            "def f(xs):\n    out = []\n    def g(x):\n        out.append(x)\n    for x in xs:\n        out.append(x)\n    return out\n",
            // Already a generator, async, no append, not an empty list, last statement not the return.
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append((yield x))\n    return out\n",
            "async def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out\n",
            "def f(xs):\n    out = []\n    return out\n",
            "def f(xs):\n    out = [0]\n    for x in xs:\n        out.append(x)\n    return out\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    print(1)\n",
            "def f(xs):\n    out = []\n    for x in xs:\n        out.append(x)\n    return out[:]\n",
            "class A:\n    def __dir__(self):\n        out = []\n        for x in xs:\n            out.append(x)\n        return out\n",
        ];
        for src in not {
            assert!(refactors(src).is_empty(), "{src}");
        }
    }

    #[test]
    fn nested_returns_and_yields_do_not_count() {
        let src = "def f(xs):\n    out = []\n    def key(x):\n        return x\n    for x in sorted(xs, key=lambda y: (yield)):\n        out.append(key(x))\n    return out\n";
        assert_eq!(
            converted(src),
            "def f(xs):\n    def key(x):\n        return x\n    for x in sorted(xs, key=lambda y: (yield)):\n        yield key(x)\n"
        );
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "def f(:\n    out = []\n    out.append(\n    return out\n",
            "def (xs):\n    out = []\n    return",
            "def f():\n    = []\n    return\n",
        ] {
            let _ = refactors(src);
        }
    }
}
