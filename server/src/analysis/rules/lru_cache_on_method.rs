//! `lru-cache-on-method` (peer: Ruff B019). `functools.lru_cache` / `functools.cache` on an
//! instance method wraps the function once, in the class body: one cache for every instance,
//! with `self` in each key, so every instance it saw stays alive until evicted (forever with
//! `maxsize=None` or `cache`).
//!
//! Like B019: any method directly in a class body, except static and class methods (also
//! `__new__`, `__init_subclass__`, `__class_getitem__`, and methods of metaclasses), and except
//! in `Enum` subclasses, whose members are singletons. Anchored, as Ruff does, on the decorator.

use std::collections::HashSet;

use ruff_python_ast::helpers::map_callable;
use ruff_python_ast::{Decorator, Expr, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::Ranged;

use crate::analysis::checker::{Checker, MAX_DEPTH};
use crate::analysis::finding::{Edit, Finding, Fix};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::BindingKind;

const ENUM_BASES: &[&str] =
    &["enum.Enum", "enum.IntEnum", "enum.StrEnum", "enum.Flag", "enum.IntFlag", "enum.ReprEnum"];
const METACLASS_BASES: &[&str] = &["builtins.type", "abc.ABCMeta", "enum.EnumMeta", "enum.EnumType"];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, function: &'a StmtFunctionDef) {
    let Some(class) = checker.current_class() else { return };
    if !is_instance_method(checker, class, function) {
        return;
    }
    let caches: Vec<&Decorator> =
        function.decorator_list.iter().filter(|d| cache_kind(checker, &d.expression).is_some()).collect();
    if caches.is_empty() || is_enum(checker, class, &mut HashSet::new()) {
        return;
    }
    for decorator in caches {
        let Some(kind) = cache_kind(checker, &decorator.expression) else { continue };
        let message = message(checker, function, decorator, kind);
        let fix = cached_property_fix(checker, class, function, decorator);
        checker.report(Finding::new(Rule::LruCacheOnMethod, decorator.range(), message).with_fix(fix));
    }
}

/// Not static, not a class method (explicitly or implicitly), not in a metaclass.
fn is_instance_method(checker: &Checker, class: &StmtClassDef, function: &StmtFunctionDef) -> bool {
    let name = function.name.as_str();
    if matches!(name, "__new__" | "__init_subclass__" | "__class_getitem__") {
        return false;
    }
    let special = function.decorator_list.iter().any(|d| {
        checker
            .resolves_to_any(
                map_callable(&d.expression),
                &[
                    "builtins.staticmethod",
                    "builtins.classmethod",
                    "abc.abstractstaticmethod",
                    "abc.abstractclassmethod",
                ],
            )
            .is_some()
    });
    let metaclass = class.bases().iter().any(|b| checker.resolves_to_any(map_callable(b), METACLASS_BASES).is_some());
    !special && !metaclass
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CacheKind {
    /// `cache`, `lru_cache(maxsize=None)`, `lru_cache(None)`.
    Unbounded,
    Bounded,
}

fn cache_kind(checker: &Checker, decorator: &Expr) -> Option<CacheKind> {
    match checker.resolve(map_callable(decorator))?.segments() {
        ["functools", "cache"] => Some(CacheKind::Unbounded),
        ["functools", "lru_cache"] => {
            let maxsize = match decorator {
                Expr::Call(call) => call
                    .arguments
                    .find_argument_value("maxsize", 0)
                    .filter(|_| !call.arguments.args.first().is_some_and(is_function_like)),
                _ => None,
            };
            Some(if maxsize.is_some_and(Expr::is_none_literal_expr) {
                CacheKind::Unbounded
            } else {
                CacheKind::Bounded
            })
        }
        _ => None,
    }
}

/// `lru_cache(user_function)` is the decorator applied directly; not a size.
fn is_function_like(expr: &Expr) -> bool {
    matches!(expr, Expr::Name(_) | Expr::Attribute(_) | Expr::Lambda(_))
}

/// Does the class derive (directly, or through classes of this module) from an `Enum`?
fn is_enum<'a>(checker: &Checker<'a>, class: &'a StmtClassDef, seen: &mut HashSet<*const StmtClassDef>) -> bool {
    // `seen` stops cycles; its size bounds the recursion on very long hierarchies.
    if seen.len() >= MAX_DEPTH || !seen.insert(class) {
        return false;
    }
    class.bases().iter().any(|base| {
        let base = match base {
            Expr::Subscript(sub) => &*sub.value,
            other => other,
        };
        if checker.resolves_to_any(base, ENUM_BASES).is_some() {
            return true;
        }
        match base {
            Expr::Name(name) => match checker.binding_of(name).map(|b| &b.kind) {
                Some(BindingKind::ClassDef(parent)) => is_enum(checker, parent, seen),
                _ => false,
            },
            _ => false,
        }
    })
}

fn message(checker: &Checker, function: &StmtFunctionDef, decorator: &Decorator, kind: CacheKind) -> String {
    let text = checker.source.slice(&decorator.expression);
    let shown = if text.len() > 40 || text.contains(['\n', '\r']) { "the cache decorator" } else { text };
    let name = function.name.as_str();
    let lifetime = match kind {
        CacheKind::Unbounded => "for the life of the program",
        CacheKind::Bounded => "until their entries are evicted",
    };
    format!(
        "`@{shown}` on method `{name}` keeps one cache for all instances with `self` in every key: \
         each instance it is called on stays alive {lifetime}"
    )
}

