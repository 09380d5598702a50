//! What the four blocking-call-in-a-coroutine rules share (sleep, HTTP, file I/O, subprocess;
//! peers: Ruff ASYNC210/212/220/221/222/230/240/251): where the call runs and what visibly runs
//! alongside it, the event-loop library of the module, naming the coroutine, resolving the
//! objects a method is called on, and the `await asyncio.to_thread(func, *args)` fix.
//!
//! The rules look at calls inside an `async def` (not inside a sync `def` or `lambda` nested in
//! it: a function handed to `asyncio.to_thread(work)` or `loop.run_in_executor(None, work)` runs
//! in a worker thread, and `to_thread(requests.get, url)` does not call `requests.get` there). A
//! rule matches its calls during the walk and defers them; the finding is decided on the finished
//! model, because who runs the coroutine (`asyncio.run(main())` may come later in the file) and
//! what the body does with a handle afterwards are only known then.
//!
//! A blocking call in a coroutine harms when the event loop has other work. [`place`] says what the
//! code shows about that:
//! - the coroutine is awaited by code we cannot see ([`Runner::Unknown`]): the loop may run any
//!   number of other tasks, so a slow call stalls them all;
//! - it is test code ([`Runner::Test`]: the module imports a test framework or defines tests), or
//!   the program's entry coroutine ([`Runner::Entry`]: handed to `asyncio.run`, `trio.run`...):
//!   nothing else runs unless this code started it;
//! - the body started a task or a server before the call ([`Place::alongside`]): that work cannot
//!   run during the call, whoever runs the coroutine.
//!
//! Never reported: calls under `if TYPE_CHECKING:` (they never run), and calls where a comment on
//! the line or just above says the blocking is meant ("pretend the loop is busy", "time.sleep is a
//! more challenging scenario than asyncio.sleep"), as tests of timeouts and slow-callback
//! detection do; a comment saying TODO, FIXME or "should" does not count.

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{ArgOrKeyword, Expr, ExprCall, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, Frame, NodeRef};
use crate::analysis::finding::{Edit, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingKind, NodeId, QualifiedName, ScopeId, qualified};

/// The rules of the family: the walk asks "inside a coroutine?" only when one is enabled.
pub(crate) const RULES: &[Rule] = &[
    Rule::BlockingSleepInAsync,
    Rule::BlockingHttpInAsync,
    Rule::BlockingFileIoInAsync,
    Rule::BlockingSubprocessInAsync,
];

// ---- the event-loop library -----------------------------------------------------------------

/// The async library the module is written for: their sleep, thread and subprocess APIs differ,
/// and `asyncio.to_thread` does not work under trio.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Library {
    Asyncio,
    Trio,
    Anyio,
}

impl Library {
    /// `anyio` when the module imports it (it also runs on asyncio), else `trio` when imported,
    /// else asyncio.
    pub(crate) fn of(checker: &Checker) -> Library {
        let mut found = Library::Asyncio;
        for (_, binding) in checker.semantic().bindings() {
            if binding.scope != ScopeId::MODULE {
                continue;
            }
            match binding.import_name().and_then(|name| name.segments().first().copied()) {
                Some("anyio") => return Library::Anyio,
                Some("trio") => found = Library::Trio,
                _ => {}
            }
        }
        found
    }

    pub(crate) fn module(self) -> &'static str {
        match self {
            Library::Asyncio => "asyncio",
            Library::Trio => "trio",
            Library::Anyio => "anyio",
        }
    }

    /// The call that runs a blocking function in a worker thread.
    pub(crate) fn to_thread(self) -> &'static str {
        match self {
            Library::Asyncio => "asyncio.to_thread",
            Library::Trio => "trio.to_thread.run_sync",
            Library::Anyio => "anyio.to_thread.run_sync",
        }
    }
}

// ---- where the call runs --------------------------------------------------------------------

/// Who runs the coroutine, as far as this module shows.
#[derive(Clone, Debug)]
pub(crate) enum Runner {
    /// Awaited by code we cannot see: the loop may be running any number of other tasks.
    Unknown,
    /// Test code: the module imports a test framework (`pytest`, `unittest`, `test.support`,
    /// `django.test`...) or defines `test_*` functions or test classes. The loop runs the test
    /// and what it starts.
    Test,
    /// The program's entry coroutine: `run` (`asyncio.run(main())`) at `line` hands it to a new
    /// event loop, where nothing else runs until it starts something.
    Entry { run: String, line: usize },
}

