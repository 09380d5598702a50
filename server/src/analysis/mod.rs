//! Text in, findings out: parse (error-tolerant), one walk, suppressions applied.
//! Knows nothing of the command line or of LSP.

pub mod analyze;
pub mod checker;
pub mod concepts;
pub mod finding;
pub mod fixer;
pub mod helpers;
pub mod refactors;
pub mod rule;
pub mod rules;
pub mod semantic;
pub mod source;
pub mod suppression;
pub mod tab_error;

use ruff_python_ast::PySourceType;
use ruff_python_parser::parse_unchecked_source;
use ruff_text_size::{Ranged, TextRange};

pub use concepts::ConceptAnchor;
pub use finding::{Applicability, Edit, Finding, Fix, Severity};
pub use refactors::Refactor;
pub use rule::{Rule, RuleSet};
pub use suppression::Suppression;

#[derive(Clone, Debug)]
pub struct AnalysisOptions {
    pub rules: RuleSet,
    /// `.pyi` stubs: defaults there are documentation, not values.
    pub is_stub: bool,
    /// Collect what only an editor uses (concept anchors for hovers, refactors); the command line
    /// skips it.
    pub editor_data: bool,
}

impl Default for AnalysisOptions {
    /// Every rule, a `.py` file, everything an editor needs.
    fn default() -> Self {
        AnalysisOptions { rules: RuleSet::all(), is_stub: false, editor_data: true }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub range: TextRange,
    pub message: String,
}

/// Everything one version of a text yields. Consumers (CLI, hover, code actions) read this and
/// never re-parse.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Sorted by position, suppressed findings removed.
    pub findings: Vec<Finding>,
    pub syntax_errors: Vec<SyntaxError>,
    pub concepts: Vec<ConceptAnchor>,
    pub refactors: Vec<Refactor>,
    pub suppressions: Vec<Suppression>,
    /// Findings a suppression comment silenced, by position (reports list them; editors do not).
    pub suppressed: Vec<Finding>,
    /// Part of the file was nested too deeply to walk; findings there are missing.
    pub truncated: bool,
    /// Every `def` the walk met, for editors (empty without `editor_data`).
    pub functions: Vec<FunctionSpan>,
}

/// A `def`: the whole statement's range and its name's (editors put a code lens on the name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FunctionSpan {
    pub range: TextRange,
    pub name: TextRange,
}

/// Stack reserved for threads that analyse: the parser grows its own stack, but walking and
/// dropping a deeply nested tree recurses. Reserved memory is committed lazily, so this is cheap.
pub const ANALYSIS_STACK_SIZE: usize = 256 * 1024 * 1024;

pub fn analyze(text: &str, options: &AnalysisOptions) -> Analysis {
    let source_type = if options.is_stub { PySourceType::Stub } else { PySourceType::Python };
    let parsed = parse_unchecked_source(text, source_type);
    let syntax_errors = parsed.errors().iter().map(|e| SyntaxError { range: e.location, message: e.error.to_string() });
    let syntax_errors = syntax_errors.chain(tab_error::find(text, parsed.tokens())).collect();

    let source = source::Source::new(text, parsed.tokens());
    let (suppressions, foreign) = suppression::parse(&source);
    let checker = checker::Checker::new(source, parsed.suite(), options);
    let (mut findings, mut concepts, mut refactors, truncated, functions) = checker.run();

    let mut suppressed = suppression::retain_unsuppressed(&mut findings, &suppressions, &foreign, text);
    for list in [&mut findings, &mut suppressed] {
        list.sort_by_key(|f| (f.range.start(), f.range.end(), f.rule));
        list.dedup_by(|a, b| a.rule == b.rule && a.range == b.range);
    }
    concepts.sort_by_key(|c| (c.range.start(), std::cmp::Reverse(c.range.end())));
    refactors.sort_by_key(|r| r.range.start());

    Analysis { findings, syntax_errors, concepts, refactors, suppressions, suppressed, truncated, functions }
}

/// [`analyze`] on a thread with [`ANALYSIS_STACK_SIZE`] of stack, for callers on ordinary threads.
pub fn analyze_on_large_stack(text: &str, options: &AnalysisOptions) -> Analysis {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("interview-lens-analysis".into())
            .stack_size(ANALYSIS_STACK_SIZE)
            .spawn_scoped(scope, || analyze(text, options))
            .expect("spawning the analysis thread")
            .join()
            .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
    })
}

impl Analysis {
    /// The innermost concept anchor containing `offset`; between two of the same size, the one
    /// `offset` is inside rather than just after (`],` in `return [..], x`: the comma).
    pub fn concept_at(&self, offset: ruff_text_size::TextSize) -> Option<&ConceptAnchor> {
        self.concepts
            .iter()
            .filter(|c| c.range.contains_inclusive(offset))
            .min_by_key(|c| (c.range.len(), c.range.end() == offset))
    }

    /// Findings whose range contains `offset`, innermost first.
    pub fn findings_at(&self, offset: ruff_text_size::TextSize) -> Vec<&Finding> {
        let mut at: Vec<&Finding> = self.findings.iter().filter(|f| f.range().contains_inclusive(offset)).collect();
        at.sort_by_key(|f| f.range.len());
        at
    }
}

impl Ranged for Finding {
    fn range(&self) -> TextRange {
        self.range
    }
}
