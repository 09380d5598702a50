//! Hover: the card for a finding, for a rule named in a suppression comment, or for a concept.

use ruff_text_size::TextSize;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::documents::Snapshot;
use super::position::{self, Encoding};
use crate::analysis::Analysis;
use crate::cards::{Bank, Card, render_compact, render_markdown};
use crate::config::HoverStyle;

/// The same Markdown for every client: the setting picks the layout.
fn render(card: &Card, headline: Option<&str>, style: HoverStyle) -> String {
    match style {
        HoverStyle::Compact => render_compact(card, headline),
        HoverStyle::Full => render_markdown(card, headline),
    }
}

pub fn hover(
    snapshot: &Snapshot,
    analysis: &Analysis,
    offset: TextSize,
    bank: &Bank,
    concepts: bool,
    style: HoverStyle,
    encoding: Encoding,
) -> Option<(Hover, String)> {
    // With the card shown, which the server records as seen.
    let markdown = |text: String, range, card: &Card| {
        let hover = Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
            range: Some(position::range(&snapshot.index, &snapshot.text, range, encoding)),
        };
        (hover, card.id.clone())
    };
    // A rule id inside `# interview-lens: ignore[...]`.
    for suppression in &analysis.suppressions {
        for (id, range) in &suppression.rules {
            if range.contains_inclusive(offset) {
                let card = bank.get(id)?;
                return Some(markdown(render(card, None, style), *range, card));
            }
        }
    }
    if let Some(finding) = analysis.findings_at(offset).first()
        && let Some(card) = bank.get(finding.rule.id())
    {
        return Some(markdown(render(card, Some(&finding.message), style), finding.range, card));
    }
    if concepts {
        let anchor = analysis.concept_at(offset)?;
        let card = bank.get(anchor.card)?;
        return Some(markdown(render(card, anchor.note.as_deref(), style), anchor.range, card));
    }
    None
}