/// Work the coroutine started before the call, which may still be running during it.
#[derive(Clone, Debug)]
pub(crate) struct Alongside {
    /// "`asyncio.create_task(refresh())` (line 4) started a task"
    started: String,
    /// "run" or "answer"
    verb: &'static str,
}

impl Alongside {
    /// "`asyncio.create_task(refresh())` (line 4) started a task that cannot run meanwhile"
    pub(crate) fn stalls(&self) -> String {
        format!("{} that cannot {} meanwhile", self.started, self.verb)
    }
}

/// Where a blocking call runs.
pub(crate) struct Place<'a> {
    pub coroutine: &'a StmtFunctionDef,
    pub runner: Runner,
    pub alongside: Option<Alongside>,
}

/// Where the call at the checker's position runs, or `None` when it is not to be reported: not in
/// a coroutine, under `if TYPE_CHECKING:`, or marked deliberate by a comment.
pub(crate) fn place<'a>(checker: &Checker<'a>, call: &ExprCall) -> Option<Place<'a>> {
    let coroutine = checker.enclosing_function().filter(|f| f.is_async && checker.in_async_function())?;
    if never_runs(checker, call) || is_marked_deliberate(checker, call) {
        return None;
    }
    let runner = if is_test_module(checker) {
        Runner::Test
    } else if let Some((run, line)) = entry_run(checker, coroutine) {
        Runner::Entry { run, line }
    } else {
        Runner::Unknown
    };
    let alongside = started_before(checker, coroutine, call);
    Some(Place { coroutine, runner, alongside })
}

impl Place<'_> {
    /// "`async def poll`"
    pub(crate) fn name(&self) -> String {
        format!("`async def {}`", self.coroutine.name.as_str())
    }

    /// Warning when other work visibly waits, or when the coroutine may run beside anything; a
    /// hint in test code and in the entry coroutine when nothing was started alongside.
    pub(crate) fn severity(&self) -> Severity {
        match (&self.runner, &self.alongside) {
            (Runner::Unknown, _) | (_, Some(_)) => Severity::Warning,
            _ => Severity::Hint,
        }
    }

    /// The consequence of stalling the loop `stall` ("for 0.5 s", "until the child exits"), with
    /// its evidence, or with the plain statement that nothing visibly waits.
    pub(crate) fn consequence(&self, stall: &str) -> String {
        let name = self.name();
        if let Some(alongside) = &self.alongside {
            return format!("in {name}, where the event loop stalls {stall}: {}", alongside.stalls());
        }
        match &self.runner {
            Runner::Unknown => {
                format!("in {name}, which the event loop runs: every task stalls {stall}, not only this one")
            }
            Runner::Test => format!(
                "in test code ({name}), where the event loop stalls {stall}; the test started no task or server \
                 before it, so nothing visibly waits"
            ),
            Runner::Entry { run, line } => format!(
                "in {name}, the program's entry coroutine (`{run}`, line {line}), where the event loop stalls \
                 {stall}; no task or server was started before it, so nothing visibly waits"
            ),
        }
    }

    /// Test code or the entry coroutine, with nothing started alongside: the loop has no other
    /// visible work.
    pub(crate) fn loop_is_idle(&self) -> bool {
        self.alongside.is_none() && !matches!(self.runner, Runner::Unknown)
    }
}

/// Under `if TYPE_CHECKING:` (never runs).
fn never_runs(checker: &Checker, call: &ExprCall) -> bool {
    checker.ancestors().take_while(|node| !matches!(node, NodeRef::Stmt(Stmt::FunctionDef(_)))).any(|node| {
        let NodeRef::Stmt(Stmt::If(if_stmt)) = node else { return false };
        let in_body = match (if_stmt.body.first(), if_stmt.body.last()) {
            (Some(first), Some(last)) => first.start() <= call.start() && call.end() <= last.end(),
            _ => false,
        };
        in_body
            && (matches!(&*if_stmt.test, Expr::Name(name) if name.id.as_str() == "TYPE_CHECKING")
                || checker
                    .resolves_to_any(&if_stmt.test, &["typing.TYPE_CHECKING", "typing_extensions.TYPE_CHECKING"])
                    .is_some())
    })
}

