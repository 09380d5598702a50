//! `string-concat-in-loop` (no Ruff peer; Pylint `consider-using-join` covers only
//! `s += <loop variable>`). `s = ''` followed by a loop that grows `s` with `s += e` or
//! `s = s + e`. `str` is immutable, so in general each step copies everything built so far and
//! the loop is quadratic in the length of the result; collecting the parts and joining them once
//! is linear.
//!
//! CPython (3.11 and later) hides the cost in one case: `s += e` or `s = s + e` on a function's
//! plain local variable, when nothing else refers to the string, resizes it in place. That is an
//! implementation detail (PyPy and other interpreters do not do it) and it is easy to lose. So:
//! - warning, when this code is outside that case and the loop runs over data whose size the code
//!   does not fix: `s = s + a + b` (the intermediate `s + a` is a new copy), a name at module level
//!   or in a class body, or a name a nested function also reads (a cell variable). The message
//!   names the evidence.
//! - hint, otherwise: a function's local string (the message states the CPython detail), or a loop
//!   over a literal or `range(<number>)`, whose cost the code bounds.
//!
//! Not reported: loops that read `s` other than to extend it (the partial string is needed there),
//! that rebind it, that a nested function in the loop reads, `for` loops over a literal of at most
//! eight items, and names declared `global`/`nonlocal`. Test code is treated like any code: a test
//! that builds a string in a loop pays the same cost, and its loops are usually over literals or
//! `range(<number>)`, which the hint tier already covers.
//!
//! Fixes (unsafe: a part that is not a `str` now fails at the `join`, after the loop, rather than
//! at its own `+=`; the loop variable of a joined `for` no longer exists after it):
//! `s = ''.join(<e> for <t> in <it>)` when the loop is a `for` whose only statement is the
//! concatenation and the initial string directly precedes it; otherwise `s_parts = ['...']`,
//! `s_parts.append(e)` for each concatenation and `s = ''.join(s_parts)` after the loop.

use ruff_python_ast::{self as ast, Expr, ExprName, Stmt};
use ruff_text_size::{Ranged, TextRange};

use super::helpers::loops::{
    enclosing_loops, is_names_target, is_read_in, taken_names, target_bindings, target_read_outside,
    unsafe_in_comprehension, wrap_if_needed,
};
use crate::analysis::checker::{Checker, Frame};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, ScopeKind, SemanticModel, SimpleType};

/// Literal iterables this short do not make the concatenation's cost matter.
const SMALL_LITERAL: usize = 8;

/// During the walk, at an assignment: a concatenation directly inside a loop body is looked at
/// again once every read of the string is known.
pub(crate) fn check(checker: &mut Checker, stmt: &Stmt) {
    if concat_target(stmt).is_some()
        && matches!(checker.frames().next(), Some(Frame::Loop(_)))
        && let Some(node) = checker.node_id()
    {
        checker.defer(Rule::StringConcatInLoop, node);
    }
}

