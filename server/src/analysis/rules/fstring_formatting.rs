//! `fstring-formatting` (peers: Ruff UP031 for `%`, UP032 for `.format`; Pylint
//! `consider-using-f-string`). `'%s: %d' % (name, count)` and `'{}: {}'.format(name, count)` build a
//! string the older ways; an f-string, `f'{name}: {count}'`, writes each value where it appears in
//! the text, and is the form reviewers expect in code written for Python 3.6+.
//!
//! Tier: always a hint. The older forms work, and the message says so: what an interviewer points
//! at is fluency, not a bug. (`%` does have one trap — a lone operand that is a tuple is spread
//! over the conversions — and the message names it when the operand's type is not known.)
//!
//! Detection: `<str literal> % <values>` where the values are one name or attribute chain
//! (`self.name`) or a tuple display of them, and the template's conversions are positional and
//! as many as the values; `<str literal>.format(<args>)` where every argument (positional or
//! keyword) is such a name or attribute chain, and every field names an argument that exists.
//! Not reported: bytes (no f-string form), mapping keys (`%(name)s`) and `*` widths, operands or
//! arguments that are any other expression (calls, literals, arithmetic: the catalogue keeps the
//! hint to the plain case, where the f-string is plainly clearer), `%` templates holding literal
//! braces (LaTeX, C or JSON text: an f-string would double every brace, so `%` reads better there;
//! SymPy's `printing/latex.py` builds `r'\frac{%s}{%s}'` this way), templates `%` or `format` would
//! reject (they raise today: another problem), and calls that hand the string to logging
//! (`logger.info('%s' % x)`: the advice there is lazy arguments, `logger.info('%s', x)`, not an
//! f-string) or to a translation function (`_('...' % x)`: the template must stay a constant for
//! the catalogue lookup). Test code is treated like any code, except a test named after string
//! formatting (`test_format`, `test_percent_formatting`, `test_interpolation`): there `%` or
//! `format` is what the test exercises (CPython's `test_enum` checks `'{}'.format(member)`).
//!
//! Fix: only where the rewrite is exact, then safe; where it differs only for code that observes
//! evaluation order or overrides `__format__` against `__str__`, unsafe; otherwise none.
//! - `.format` → f-string: exact (both call `format(value, spec)` after the `!r`/`!s`/`!a`
//!   conversion) when every argument is used, every field is a plain argument or `.attr` access
//!   (no `[key]`, no nested fields in the spec), and the literal is one part whose text carries
//!   no escape that could spell a brace (`\x7b`, `\N{...}`). Unsafe when an attribute argument is
//!   used after the first field: `.format` reads every argument before formatting any, an
//!   f-string reads each at its field (a property with side effects would see a different order).
//! - `%` → f-string: `%r`/`%a` become `!r`/`!a` (exact); `%s` becomes `{x}` when `x`'s type is a
//!   builtin the model knows (exact: its `format(x, '')` is `str(x)`), `{x!s:...}` with a width or
//!   precision (exact), and `{x}` otherwise, unsafe (a class whose `__format__` does not fall back
//!   to `str()` prints differently); `%d`/`%i`/`%x`/`%o`/`%e`/`%f`/`%g` become format specs only
//!   when the value is known to be an `int`/`bool` (or `float` for the float conversions), since
//!   `'%d' % 2.5` truncates where `f'{2.5:d}'` raises; a lone operand of unknown type gets no fix
//!   (a tuple would be spread by `%`, not by the f-string).

use ruff_python_ast::{Expr, ExprBinOp, ExprCall, ExprStringLiteral, Operator};
use ruff_text_size::Ranged;

use super::helpers::format_strings::{Conversion, Format, Printf, parse_format, parse_printf};
use crate::analysis::checker::Checker;
use crate::analysis::finding::{Applicability, Edit, Finding, Fix, Severity};
use crate::analysis::rule::Rule;
use crate::analysis::semantic::SimpleType;