/// Words in a comment that say the blocking is meant.
const DELIBERATE: &[&str] = &[
    "busy",
    "pretend",
    "simulat",
    "on purpose",
    "deliberate",
    "intentional",
    "asyncio.sleep",
    "to_thread",
    "run_in_executor",
];

/// A comment on the call's line(s), or in the comment lines right above its statement, says the
/// blocking is deliberate (and is not a TODO).
fn is_marked_deliberate(checker: &Checker, call: &ExprCall) -> bool {
    let Some(statement) = checker.current_statement() else { return false };
    let start = statement.start().min(call.start());
    let mut comments = Vec::new();
    let before = checker.source.tokens_in(TextRange::new(TextSize::default(), start));
    for token in before.iter().rev() {
        match token.kind() {
            TokenKind::Comment => comments.push(checker.source.slice(token)),
            TokenKind::Indent | TokenKind::Dedent | TokenKind::NonLogicalNewline => {}
            _ => break,
        }
    }
    let own_lines = TextRange::new(start, checker.source.full_line_end(call.end()).max(start));
    comments.extend(
        checker
            .source
            .tokens_in(own_lines)
            .iter()
            .filter(|t| t.kind() == TokenKind::Comment)
            .map(|t| checker.source.slice(t)),
    );
    comments.iter().any(|comment| {
        let comment = comment.to_ascii_lowercase();
        !["todo", "fixme", "xxx", "should"].iter().any(|w| comment.contains(w))
            && (DELIBERATE.iter().any(|w| comment.contains(w)) || has_word(&comment, "sync"))
    })
}

/// `word` in `text`, not preceded by a letter ("sync" but not "async").
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| !text[..i].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic()))
}

/// Modules whose import makes a module test code.
const TEST_FRAMEWORKS: &[&str] = &[
    "pytest",
    "_pytest",
    "pytest_asyncio",
    "unittest",
    "asynctest",
    "test.support",
    "django.test",
    "twisted.trial",
    "aiohttp.test_utils",
    "tornado.testing",
    "trio.testing",
];

/// The module imports a test framework at module level, or defines `test_*` functions or test
/// classes: its coroutines are tests, fixtures and their helpers.
fn is_test_module(checker: &Checker) -> bool {
    let model = checker.semantic();
    model.bindings().any(|(_, binding)| {
        binding.scope == ScopeId::MODULE
            && match &binding.kind {
                BindingKind::FunctionDef(f) => f.name.as_str().starts_with("test_") && is_test_function(checker, f),
                BindingKind::ClassDef(c) => is_test_class(checker, c),
                _ => binding.import_name().is_some_and(|name| {
                    TEST_FRAMEWORKS.iter().any(|m| qualified::is(name, m) || qualified::in_module(name, m))
                }),
            }
    })
}

/// A `unittest` case (a base named `...TestCase`), or a pytest class: named `Test...` with a test
/// method. A `TestRun` or `TestHarness` class in a test runner (`test_suitable(self, test)`) is not.
fn is_test_class(checker: &Checker, class: &StmtClassDef) -> bool {
    class.bases().iter().any(|base| base_name(base).is_some_and(|n| n.ends_with("TestCase")))
        || class.name.as_str().starts_with("Test")
            && class.body.iter().any(|stmt| {
                matches!(stmt, Stmt::FunctionDef(f) if f.name.as_str().starts_with("test") && is_test_function(checker, f))
            })
}

/// A `test*` function that a test runner would run: a coroutine (only test runners run coroutines
/// named so; a formatter's fixture file has them too), or one whose body asserts (`assert`, or a
/// `self.assert...` / `pytest.raises(...)` call). A library's `test_slice(arg)` helper is not one.
fn is_test_function(checker: &Checker, function: &StmtFunctionDef) -> bool {
    if function.is_async {
        return true;
    }
    let model = checker.semantic();
    let Some(scope) = model.function_scope(function) else { return false };
    model.nodes_run_by(scope).any(|(_, node)| match node {
        NodeRef::Stmt(Stmt::Assert(_)) => true,
        NodeRef::Expr(Expr::Call(call)) => match &*call.func {
            Expr::Attribute(attr) => attr.attr.as_str().starts_with("assert") || attr.attr.as_str() == "raises",
            _ => false,
        },
        _ => false,
    })
}

