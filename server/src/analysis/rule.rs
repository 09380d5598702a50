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

/// Which rules run. A plain bit set: 23 rules fit in a u64 with room to grow.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSet(u64);

impl RuleSet {
    pub fn all() -> Self {
        let mut set = RuleSet(0);
        for rule in Rule::ALL {
            set.insert(*rule);
        }
        set
    }

    pub fn empty() -> Self {
        RuleSet(0)
    }

    pub fn insert(&mut self, rule: Rule) {
        self.0 |= 1 << rule as u64;
    }

    pub fn remove(&mut self, rule: Rule) {
        self.0 &= !(1 << rule as u64);
    }

    pub fn contains(self, rule: Rule) -> bool {
        self.0 & (1 << rule as u64) != 0
    }

    pub fn any(self, rules: &[Rule]) -> bool {
        rules.iter().any(|r| self.contains(*r))
    }
}

impl Default for RuleSet {
    fn default() -> Self {
        RuleSet::all()
    }
}