/// Logging methods: the string they get should be a constant template with lazy arguments.
const LOGGING: &[&str] = &["debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"];
/// Translation functions: the string they get is the key of a message catalogue.
const TRANSLATION: &[&str] = &[
    "_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "dgettext",
    "gettext_lazy",
    "ngettext_lazy",
    "pgettext_lazy",
    "ugettext",
    "ugettext_lazy",
    "gettext_noop",
    "N_",
    "_l",
    "lazy_gettext",
];

/// `<str> % <values>`.
pub(crate) fn check_percent(checker: &mut Checker, expr: &Expr, binop: &ExprBinOp) {
    let (Operator::Mod, Expr::StringLiteral(literal)) = (binop.op, &*binop.left) else { return };
    let values: &[Expr] = match &*binop.right {
        Expr::Tuple(tuple) => &tuple.elts,
        single => std::slice::from_ref(single),
    };
    if values.is_empty() || !values.iter().all(is_plain) {
        return;
    }
    let lone = !binop.right.is_tuple_expr();
    let lone_type = lone.then(|| checker.semantic().type_of_expr(&binop.right)).flatten();
    // A lone tuple is spread over the conversions: not the shape this rule knows how to read.
    if lone_type == Some(SimpleType::Tuple) {
        return;
    }
    let template = literal.value.to_str();
    // Literal braces (LaTeX, C, JSON templates) would all be doubled in an f-string: there `%`
    // is the readable choice.
    if template.contains(['{', '}']) {
        return;
    }
    let Some(parts) = parse_printf(template) else { return };
    let conversions: Vec<&Conversion> = parts
        .iter()
        .filter_map(|p| match p {
            Printf::Conversion(c) => Some(c),
            _ => None,
        })
        .collect();
    if conversions.len() != values.len()
        || conversions.iter().any(|c| c.key.is_some() || c.width == "*" || c.precision == Some("*"))
    {
        return;
    }
    if hands_to_logging_or_translation(checker) || in_formatting_test(checker) {
        return;
    }
    let fix = if lone && lone_type.is_none() { None } else { printf_fix(checker, expr, literal, values) };
    let tuple_note = if lone && lone_type.is_none() {
        format!(
            " (and `%` would spread `{}` over the conversions if it were a tuple)",
            checker.source.slice(&*binop.right)
        )
    } else {
        String::new()
    };
    let message = format!(
        "`{}` formats with the printf-style `%` operator: this works, and an f-string{} writes each value \
         where it appears in the text{tuple_note}",
        checker.source.shown(expr),
        suggestion(&fix),
    );
    report(checker, expr, message, fix);
}

/// `<str>.format(<args>)`.
pub(crate) fn check_format_call(checker: &mut Checker, expr: &Expr, call: &ExprCall) {
    let Expr::Attribute(attr) = &*call.func else { return };
    let Expr::StringLiteral(literal) = &*attr.value else { return };
    if attr.attr.as_str() != "format" || call.arguments.is_empty() {
        return;
    }
    let args = &call.arguments;
    if !args.args.iter().all(is_plain) || !args.keywords.iter().all(|k| k.arg.is_some() && is_plain(&k.value)) {
        return;
    }
    let Some(parts) = parse_format(literal.value.to_str()) else { return };
    // Every field must name an argument that exists, or `format` raises today.
    let mut next = 0;
    for part in &parts {
        let Format::Field(field) = part else { continue };
        if argument(call, field.arg, &mut next).is_none() {
            return;
        }
    }
    if hands_to_logging_or_translation(checker) || in_formatting_test(checker) {
        return;
    }
    let fix = format_fix(checker, expr, literal, call);
    let message = format!(
        "`{}` works, and an f-string{} says the same with each value in its place in the text",
        checker.source.shown(expr),
        suggestion(&fix),
    );
    report(checker, expr, message, fix);
}

fn report(checker: &mut Checker, expr: &Expr, message: String, fix: Option<Fix>) {
    let finding = Finding::new(Rule::FstringFormatting, expr.range(), message).with_severity(Severity::Hint);
    checker.report(finding.with_fix(fix));
}

