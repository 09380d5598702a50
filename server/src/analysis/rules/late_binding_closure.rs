//! `late-binding-closure` (peer: Ruff B023). A closure reads its free variables when it runs, not
//! when it is created, so every `lambda: f"handling {event}"` made in a loop sees the value `event`
//! has when it is finally called: usually the last one.
//!
//! Detection (as B023): a `lambda` or nested `def` inside the body of a `for`/`while` loop or inside
//! a comprehension, in the same function, whose body reads as a free variable (not a parameter, not
//! assigned in the body) a name the loop rebinds on each iteration: a `for` or comprehension target
//! or a name assigned in the loop body. One finding per (callable, name), on the first read.
//!
//! Excluded, because the callable does not outlive the iteration (B023 does the same for the first
//! three): a lambda passed as the `key=` of any call, or positionally to `map`/`filter`/`reduce`; a
//! lambda that is returned (the loop ends with it); names bound as defaults (`lambda i=i: i`) or
//! through `functools.partial`. Beyond B023: a lambda that is called on the spot, and a nested `def`
//! that is not decorated and whose name is only ever called directly.
//!
//! Fix (unsafe: it adds parameters a caller could override): bind each captured name at definition
//! time with a default, `lambda i=i: ...` / `def f(x, i=i):`. Not offered with `**kwargs`, or when a
//! name may not be bound yet where the callable is created.

use std::collections::HashSet;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::visitor::{self, Visitor};
use ruff_python_ast::{Comprehension, Expr, ExprContext, ExprLambda, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame, MAX_DEPTH, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers::{self, NodeVisit};
use crate::analysis::rule::Rule;

pub(crate) fn check_function<'a>(checker: &mut Checker<'a>, stmt: &'a Stmt, function: &'a StmtFunctionDef) {
    let loops = enclosing_loops(checker, stmt.range());
    if loops.is_empty() || !def_escapes(checker, function) {
        return;
    }
    let mut free = FreeNames::default();
    free.visit_body(&function.body);
    let captured = captured_names(free, &function.parameters, &loops);
    let what = format!("`def {}`", function.name.as_str());
    report(checker, &captured, &what, Callable::Def(function));
}

pub(crate) fn check_lambda<'a>(checker: &mut Checker<'a>, expr: &'a Expr, lambda: &'a ExprLambda) {
    let loops = enclosing_loops(checker, expr.range());
    if loops.is_empty() || lambda_is_consumed(checker, expr) {
        return;
    }
    let mut free = FreeNames::default();
    free.visit_expr(&lambda.body);
    let captured = match &lambda.parameters {
        Some(parameters) => captured_names(free, parameters, &loops),
        None => captured_names(free, &Parameters::default(), &loops),
    };
    report(checker, &captured, "The lambda", Callable::Lambda(lambda));
}

/// A loop whose iterations rebind names: a `for`/`while` statement or a comprehension.
enum LoopNode<'a> {
    Stmt(&'a Stmt),
    Comprehension(&'a [Comprehension]),
}

/// The loops (innermost first) whose body holds `range`, up to the enclosing def or lambda.
fn enclosing_loops<'a>(checker: &Checker<'a>, range: TextRange) -> Vec<LoopNode<'a>> {
    let in_body = |body: &[Stmt]| {
        body.first().is_some_and(|f| f.start() <= range.start()) && body.last().is_some_and(|l| range.end() <= l.end())
    };
    let mut loops = Vec::new();
    for node in checker.ancestors() {
        match node {
            // A class body runs in the iteration; its methods close over the same variables.
            NodeRef::Stmt(Stmt::ClassDef(_)) => {}
            NodeRef::Stmt(Stmt::FunctionDef(_)) | NodeRef::Expr(Expr::Lambda(_)) => break,
            NodeRef::Stmt(stmt @ Stmt::For(f)) if in_body(&f.body) => loops.push(LoopNode::Stmt(stmt)),
            NodeRef::Stmt(stmt @ Stmt::While(w)) if in_body(&w.body) => loops.push(LoopNode::Stmt(stmt)),
            NodeRef::Expr(expr) => {
                if let Some(generators) = comprehension_generators(expr)
                    && generators.first().is_some_and(|g| !g.iter.range().contains_range(range))
                {
                    loops.push(LoopNode::Comprehension(generators));
                }
            }
            _ => {}
        }
    }
    loops
}

