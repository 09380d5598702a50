//! `pickle-untrusted` (peer: Ruff S301). Unpickling runs code chosen by whoever produced the bytes
//! (`__reduce__` can name any importable callable), so loading data that crossed a trust boundary
//! is remote code execution.
//!
//! Covers what S301 covers (`pickle`, `dill`, `shelve`, `jsonpickle`, `pandas.read_pickle`) plus
//! `_pickle`, `cPickle`, `cloudpickle`, `joblib.load` and `torch.load` with `weights_only=False`.
//! `torch.load` without `weights_only` is safe by default since PyTorch 2.6 (it loads tensors
//! only), so it gets a hint about older versions; `weights_only=True` is not reported.
//!
//! Where the data comes from decides the tier:
//! - warning: it visibly comes from outside the process, i.e. the argument (or the value of a name
//!   it uses) reads the network: `request.` (a web request), `.recv(`, `urlopen(`,
//!   `requests...content`. The message names it.
//! - nothing: the bytes were made here: a literal, a `dumps(...)` call (round trips, as tests do),
//!   an in-memory buffer or temporary file this code creates, a path this scope wrote earlier
//!   (`open(path, 'wb')`, `df.to_pickle(path)`, `joblib.dump(x, path)`, `torch.save(x, path)`),
//!   or a name bound to one of those in the same scope.
//! - hint, otherwise: the shape interviewers ask about, but nothing here shows the data is
//!   untrusted; a parameter means the caller decides, a path from the command line or a config is
//!   the user's own file. The message says so and names the source when it is a parameter.
//!
//! Test code gets no special treatment: a test's round trip is recognised by the data flow above,
//! not by the file's name; a test that unpickles what a socket received is reported like any code.
//!
//! The fix (display-only: it changes the wire format) switches `pickle.load(s)` to `json.load(s)`.

use ruff_python_ast::{Expr, ExprCall};
use ruff_text_size::Ranged;

use crate::analysis::checker::Checker;
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, NodeRef};

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

/// The first segments of `UNPICKLERS`.
const UNPICKLER_MODULES: &[&str] =
    &["pickle", "_pickle", "cPickle", "cloudpickle", "dill", "shelve", "jsonpickle", "pandas", "joblib", "torch"];

/// The parameter that carries the data (or the file), by loader.
fn data_argument<'e>(name: &str, call: &'e ExprCall) -> Option<&'e Expr> {
    let keyword = match name.rsplit('.').next().unwrap_or(name) {
        "loads" => "data",
        "decode" => "string",
        "read_pickle" => "filepath_or_buffer",
        "open" | "DbfilenameShelf" => "filename",
        "load" if name == "joblib.load" => "filename",
        "load" if name == "torch.load" => "f",
        _ => "file",
    };
    call.arguments.find_argument_value(keyword, 0)
}

/// Where the unpickled data comes from, as far as this code shows.
enum Origin {
    /// Made here: nothing untrusted.
    Own,
    /// Read from the network: the evidence.
    Network(String),
    /// A parameter of the enclosing function.
    Parameter(String),
    Unknown,
}

pub(crate) fn check<'a>(checker: &mut Checker<'a>, call: &'a ExprCall) {
    // No unpickler is a builtin: a module that imports none of theirs cannot call one.
    if !checker.semantic().has_imported_any(UNPICKLER_MODULES) {
        return;
    }
    let Some(name) = checker.resolves_to_any(&call.func, UNPICKLERS) else { return };
    let weights_only = (name == "torch.load").then(|| weights_only(call));
    if weights_only == Some(Some(true)) {
        return;
    }
    let origin = match data_argument(name, call) {
        Some(arg) => origin(checker, arg, call, 0),
        None => Origin::Unknown,
    };
    let shown = shown_call(checker, call);
    let (message, severity) = match origin {
        Origin::Own => return,
        Origin::Network(evidence) => (
            format!(
                "{shown} unpickles data read from the network ({evidence}): whoever sent it can run any code in \
                 this process; use a data-only format such as JSON, or verify an HMAC first"
            ),
            Severity::Warning,
        ),
        _ if weights_only == Some(None) => (
            format!(
                "{shown} loads tensors only by default since PyTorch 2.6 (`weights_only=True`); on older \
                 versions it unpickles arbitrary objects, so pass `weights_only=True` to keep it safe everywhere"
            ),
            Severity::Hint,
        ),
        Origin::Parameter(parameter) => (
            format!(
                "{shown} runs whatever code the pickle names, and `{parameter}` comes from the caller: nothing \
                 here shows it is untrusted, but every caller must pass data this program wrote and can \
                 authenticate"
            ),
            Severity::Hint,
        ),
        Origin::Unknown => (
            format!(
                "{shown} runs whatever code the pickle names; nothing here shows the data is untrusted, but only \
                 unpickle data this program wrote and can authenticate"
            ),
            Severity::Hint,
        ),
    };
    let finding = Finding::new(Rule::PickleUntrusted, call.range(), message).with_severity(severity);
    checker.report(finding.with_fix(json_fix(checker, call, name)));
}