/// ` (`f'...'`)` when the fix's rewrite is short enough to quote.
fn suggestion(fix: &Option<Fix>) -> String {
    match fix.as_ref().and_then(|f| f.edits.first()) {
        Some(edit) if edit.content.len() <= 60 && !edit.content.contains(['\n', '\r']) => {
            format!(" (`{}`)", edit.content)
        }
        _ => String::new(),
    }
}

/// A name or an attribute chain on a name: a value an f-string field can hold as it is.
fn is_plain(expr: &Expr) -> bool {
    match expr {
        Expr::Name(name) => !name.id.is_empty(),
        Expr::Attribute(attr) => is_plain(&attr.value),
        _ => false,
    }
}

/// Is the node being checked an argument of a logging or translation call?
fn hands_to_logging_or_translation(checker: &Checker) -> bool {
    let Some(Expr::Call(call)) = checker.parent_expr() else { return false };
    let name = match &*call.func {
        Expr::Attribute(attr) => attr.attr.as_str(),
        Expr::Name(name) => name.id.as_str(),
        _ => return false,
    };
    LOGGING.contains(&name) && call.func.is_attribute_expr() || TRANSLATION.contains(&name)
}

/// Is the code in a test named after string formatting (`test_format`, `test_percent_...`)?
/// There the old form is what is being tested.
fn in_formatting_test(checker: &Checker) -> bool {
    checker.enclosing_function().is_some_and(|f| {
        let name = f.name.as_str();
        name.starts_with("test") && ["format", "percent", "printf", "interpolat"].iter().any(|w| name.contains(w))
    })
}

/// The argument a `format` field names (`""` takes the next positional one).
fn argument<'a>(call: &'a ExprCall, name: &str, next: &mut usize) -> Option<&'a Expr> {
    if name.is_empty() {
        *next += 1;
        return call.arguments.args.get(*next - 1);
    }
    if name.bytes().all(|b| b.is_ascii_digit()) {
        return call.arguments.args.get(name.parse::<usize>().ok()?);
    }
    call.arguments.keywords.iter().find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == name)).map(|k| &k.value)
}

/// A one-part string literal as written: the prefix to keep (`r`/`R`), the quotes, and the text
/// between them; `None` when an escape in the text could spell a brace or a `%` (the parse of the
/// text would then differ from the parse of the value).
struct Literal<'a> {
    raw: &'a str,
    quote: &'a str,
    body: &'a str,
}

fn literal_text<'a>(checker: &Checker<'a>, literal: &ExprStringLiteral) -> Option<Literal<'a>> {
    if literal.value.is_implicit_concatenated() {
        return None;
    }
    let text = checker.source.slice(literal);
    let prefix_len = text.find(['\'', '"'])?;
    let prefix = &text[..prefix_len];
    let rest = &text[prefix_len..];
    let quote = if rest.starts_with("'''") || rest.starts_with("\"\"\"") { &rest[..3] } else { &rest[..1] };
    let body = rest.strip_prefix(quote)?.strip_suffix(quote)?;
    let raw = if prefix.contains(['r', 'R']) { &prefix[prefix.find(['r', 'R'])?..][..1] } else { "" };
    if raw.is_empty() {
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == '\\' && chars.next().is_some_and(|e| matches!(e, 'x' | 'u' | 'U' | 'N' | '0'..='7')) {
                return None;
            }
        }
    }
    Some(Literal { raw, quote, body })
}

/// What a field may hold in the new f-string without ending it early (in Python before 3.12 a
/// quote or backslash there is a syntax error).
fn fits(literal: &Literal, text: &str) -> bool {
    !text.contains(['\\', '\n', '\r', '#']) && !text.contains(&literal.quote[..1])
}