/// After the walk, at a deferred concatenation: finds the initial string and the loop, and
/// reports once per loop and string, at the loop's first concatenation.
pub(crate) fn check_deferred(checker: &mut Checker, node: NodeId) {
    let model = checker.semantic();
    let Some(stmt) = model.node(node).as_stmt() else { return };
    let Some((target, _)) = concat_target(stmt) else { return };
    let name = target.id.as_str();
    let scope = checker.scope();
    if model.scope(scope).declaration(name).is_some() {
        return;
    }
    let Some(this) = model.nodes.id_of_name(target).and_then(|id| model.nodes.binding(id)) else { return };
    let loops = enclosing_loops(model, node);
    let Some((depth, init)) = loops.iter().enumerate().find_map(|(depth, (loop_id, loop_stmt))| {
        let mut before = model.bindings_of(scope, name).find(|b| model.binding(*b).start() < loop_stmt.start())?;
        // Concatenations between the initial string and the loop extend the same string.
        while is_concatenation(model, before) {
            before = model.binding(before).shadowed?;
        }
        let init = match_init(checker, before)?;
        let (suite, index) = model.suite_of(*loop_id)?;
        let (init_suite, init_index) = model.suite_of(init.node)?;
        (std::ptr::eq(suite.as_ptr(), init_suite.as_ptr()) && init_index < index)
            .then_some((depth, Init { init_index, loop_index: index, ..init }))
    }) else {
        return;
    };
    let (loop_id, loop_stmt) = loops[depth];
    if let Stmt::For(for_stmt) = loop_stmt
        && is_small_literal(literal_of(checker, &for_stmt.iter))
    {
        return;
    }
    let Some(concats) = concatenations(model, scope, name, loop_stmt) else { return };
    if concats.first().map(|c| c.binding) != Some(this) {
        return;
    }
    let site = Site {
        init,
        loop_id,
        loop_stmt,
        concats,
        bounded: loops[..=depth].iter().all(|(_, l)| is_bounded(checker, l)),
    };
    report(checker, &site);
}

/// The initial string and where it sits.
struct Init<'a> {
    binding: BindingId,
    node: NodeId,
    stmt: &'a Stmt,
    name: &'a str,
    value: &'a Expr,
    annotation: Option<&'a Expr>,
    init_index: usize,
    loop_index: usize,
}

/// A concatenation loop and the string it grows.
struct Site<'a> {
    init: Init<'a>,
    loop_id: NodeId,
    loop_stmt: &'a Stmt,
    concats: Vec<Concat<'a>>,
    /// Every loop around the concatenation, up to this one, runs a number of times the code fixes.
    bounded: bool,
}

/// A `s += e` or `s = s + e` statement and the pieces it appends.
struct Concat<'a> {
    stmt: &'a Stmt,
    binding: BindingId,
    parts: Vec<&'a Expr>,
}

/// `s += e` -> `(s, [e])`; `s = s + a + b` -> `(s, [a, b])`.
fn concat_target(stmt: &Stmt) -> Option<(&ExprName, Vec<&Expr>)> {
    match stmt {
        Stmt::AugAssign(a) if a.op == ast::Operator::Add => match &*a.target {
            Expr::Name(n) if !n.id.is_empty() => Some((n, vec![&*a.value])),
            _ => None,
        },
        Stmt::Assign(a) => match a.targets.as_slice() {
            [Expr::Name(n)] if !n.id.is_empty() => appended_parts(&a.value, n.id.as_str()).map(|(_, parts)| (n, parts)),
            _ => None,
        },
        _ => None,
    }
}

/// `s + a + b` -> (`s`, `[a, b]`) when the leftmost operand of the sum is `name`.
fn appended_parts<'a>(value: &'a Expr, name: &str) -> Option<(&'a ExprName, Vec<&'a Expr>)> {
    let mut parts = Vec::new();
    let mut current = value;
    loop {
        match current {
            Expr::BinOp(b) if b.op == ast::Operator::Add => {
                parts.push(&*b.right);
                current = &b.left;
            }
            Expr::Name(n) if n.id.as_str() == name && !parts.is_empty() => {
                parts.reverse();
                return Some((n, parts));
            }
            _ => return None,
        }
    }
}

/// Is `binding` made by a `s += e` or `s = s + e` statement?
fn is_concatenation(model: &SemanticModel, binding: BindingId) -> bool {
    let b = model.binding(binding);
    matches!(b.kind, BindingKind::AugmentedAssignment | BindingKind::Assignment)
        && b.source.and_then(|s| model.node(s).as_stmt()).and_then(concat_target).is_some()
}

/// The `Name` a concatenation reads the old string through.
fn read_node(model: &SemanticModel, stmt: &Stmt) -> Option<NodeId> {
    match stmt {
        Stmt::AugAssign(a) => model.expr_id(&a.target),
        Stmt::Assign(a) => {
            let [Expr::Name(target)] = a.targets.as_slice() else { return None };
            let (left, _) = appended_parts(&a.value, target.id.as_str())?;
            model.nodes.id_of_name(left)
        }
        _ => None,
    }
}

