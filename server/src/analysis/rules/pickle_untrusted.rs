//! `pickle-untrusted` (peer: Ruff S301). Unpickling runs code chosen by whoever produced the bytes
//! (`__reduce__` can name any importable callable), so loading data that crossed a trust boundary
//! is remote code execution.
//!
//! Covers what S301 covers (`pickle`, `dill`, `shelve`, `jsonpickle`, `pandas.read_pickle`) plus
//! `_pickle`, `cPickle`, `cloudpickle`, `joblib.load` and `torch.load` without `weights_only=True`.
//! The finding becomes an error when the argument visibly comes from the network (`request.`,
//! `.recv(`, `urlopen(`, `requests...content`), directly or through a name assigned from it.
//! The fix (display-only: it changes the wire format) switches `pickle.load(s)` to `json.load(s)`.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;

const UNPICKLERS: &[&str] = &[
    "pickle.load",
    "pickle.loads",
    "pickle.Unpickler",
    "_pickle.load",
    "_pickle.loads",
    "_pickle.Unpickler",
    "cPickle.load",
    "cPickle.loads",
    "cPickle.Unpickler",
    "cloudpickle.load",
    "cloudpickle.loads",
    "dill.load",
    "dill.loads",
    "dill.Unpickler",
    "shelve.open",
    "shelve.DbfilenameShelf",
    "jsonpickle.decode",
    "jsonpickle.unpickler.decode",
    "pandas.read_pickle",
    "joblib.load",
    "torch.load",
];

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {
    let Some(name) = checker.resolves_to_any(&call.func, UNPICKLERS) else { return };
    if name == "torch.load" && has_weights_only(call) {
        return;
    }
    let shown = shown_call(checker, call);
    let from_network = call
        .arguments
        .args
        .iter()
        .chain(call.arguments.keywords.iter().map(|k| &k.value))
        .any(|a| from_network(checker, a));
    let message = if from_network {
        format!("{shown} unpickles data that comes from the network: whoever sent it can run any code in this process")
    } else if name == "torch.load" {
        format!("{shown} without `weights_only=True` unpickles arbitrary objects: a crafted file runs code when loaded")
    } else {
        format!(
            "{shown} can run arbitrary code chosen by whoever produced the data: only unpickle data you wrote yourself and can authenticate"
        )
    };
    let mut finding =
        Finding::new(Rule::PickleUntrusted, call.range(), message).with_fix(json_fix(checker, call, name));
    if from_network {
        finding = finding.with_severity(Severity::Error);
    }
    checker.report(finding);
}