fn format_fix(checker: &Checker, expr: &Expr, string: &ExprStringLiteral, call: &ExprCall) -> Option<Fix> {
    let literal = literal_text(checker, string)?;
    let parts = parse_format(literal.body)?;
    let all_args: Vec<&Expr> =
        call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).collect();
    let mut uses = vec![0usize; all_args.len()];
    let mut out = String::with_capacity(literal.body.len() + 8);
    let mut next = 0;
    let mut reordered = false;
    let mut first_field = true;
    for part in &parts {
        match part {
            Format::Text(text) => out.push_str(text),
            Format::Field(field) => {
                let value = argument(call, field.arg, &mut next)?;
                let index = all_args.iter().position(|a| std::ptr::eq(*a, value))?;
                uses[index] += 1;
                // An attribute read after an earlier field was formatted: `.format` read it first.
                reordered |= value.is_attribute_expr() && !first_field;
                first_field = false;
                if field.access.contains('[') || field.spec.contains(['{', '}']) {
                    return None;
                }
                let text = checker.source.slice(value);
                if !fits(&literal, text) || !fits(&literal, field.spec) || !fits(&literal, field.access) {
                    return None;
                }
                out.push('{');
                out.push_str(text);
                out.push_str(field.access);
                if let Some(c) = field.conversion {
                    out.push('!');
                    out.push(c);
                }
                if !field.spec.is_empty() {
                    out.push(':');
                    out.push_str(field.spec);
                }
                out.push('}');
            }
        }
    }
    if uses.contains(&0) || uses.iter().zip(&all_args).any(|(n, a)| *n > 1 && a.is_attribute_expr()) {
        return None;
    }
    let new = format!("f{}{q}{out}{q}", literal.raw, q = literal.quote);
    let applicability = if reordered { Applicability::Unsafe } else { Applicability::Safe };
    Fix::new("Use an f-string", applicability, vec![Edit::replace(expr.range(), new)])
}

fn printf_fix(checker: &Checker, expr: &Expr, string: &ExprStringLiteral, values: &[Expr]) -> Option<Fix> {
    let literal = literal_text(checker, string)?;
    let parts = parse_printf(literal.body)?;
    let model = checker.semantic();
    let mut out = String::with_capacity(literal.body.len() + 8);
    let mut values = values.iter();
    let mut exact = true;
    let mut first_field = true;
    for part in &parts {
        match part {
            Printf::Text(text) => {
                for c in text.chars() {
                    match c {
                        '{' => out.push_str("{{"),
                        '}' => out.push_str("}}"),
                        c => out.push(c),
                    }
                }
            }
            Printf::Percent => out.push('%'),
            Printf::Conversion(conversion) => {
                let value = values.next()?;
                let text = checker.source.slice(value);
                if !fits(&literal, text) {
                    return None;
                }
                let (field, field_exact) = printf_field(conversion, model.type_of_expr(value))?;
                exact &= field_exact && (first_field || !value.is_attribute_expr());
                first_field = false;
                out.push('{');
                out.push_str(text);
                out.push_str(&field);
                out.push('}');
            }
        }
    }
    if values.next().is_some() {
        return None;
    }
    let new = format!("f{}{q}{out}{q}", literal.raw, q = literal.quote);
    let applicability = if exact { Applicability::Safe } else { Applicability::Unsafe };
    Fix::new("Use an f-string", applicability, vec![Edit::replace(expr.range(), new)])
}