/// `weights_only=`: `Some(true)`/`Some(false)` for a literal, `None` when absent; a non-literal
/// value counts as `false` (it may be).
fn weights_only(call: &ExprCall) -> Option<bool> {
    call.arguments.find_keyword("weights_only").map(|k| matches!(&k.value, Expr::BooleanLiteral(b) if b.value))
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

const DUMPERS: &[&str] = &[
    "pickle.dumps",
    "_pickle.dumps",
    "cPickle.dumps",
    "dill.dumps",
    "cloudpickle.dumps",
    "jsonpickle.encode",
    "pickletools.optimize",
];

/// In-memory buffers and temporary files: whatever they hold, this code wrote.
const OWN_CONTAINERS: &[&str] = &[
    "io.BytesIO",
    "io.StringIO",
    "tempfile.TemporaryFile",
    "tempfile.NamedTemporaryFile",
    "tempfile.SpooledTemporaryFile",
];

const OPENERS: &[&str] = &["builtins.open", "io.open", "gzip.open", "bz2.open", "lzma.open"];

fn origin(checker: &Checker, arg: &Expr, at: &ExprCall, depth: usize) -> Origin {
    if depth > 8 {
        return Origin::Unknown;
    }
    if let Some(evidence) = network_evidence(checker, arg) {
        return Origin::Network(evidence);
    }
    if written_here(checker, arg, at) {
        return Origin::Own;
    }
    match arg {
        Expr::BytesLiteral(_) | Expr::StringLiteral(_) if !is_path_loader(checker, at) => Origin::Own,
        Expr::Call(call) => {
            if checker.resolves_to_any(&call.func, DUMPERS).is_some() || callee_name(call) == Some("dumps") {
                return Origin::Own;
            }
            if checker.resolves_to_any(&call.func, OWN_CONTAINERS).is_some() {
                return match call.arguments.args.first() {
                    None => Origin::Own,
                    Some(inner) => origin(checker, inner, at, depth + 1),
                };
            }
            if checker.resolves_to_any(&call.func, OPENERS).is_some()
                && (wrote_same_path(checker, call, at)
                    || call.arguments.find_argument_value("file", 0).is_some_and(|p| written_here(checker, p, at)))
            {
                return Origin::Own;
            }
            // `buf.getvalue()`, `f.read()` on something made here.
            if let Expr::Attribute(attr) = &*call.func
                && matches!(attr.attr.as_str(), "getvalue" | "getbuffer" | "read")
            {
                return origin(checker, &attr.value, at, depth + 1);
            }
            Origin::Unknown
        }
        Expr::Name(name) => {
            let Some(binding) = checker.binding_of(name) else { return Origin::Unknown };
            match (&binding.kind, binding.value) {
                (BindingKind::Parameter(_), _) => Origin::Parameter(name.id.to_string()),
                (_, Some(value)) => origin(checker, value, at, depth + 1),
                _ => Origin::Unknown,
            }
        }
        _ => Origin::Unknown,
    }
}

fn callee_name(call: &ExprCall) -> Option<&str> {
    match &*call.func {
        Expr::Attribute(attr) => Some(attr.attr.as_str()),
        Expr::Name(name) => Some(name.id.as_str()),
        _ => None,
    }
}

/// `open(P, 'rb')` where the same scope, earlier, opened the same `P` for writing: the program
/// reads back what it wrote (a cache it made, a test's file).
fn wrote_same_path(checker: &Checker, open: &ExprCall, at: &ExprCall) -> bool {
    let Some(path) = open.arguments.find_argument_value("file", 0) else { return false };
    let path_text = checker.source.slice(path);
    let model = checker.semantic();
    let scope = checker.scope();
    model.bindings().any(|(_, b)| {
        b.scope == scope
            && b.range.start() < at.start()
            && b.value.is_some_and(|value| match value {
                Expr::Call(other) if checker.resolves_to_any(&other.func, OPENERS).is_some() => {
                    other.arguments.find_argument_value("file", 0).is_some_and(|p| checker.source.slice(p) == path_text)
                        && other.arguments.find_argument_value("mode", 1).is_some_and(
                            |m| matches!(m, Expr::StringLiteral(s) if s.value.to_str().contains(['w', 'a', 'x'])),
                        )
                }
                _ => false,
            })
    })
}

/// Loaders that take a path, not bytes: a literal there names a file, not data.
fn is_path_loader(checker: &Checker, call: &ExprCall) -> bool {
    checker
        .resolves_to_any(
            &call.func,
            &["pandas.read_pickle", "joblib.load", "torch.load", "shelve.open", "shelve.DbfilenameShelf"],
        )
        .is_some()
}

/// Methods and functions that write a pickle (or a file) to the path they are given.
const WRITERS: &[&str] = &["to_pickle", "dump", "save", "write_bytes", "dump_pickle"];

/// Earlier in the same scope, a call such as `df.to_pickle(path)`, `joblib.dump(x, path)` or
/// `torch.save(x, path)` wrote to the same path (same source text): the program reads back what
/// it wrote.
fn written_here(checker: &Checker, path: &Expr, at: &ExprCall) -> bool {
    if !matches!(path, Expr::Name(_) | Expr::Attribute(_) | Expr::Call(_) | Expr::BinOp(_) | Expr::FString(_)) {
        return false;
    }
    let text = checker.source.slice(path);
    let model = checker.semantic();
    let scope = checker.scope();
    model.nodes.iter().any(|(id, node)| {
        let NodeRef::Expr(Expr::Call(call)) = node else { return false };
        if call.start() >= at.start() || model.nodes.scope(id) != scope {
            return false;
        }
        let name = match &*call.func {
            Expr::Attribute(attr) => attr.attr.as_str(),
            Expr::Name(name) => name.id.as_str(),
            _ => return false,
        };
        let same = |a: &Expr| match (a, path) {
            // A name: the same binding (`with open(a) as f` and a later `with open(b) as f` differ).
            (Expr::Name(x), Expr::Name(y)) => {
                x.id == y.id && model.resolve_name(x).is_some() && model.resolve_name(x) == model.resolve_name(y)
            }
            _ => checker.source.slice(a) == text,
        };
        let writes_to_path = WRITERS.contains(&name)
            && call.arguments.args.iter().chain(call.arguments.keywords.iter().map(|k| &k.value)).any(same);
        let opens_for_writing = checker.resolves_to_any(&call.func, OPENERS).is_some()
            && call.arguments.find_argument_value("file", 0).is_some_and(|p| checker.source.slice(p) == text)
            && call
                .arguments
                .find_argument_value("mode", 1)
                .is_some_and(|m| matches!(m, Expr::StringLiteral(s) if s.value.to_str().contains(['w', 'a', 'x'])));
        writes_to_path || opens_for_writing
    })
}

/// The argument mentions a network source, or is built from a name assigned from one: the
/// source text that shows it.
fn network_evidence(checker: &Checker, arg: &Expr) -> Option<String> {
    let text = checker.source.slice(arg);
    if mentions_network(text) {
        return Some(format!("`{}`", checker.source.shown(arg)));
    }
    helpers::names_in_expr(arg).into_iter().find_map(|name| {
        let value = checker.lookup(name).and_then(|b| b.value)?;
        mentions_network(checker.source.slice(value)).then(|| format!("`{name} = {}`", checker.source.shown(value)))
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
    fn the_import_gate_covers_every_unpickler_and_late_imports() {
        for name in super::UNPICKLERS {
            let root = name.split('.').next().unwrap();
            assert!(super::UNPICKLER_MODULES.contains(&root), "{name}");
        }
        // Function bodies are checked after the module body, so an import below the `def` counts.
        assert_eq!(tier("def f(b):\n    return pickle.loads(b)\n\nimport pickle\n"), Severity::Hint);
        assert_eq!(
            tier("from dill import *\nfrom dill import loads as l\ndef f(b):\n    return l(b)\n"),
            Severity::Hint
        );
        assert_clean("def f(b):\n    return loads(b)\n", R);
    }

    fn tier(src: &str) -> Severity {
        only_severity(src, R)
    }

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
    fn data_made_here_is_not_reported() {
        for src in [
            // Round trips, as tests write them.
            "import pickle\ny = pickle.loads(pickle.dumps(x))\n",
            "import pickle\ndef test(self):\n    for proto in range(5):\n        s = pickle.dumps(obj, proto)\n        self.assertEqual(pickle.loads(s), obj)\n",
            "import pickle\ndef test(self):\n    d = self.dumps(obj)\n    return pickle.loads(d)\n",
            "import pickle, io\nbuf = io.BytesIO()\npickle.dump(x, buf)\nbuf.seek(0)\ny = pickle.load(buf)\n",
            "import pickle, io\ny = pickle.load(io.BytesIO(pickle.dumps(x)))\n",
            "import pickle, tempfile\nwith tempfile.TemporaryFile() as f:\n    pickle.dump(x, f)\n    f.seek(0)\n    y = pickle.load(f)\n",
            // A literal.
            "import pickle\nDATA = b'\\x80\\x04K\\x01.'\ndef test():\n    return pickle.loads(DATA)\n",
            "import pickle\npickle.loads(b'\\x80\\x04K\\x01.')\n",
            // A path this scope wrote earlier.
            "import pandas as pd\ndef test(df, temp_file):\n    path = str(temp_file)\n    df.to_pickle(path)\n    assert pd.read_pickle(path).equals(df)\n",
            "import joblib\ndef f(m, p):\n    joblib.dump(m, p)\n    return joblib.load(p)\n",
            "import pickle\ndef f(x, p):\n    pickle.dump(x, open(p, 'wb'))\n    with open(p, 'rb') as f:\n        return pickle.load(f)\n",
            // A file this scope wrote on the same path.
            "import pickle\ndef cache(path, x):\n    with open(path, 'wb') as f:\n        pickle.dump(x, f)\n    with open(path, 'rb') as f:\n        return pickle.load(f)\n",
        ] {
            assert_clean(src, R);
        }
        // Another path, or a file opened elsewhere, is not known to be ours.
        let src = "import pickle\ndef cache(a, b, x):\n    with open(a, 'wb') as f:\n        pickle.dump(x, f)\n    with open(b, 'rb') as f:\n        return pickle.load(f)\n";
        assert_eq!(tier(src), Severity::Hint);
    }

    #[test]
    fn network_sources_are_warnings_that_name_the_source() {
        let warn = |src: &str, evidence: &str| {
            assert_eq!(tier(src), Severity::Warning, "{src}");
            let msg = message(src, R);
            assert!(msg.contains(evidence), "{src}: {msg}");
        };
        warn("import pickle\ndef view(request):\n    return pickle.loads(request.body)\n", "(`request.body`)");
        warn(
            "import pickle\ndef serve(sock):\n    data = sock.recv(4096)\n    return pickle.loads(data)\n",
            "(`data = sock.recv(4096)`)",
        );
        warn(
            "import pickle, base64, requests\ndef fetch(u):\n    raw = requests.get(u).content\n    return pickle.loads(base64.b64decode(raw))\n",
            "`raw = requests.get(u).content`",
        );
        warn("import pickle\nfrom urllib.request import urlopen\npickle.load(urlopen(u))\n", "`urlopen(u)`");
        warn(
            "import torch\ndef view(request):\n    return torch.load(request.files['m'], weights_only=False)\n",
            "read from the network",
        );
    }

    #[test]
    fn unknown_sources_are_hints() {
        let src = "import pickle\ndef load_session(blob):\n    return pickle.loads(blob)\n";
        assert_eq!(tier(src), Severity::Hint);
        let msg = message(src, R);
        assert!(msg.starts_with("`pickle.loads(blob)` runs whatever code"), "{msg}");
        assert!(msg.contains("`blob` comes from the caller"), "{msg}");
        assert_eq!(
            tier("import pickle\ndef f(my_request):\n    return pickle.loads(my_request.body)\n"),
            Severity::Hint
        );
        // A literal path is a file on disk, not data.
        assert_eq!(tier("import pandas as pd\ndf = pd.read_pickle('model.pkl')\n"), Severity::Hint);
        let src = "import pickle, sys\nwith open(sys.argv[1], 'rb') as f:\n    data = pickle.load(f)\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("nothing here shows the data is untrusted"), "{}", message(src, R));
    }

    #[test]
    fn torch_load_is_safe_by_default_since_2_6() {
        let src = "import torch\nmodel = torch.load(path)\n";
        assert_eq!(tier(src), Severity::Hint);
        let msg = message(src, R);
        assert!(msg.contains("since PyTorch 2.6") && msg.contains("older"), "{msg}");
        let src = "import torch\nmodel = torch.load(path, weights_only=False)\n";
        assert_eq!(tier(src), Severity::Hint);
        assert!(message(src, R).contains("runs whatever code"), "{}", message(src, R));
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
        // A deliberate change: the data must be JSON now, and JSON data loads.
        let src = "import pickle\ndef load(blob):\n    return pickle.loads(blob)\n";
        assert_eq!(fixed_output(src, R, "print(load(b'{\"a\": [1, 2]}'))\n"), "{'a': [1, 2]}\n");
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
            "import pickle\nx = x\npickle.loads(x)\n",
        ] {
            let _ = findings(src, R);
        }
    }

    #[test]
    fn card_examples() {
        assert_card_examples(R);
    }
}