/// `unittest.TestCase` -> `TestCase`.
fn base_name(base: &Expr) -> Option<&str> {
    match base {
        Expr::Name(name) => Some(name.id.as_str()),
        Expr::Attribute(attr) => Some(attr.attr.as_str()),
        _ => None,
    }
}

/// The call that hands `coroutine` to a new event loop (`asyncio.run(main())`,
/// `loop.run_until_complete(main())`, `trio.run(main)`, `anyio.run(main)`), shown, and its line.
fn entry_run(checker: &Checker, coroutine: &StmtFunctionDef) -> Option<(String, usize)> {
    let model = checker.semantic();
    let binding = model.binding_of_def(coroutine)?;
    model.references(binding).find_map(|reference| {
        let name = model.node(reference.node).as_expr()?;
        let parent = model.parent_id(reference.node)?;
        let NodeRef::Expr(parent_expr @ Expr::Call(call)) = model.node(parent) else { return None };
        let run = if std::ptr::eq(&*call.func, name) {
            // `main()` handed to `asyncio.run(...)`
            let NodeRef::Expr(Expr::Call(outer)) = model.node(model.parent_id(parent)?) else { return None };
            let first = outer.arguments.args.first()?;
            (std::ptr::eq(first, parent_expr) && runs_coroutine(checker, &outer.func)).then_some(outer)?
        } else {
            // `trio.run(main)`
            let first = call.arguments.args.first()?;
            let runs = checker.resolves_to_any(&call.func, &["trio.run", "anyio.run"]).is_some();
            (std::ptr::eq(first, name) && runs).then_some(call)?
        };
        Some((checker.source.shown(run).into_owned(), checker.source.line_number(run.start())))
    })
}

/// `asyncio.run`, `uvloop.run`, `<loop>.run_until_complete`, `<asyncio.Runner>.run`.
fn runs_coroutine(checker: &Checker, func: &Expr) -> bool {
    if checker.resolves_to_any(func, &["asyncio.run", "uvloop.run"]).is_some() {
        return true;
    }
    let Expr::Attribute(attr) = func else { return false };
    match attr.attr.as_str() {
        "run_until_complete" => true,
        "run" => constructed_by(checker, &attr.value).is_some_and(|c| qualified::is(&c, "asyncio.Runner")),
        _ => false,
    }
}

/// The first task or server the coroutine started before `call` that may still be running: a
/// starter inside an `async with` block that ended before the call does not count (a task group
/// waits for its tasks there).
fn started_before(checker: &Checker, coroutine: &StmtFunctionDef, call: &ExprCall) -> Option<Alongside> {
    let model = checker.semantic();
    let scope = model.function_scope(coroutine)?;
    model.nodes_run_by(scope).find_map(|(id, node)| {
        let NodeRef::Expr(Expr::Call(other)) = node else { return None };
        if other.end() > call.start() {
            return None;
        }
        let (what, verb) = starter(checker, other)?;
        if in_closed_async_with(checker, id, call) {
            return None;
        }
        let line = checker.source.line_number(other.start());
        let started = format!("`{}` (line {line}) started {what}", checker.source.shown(other));
        Some(Alongside { started, verb })
    })
}

/// Calls that start work running beside the coroutine: tasks and servers.
fn starter(checker: &Checker, call: &ExprCall) -> Option<(&'static str, &'static str)> {
    const TASK: (&str, &str) = ("a task", "run");
    const SERVER: (&str, &str) = ("a server", "answer");
    if let Some(name) = checker.resolve(&call.func) {
        match name.segments() {
            ["asyncio", "create_task" | "ensure_future"] => return Some(TASK),
            ["asyncio", "start_server" | "start_unix_server"] => return Some(SERVER),
            _ => {}
        }
    }
    let Expr::Attribute(attr) = &*call.func else { return None };
    match attr.attr.as_str() {
        // `loop.create_task`, `TaskGroup.create_task`, a trio nursery or anyio task group.
        "create_task" | "start_soon" => Some(TASK),
        "create_server" | "create_unix_server" => Some(SERVER),
        _ => None,
    }
}

fn in_closed_async_with(checker: &Checker, node: NodeId, call: &ExprCall) -> bool {
    let model = checker.semantic();
    model.ancestors(node).take_while(|n| !matches!(n, NodeRef::Stmt(Stmt::FunctionDef(_)))).any(
        |n| matches!(n, NodeRef::Stmt(Stmt::With(with)) if with.is_async && !with.range().contains_range(call.range())),
    )
}