/// What follows the expression inside `{...}` for one printf conversion of a value of type `ty`
/// (`!r`, `:>5`, `:.2f`), and whether it gives exactly the text `%` gives; `None` when no spec
/// does for every value (`%d` of a value that may be a `float`, `%c`, a precision on `%d`).
fn printf_field(c: &Conversion, ty: Option<SimpleType>) -> Option<(String, bool)> {
    let has = |f: char| c.flags.contains(f);
    let precision = c.precision.map(|p| format!(".{}", if p.is_empty() { "0" } else { p }));
    match c.kind {
        's' | 'r' | 'a' => {
            if c.flags.chars().any(|f| f != '-') {
                return None;
            }
            let align = if c.width.is_empty() {
                ""
            } else if has('-') {
                "<"
            } else {
                ">"
            };
            let spec = format!("{align}{}{}", c.width, precision.unwrap_or_default());
            match (c.kind, spec.is_empty()) {
                // `format(x, '')` is `str(x)` for the builtin types; for others it usually is.
                ('s', true) => Some((String::new(), ty.is_some())),
                ('s', false) if ty == Some(SimpleType::Str) => Some((format!(":{spec}"), true)),
                (kind, true) if kind != 's' => Some((format!("!{kind}"), true)),
                (kind, _) => Some((format!("!{kind}:{spec}"), true)),
            }
        }
        'd' | 'i' | 'u' | 'x' | 'X' | 'o' | 'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            let integer = matches!(c.kind, 'd' | 'i' | 'u' | 'x' | 'X' | 'o');
            let known = match ty {
                Some(SimpleType::Int | SimpleType::Bool) => true,
                Some(SimpleType::Float) => !integer,
                _ => false,
            };
            if !known || (integer && c.precision.is_some()) || (has('#') && matches!(c.kind, 'd' | 'i' | 'u')) {
                return None;
            }
            if has('+') && has(' ') {
                return None;
            }
            let align = if has('-') { "<" } else { "" };
            let sign = if has('+') {
                "+"
            } else if has(' ') {
                " "
            } else {
                ""
            };
            let alternate = if has('#') { "#" } else { "" };
            let zero = if has('0') && !has('-') { "0" } else { "" };
            let kind = match c.kind {
                'i' | 'u' => 'd',
                k => k,
            };
            let spec = format!("{align}{sign}{alternate}{zero}{}{}", c.width, precision.unwrap_or_default());
            // `f'{n}'` is `str(n)` for an int, as `%d` is; a bool needs `:d` (`%d` prints 1).
            if spec.is_empty() && kind == 'd' && ty == Some(SimpleType::Int) {
                return Some((String::new(), true));
            }
            Some((format!(":{spec}{kind}"), true))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::FstringFormatting as R;

    #[test]
    fn a_hint_for_percent_and_format_on_plain_values() {
        let src = "def greet(name, count):\n    return 'Hello %s, %r' % (name, count)\n";
        assert_tier(src, R, Severity::Hint, "formats with the printf-style `%` operator: this works");
        let src = "def greet(user):\n    return 'Hello {}, {}'.format(user.name, user.age)\n";
        assert_tier(src, R, Severity::Hint, "works, and an f-string (`f'Hello {user.name}, {user.age}'`)");
        assert_count("def f(a, b):\n    return '{x}-{y}'.format(x=a, y=b)\n", R, 1);
        assert_count("def f(a):\n    return '%s' % a\n", R, 1);
    }

    #[test]
    fn a_lone_operand_of_unknown_type_names_the_tuple_trap_and_has_no_fix() {
        let src = "def f(a):\n    return 'value: %s' % a\n";
        assert_tier(src, R, Severity::Hint, "(and `%` would spread `a` over the conversions if it were a tuple)");
        assert!(findings(src, R)[0].fix.is_none());
        // Known not to be a tuple: the fix is exact.
        let src = "def f():\n    a = 'x'\n    return 'value: %s' % a\n";
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe));
        // A known tuple is spread: not this shape.
        assert_clean("def f():\n    a = (1, 2)\n    return '%s-%s' % a\n", R);
    }

    #[test]
    fn ignores_values_that_are_not_plain_and_other_templates() {
        for src in [
            "x = '%s' % f()\n",
            "x = '%s %s' % (a, b + 1)\n",
            "x = '{}'.format(f(a))\n",
            "x = '{}'.format(*args)\n",
            "x = '{a}'.format(**kw)\n",
            "x = b'%s' % (a,)\n",
            "x = '%(name)s' % {'name': a}\n",
            "x = '%(name)s' % d\n",
            "x = '%*d' % (w, n)\n",
            "x = fmt % (a,)\n",
            "x = '{}'.format()\n",
            "x = '%d' % 3\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn ignores_templates_that_raise_today() {
        for src in [
            "x = '%s %s' % (a,)\n",
            "x = '%s' % (a, b)\n",
            "x = '%y' % (a,)\n",
            "x = '{} {}'.format(a)\n",
            "x = '{b}'.format(a=a)\n",
            "x = '{} {0}'.format(a)\n",
            "x = '{'.format(a)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn ignores_tests_of_formatting_itself() {
        assert_clean("def test_format(self):\n    self.assertEqual('{}'.format(Color.RED), 'red')\n", R);
        assert_clean("def test_percent_formatting():\n    assert '%s' % (x,) == 'x'\n", R);
        assert_count("def test_repr(self):\n    self.assertEqual('{}'.format(Color.RED), 'red')\n", R, 1);
        assert_count("def format_row(a):\n    return '{}'.format(a)\n", R, 1);
    }

    #[test]
    fn ignores_logging_and_translation() {
        assert_clean("import logging\nlog = logging.getLogger()\nlog.info('got %s' % (n,))\n", R);
        assert_clean("import logging\nlogging.warning('got {}'.format(n))\n", R);
        assert_clean("from gettext import gettext as _\nx = _('Hello %s' % (name,))\n", R);
        assert_clean("x = gettext_lazy('{}'.format(name))\n", R);
        // Other calls are fine to report.
        assert_count("print('got %s' % (n,))\n", R, 1);
    }

    #[test]
    fn format_fix_is_exact_for_names() {
        let src = "def f(name, n):\n    return 'Hi {0}! {1:>5} {n!r} {{ok}} {0.real}'.format(n, name, n=name)\n";
        // `{0.real}` and `{0}` both read `n`, `name` is read twice: names can be read again.
        let fixed_text = fixed(src, R);
        assert_eq!(fixed_text, "def f(name, n):\n    return f'Hi {n}! {name:>5} {name!r} {{ok}} {n.real}'\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe));
        assert_fix_keeps_output(src, R, "print(f('ann', 3))");
        let raw = "def f(p):\n    return r'\\d+ {}'.format(p)\n";
        assert_eq!(fixed(raw, R), "def f(p):\n    return fr'\\d+ {p}'\n");
        assert_fix_keeps_output(raw, R, "print(f('x'))");
        let triple = "def f(a):\n    return \"\"\"one {}\ntwo\"\"\".format(a)\n";
        assert_fix_keeps_output(triple, R, "print(f(1))");
    }

    #[test]
    fn format_fix_with_attributes_after_the_first_field_is_unsafe() {
        let src = "class U:\n    name = 'a'\n    age = 3\ndef f(u):\n    return '{} is {}'.format(u.name, u.age)\n";
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(f(U()))");
        let first = "def f(u, n):\n    return '{} is {}'.format(u.name, n)\n";
        assert_eq!(first_fix_applicability(first, R), Some(Applicability::Safe));
    }

    #[test]
    fn no_format_fix_where_the_rewrite_would_differ() {
        for src in [
            // An unused argument is still evaluated by `.format`.
            "def f(a, b):\n    return '{}'.format(a, b)\n",
            // An attribute read twice; a `[key]` field; a nested field in the spec.
            "def f(u):\n    return '{0} {0}'.format(u.name)\n",
            "def f(d):\n    return '{0[k]}'.format(d)\n",
            "def f(a, w):\n    return '{:>{}}'.format(a, w)\n",
            // An escape that spells a brace; implicit concatenation.
            "def f(a):\n    return '\\N{EN DASH} {}'.format(a)\n",
            "def f(a):\n    return ('{}' ' and more').format(a)\n",
            // A spec holding the quote would end the f-string early before 3.12.
            "def f(a):\n    return '{:\\'>5}'.format(a)\n",
            "def f(a):\n    return '''{:'>5}'''.format(a)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}: {:?}", found[0].fix);
        }
    }

    #[test]
    fn percent_fix_translates_conversions_exactly() {
        let src = "def f(name, n):\n    return '%r: %a 100%%' % (name, n)\n";
        assert_eq!(fixed(src, R), "def f(name, n):\n    return f'{name!r}: {n!a} 100%'\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Safe));
        assert_fix_keeps_output(src, R, "print(f('é', 'ü'))");
        let widths = "def f(a, b):\n    return '[%-6s|%6s|%.2s|%5r]' % (a, b, a, b)\n";
        assert_fix_keeps_output(widths, R, "print(f('abc', 12))");
        assert_eq!(first_fix_applicability(widths, R), Some(Applicability::Safe));
        // Numbers: only with a known type.
        let numbers = "def f():\n    n = 42\n    x = 2.5\n    b = True\n    return '%d %5d %-5d| %05d %+d %x %#o %X %.2f %e %g %d %f' % (n, n, n, n, n, n, n, n, x, x, n, b, n)\n";
        assert_fix_keeps_output(numbers, R, "print(f())");
        assert_eq!(first_fix_applicability(numbers, R), Some(Applicability::Safe));
    }

    #[test]
    fn fixes_cover_parenthesised_parts() {
        let src = "def f(a):\n    return ('%r') % (a,)\n";
        assert_fix_keeps_output(src, R, "print(f(1))");
        let src = "def f(a):\n    return ('{!r}').format(a)\n";
        assert_fix_keeps_output(src, R, "print(f(1))");
        let src = "def f(a):\n    return ('%r' % (a,)).upper()\n";
        assert_fix_keeps_output(src, R, "print(f('x'))");
    }

    #[test]
    fn percent_fix_for_unknown_types() {
        // `%s` of an unknown type: `{x}` is what anyone writes, unsafe for a custom `__format__`.
        let src = "def f(a, b):\n    return '%s and %s' % (a, b)\n";
        assert_eq!(fixed(src, R), "def f(a, b):\n    return f'{a} and {b}'\n");
        assert_eq!(first_fix_applicability(src, R), Some(Applicability::Unsafe));
        assert_fix_keeps_output(src, R, "print(f(1, [2]), f(None, 'x'))");
        // With a width `!s` keeps it exact.
        let width = "def f(a):\n    return '%5s|' % (a,)\n";
        assert_eq!(fixed(width, R), "def f(a):\n    return f'{a!s:>5}|'\n");
        assert_eq!(first_fix_applicability(width, R), Some(Applicability::Safe));
        // `%d` of something that may be a float: no fix (`'%d' % 2.5` is '2', `f'{2.5:d}'` raises).
        let number = "def f(n):\n    return '%d items' % (n,)\n";
        assert_eq!(findings(number, R).len(), 1);
        assert!(findings(number, R)[0].fix.is_none());
    }

    #[test]
    fn percent_fix_keeps_the_literal_text() {
        let src = "def f(a):\n    return u'<%s>\\n' % (a,)\n";
        assert_eq!(fixed(src, R), "def f(a):\n    return f'<{a}>\\n'\n");
        assert_fix_keeps_output(src, R, "print(repr(f(1)))");
        // Escapes that could spell `%` or a brace: no fix.
        let escaped = "def f(a):\n    return '\\x3c%s' % (a,)\n";
        assert!(findings(escaped, R)[0].fix.is_none());
    }

    #[test]
    fn ignores_percent_templates_with_literal_braces() {
        assert_clean("def f(a, b):\n    return r'\\frac{%s}{%s}' % (a, b)\n", R);
        assert_clean("def f(a):\n    return 'int %s() { return 0; }' % (a,)\n", R);
        // `.format` templates already write their braces doubled.
        assert_count("def f(a):\n    return '{{{}}}'.format(a)\n", R, 1);
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "'%s' % (",
            "'%s' %",
            "'{}'.format(",
            "'{'.format(a",
            "'%(a' % b",
            "'{0[}'.format(a)",
            "'{!}'.format(a)",
            "'%' % a",
            "'{:'.format(a)",
        ] {
            let _ = findings(src, R);
        }
    }
}