/// `s = ''`, `s = f'...'`, `s = str(...)`, `s = ', '.join(...)` or `s: str = ''`.
fn match_init<'a>(checker: &Checker<'a>, binding: BindingId) -> Option<Init<'a>> {
    let model = checker.semantic();
    let b = model.binding(binding);
    if !matches!(b.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment) || b.is_unpacked() {
        return None;
    }
    let node = b.source?;
    let stmt = model.node(node).as_stmt()?;
    let value = b.value?;
    let annotation = match stmt {
        Stmt::Assign(a) if a.targets.len() == 1 => None,
        Stmt::AnnAssign(a) => Some(&*a.annotation),
        _ => return None,
    };
    let is_str = match value {
        // `''.join(...)`: also what this rule's own fix leaves before a second loop.
        Expr::Call(call) => match &*call.func {
            Expr::Attribute(attr) => {
                attr.value.is_string_literal_expr() && matches!(attr.attr.as_str(), "join" | "format")
            }
            _ => model.type_of_expr(value) == Some(SimpleType::Str),
        },
        _ => model.type_of_expr(value) == Some(SimpleType::Str),
    };
    is_str.then_some(Init { binding, node, stmt, name: b.name, value, annotation, init_index: 0, loop_index: 0 })
}

/// The concatenations of `name` in `loop_stmt`, in source order, when they are all the loop does
/// with it: every binding of the name in the loop is a concatenation, and every read of it there
/// is the read a concatenation makes.
fn concatenations<'a>(
    model: &SemanticModel<'a>,
    scope: crate::analysis::semantic::ScopeId,
    name: &str,
    loop_stmt: &'a Stmt,
) -> Option<Vec<Concat<'a>>> {
    let range = loop_stmt.range();
    let mut concats = Vec::new();
    let mut reads = Vec::new();
    for binding in model.bindings_of(scope, name) {
        let b = model.binding(binding);
        if !range.contains_range(b.range) {
            continue;
        }
        if !is_concatenation(model, binding) {
            return None;
        }
        let stmt = model.node(b.source?).as_stmt()?;
        let (_, parts) = concat_target(stmt)?;
        reads.push(read_node(model, stmt)?);
        concats.push(Concat { stmt, binding, parts });
    }
    let every_read_concatenates = model
        .bindings_of(scope, name)
        .flat_map(|b| model.references(b))
        .filter(|r| range.contains_range(r.range))
        .all(|r| reads.contains(&r.node));
    if !every_read_concatenates || concats.is_empty() {
        return None;
    }
    concats.sort_by_key(|c| c.stmt.start());
    Some(concats)
}

fn is_small_literal(iter: &Expr) -> bool {
    let elts = match iter {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        Expr::Set(s) => &s.elts,
        _ => return false,
    };
    elts.len() <= SMALL_LITERAL && !elts.iter().any(Expr::is_starred_expr)
}

/// `iter` itself, or the literal a name holds when it is the name's only binding in its scope and
/// nothing changes it in place (`SIZES = ['1', '3', 'star']` then `for size in SIZES:`).
fn literal_of<'e>(checker: &Checker<'e>, iter: &'e Expr) -> &'e Expr {
    let model = checker.semantic();
    let Expr::Name(name) = iter else { return iter };
    let Some(binding) = model.resolve_name(name) else { return iter };
    let b = model.binding(binding);
    let literal = b.value.filter(|v| {
        matches!(v, Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) | Expr::StringLiteral(_))
    });
    match literal {
        Some(value)
            if !b.is_unpacked()
                && model.bindings_of(b.scope, b.name).count() == 1
                && model.first_mutation(binding, false).is_none() =>
        {
            value
        }
        _ => iter,
    }
}