/// The enclosing loop inside the coroutine: "the loop at line 5", "a comprehension".
pub(crate) fn enclosing_loop(checker: &Checker) -> Option<String> {
    checker.frames().take_while(|f| !matches!(f, Frame::Function(_) | Frame::Lambda(_))).find_map(|f| match f {
        Frame::Loop(stmt) => Some(format!("the loop at line {}", checker.source.line_number(stmt.start()))),
        Frame::Comprehension => Some("a comprehension".to_string()),
        _ => None,
    })
}

/// Visibly a request handler: a parameter named `request` or annotated `...Request`, or a
/// route decorator (`@app.get("/path")`, `@routes.post("/path")`). The code shown as evidence.
pub(crate) fn request_handler_evidence(checker: &Checker, coroutine: &StmtFunctionDef) -> Option<String> {
    for parameter in coroutine.parameters.iter() {
        let p = parameter.as_parameter();
        let annotated_request = p.annotation().is_some_and(|a| base_name(a).is_some_and(|n| n.ends_with("Request")));
        if p.name.as_str() == "request" || annotated_request {
            return Some(format!("`{}`", checker.source.shown(p)));
        }
    }
    coroutine.decorator_list.iter().find_map(|decorator| {
        let Expr::Call(call) = &decorator.expression else { return None };
        let Expr::Attribute(attr) = &*call.func else { return None };
        let is_route = matches!(
            attr.attr.as_str(),
            "get" | "post" | "put" | "patch" | "delete" | "head" | "options" | "route" | "api_route" | "websocket"
        );
        let path =
            matches!(call.arguments.args.first(), Some(Expr::StringLiteral(s)) if s.value.to_str().starts_with('/'));
        (is_route && path).then(|| format!("`@{}`", checker.source.shown(&decorator.expression)))
    })
}

// ---- what the call is on ----------------------------------------------------------------------

