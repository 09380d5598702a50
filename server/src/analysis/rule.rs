//! The registry of rules: id, default severity. The id is also the id of the rule's card.

use super::finding::Severity;

macro_rules! rules {
    ($($variant:ident => $id:literal, $severity:ident, ruff: [$($ruff:literal),*], pylint: [$($pylint:literal),*];)*) => {
        /// Every rule interview-lens knows. Detection lives in `rules/<id>.rs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The severity of the rule's strongest finding (a rule may report some at a lower tier).
            pub fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity),* }
            }

            /// The Ruff codes whose `# noqa: CODE` also silences this rule (see docs/ruff-comparison.md).
            pub fn ruff_codes(self) -> &'static [&'static str] {
                match self { $(Rule::$variant => &[$($ruff),*]),* }
            }

            /// The Pylint messages (symbolic name, then code) whose `# pylint: disable=...` also
            /// silences this rule.
            pub fn pylint_messages(self) -> &'static [&'static str] {
                match self { $(Rule::$variant => &[$($pylint),*]),* }
            }
        }
    };
}

rules! {
    MutableDefaultArgument => "mutable-default-argument", Warning, ruff: ["B006"], pylint: ["dangerous-default-value", "W0102"];
    CallInDefaultArgument => "call-in-default-argument", Warning, ruff: ["B008"], pylint: [];
    IsVsEqLiteral => "is-vs-eq-literal", Warning, ruff: ["F632"], pylint: ["literal-comparison", "R0123"];
    EqComparisonToSingleton => "eq-comparison-to-singleton", Warning, ruff: ["E711", "E712"], pylint: ["singleton-comparison", "C0121"];
    TypeEqualityCheck => "type-equality-check", Warning, ruff: ["E721"], pylint: ["unidiomatic-typecheck", "C0123"];
    LateBindingClosure => "late-binding-closure", Warning, ruff: ["B023"], pylint: ["cell-var-from-loop", "W0640"];
    ListMultiplicationAliasing => "list-multiplication-aliasing", Warning, ruff: [], pylint: [];
    ListComprehensionInCall => "list-comprehension-in-call", Warning, ruff: ["C419"], pylint: ["use-a-generator", "R1729", "consider-using-generator", "R1728"];
    ManualListComprehension => "manual-list-comprehension", Hint, ruff: ["PERF401"], pylint: [];
    RangeLenLoop => "range-len-loop", Hint, ruff: [], pylint: ["consider-using-enumerate", "C0200"];
    YieldFromDelegation => "yield-from-delegation", Hint, ruff: ["UP028"], pylint: ["use-yield-from", "R1737"];
    DecoratorMissingWraps => "decorator-missing-wraps", Warning, ruff: [], pylint: [];
    OpenWithoutWith => "open-without-with", Warning, ruff: ["SIM115"], pylint: ["consider-using-with", "R1732"];
    BareExcept => "bare-except", Warning, ruff: ["E722"], pylint: ["bare-except", "W0702"];
    SwallowedBroadException => "swallowed-broad-exception", Warning, ruff: ["S110", "S112"], pylint: ["broad-exception-caught", "W0718"];
    BlockingSleepInAsync => "blocking-sleep-in-async", Warning, ruff: ["ASYNC251"], pylint: [];
    BlockingHttpInAsync => "blocking-http-in-async", Warning, ruff: ["ASYNC210", "ASYNC212"], pylint: [];
    BlockingFileIoInAsync => "blocking-file-io-in-async", Warning, ruff: ["ASYNC230", "ASYNC240"], pylint: [];
    BlockingSubprocessInAsync => "blocking-subprocess-in-async", Warning, ruff: ["ASYNC220", "ASYNC221", "ASYNC222"], pylint: [];
    LruCacheOnMethod => "lru-cache-on-method", Warning, ruff: ["B019"], pylint: ["method-cache-max-size-none", "W1518"];
    PickleUntrusted => "pickle-untrusted", Warning, ruff: ["S301"], pylint: [];
    GetterSetterMethods => "getter-setter-methods", Hint, ruff: [], pylint: [];
    StringConcatInLoop => "string-concat-in-loop", Warning, ruff: [], pylint: ["consider-using-join", "R1713"];
    // catalogue wave 1: data structures
    ListMembershipInLoop => "list-membership-in-loop", Warning, ruff: [], pylint: [];
    ListAsQueue => "list-as-queue", Warning, ruff: [], pylint: [];
    SortedForMinMax => "sorted-for-min-max", Warning, ruff: ["FURB192"], pylint: [];
    QuadraticListSummation => "quadratic-list-summation", Warning, ruff: ["RUF017"], pylint: [];
    ManualCounterGrouping => "manual-counter-grouping", Hint, ruff: [], pylint: [];
    NestedLoopLookup => "nested-loop-lookup", Warning, ruff: [], pylint: [];
    // catalogue wave 1: mutability
    MutableClassAttribute => "mutable-class-attribute", Hint, ruff: ["RUF012"], pylint: [];
    MutableDataclassDefault => "mutable-dataclass-default", Warning, ruff: ["RUF008", "RUF009"], pylint: [];
    MutableFromkeysValue => "mutable-fromkeys-value", Warning, ruff: ["RUF024"], pylint: [];
    ModifyCollectionWhileIterating => "modify-collection-while-iterating", Warning, ruff: ["B909", "PLE4703"], pylint: ["modified-iterating-list", "W4701", "modified-iterating-dict", "E4702", "modified-iterating-set", "E4703"];
    UnhashableDictKey => "unhashable-dict-key", Warning, ruff: [], pylint: ["unhashable-member", "E1143"];
    ShallowCopyNestedMutation => "shallow-copy-nested-mutation", Warning, ruff: [], pylint: [];
    AccidentalAliasMutation => "accidental-alias-mutation", Warning, ruff: [], pylint: [];
    // catalogue wave 1: generators and scope
    StopiterationInGenerator => "stopiteration-in-generator", Warning, ruff: ["PLR1708"], pylint: ["stop-iteration-return", "R1708"];
    GeneratorReuse => "generator-reuse", Warning, ruff: [], pylint: [];
    UnboundLocalOuterName => "unbound-local-outer-name", Warning, ruff: ["F823"], pylint: ["used-before-assignment", "E0601"];
    BuiltinShadowing => "builtin-shadowing", Warning, ruff: ["A001"], pylint: ["redefined-builtin", "W0622"];
    GlobalStatement => "global-statement", Hint, ruff: ["PLW0603"], pylint: ["global-statement", "W0603"];
    IterateMaterialisedList => "iterate-materialised-list", Hint, ruff: ["PERF101"], pylint: [];
    // catalogue wave 1: idioms
    DictKeysMembership => "dict-keys-membership", Hint, ruff: ["SIM118"], pylint: ["consider-iterating-dictionary", "C0201"];
    ZipPairwise => "zip-pairwise", Hint, ruff: ["RUF007"], pylint: [];
    ExtendWithString => "extend-with-string", Warning, ruff: [], pylint: [];
    UnnecessaryComprehension => "unnecessary-comprehension", Hint, ruff: ["C416"], pylint: ["unnecessary-comprehension", "R1721"];
    MapFilterLambda => "map-filter-lambda", Hint, ruff: ["C417"], pylint: [];
    DictIterationItems => "dict-iteration-items", Hint, ruff: ["PLC0206"], pylint: ["consider-using-dict-items", "C0206"];
    ReimplementedAnyAll => "reimplemented-any-all", Hint, ruff: ["SIM110"], pylint: ["consider-using-any-or-all", "C0501"];
    ManualDictComprehension => "manual-dict-comprehension", Hint, ruff: ["PERF403"], pylint: [];
    // catalogue wave 1: appends and counters
    ManualIndexCounter => "manual-index-counter", Hint, ruff: ["SIM113"], pylint: [];
    ManualListCopyOrExtend => "manual-list-copy-or-extend", Hint, ruff: ["PERF402"], pylint: [];
    RepeatedAppend => "repeated-append", Hint, ruff: ["FURB113"], pylint: [];
    // catalogue wave 1: concepts (the optional hint of a concept card)
    OrderedDictSince37 => "ordered-dict-since-37", Hint, ruff: [], pylint: [];
    FstringFormatting => "fstring-formatting", Hint, ruff: ["UP031", "UP032"], pylint: ["consider-using-f-string", "C0209"];
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
    fn peer_codes_are_well_formed() {
        for rule in Rule::ALL {
            for code in rule.ruff_codes() {
                assert!(code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()), "{rule}: {code}");
            }
            for message in rule.pylint_messages() {
                assert!(message.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{rule}: {message}");
            }
        }
    }

    /// The mapping `# noqa` and `# pylint: disable` use is the one the documentation shows.
    #[test]
    fn the_documented_peer_mapping_is_the_one_suppressions_use() {
        let doc = include_str!("../../../docs/ruff-comparison.md");
        let cell = |codes: &[&str]| if codes.is_empty() { "none".to_string() } else { codes.join(", ") };
        for rule in Rule::ALL {
            let row = format!("| `{rule}` | {} | {} |", cell(rule.ruff_codes()), cell(rule.pylint_messages()));
            assert!(doc.contains(&row), "docs/ruff-comparison.md lacks the row\n{row}");
        }
    }

    #[test]
    fn ids_round_trip() {
        for rule in Rule::ALL {
            assert_eq!(Rule::from_id(rule.id()), Some(*rule));
        }
    }
}