/// `@functools.cached_property` for a method taking only `self`: a per-instance cache that dies
/// with the instance. Display-only: `obj.{name}()` must become `obj.{name}` at every call site,
/// and `cached_property` needs an instance `__dict__` (no `__slots__`).
fn cached_property_fix(
    checker: &Checker,
    class: &StmtClassDef,
    function: &StmtFunctionDef,
    decorator: &Decorator,
) -> Option<Fix> {
    let parameters = &function.parameters;
    let only_self =
        parameters.len() == 1 && parameters.args.first().is_some_and(|p| p.parameter.name.as_str() == "self");
    if !only_self || function.is_async || function.decorator_list.len() != 1 || defines_slots(class) {
        return None;
    }
    let (cached_property, import) = helpers::import_member(checker, "functools", "cached_property");
    let mut edits = vec![Edit::replace(decorator.expression.range(), cached_property.clone())];
    edits.extend(import);
    Fix::display_only(
        format!("Use `@{cached_property}` (callers then read `.{}` without calling it)", function.name.as_str()),
        edits,
    )
}

fn defines_slots(class: &StmtClassDef) -> bool {
    class.body.iter().any(|stmt| match stmt {
        Stmt::Assign(a) => a.targets.iter().any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__")),
        Stmt::AnnAssign(a) => matches!(&*a.target, Expr::Name(n) if n.id.as_str() == "__slots__"),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::Applicability;
    use crate::analysis::rule::Rule::LruCacheOnMethod as R;

    #[test]
    fn flags_every_import_form() {
        assert_count(
            "import functools\nclass A:\n    @functools.lru_cache(maxsize=None)\n    def f(self, x):\n        return x\n",
            R,
            1,
        );
        assert_count("import functools as ft\nclass A:\n    @ft.cache\n    def f(self):\n        return 1\n", R, 1);
        assert_count(
            "from functools import lru_cache as lc\nclass A:\n    @lc\n    def f(self):\n        return 1\n",
            R,
            1,
        );
        assert_count(
            "from functools import lru_cache\nclass A:\n    @property\n    @lru_cache()\n    def f(self):\n        return 1\n",
            R,
            1,
        );
    }

    #[test]
    fn anchors_on_the_decorator_with_a_specific_message() {
        let src = "import functools\nclass Report:\n    @functools.lru_cache(maxsize=None)\n    def total(self):\n        return 1\n";
        let found = findings(src, R);
        assert_eq!(
            &src[found[0].range.start().to_usize()..found[0].range.end().to_usize()],
            "@functools.lru_cache(maxsize=None)"
        );
        let msg = message(src, R);
        assert!(msg.contains("`total`") && msg.contains("life of the program"), "{msg}");
        let bounded = message(
            "import functools\nclass R:\n    @functools.lru_cache(32)\n    def total(self):\n        return 1\n",
            R,
        );
        assert!(bounded.contains("evicted"), "{bounded}");
    }

    #[test]
    fn ignores_static_class_and_implicit_class_methods() {
        assert_clean(
            "import functools\nclass A:\n    @staticmethod\n    @functools.cache\n    def f(x):\n        return x\n",
            R,
        );
        assert_clean(
            "import functools\nclass A:\n    @functools.cache\n    @classmethod\n    def f(cls):\n        return 1\n",
            R,
        );
        assert_clean(
            "import functools\nclass A:\n    @functools.cache\n    def __class_getitem__(cls, item):\n        return 1\n",
            R,
        );
        assert_clean(
            "import functools\nclass Meta(type):\n    @functools.cache\n    def f(cls):\n        return 1\n",
            R,
        );
    }

    #[test]
    fn ignores_functions_enums_and_other_decorators() {
        assert_clean("import functools\n@functools.cache\ndef f(x):\n    return x\n", R);
        assert_clean(
            "import functools\nclass A:\n    def m(self):\n        @functools.cache\n        def g(x):\n            return x\n",
            R,
        );
        assert_clean(
            "import enum, functools\nclass Color(enum.Enum):\n    RED = 1\n    @functools.cache\n    def f(self):\n        return 1\n",
            R,
        );
        let indirect = "from enum import IntEnum\nimport functools\nclass Base(IntEnum):\n    pass\nclass C(Base):\n    @functools.cache\n    def f(self):\n        return 1\n";
        assert_clean(indirect, R);
        assert_clean("class A:\n    @lru_cache\n    def f(self):\n        return 1\n", R);
        assert_clean("import functools\nclass A:\n    @functools.wraps(f)\n    def f(self):\n        return 1\n", R);
    }

    #[test]
    fn fix_offers_cached_property_display_only() {
        let src = "import functools\n\nclass Report:\n    @functools.lru_cache(maxsize=None)\n    def total(self):\n        return 1\n";
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
        assert_eq!(
            fixed(src, R),
            "import functools\n\nclass Report:\n    @functools.cached_property\n    def total(self):\n        return 1\n"
        );
        let alias = "from functools import cache, cached_property as cp\nclass A:\n    @cache\n    def f(self):\n        return 1\n";
        assert_eq!(
            fixed(alias, R),
            "from functools import cache, cached_property as cp\nclass A:\n    @cp\n    def f(self):\n        return 1\n"
        );
        let import = "from functools import cache\nclass A:\n    @cache\n    def f(self):\n        return 1\n";
        assert_eq!(
            fixed(import, R),
            "from functools import cache\nimport functools\nclass A:\n    @functools.cached_property\n    def f(self):\n        return 1\n"
        );
    }

    #[test]
    fn no_fix_with_arguments_slots_or_other_decorators() {
        for src in [
            "import functools\nclass A:\n    @functools.cache\n    def f(self, x):\n        return x\n",
            "import functools\nclass A:\n    __slots__ = ('a',)\n    @functools.cache\n    def f(self):\n        return 1\n",
            "import functools\nclass A:\n    @property\n    @functools.cache\n    def f(self):\n        return 1\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }
}