/// A `for` over a literal, or over `range(...)` of number literals: the code fixes how often the
/// body runs.
fn is_bounded(checker: &Checker, loop_stmt: &Stmt) -> bool {
    let Stmt::For(for_stmt) = loop_stmt else { return false };
    match literal_of(checker, &for_stmt.iter) {
        Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_) | Expr::StringLiteral(_) => true,
        Expr::Call(call) => {
            checker.resolves_to(&call.func, "builtins.range")
                && call.arguments.keywords.is_empty()
                && !call.arguments.args.is_empty()
                && call.arguments.args.iter().all(|a| a.is_number_literal_expr())
        }
        _ => false,
    }
}

/// Why CPython's in-place resize cannot hide the copying here, if it cannot.
fn evidence(checker: &Checker, site: &Site) -> Option<String> {
    let model = checker.semantic();
    let name = site.init.name;
    let line = |offset| checker.source.line_number(offset);
    if let Some(concat) = site.concats.iter().find(|c| c.parts.len() > 1) {
        return Some(format!(
            "`{name} = {name} + ... + ...` (line {}) makes a new copy of the whole string for its first `+` \
             on every pass, which no in-place resize avoids",
            line(concat.stmt.start())
        ));
    }
    match model.scope(checker.scope()).kind {
        ScopeKind::Module => {
            return Some(format!(
                "`{name}` is a module-level name, and CPython resizes a string in place only for a \
                 function's local variable"
            ));
        }
        ScopeKind::Class(_) => {
            return Some(format!(
                "`{name}` is a class attribute, and CPython resizes a string in place only for a \
                 function's local variable"
            ));
        }
        _ => {}
    }
    let mut bindings = model.bindings_of(checker.scope(), name);
    let captured = bindings.find_map(|b| model.references(b).find(|r| model.is_captured(r, b)))?;
    Some(format!(
        "a nested function reads `{name}` (line {}), which makes it a cell variable that CPython never \
         resizes in place",
        line(captured.start())
    ))
}

fn report(checker: &mut Checker, site: &Site) {
    let Some(first) = site.concats.first() else { return };
    let name = site.init.name;
    let how = if matches!(first.stmt, Stmt::AugAssign(_)) {
        format!("`{name} += ...`")
    } else {
        format!("`{name} = {name} + ...`")
    };
    let kind = if site.loop_stmt.is_while_stmt() { "while" } else { "for" };
    let empty = empty_literal(checker, &site.init);
    let (message, severity) = match evidence(checker, site) {
        Some(evidence) if !site.bounded => (
            format!(
                "{how} in a `{kind}` loop copies the whole string built so far on every pass, so the loop \
                 is quadratic in the length of the result: {evidence}; collect the parts and \
                 `{empty}.join` them once"
            ),
            Severity::Warning,
        ),
        Some(evidence) => (
            format!(
                "{how} in a `{kind}` loop copies the whole string built so far on every pass ({evidence}); \
                 this loop runs a number of times the code fixes, so the cost stays bounded, but \
                 `{empty}.join` of the parts is the idiom"
            ),
            Severity::Hint,
        ),
        None => (
            format!(
                "{how} in a `{kind}` loop is quadratic in general, each pass copying the string built so \
                 far; CPython usually resizes a function's local string in place instead, an \
                 implementation detail PyPy and other interpreters do not share: collecting the parts \
                 and `{empty}.join`-ing them once is linear everywhere"
            ),
            Severity::Hint,
        ),
    };
    let fix = join_fix(checker, site).or_else(|| parts_fix(checker, site));
    let finding = Finding::new(Rule::StringConcatInLoop, first.stmt.range(), message).with_severity(severity);
    checker.report(finding.with_fix(fix));
}

fn is_empty_string(value: &Expr) -> bool {
    match value {
        Expr::StringLiteral(s) => s.value.to_str().is_empty(),
        Expr::Call(call) => call.arguments.is_empty() && !call.func.is_attribute_expr(),
        _ => false,
    }
}

