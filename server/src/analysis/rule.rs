//! The registry of rules: id, default severity. The id is also the id of the rule's card.

use super::finding::Severity;

macro_rules! rules {
    ($($variant:ident => $id:literal, $severity:ident;)*) => {
        /// Every rule interview-lens knows. Detection lives in `rules/<id>.rs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }
        }
    };
}

rules! {
    MutableDefaultArgument => "mutable-default-argument", Warning;
    CallInDefaultArgument => "call-in-default-argument", Warning;
    IsVsEqLiteral => "is-vs-eq-literal", Warning;
    EqComparisonToSingleton => "eq-comparison-to-singleton", Info;
    TypeEqualityCheck => "type-equality-check", Info;
    LateBindingClosure => "late-binding-closure", Warning;
    ListMultiplicationAliasing => "list-multiplication-aliasing", Warning;
    ListComprehensionInCall => "list-comprehension-in-call", Info;
    ManualListComprehension => "manual-list-comprehension", Info;
    RangeLenLoop => "range-len-loop", Info;
    YieldFromDelegation => "yield-from-delegation", Info;
    DecoratorMissingWraps => "decorator-missing-wraps", Warning;
    OpenWithoutWith => "open-without-with", Warning;
    BareExcept => "bare-except", Warning;
    SwallowedBroadException => "swallowed-broad-exception", Warning;
    BlockingSleepInAsync => "blocking-sleep-in-async", Warning;
    BlockingHttpInAsync => "blocking-http-in-async", Warning;
    BlockingFileIoInAsync => "blocking-file-io-in-async", Warning;
    BlockingSubprocessInAsync => "blocking-subprocess-in-async", Warning;
    LruCacheOnMethod => "lru-cache-on-method", Warning;
    PickleUntrusted => "pickle-untrusted", Warning;
    GetterSetterMethods => "getter-setter-methods", Info;
    StringConcatInLoop => "string-concat-in-loop", Info;
}

impl Rule {
    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.iter().copied().find(|rule| rule.id() == id)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// Which rules run: a bit set with room for the whole catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSet([u64; RuleSet::WORDS]);

// Every rule needs a bit: adding rule 193 fails to compile here rather than misbehaving.
const _: () = assert!(Rule::ALL.len() <= RuleSet::CAPACITY);

impl RuleSet {
    const WORDS: usize = 3;
    pub const CAPACITY: usize = RuleSet::WORDS * 64;

    pub fn all() -> Self {
        let mut set = RuleSet::empty();
        for rule in Rule::ALL {
            set.insert(*rule);
        }
        set
    }

    pub const fn empty() -> Self {
        RuleSet([0; RuleSet::WORDS])
    }

    const fn position(rule: Rule) -> (usize, u64) {
        let index = rule as usize;
        (index / 64, 1 << (index % 64))
    }

    pub fn insert(&mut self, rule: Rule) {
        let (word, bit) = Self::position(rule);
        self.0[word] |= bit;
    }

    pub fn remove(&mut self, rule: Rule) {
        let (word, bit) = Self::position(rule);
        self.0[word] &= !bit;
    }

    pub fn contains(self, rule: Rule) -> bool {
        let (word, bit) = Self::position(rule);
        self.0[word] & bit != 0
    }

    pub fn any(self, rules: &[Rule]) -> bool {
        rules.iter().any(|r| self.contains(*r))
    }

    pub fn is_empty(self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.iter().copied().filter(move |r| self.contains(*r))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let mut set = RuleSet::empty();
        assert!(set.is_empty());
        set.insert(Rule::BareExcept);
        set.insert(Rule::StringConcatInLoop);
        assert!(set.contains(Rule::BareExcept) && set.contains(Rule::StringConcatInLoop));
        assert!(!set.contains(Rule::MutableDefaultArgument));
        assert_eq!(set.iter().count(), 2);
        set.remove(Rule::BareExcept);
        assert!(!set.contains(Rule::BareExcept));
        assert_eq!(RuleSet::all().iter().count(), Rule::ALL.len());
    }

    #[test]
    fn ids_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
    }
}