fn has_weights_only(call: &ExprCall) -> bool {
    call.arguments.find_keyword("weights_only").is_some_and(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
}

/// "`pickle.loads(blob)`", or just the callee when the call is long.
fn shown_call(checker: &Checker, call: &ExprCall) -> String {
    let text = checker.source.slice(call);
    if text.len() <= 50 && !text.contains(['\n', '\r']) {
        format!("`{text}`")
    } else {
        format!("`{}(...)`", checker.source.slice(&*call.func))
    }
}

/// The argument mentions a network source, or is built from a name assigned from one.
fn from_network(checker: &Checker, arg: &Expr) -> bool {
    if mentions_network(checker.source.slice(arg)) {
        return true;
    }
    helpers::names_in_expr(arg).into_iter().any(|name| {
        checker.lookup(name).and_then(|b| b.value).is_some_and(|v| mentions_network(checker.source.slice(v)))
    })
}

fn mentions_network(text: &str) -> bool {
    text.contains(".recv(")
        || text.contains(".recvfrom(")
        || text.contains(".recvmsg(")
        || text.contains("urlopen(")
        || (text.contains("requests.") && text.contains(".content"))
        || mentions_request(text)
}

/// `request.` as a name or attribute (`request.body`, `self.request.data`), not `my_request.`.
fn mentions_request(text: &str) -> bool {
    text.match_indices("request.")
        .any(|(i, _)| text[..i].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_')))
}

/// `pickle.load(f)` -> `json.load(f)`: only for the plain one-argument form, which `json` accepts.
fn json_fix(checker: &Checker, call: &ExprCall, name: &str) -> Option<Fix> {
    let member = match name {
        "pickle.load" => "load",
        "pickle.loads" => "loads",
        _ => return None,
    };
    let args = &call.arguments;
    if args.args.len() != 1 || !args.keywords.is_empty() || args.args[0].is_starred_expr() {
        return None;
    }
    let (module, import) = helpers::import_module(checker, "json");
    let visible = match checker.lookup(&module) {
        Some(binding) => binding.is_import_of("json"),
        None => import.is_some(),
    };
    if !visible {
        return None;
    }
    let mut edits = vec![Edit::replace(call.func.range(), format!("{module}.{member}"))];
    edits.extend(import);
    Fix::display_only(format!("Switch to `{module}.{member}` (the producer must write JSON too)"), edits)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::PickleUntrusted as R;

    #[test]
    fn flags_unpicklers() {
        assert_count("import pickle\npickle.load(f)\npickle.loads(b)\npickle.Unpickler(f).load()\n", R, 3);
        assert_count(
            "import _pickle, dill, shelve, jsonpickle\n_pickle.loads(b)\ndill.load(f)\nshelve.open(p)\njsonpickle.decode(s)\n",
            R,
            4,
        );
        assert_count("import pandas as pd\nimport joblib\npd.read_pickle(p)\njoblib.load(p)\n", R, 2);
        assert_count("from pickle import loads as l\nl(b)\n", R, 1);
        assert_count("import torch\ntorch.load(p)\ntorch.load(p, weights_only=False)\n", R, 2);
    }

    #[test]
    fn ignores_safe_calls() {
        assert_clean("import torch\ntorch.load(p, weights_only=True)\n", R);
        assert_clean("import pickle, marshal, json\npickle.dumps(x)\nmarshal.loads(b)\njson.loads(s)\n", R);
        assert_clean("def loads(b): pass\nloads(b)\n", R);
    }

    #[test]
    fn message_names_call() {
        let msg = message("import pickle\ndef load_session(blob):\n    return pickle.loads(blob)\n", R);
        assert!(msg.starts_with("`pickle.loads(blob)` can run arbitrary code"), "{msg}");
        let msg = message("import torch\ntorch.load(path)\n", R);
        assert!(msg.contains("`torch.load(path)` without `weights_only=True`"), "{msg}");
    }

    #[test]
    fn network_sources_raise_severity() {
        let found = findings("import pickle\ndef view(request):\n    return pickle.loads(request.body)\n", R);
        assert_eq!(found[0].severity, Severity::Error);
        let found =
            findings("import pickle\ndef serve(sock):\n    data = sock.recv(4096)\n    return pickle.loads(data)\n", R);
        assert_eq!(found[0].severity, Severity::Error);
        let src = "import pickle, base64, requests\ndef fetch(u):\n    raw = requests.get(u).content\n    return pickle.loads(base64.b64decode(raw))\n";
        assert_eq!(findings(src, R)[0].severity, Severity::Error);
        let found = findings("import pickle\nfrom urllib.request import urlopen\npickle.load(urlopen(u))\n", R);
        assert_eq!(found[0].severity, Severity::Error);
        let found = findings("import pickle\ndef f(my_request):\n    return pickle.loads(my_request.body)\n", R);
        assert_eq!(found[0].severity, Severity::Warning);
    }

    #[test]
    fn fix_switches_to_json() {
        let src = "import pickle\n\ndef load(blob):\n    return pickle.loads(blob)\n";
        assert_eq!(fixed(src, R), "import pickle\nimport json\n\ndef load(blob):\n    return json.loads(blob)\n");
        let src = "import json as j\nfrom pickle import load\nwith open(p, 'rb') as f:\n    x = load(f)\n";
        assert_eq!(
            fixed(src, R),
            "import json as j\nfrom pickle import load\nwith open(p, 'rb') as f:\n    x = j.load(f)\n"
        );
        let found = findings(src, R);
        assert_eq!(found[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::DisplayOnly));
    }

    #[test]
    fn no_fix_for_pickle_specific_arguments_or_other_loaders() {
        for src in [
            "import pickle\npickle.loads(b, encoding='latin1')\n",
            "import pickle\npickle.loads(*args)\n",
            "import dill\ndill.loads(b)\n",
            "import pickle\ndef f(json):\n    pickle.loads(b)\n",
        ] {
            let found = findings(src, R);
            assert_eq!(found.len(), 1, "{src}");
            assert!(found[0].fix.is_none(), "{src}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "import pickle\npickle.loads(",
            "import pickle\npickle.loads(request.",
            "import torch\ntorch.load(p, weights_only=",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