/// `''` in the quote style of the initial string.
fn empty_literal(checker: &Checker, init: &Init) -> &'static str {
    let text = checker.source.slice(init.value).trim_start_matches(|c: char| c.is_ascii_alphabetic());
    if matches!(init.value, Expr::StringLiteral(_) | Expr::FString(_)) && text.starts_with('"') { "\"\"" } else { "''" }
}

fn lhs(checker: &Checker, init: &Init) -> String {
    match init.annotation {
        Some(annotation) => format!("{}: {}", init.name, checker.source.slice(annotation)),
        None => init.name.to_string(),
    }
}

/// The appended value as one expression: `a` or `a + b` for `s = s + a + b`.
fn appended_text(checker: &Checker, parts: &[&Expr]) -> String {
    match parts {
        [single] => argument_text(checker, single),
        _ => parts
            .iter()
            .map(|p| {
                let text = checker.source.slice(*p);
                if is_tight(p) { text.to_string() } else { format!("({text})") }
            })
            .collect::<Vec<_>>()
            .join(" + "),
    }
}

/// An expression's text as it can stand alone as a call argument.
fn argument_text(checker: &Checker, expr: &Expr) -> String {
    let text = checker.source.slice(expr);
    let wrap = match expr {
        Expr::Yield(_) | Expr::YieldFrom(_) | Expr::Starred(_) => true,
        Expr::Generator(g) => !g.parenthesized,
        Expr::Tuple(t) => !t.parenthesized,
        _ => false,
    };
    if wrap { format!("({text})") } else { text.to_string() }
}

/// Binds at least as tightly as `+`, so it needs no parentheses as an operand of a sum.
fn is_tight(expr: &Expr) -> bool {
    match expr {
        Expr::BinOp(b) => !matches!(
            b.op,
            ast::Operator::Add
                | ast::Operator::Sub
                | ast::Operator::LShift
                | ast::Operator::RShift
                | ast::Operator::BitAnd
                | ast::Operator::BitOr
                | ast::Operator::BitXor
        ),
        Expr::Tuple(t) => t.parenthesized,
        Expr::Generator(g) => g.parenthesized,
        Expr::Name(_)
        | Expr::Attribute(_)
        | Expr::Call(_)
        | Expr::Subscript(_)
        | Expr::StringLiteral(_)
        | Expr::BytesLiteral(_)
        | Expr::FString(_)
        | Expr::NumberLiteral(_)
        | Expr::List(_)
        | Expr::ListComp(_)
        | Expr::Dict(_)
        | Expr::DictComp(_)
        | Expr::Set(_)
        | Expr::SetComp(_) => true,
        _ => false,
    }
}

/// `s = ''.join(<e> for <t> in <it>)` when the loop is a `for` whose only statement is the
/// concatenation and the initial string directly precedes it.
fn join_fix(checker: &Checker, site: &Site) -> Option<Fix> {
    let init = &site.init;
    let loop_stmt = site.loop_stmt;
    let Stmt::For(for_stmt) = loop_stmt else { return None };
    let [concat] = site.concats.as_slice() else { return None };
    let source = &checker.source;
    let model = checker.semantic();
    let whole = TextRange::new(init.stmt.start(), loop_stmt.end());
    let in_class = matches!(model.scope(checker.scope()).kind, ScopeKind::Class(_));
    let usable = init.loop_index == init.init_index + 1
        && !for_stmt.is_async
        && for_stmt.orelse.is_empty()
        && for_stmt.body.len() == 1
        && std::ptr::eq(&for_stmt.body[0], concat.stmt)
        && is_names_target(&for_stmt.target)
        && !in_class
        && !source.has_comments(whole)
        && !source.has_multiline_string(whole)
        && !unsafe_in_comprehension(model, &for_stmt.iter)
        && !concat.parts.iter().any(|p| unsafe_in_comprehension(model, p));
    // The loop variable no longer exists after a generator expression.
    let targets = target_bindings(model, &for_stmt.target)?;
    if !usable || target_read_outside(model, site.loop_id, loop_stmt, &targets).is_some() {
        return None;
    }
    let element = match concat.parts.as_slice() {
        [Expr::Generator(g)] if !g.parenthesized => format!("({})", source.slice(&concat.parts[0])),
        _ => appended_text(checker, &concat.parts),
    };
    let target = source.slice(&*for_stmt.target);
    let iter = wrap_if_needed(source.slice(&*for_stmt.iter), &for_stmt.iter);
    let empty = empty_literal(checker, init);
    let prefix = match source.slice(init.value) {
        _ if is_empty_string(init.value) => String::new(),
        // An implicit concatenation over several lines only held together by its parentheses.
        multiline if multiline.contains(['\n', '\r']) => format!("({multiline}) + "),
        value => format!("{value} + "),
    };
    let text = format!("{} = {prefix}{empty}.join({element} for {target} in {iter})", lhs(checker, init));
    Fix::unsafe_(format!("Replace the loop with `{empty}.join(...)`"), vec![Edit::replace(whole, text)])
}

