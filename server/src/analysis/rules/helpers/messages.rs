//! How findings quote the code they are about.

use ruff_python_ast::ExprCall;

use crate::analysis::checker::Checker;

/// "`requests.get(url)`", or "`requests.get(...)`" when the call is long or spans lines.
pub(crate) fn shown_call(checker: &Checker, call: &ExprCall) -> String {
    let text = checker.source.slice(call);
    if text.len() <= 60 && !text.contains(['\n', '\r']) {
        format!("`{text}`")
    } else {
        format!("`{}(...)`", checker.source.slice(&*call.func))
    }
}
