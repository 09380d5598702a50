//! Comparing a resolved [`QualifiedName`] with a dotted name written in a rule, without allocating.

use ruff_python_ast::name::QualifiedName;

/// `is(&name, "time.sleep")`: the segments of `name` are exactly those of the dotted name.
pub fn is(name: &QualifiedName, dotted: &str) -> bool {
    let mut parts = dotted.split('.');
    name.segments().iter().all(|segment| parts.next() == Some(*segment)) && parts.next().is_none()
}

/// The first of `candidates` that `name` is.
pub fn which<'c>(name: &QualifiedName, candidates: &[&'c str]) -> Option<&'c str> {
    candidates.iter().copied().find(|c| is(name, c))
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
        assert_eq!(which(&name, &["os.system", "time.sleep"]), Some("time.sleep"));
        assert!(in_module(&name, "time"));
        assert!(!in_module(&name, "time.sleep"));
        assert!(!in_module(&name, "tim"));
    }
}