/// `s = ''` -> `s_parts = []`, each concatenation -> `s_parts.append(e)`, and
/// `s = ''.join(s_parts)` after the loop (and its `else:`).
fn parts_fix(checker: &Checker, site: &Site) -> Option<Fix> {
    let source = &checker.source;
    let model = checker.semantic();
    let init = &site.init;
    let loop_stmt = site.loop_stmt;
    // Between the initial string and the loop `s` must be untouched: it will not exist there.
    let between = TextRange::new(init.stmt.end(), loop_stmt.start());
    if is_read_in(model, init.binding, between) || !source.nothing_after_on_line(loop_stmt.end()) {
        return None;
    }
    let indent = source.indentation_at(loop_stmt.start())?;
    let parts = helpers::fresh_name(&format!("{}_parts", init.name), &taken_names(model, checker.scope()));
    let first = if is_empty_string(init.value) { String::new() } else { source.slice(init.value).to_string() };
    let declared = match init.annotation {
        Some(_) => format!("{parts}: list[str] = [{first}]"),
        None => format!("{parts} = [{first}]"),
    };
    let mut edits = vec![Edit::replace(init.stmt.range(), declared)];
    for concat in &site.concats {
        let appended = appended_text(checker, &concat.parts);
        edits.push(Edit::replace(concat.stmt.range(), format!("{parts}.append({appended})")));
    }
    let nl = source.line_ending();
    let at = source.full_line_end(loop_stmt.end());
    let text = source.text();
    let lead = if at.to_usize() == text.len() && !text.ends_with(['\n', '\r']) { nl } else { "" };
    let empty = empty_literal(checker, init);
    edits.push(Edit::insert(at, format!("{lead}{indent}{} = {empty}.join({parts}){nl}", init.name)));
    Fix::unsafe_(format!("Collect the parts in `{parts}` and join them after the loop"), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Severity;
    use crate::analysis::rule::Rule::StringConcatInLoop as R;

    #[track_caller]
    fn tier(src: &str, severity: Severity, evidence: &str) {
        assert_tier(src, R, severity, evidence);
    }

    #[test]
    fn warning_when_no_in_place_resize_applies_and_the_loop_is_unbounded() {
        tier("s = ''\nfor c in cells:\n    s += c\n", Severity::Warning, "`s` is a module-level name");
        tier(
            "class A:\n    s = ''\n    for c in CELLS:\n        s += c\n",
            Severity::Warning,
            "`s` is a class attribute",
        );
        tier(
            "def f(cells):\n    s = ''\n    for c in cells:\n        s = s + c + '|'\n    return s\n",
            Severity::Warning,
            "`s = s + ... + ...` (line 4) makes a new copy",
        );
        tier(
            "def f(cells):\n    s = ''\n    for c in cells:\n        s += c\n    def show():\n        return s\n    return show\n",
            Severity::Warning,
            "a nested function reads `s` (line 6)",
        );
        tier("s = ''\nwhile more():\n    s += part()\n", Severity::Warning, "quadratic in the length");
    }

    #[test]
    fn hint_for_a_function_local_or_a_bounded_loop() {
        tier(
            "def f(cells):\n    s = ''\n    for c in cells:\n        s += c\n    return s\n",
            Severity::Hint,
            "CPython usually resizes a function's local string in place",
        );
        tier("s = ''\nfor i in range(100):\n    s += str(i)\n", Severity::Hint, "cost stays bounded");
        tier("s = ''\nfor i in range(3):\n    for c in cells:\n        s += c\n", Severity::Warning, "module-level");
    }

    #[test]
    fn fixes_keep_the_output() {
        let src = "def render(cells):\n    line = ''\n    for cell in cells:\n        line += f'| {cell} '\n    return line + '|'\n";
        assert_fix_keeps_output(src, R, "print(render(['a', 'b']), render([]))\n");
        let src = "def f(n):\n    s = 'a'\n    while n:\n        if n % 2:\n            s += 'x'\n        else:\n            s = s + str(n) + '-'\n        n -= 1\n    return s\n";
        assert_fix_keeps_output(src, R, "print(f(5), f(0))\n");
        let src = "out = '>'\nfor c in 'hello world':\n    out += c.upper()\nprint(out, c)\n";
        assert_fix_keeps_output(src, R, "");
    }

    #[test]
    fn flags_augmented_and_plain_concatenation() {
        assert_count("def f(cells):\n    line = ''\n    for c in cells:\n        line += c\n    return line\n", R, 1);
        assert_count(
            "def f(cells):\n    line = str()\n    for c in cells:\n        line = line + c + '|'\n    return line\n",
            R,
            1,
        );
        assert_count(
            "def f(n):\n    s = f'{n}:'\n    while n:\n        if n % 2:\n            s += 'x'\n        n -= 1\n    return s\n",
            R,
            1,
        );
        assert_count("s: str = ''\nfor c in cells:\n    for d in c:\n        s += d\n", R, 1);
        assert_count("s = ', '.join(head)\nfor c in cells:\n    s += c\n", R, 1);
    }

    #[test]
    fn anchors_on_the_concatenation_and_names_it() {
        let src = "def f(cells):\n    line = ''\n    for c in cells:\n        line += c\n";
        let found = findings(src, R);
        assert_eq!(&src[found[0].range.start().to_usize()..found[0].range.end().to_usize()], "line += c");
        let msg = message(src, R);
        assert!(msg.contains("`line += ...`") && msg.contains("`for` loop"), "{msg}");
    }

    #[test]
    fn ignores_loops_that_read_or_rebind_the_string() {
        assert_clean("s = ''\nfor c in cells:\n    s += c\n    print(s)\n", R);
        assert_clean("s = ''\nwhile len(s) < 10:\n    s += 'x'\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s += s\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s += c\n    if c:\n        s = ''\n", R);
        assert_clean("s = ''\nfor c in cells:\n    s = c + s\n", R);
        assert_clean("s = ''\nfor c in cells:\n    f = lambda: s\n    s += c\n", R);
    }

    #[test]
    fn ignores_non_strings_small_literals_and_rebinding_before_the_loop() {
        assert_clean("n = 0\nfor c in cells:\n    n += c\n", R);
        assert_clean("s = b''\nfor c in cells:\n    s += c\n", R);
        assert_clean("s = ''\nfor c in ('a', 'b', 'c'):\n    s += c\n", R);
        assert_clean("s = ''\ns = make()\nfor c in cells:\n    s += c\n", R);
        assert_clean("s = ''\nfor c in cells:\n    t = s\n", R);
    }

    #[test]
    fn large_literals_are_flagged() {
        assert_count("s = ''\nfor c in [1, 2, 3, 4, 5, 6, 7, 8, 9]:\n    s += str(c)\n", R, 1);
        // A name bound once to a short literal is that literal.
        assert_clean("SIZES = ['1', '3', 'star']\ncode = ''\nfor size in SIZES:\n    code += size\n", R);
        assert_count("SIZES = ['1', '3']\nSIZES.append(x)\ncode = ''\nfor size in SIZES:\n    code += size\n", R, 1);
    }

    #[test]
    fn fix_joins_a_generator_when_the_loop_only_concatenates() {
        let src = "def render_row(cells):\n    line = \"\"\n    for cell in cells:\n        line += f\"| {cell} \"\n    return line + \"|\"\n";
        assert_eq!(
            fixed(src, R),
            "def render_row(cells):\n    line = \"\".join(f\"| {cell} \" for cell in cells)\n    return line + \"|\"\n"
        );
        let src = "s = '>'\nfor a, b in pairs:\n    s = s + a + (b if b else '-')\n";
        assert_eq!(fixed(src, R), "s = '>' + ''.join(a + (b if b else '-') for a, b in pairs)\n");
        let src = "s = (\n    'a'\n    'b'\n)\nfor c in cells:\n    s += c\n";
        assert_eq!(fixed(src, R), "s = ('a'\n    'b') + ''.join(c for c in cells)\n");
    }

    #[test]
    fn fix_collects_parts_otherwise() {
        let src = "def f(n):\n    s: str = 'a'\n    while n:\n        if n % 2:\n            s += 'x'\n        n -= 1\n    else:\n        pass\n    return s\n";
        assert_eq!(
            fixed(src, R),
            "def f(n):\n    s_parts: list[str] = ['a']\n    while n:\n        if n % 2:\n            s_parts.append('x')\n        n -= 1\n    else:\n        pass\n    s = ''.join(s_parts)\n    return s\n"
        );
        // The loop variable is read after the loop, so no generator expression.
        let src = "out = ''\nfor c in cells:\n    out += c  # add\nprint(c)";
        assert_eq!(
            fixed(src, R),
            "out_parts = []\nfor c in cells:\n    out_parts.append(c)  # add\nout = ''.join(out_parts)\nprint(c)"
        );
        let src = "out = ''\nfor c in cells:\n    out += c, 1\n    out = out + c * 2 + 'x'";
        assert_eq!(
            fixed(src, R),
            "out_parts = []\nfor c in cells:\n    out_parts.append((c, 1))\n    out_parts.append(c * 2 + 'x')\nout = ''.join(out_parts)\n"
        );
    }

    #[test]
    fn fix_avoids_name_clashes_and_keeps_crlf() {
        let src = "s = ''\r\ns_parts = 1\r\nfor c in cells:\r\n\ts += c\r\n\tn = 1\r\n";
        assert_eq!(
            fixed(src, R),
            "s_parts_1 = []\r\ns_parts = 1\r\nfor c in cells:\r\n\ts_parts_1.append(c)\r\n\tn = 1\r\ns = ''.join(s_parts_1)\r\n"
        );
    }

    #[test]
    fn concatenations_before_the_loop_extend_the_same_string() {
        let src = "def f(head, cells):\n    s = ''\n    s += head\n    if head:\n        s += ':'\n    for c in cells:\n        s += c\n    for c in cells:\n        s += c\n    return s\n";
        assert_count(src, R, 2);
        assert_clean("def f(cells):\n    s = make()\n    s += 'x'\n    for c in cells:\n        s += c\n", R);
    }

    #[test]
    fn no_fix_when_the_string_is_used_before_the_loop() {
        let found = findings("s = ''\nprint(s)\nfor c in cells:\n    s += c\n    n = 1\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none());
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in
            ["s = ''\nfor c in :\n    s +=\n", "s = ''\nwhile :\n    s = s +\n", " = ''\nfor c in x:\n     += c\n"]
        {
            let _ = findings(src, R);
        }
    }
}