/// The qualified names of the calls that may have produced `receiver`: the call itself
/// (`requests.Session().get`), or the value a name was assigned or `with`-bound to.
pub(crate) fn constructed_by<'a: 'e, 'e>(checker: &Checker<'a>, receiver: &'e Expr) -> Option<QualifiedName<'e>> {
    match receiver {
        Expr::Call(call) => checker.resolve(&call.func),
        Expr::Name(name) => match checker.binding_of(name)?.value? {
            Expr::Call(call) => checker.resolve(&call.func),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `receiver` is a parameter annotated with one of `classes` (also inside `X | None`,
/// `Optional[X]`, `Union[...]`).
pub(crate) fn annotated_as(checker: &Checker, receiver: &Expr, classes: &[&str]) -> bool {
    let Expr::Name(name) = receiver else { return false };
    match checker.binding_of(name) {
        Some(binding) if binding.parameter().is_some() => {
            binding.annotation.is_some_and(|annotation| annotation_names(checker, annotation, classes, 0))
        }
        _ => false,
    }
}

fn annotation_names(checker: &Checker, annotation: &Expr, classes: &[&str], depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match annotation {
        Expr::BinOp(binop) if binop.op.is_bit_or() => {
            annotation_names(checker, &binop.left, classes, depth + 1)
                || annotation_names(checker, &binop.right, classes, depth + 1)
        }
        Expr::Subscript(sub) => match checker.resolve(&sub.value).as_ref().map(|q| q.segments()) {
            Some(["typing" | "typing_extensions", "Optional" | "Union"]) => match &*sub.slice {
                Expr::Tuple(tuple) => tuple.elts.iter().any(|e| annotation_names(checker, e, classes, depth + 1)),
                other => annotation_names(checker, other, classes, depth + 1),
            },
            _ => false,
        },
        other => checker.resolves_to_any(other, classes).is_some(),
    }
}

// ---- fixes ------------------------------------------------------------------------------------

/// The call is the operand of `await` (wrong already: a blocking call returns no awaitable).
pub(crate) fn is_awaited(checker: &Checker) -> bool {
    matches!(checker.parent_expr(), Some(Expr::Await(_)))
}

/// Where `await` may not be added: inside a generator expression (it would become an async
/// generator) or a class body nested in the coroutine (`await` there is a syntax error).
pub(crate) fn await_not_allowed(checker: &Checker) -> bool {
    let in_generator = checker
        .ancestors()
        .take_while(|node| matches!(node, NodeRef::Expr(_)))
        .any(|node| matches!(node, NodeRef::Expr(Expr::Generator(_))));
    let in_class_body =
        checker.frames().take_while(|f| !matches!(f, Frame::Function(_))).any(|f| matches!(f, Frame::Class(_)));
    in_generator || in_class_body
}

/// `await <text>`, parenthesised when the call is the object of an attribute, subscript or call
/// (`requests.get(u).json()` needs `(await ...).json()`).
pub(crate) fn awaited_text(checker: &Checker, expr: &Expr, text: &str) -> String {
    let is_primary_operand = match checker.parent_expr() {
        Some(Expr::Attribute(attr)) => std::ptr::eq(&*attr.value, expr),
        Some(Expr::Subscript(sub)) => std::ptr::eq(&*sub.value, expr),
        Some(Expr::Call(call)) => std::ptr::eq(&*call.func, expr),
        _ => false,
    };
    if is_primary_operand { format!("(await {text})") } else { format!("await {text}") }
}

/// How to call `module.member` here (reusing `from module import member` or `import module as m`),
/// and the import to add. `None` when a local binding hides the name the fix would use.
pub(crate) fn import_callable(checker: &Checker, module: &str, member: &str) -> Option<(String, Option<Edit>)> {
    let (name, edit) = helpers::import_member(checker, module, member);
    let head = name.split('.').next().unwrap_or(&name);
    let qualified = format!("{module}.{member}");
    let visible = match checker.lookup(head) {
        Some(binding) if binding.is_import() => {
            binding.is_import_of(module) || binding.is_import_of(&qualified) || binding.is_import_of(head)
        }
        Some(_) => false,
        None => edit.is_some(),
    };
    visible.then_some((name, edit))
}

/// `requests.get(url, timeout=5)` -> `await asyncio.to_thread(requests.get, url, timeout=5)`.
/// Each argument's source is carried over verbatim (starred forms included). Under trio and
/// anyio, `await trio.to_thread.run_sync(func, *args)`, which takes no keyword arguments for
/// `func`: no fix when the call has some.
pub(crate) fn to_thread_fix(checker: &Checker, expr: &Expr, call: &ExprCall) -> Option<Fix> {
    if is_awaited(checker) || await_not_allowed(checker) || checker.source.has_comments(call.range()) {
        return None;
    }
    let library = Library::of(checker);
    let (to_thread, import) = match library {
        Library::Asyncio => import_callable(checker, "asyncio", "to_thread")?,
        Library::Trio | Library::Anyio => {
            if !call.arguments.keywords.is_empty() {
                return None;
            }
            import_callable(checker, &format!("{}.to_thread", library.module()), "run_sync")?
        }
    };
    let func = checker.source.slice(&*call.func);
    if func.is_empty() {
        return None;
    }
    let mut text = format!("{to_thread}({func}");
    for argument in call.arguments.iter_source_order() {
        let source = match argument {
            ArgOrKeyword::Arg(arg) => argument_text(checker, arg),
            ArgOrKeyword::Keyword(keyword) => checker.source.slice(keyword).to_string(),
        };
        if source.is_empty() {
            return None;
        }
        text.push_str(", ");
        text.push_str(&source);
    }
    text.push(')');
    let mut edits = vec![Edit::replace(expr.range(), awaited_text(checker, expr, &text))];
    edits.extend(import);
    Fix::unsafe_(format!("Run `{func}` in a worker thread with `await {to_thread}(...)`"), edits)
}

/// An argument's source; a lone unparenthesised generator (`f(x for x in y)`) gets its parentheses.
fn argument_text(checker: &Checker, arg: &Expr) -> String {
    let text = checker.source.slice(arg);
    match arg {
        Expr::Generator(generator) if !generator.parenthesized => format!("({text})"),
        _ => text.to_string(),
    }
}

/// The call expression a deferred node stands for.
pub(crate) fn deferred_call<'a>(checker: &Checker<'a>, node: NodeId) -> Option<(&'a Expr, &'a ExprCall)> {
    match checker.semantic().node(node) {
        NodeRef::Expr(expr @ Expr::Call(call)) => Some((expr, call)),
        _ => None,
    }
}