fn comprehension_generators(expr: &Expr) -> Option<&[Comprehension]> {
    match expr {
        Expr::ListComp(c) => Some(&c.generators),
        Expr::SetComp(c) => Some(&c.generators),
        Expr::DictComp(c) => Some(&c.generators),
        Expr::Generator(c) => Some(&c.generators),
        _ => None,
    }
}

/// Free reads of the callable's body that the enclosing loops rebind, first read of each name.
fn captured_names<'a>(
    free: FreeNames<'a>,
    parameters: &Parameters,
    loops: &[LoopNode<'a>],
) -> Vec<(&'a str, TextRange)> {
    let mut rebound = AssignedNames::default();
    for node in loops {
        match node {
            LoopNode::Stmt(stmt) => rebound.visit_stmt(stmt),
            LoopNode::Comprehension(generators) => generators.iter().for_each(|g| rebound.visit_comprehension(g)),
        }
    }
    let mut seen = HashSet::new();
    free.loads
        .into_iter()
        .filter(|(name, _)| {
            !name.is_empty()
                && !free.stores.contains(name)
                && !free.nested_parameters.contains(name)
                && !parameters.includes(name)
                && rebound.names.contains(name)
        })
        .filter(|(name, _)| seen.insert(*name))
        .collect()
}

/// Reads, writes and parameters of nested lambdas and defs anywhere in a callable's body.
#[derive(Default)]
struct FreeNames<'a> {
    loads: Vec<(&'a str, TextRange)>,
    stores: HashSet<&'a str>,
    nested_parameters: HashSet<&'a str>,
    depth: usize,
}

impl<'a> Visitor<'a> for FreeNames<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth < MAX_DEPTH {
            if let Stmt::FunctionDef(function) = stmt {
                self.nested_parameters.extend(function.parameters.iter().map(|p| p.name().as_str()));
            }
            self.depth += 1;
            visitor::walk_stmt(self, stmt);
            self.depth -= 1;
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        match expr {
            Expr::Name(name) => match name.ctx {
                ExprContext::Load => self.loads.push((name.id.as_str(), name.range)),
                ExprContext::Store | ExprContext::Del => {
                    self.stores.insert(name.id.as_str());
                }
                ExprContext::Invalid => {}
            },
            Expr::Lambda(lambda) => {
                if let Some(parameters) = &lambda.parameters {
                    self.nested_parameters.extend(parameters.iter().map(|p| p.name().as_str()));
                }
            }
            _ => {}
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

/// Names a loop binds on each iteration: assignment, augmented/annotated assignment, `for` and
/// comprehension targets, not looking into nested functions and lambdas (B023's set).
#[derive(Default)]
struct AssignedNames<'a> {
    names: HashSet<&'a str>,
    depth: usize,
}

impl<'a> AssignedNames<'a> {
    fn add_target(&mut self, target: &'a Expr) {
        match target {
            Expr::Name(name) => {
                self.names.insert(name.id.as_str());
            }
            Expr::Starred(starred) => self.add_target(&starred.value),
            Expr::Tuple(tuple) => tuple.elts.iter().for_each(|e| self.add_target(e)),
            Expr::List(list) => list.elts.iter().for_each(|e| self.add_target(e)),
            _ => {}
        }
    }
}

impl<'a> Visitor<'a> for AssignedNames<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        match stmt {
            Stmt::FunctionDef(_) => return,
            Stmt::Assign(assign) => assign.targets.iter().for_each(|t| self.add_target(t)),
            Stmt::AugAssign(assign) => self.add_target(&assign.target),
            Stmt::AnnAssign(assign) => self.add_target(&assign.target),
            Stmt::For(for_stmt) => self.add_target(&for_stmt.target),
            _ => {}
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.depth >= MAX_DEPTH || expr.is_lambda_expr() {
            return;
        }
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }

    fn visit_comprehension(&mut self, comprehension: &'a Comprehension) {
        self.add_target(&comprehension.target);
        visitor::walk_comprehension(self, comprehension);
    }
}

/// Is the lambda used up before the iteration ends: called on the spot, returned, a `key=`, or
/// the function argument of `map`/`filter`/`reduce`?
fn lambda_is_consumed(checker: &Checker, expr: &Expr) -> bool {
    match checker.ancestors().next() {
        Some(NodeRef::Stmt(Stmt::Return(_))) => true,
        Some(NodeRef::Expr(Expr::Call(call))) => {
            if call.func.range() == expr.range() {
                return true;
            }
            let is_key = call
                .arguments
                .keywords
                .iter()
                .any(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "key") && k.value.range() == expr.range());
            let is_function_argument = call.arguments.args.iter().any(|a| a.range() == expr.range())
                && (matches!(&*call.func, Expr::Name(n) if matches!(n.id.as_str(), "map" | "filter" | "reduce"))
                    || checker.resolves_to(&call.func, "functools.reduce"));
            is_key || is_function_argument
        }
        _ => false,
    }
}

