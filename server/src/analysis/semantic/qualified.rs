//! Comparing a resolved [`QualifiedName`] with a dotted name written in a rule, without allocating.

use ruff_python_ast::Expr;
use ruff_python_ast::name::QualifiedName;

/// `is(&name, "time.sleep")`: the segments of `name` are exactly those of the dotted name.
pub fn is(name: &QualifiedName, dotted: &str) -> bool {
    // Byte comparison, segment by segment: this runs for every call a rule resolves, against
    // every name in the rule's table, so it must not build iterators or search for dots.
    let mut rest = dotted.as_bytes();
    let segments = name.segments();
    for (i, segment) in segments.iter().enumerate() {
        // The first byte rules out most candidates without a call to `memcmp`.
        if rest.first() != segment.as_bytes().first() {
            return false;
        }
        let Some(tail) = rest.strip_prefix(segment.as_bytes()) else { return false };
        rest = tail;
        if i + 1 < segments.len() {
            let Some(tail) = rest.strip_prefix(b".") else { return false };
            rest = tail;
        }
    }
    rest.is_empty()
}

/// The first of `candidates` that `name` is.
pub fn which<'c>(name: &QualifiedName, candidates: &[&'c str]) -> Option<&'c str> {
    candidates.iter().copied().find(|c| is(name, c))
}

/// Whether `expr` can resolve to one of `candidates`, judged without resolving it: an attribute
/// `x.attr` resolves to a name ending in `attr`, so most calls are ruled out by one comparison
/// (resolving every call for every rule that asks was a tenth of the checker's time). A bare name
/// may be an alias (`from pickle import loads as l`), so it always may.
pub fn attribute_may_be(expr: &Expr, candidates: &[&str]) -> bool {
    let Expr::Attribute(attribute) = expr else { return true };
    let last = attribute.attr.as_str();
    candidates.iter().any(|c| {
        c.as_bytes().last() == last.as_bytes().last()
            && c.ends_with(last)
            && (c.len() == last.len() || c.as_bytes()[c.len() - last.len() - 1] == b'.')
    })
}

/// `module.member` for any member of `module` (`starts_with(&name, "subprocess")`).
pub fn in_module(name: &QualifiedName, module: &str) -> bool {
    let mut parts = module.split('.');
    let segments = name.segments();
    let mut matched = 0;
    for part in parts.by_ref() {
        if segments.get(matched) != Some(&part) {
            return false;
        }
        matched += 1;
    }
    segments.len() > matched
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_segments() {
        let name: QualifiedName = ["time", "sleep"].into_iter().collect();
        assert!(is(&name, "time.sleep"));
        assert!(!is(&name, "time"));
        assert!(!is(&name, "time.sleep.x"));
        assert!(!is(&name, "time.sleeps"));
        assert!(!is(&name, "timesleep"));
        assert!(!is(&name, "time..sleep"));
        let empty: QualifiedName = std::iter::empty().collect();
        assert!(is(&empty, ""));
        assert_eq!(which(&name, &["os.system", "time.sleep"]), Some("time.sleep"));
        assert!(in_module(&name, "time"));
        assert!(!in_module(&name, "time.sleep"));
        assert!(!in_module(&name, "tim"));
    }
}