/// Can the nested `def` outlive the iteration: decorated, a method, a coroutine or generator
/// function, or its name used other than in a direct call?
fn def_escapes(checker: &Checker, function: &StmtFunctionDef) -> bool {
    // Decorators register it; a method lives on with its class; calling a coroutine or generator
    // function only creates an object whose body runs later.
    if !function.decorator_list.is_empty()
        || matches!(checker.frames().next(), Some(Frame::Class(_)))
        || function.is_async
        || is_generator(&function.body)
    {
        return true;
    }
    let name = function.name.as_str();
    let scope_body: &[Stmt] = match checker.frames().find(|f| !matches!(f, Frame::Loop(_) | Frame::Comprehension)) {
        Some(Frame::Function(f)) => &f.body,
        Some(Frame::Class(c)) => &c.body,
        Some(Frame::Lambda(_)) => return true,
        _ => checker.module_body(),
        // (`Loop`/`Comprehension` are skipped by the `find` above.)
    };
    let mut called = HashSet::new();
    let mut loads = Vec::new();
    helpers::for_each_node(scope_body, &mut |node| match node {
        NodeVisit::Expr(Expr::Call(call)) if matches!(&*call.func, Expr::Name(n) if n.id.as_str() == name) => {
            called.insert(call.func.range());
        }
        NodeVisit::Expr(Expr::Name(n)) if n.ctx == ExprContext::Load && n.id.as_str() == name => loads.push(n.range),
        _ => {}
    });
    loads.iter().any(|load| !called.contains(load))
}

/// Does the body `yield` (outside nested functions and classes)?
fn is_generator(body: &[Stmt]) -> bool {
    let mut finder = YieldFinder { found: false, depth: 0 };
    finder.visit_body(body);
    finder.found
}

struct YieldFinder {
    found: bool,
    depth: usize,
}

impl<'a> Visitor<'a> for YieldFinder {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        if self.found || self.depth >= MAX_DEPTH || matches!(stmt, Stmt::FunctionDef(_) | Stmt::ClassDef(_)) {
            return;
        }
        self.depth += 1;
        visitor::walk_stmt(self, stmt);
        self.depth -= 1;
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.found || self.depth >= MAX_DEPTH || expr.is_lambda_expr() {
            return;
        }
        self.found = matches!(expr, Expr::Yield(_) | Expr::YieldFrom(_));
        self.depth += 1;
        visitor::walk_expr(self, expr);
        self.depth -= 1;
    }
}

#[derive(Clone, Copy)]
enum Callable<'a> {
    Def(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
}

fn report(checker: &mut Checker, captured: &[(&str, TextRange)], what: &str, callable: Callable) {
    if captured.is_empty() {
        return;
    }
    let fix = default_fix(checker, captured, callable);
    for (name, range) in captured {
        let message = format!(
            "{what} reads `{name}` when it is called, not when it is created; by then the loop has moved \
             on, so every {} made here sees the last `{name}`",
            if matches!(callable, Callable::Def(_)) { "function" } else { "lambda" }
        );
        checker.report(Finding::new(Rule::LateBindingClosure, *range, message).with_fix(fix.clone()));
    }
}

/// Add `name=name` defaults after the last parameter.
fn default_fix(checker: &Checker, captured: &[(&str, TextRange)], callable: Callable) -> Option<Fix> {
    // `i=i` needs `i` bound where the callable is created (on the first iteration too).
    if captured.iter().any(|(name, _)| checker.lookup(name).is_none()) {
        return None;
    }
    let defaults = captured.iter().map(|(name, _)| format!("{name}={name}")).collect::<Vec<_>>().join(", ");
    let (at, content) = insertion(checker, callable, &defaults)?;
    let names = captured.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ");
    Fix::unsafe_(
        format!("Bind {names} at definition time with a default (`{defaults}`)"),
        vec![Edit::insert(at, content)],
    )
}

/// Where and what to insert so `defaults` become the last parameters.
fn insertion(checker: &Checker, callable: Callable, defaults: &str) -> Option<(TextSize, String)> {
    let (parameters, start, closing) = match callable {
        Callable::Lambda(lambda) => {
            let start = lambda.start() + TextSize::from(6);
            (lambda.parameters.as_deref(), start, TokenKind::Colon)
        }
        Callable::Def(function) => {
            let open = checker.source.token_after(function.parameters.start())?;
            (open.kind() == TokenKind::Lpar).then_some(())?;
            (Some(&*function.parameters), open.end(), TokenKind::Rpar)
        }
    };
    if parameters.is_some_and(|p| p.kwarg.is_some()) {
        return None;
    }
    let after = parameters.and_then(|p| p.iter().map(|p| p.range().end()).max()).unwrap_or(start);
    // Past the last parameter only `,`, `/` and `*` may come before the closing token.
    let mut last = None;
    let mut at = after;
    loop {
        let token = checker.source.token_after(at)?;
        match token.kind() {
            kind if kind == closing => break,
            TokenKind::Comma | TokenKind::Slash => last = Some(token.kind()),
            _ => return None,
        }
        at = token.end();
    }
    let insert_at = if last.is_some() { at } else { after };
    let content = match (last, after == start) {
        (Some(TokenKind::Comma), _) => format!(" {defaults},"),
        (_, true) if matches!(callable, Callable::Lambda(_)) => format!(" {defaults}"),
        (_, true) => defaults.to_string(),
        _ => format!(", {defaults}"),
    };
    Some((insert_at, content))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::LateBindingClosure as R;

    #[test]
    fn flags_lambdas_and_defs_capturing_loop_variables() {
        assert_count("fs = []\nfor i in range(3):\n    fs.append(lambda: i)\n", R, 1);
        assert_count("fs = [lambda: i for i in range(3)]\n", R, 1);
        assert_count("fs = {k: lambda: v for k, v in d.items()}\n", R, 1);
        assert_count(
            "def f(xs):\n    out = []\n    for x in xs:\n        y = x * 2\n        out.append(lambda: x + y)\n    return out\n",
            R,
            2,
        );
        assert_count("while cond:\n    n = get()\n    cbs.append(lambda: n)\n", R, 1);
        assert_count("for i in range(3):\n    def f():\n        return i\n    fs.append(f)\n", R, 1);
        assert_count(
            "import threading\nfor i in range(3):\n    def work():\n        print(i)\n    threading.Thread(target=work).start()\n",
            R,
            1,
        );
        assert_count("for i in range(3):\n    @app.route(i)\n    def view():\n        return i\n", R, 1);
        assert_count("for i in range(3):\n    for j in range(3):\n        fs.append(lambda: i + j)\n", R, 2);
    }

    #[test]
    fn flags_methods_coroutines_and_generators_even_when_only_called() {
        assert_count(
            "for v in vals:\n    class A:\n        def __len__(self):\n            return v\n    len(A())\n",
            R,
            1,
        );
        assert_count("for v in vals:\n    class A:\n        f = lambda self: v\n", R, 1);
        assert_count(
            "async def t():\n    for v in vals:\n        async def foo():\n            return v\n        fut = create_task(foo())\n",
            R,
            1,
        );
        assert_count("for v in vals:\n    def pairs():\n        yield v\n    d = dict(pairs())\n", R, 1);
        // A `yield` in a nested function does not make the outer one a generator.
        assert_clean(
            "for v in vals:\n    def f():\n        def g():\n            yield 1\n        return v\n    f()\n",
            R,
        );
    }

    #[test]
    fn one_finding_per_name_anchored_on_first_read() {
        let src = "for i in range(3):\n    fs.append(lambda: i + i)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "i");
        assert_eq!(found[0].range.start().to_usize(), src.find("i + i").unwrap_or_default());
    }

    #[test]
    fn ignores_bound_defaults_parameters_and_local_names() {
        assert_clean("for i in range(3):\n    fs.append(lambda i=i: i)\n", R);
        assert_clean("for i in range(3):\n    fs.append(lambda x: x)\n", R);
        assert_clean("for i in range(3):\n    fs.append(lambda i: i)\n", R);
        assert_clean("for i in range(3):\n    def f():\n        i = 0\n        return i\n    fs.append(f)\n", R);
        assert_clean("for i in range(3):\n    fs.append(lambda: [i for i in y])\n", R);
        assert_clean(
            "for i in range(3):\n    def f():\n        def g(i):\n            return i\n        return g\n    fs.append(f)\n",
            R,
        );
        assert_clean("from functools import partial\nfor i in range(3):\n    fs.append(partial(g, i))\n", R);
        assert_clean("from functools import partial\nfs = [partial(lambda x, i: x + i, i=i) for i in range(3)]\n", R);
        assert_clean("fs.append(lambda: i)\n", R);
        assert_clean("for i in range(3):\n    pass\nfs.append(lambda: i)\n", R);
        assert_clean("for i in range(3):\n    pass\nelse:\n    fs.append(lambda: i)\n", R);
        assert_clean("for x in map(lambda: i, y):\n    pass\n", R);
    }

    #[test]
    fn ignores_callables_consumed_in_the_iteration() {
        assert_clean("for i in range(3):\n    print(sorted(xs, key=lambda x: x[i]))\n", R);
        assert_clean("for i in range(3):\n    xs.sort(key=lambda x: x[i])\n", R);
        assert_clean("for i in range(3):\n    ys = list(map(lambda x: x + i, xs))\n", R);
        assert_clean("for i in range(3):\n    ys = list(filter(lambda x: x > i, xs))\n", R);
        assert_clean("import functools\nfor i in range(3):\n    t = functools.reduce(lambda a, b: a + b + i, xs)\n", R);
        assert_clean("for i in range(3):\n    print((lambda: i)())\n", R);
        assert_clean("def f(xs):\n    for i in xs:\n        return lambda: i\n", R);
        assert_clean("for i in range(3):\n    def f():\n        return i\n    print(f())\n", R);
        assert_clean("for i in range(3):\n    def f():\n        return i\n", R);
    }

    #[test]
    fn message_names_callable_and_variable() {
        let msg = message("for event in events:\n    handlers[event] = lambda: f\"handling {event}\"\n", R);
        assert!(msg.contains("The lambda reads `event`") && msg.contains("last `event`"), "{msg}");
        let msg = message("for i in x:\n    def cb():\n        return i\n    cbs.append(cb)\n", R);
        assert!(msg.contains("`def cb` reads `i`"), "{msg}");
    }

    #[test]
    fn card_example() {
        let flagged = "def build_handlers(events):\n    handlers = {}\n    for event in events:\n        handlers[event] = lambda: f\"handling {event}\"\n    return handlers\n";
        assert_eq!(fixed(flagged, R), flagged.replace("lambda: f", "lambda event=event: f"));
        assert_eq!(findings(flagged, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
        let better = "from functools import partial\n\ndef handle(event):\n    return f\"handling {event}\"\n\ndef build_handlers(events):\n    return {event: partial(handle, event) for event in events}\n\nhandlers = build_handlers([\"open\", \"close\"])\nprint(handlers[\"open\"]())  # 'handling open'\n";
        assert_clean(better, R);
    }

    #[test]
    fn fix_appends_defaults_after_parameters() {
        let fix = |src: &str| fixed(src, R);
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a: a + i)\n"),
            "for i in x:\n    fs.append(lambda a, i=i: a + i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a,: a + i)\n"),
            "for i in x:\n    fs.append(lambda a, i=i,: a + i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda *a: i)\n"),
            "for i in x:\n    fs.append(lambda *a, i=i: i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a, /: i)\n"),
            "for i in x:\n    fs.append(lambda a, /, i=i: i)\n"
        );
        assert_eq!(
            fix("for i, j in x:\n    fs.append(lambda: i + j)\n"),
            "for i, j in x:\n    fs.append(lambda i=i, j=j: i + j)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb():\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(i=i):\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb(a, *, b=1):\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(a, *, b=1, i=i):\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb(\n        a,\n    ) -> int:\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(\n        a, i=i,\n    ) -> int:\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb[T](a: T):\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb[T](a: T, i=i):\n        return i\n    fs.append(cb)\n"
        );
    }

    #[test]
    fn no_fix_with_kwargs_or_unbound_names() {
        for src in [
            "for i in x:\n    fs.append(lambda **kw: i)\n",
            "for i in x:\n    def cb(**kw):\n        return i\n    fs.append(cb)\n",
            "while c:\n    fs.append(lambda: n)\n    n = 1\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found[0].fix.is_none(), "{src}: {found:#?}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "for i in x:\n    fs.append(lambda",
            "for i in x:\n    fs.append(lambda: ",
            "for i in x:\n    def (:\n        return i\n",
            "for i in x:\n    def f(\n        return i\n",
            "[lambda: i for i in",
        ] {
            let _ = findings(src, R);
        }
    }
}
