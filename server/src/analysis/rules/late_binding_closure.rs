//! `late-binding-closure` (peers: Ruff B023, Pylint cell-var-from-loop W0640). A closure reads its
//! free variables when it runs, not when it is made, so a `lambda: f"handling {event}"` made in a
//! loop and called after the loop has moved on sees a later `event` (the last one, once the loop is
//! done).
//!
//! Shape, from the model: a `lambda` or nested `def` (the closure) made inside a `for`/`while` body
//! or a comprehension of the scope that owns a name it captures (classes and comprehensions in
//! between are looked through), where that scope rebinds the name on every iteration (a loop or
//! comprehension target, or any binding inside the loop body). One finding per (closure, name), on
//! its first read.
//!
//! The harm needs the closure to outlive its iteration, so the rule follows what happens to the
//! closure object (through names, containers, wrappers such as `functools.partial`, lazy iterators
//! such as `map`, and the class a method belongs to):
//! - warning, naming the evidence, when it demonstrably outlives the iteration: stored in a container,
//!   attribute or class (`fs.append(f)`, `d[k] = f`, `item.cb = f` for the loop's item, `fs += [f]`,
//!   `setattr(...)`; one fixed slot such as `self.cb = f`, which every iteration overwrites, holds
//!   only the latest closure, which sees the value it was made with: reported only when the store
//!   does not run on every iteration, so the slot may keep an earlier one),
//!   collected by a list/set/dict comprehension that is itself the loop (all are made before any
//!   runs), yielded, handed to something that keeps or schedules it (`Thread(target=...)` with
//!   nothing joining it in the iteration, `loop.call_soon`, `executor.submit`, `atexit.register`,
//!   `button.connect`/`bind`, a `callback=`/`command=` argument, a decorator that registers a `def`
//!   nothing else uses), or bound to a name read after the loop when the binding does not run on
//!   every iteration (so the name may hold one made earlier).
//! - hint, when it is passed to a function we cannot see into and that call's result is kept past
//!   the iteration (`handlers.append(make_handler(lambda: i))`): the result probably holds it, but
//!   only that function decides. The message says so.
//! - nothing, when the closure cannot see a later value: called on the spot (`(lambda: i)()`, a
//!   `def` only ever called in the iteration), passed to a call that uses it before returning
//!   (`sorted(key=...)`, `re.sub(pattern, lambda m: ..., s)`, `raises(E, lambda: f(x))`,
//!   `self.assertRaises(E, lambda: ...)`, `map(...)` consumed in the same iteration, any `key=`), or
//!   to a function we cannot see into whose result is not kept (the usual higher-order helper runs
//!   it at once; reporting every such call is the noise this rule is meant to drop), returned (the
//!   loop ends with it), made in an iteration that ends the loop (`break`/`return`/`raise` after
//!   it), names bound as defaults (`lambda i=i: i`), and names the closure declares `nonlocal` or
//!   `global` (it shares the variable on purpose).
//!
//! Test code gets no special treatment: `raises(lambda: ...)` and `assertRaises` are excluded
//! because they call the closure at once, not because they are tests; a test that stores callbacks
//! made in a loop has the bug too.
//!
//! Fix (unsafe: it adds parameters a caller could override, and changes the callable's signature):
//! bind each captured name at definition time with a default, `lambda i=i: ...` / `def f(x, i=i):`.
//! Not offered with `**kwargs`, or when a name may not be bound yet where the closure is made.

use rustc_hash::FxHashMap;
use std::collections::hash_map::Entry;

use ruff_python_ast::token::TokenKind;
use ruff_python_ast::{Expr, ExprCall, ExprLambda, Parameters, Stmt, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange, TextSize};

use crate::analysis::checker::{Checker, NodeRef};
use crate::analysis::finding::{Edit, Finding, Fix, Severity};
use crate::analysis::helpers;
use crate::analysis::rule::Rule;
use crate::analysis::semantic::{BindingId, BindingKind, NodeId, ScopeId, ScopeKind, SemanticModel, Use, qualified};

/// How many hand-overs (name, container, wrapper...) the rule follows before it stops.
const MAX_FOLLOW: u8 = 8;

/// Runs once, after the walk: every capture is known then.
pub(crate) fn check_module(checker: &mut Checker) {
    for finding in collect(checker) {
        checker.report(finding);
    }
}

/// A loop whose iterations rebind names: a `for`/`while` body or a comprehension.
#[derive(Clone, Copy)]
struct Loop {
    node: NodeId,
    kind: LoopKind,
    /// Where a binding is made anew on each iteration.
    region: TextRange,
    /// Where the iterations end; a read from here on is after the loop.
    end: TextSize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LoopKind {
    For,
    While,
    ListComp,
    SetComp,
    DictComp,
    Generator,
}

/// A name a closure captures from a loop that rebinds it.
struct Capture<'a> {
    closure: ScopeId,
    name: &'a str,
    /// The first read of the name in the closure.
    range: TextRange,
    owner: ScopeId,
    looped: Loop,
}

fn collect(checker: &Checker) -> Vec<Finding> {
    let model = checker.semantic();
    // Only a closure made inside a loop can be reported; most files have none, and walking every
    // capture of every module-level name costs more than this look at each function's ancestors.
    let any_in_loop = model.scopes().any(|(_, scope)| {
        scope.kind.is_function_like()
            && scope.node.is_some_and(|node| {
                model.ancestors(node).any(|n| {
                    matches!(
                        n,
                        NodeRef::Stmt(Stmt::For(_) | Stmt::While(_))
                            | NodeRef::Expr(
                                Expr::ListComp(_) | Expr::SetComp(_) | Expr::DictComp(_) | Expr::Generator(_)
                            )
                    )
                })
            })
    });
    if !any_in_loop {
        return Vec::new();
    }
    let mut contexts: FxHashMap<(ScopeId, ScopeId), Option<Vec<Loop>>> = FxHashMap::default();
    let mut captures: Vec<Capture> = Vec::new();
    let mut index: FxHashMap<(ScopeId, &str), usize> = FxHashMap::default();
    for (closure, reference) in model.captures() {
        let (Some(binding), NodeRef::Expr(Expr::Name(read))) = (reference.binding, model.node(reference.node)) else {
            continue;
        };
        if !read.ctx.is_load() {
            continue;
        }
        let binding = model.binding(binding);
        let (name, owner) = (binding.name, binding.scope);
        let loops = contexts.entry((closure, owner)).or_insert_with(|| enclosing_loops(model, closure, owner));
        let Some(loops) = loops else { continue };
        if model.scope_chain(closure).take_while(|s| *s != owner).any(|s| model.scope(s).declaration(name).is_some()) {
            continue;
        }
        let Some(looped) = rebinding_loop(model, owner, name, loops) else { continue };
        match index.entry((closure, name)) {
            Entry::Occupied(entry) => {
                let capture = &mut captures[*entry.get()];
                if reference.range.start() < capture.range.start() {
                    capture.range = reference.range;
                }
            }
            Entry::Vacant(entry) => {
                entry.insert(captures.len());
                captures.push(Capture { closure, name, range: reference.range, owner, looped });
            }
        }
    }
    captures.sort_by_key(|c| c.range.start());

    let mut fates: FxHashMap<(ScopeId, NodeId), Fate> = FxHashMap::default();
    let mut reported: Vec<(&Capture, Severity, String)> = Vec::new();
    for capture in &captures {
        let fate = fates
            .entry((capture.closure, capture.looped.node))
            .or_insert_with(|| Fates { checker, model, looped: capture.looped }.closure(capture.closure))
            .clone();
        let what = describe(model, capture.closure);
        let name = capture.name;
        let head = format!("{what} reads `{name}` when it runs, not when it is made");
        let (severity, message) = match fate {
            Fate::Kept(evidence) => (
                Severity::Warning,
                format!(
                    "{head}; {evidence}, so it outlives this iteration and sees the `{name}` of a later one \
                     (after the loop: the last)"
                ),
            ),
            Fate::Maybe(Maybe::KeptResult { evidence, callee }) => (
                Severity::Hint,
                format!(
                    "{head}; {evidence}: if that holds on to it, it sees the `{name}` of a later iteration; \
                     harmless if `{callee}` only calls it right away"
                ),
            ),
            Fate::Maybe(Maybe::Yielded { line }) => (
                Severity::Hint,
                format!(
                    "{head}; `yield` (line {line}) hands it out: harmless when the consumer calls each one before \
                     asking for the next, as a `for` loop does, but one that collects them first (`list(...)`) sees \
                     the last `{name}` in all of them"
                ),
            ),
            Fate::Unknown | Fate::Consumed => continue,
        };
        reported.push((capture, severity, message));
    }

    let mut findings = Vec::new();
    for (capture, severity, message) in &reported {
        let names: Vec<&Capture> =
            reported.iter().map(|(c, _, _)| *c).filter(|c| c.closure == capture.closure).collect();
        let fix = default_fix(checker, &names);
        let finding = Finding::new(Rule::LateBindingClosure, capture.range, message.clone()).with_severity(*severity);
        findings.push(finding.with_fix(fix));
    }
    findings
}

/// "The lambda", "`def cb`", "`def __len__` (a method of class `A`)".
fn describe(model: &SemanticModel, closure: ScopeId) -> String {
    match model.scope(closure).kind {
        ScopeKind::Function(function) => match parent_scope(model, closure).map(|p| model.scope(p).kind) {
            Some(ScopeKind::Class(class)) => {
                format!("`def {}` (a method of class `{}`)", function.name.as_str(), class.name.as_str())
            }
            _ => format!("`def {}`", function.name.as_str()),
        },
        _ => "The lambda".to_string(),
    }
}

/// The scope a closure is made in (past a PEP 695 type-parameter scope).
fn parent_scope(model: &SemanticModel, scope: ScopeId) -> Option<ScopeId> {
    model.scope_chain(scope).skip(1).find(|s| !matches!(model.scope(*s).kind, ScopeKind::Type))
}

/// The loops (innermost first) between the node that makes `closure` and the scope `owner`, or
/// `None` when a function or lambda body lies in between (then that function is the closure to
/// look at).
fn enclosing_loops(model: &SemanticModel, closure: ScopeId, owner: ScopeId) -> Option<Vec<Loop>> {
    let start = model.scope(closure).node?;
    let stop = model.scope(owner).node;
    let mut loops = Vec::new();
    let mut child = start;
    for parent in model.ancestor_ids(start) {
        let inner = model.node(child).range();
        let in_body = |body: &[Stmt]| match (body.first(), body.last()) {
            (Some(first), Some(last)) => TextRange::new(first.start(), last.end()).contains_range(inner),
            _ => false,
        };
        let is_stop = Some(parent) == stop;
        match model.node(parent) {
            NodeRef::Stmt(stmt @ Stmt::For(f)) if in_body(&f.body) => {
                let end = f.body.last().map_or(stmt.end(), Ranged::end);
                let region = TextRange::new(f.target.start(), end);
                loops.push(Loop { node: parent, kind: LoopKind::For, region, end });
            }
            NodeRef::Stmt(Stmt::While(w)) if in_body(&w.body) => {
                let region = TextRange::new(w.body[0].start(), w.body[w.body.len() - 1].end());
                loops.push(Loop { node: parent, kind: LoopKind::While, region, end: region.end() });
            }
            NodeRef::Stmt(Stmt::FunctionDef(f)) if !is_stop && in_body(&f.body) => return None,
            NodeRef::Expr(Expr::Lambda(l)) if !is_stop && l.body.range().contains_range(inner) => return None,
            NodeRef::Expr(expr) => {
                let (kind, generators) = match expr {
                    Expr::ListComp(c) => (LoopKind::ListComp, &c.generators),
                    Expr::SetComp(c) => (LoopKind::SetComp, &c.generators),
                    Expr::DictComp(c) => (LoopKind::DictComp, &c.generators),
                    Expr::Generator(c) => (LoopKind::Generator, &c.generators),
                    _ => (LoopKind::For, &Vec::new()),
                };
                if let Some(first) = generators.first()
                    && !first.iter.range().contains_range(inner)
                {
                    loops.push(Loop { node: parent, kind, region: expr.range(), end: expr.end() });
                }
            }
            _ => {}
        }
        if is_stop {
            return Some(loops);
        }
        child = parent;
    }
    stop.is_none().then_some(loops)
}

/// The innermost of `loops` inside which `owner` binds `name` (anew on each iteration).
fn rebinding_loop(model: &SemanticModel, owner: ScopeId, name: &str, loops: &[Loop]) -> Option<Loop> {
    loops.iter().copied().find(|l| {
        model.bindings_of(owner, name).any(|b| {
            let binding = model.binding(b);
            !matches!(binding.kind, BindingKind::Annotation) && l.region.contains_range(binding.range)
        })
    })
}

// ---- what happens to the closure ---------------------------------------------------------------

/// Whether the closure can run after its iteration, and the code that shows it.
#[derive(Clone, Debug)]
enum Fate {
    /// Used up within the iteration, or never seen again.
    Consumed,
    /// Passed to code we cannot see into; nothing shows it is kept.
    Unknown,
    /// May outlive the iteration, depending on code we cannot see.
    Maybe(Maybe),
    /// Demonstrably outlives the iteration (the evidence).
    Kept(String),
}

impl Fate {
    fn rank(&self) -> u8 {
        match self {
            Fate::Consumed => 0,
            Fate::Unknown => 1,
            Fate::Maybe(_) => 2,
            Fate::Kept(_) => 3,
        }
    }

    /// The stronger of two (the first one on a tie).
    fn or(self, other: Fate) -> Fate {
        if other.rank() > self.rank() { other } else { self }
    }
}

#[derive(Clone, Debug)]
enum Maybe {
    /// Passed to a function or class we cannot see into, whose result is kept past the iteration.
    KeptResult { evidence: String, callee: String },
    /// Yielded: the consumer decides when it runs.
    Yielded { line: usize },
}

/// What holds the closure at a given point, which decides what a use of it means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Held {
    /// The closure itself, or a wrapper that runs it when called (`partial`, `property`).
    Callable,
    /// A generator or coroutine function: calling it makes an object whose body runs later.
    Deferred,
    /// A lazy iterator that runs it as it is consumed (`map`, a generator object).
    Iterator,
    /// A container or object that holds it.
    Container,
    /// A class made in the loop with the closure as an attribute or method.
    Class,
    /// A thread, task or scheduled call that runs it by itself, later, unless waited for.
    Concurrent,
}

/// Calls that keep what they are given for later, adding to what they already hold.
const KEEPERS: &[&str] =
    &["atexit.register", "codecs.register", "sys.addaudithook", "unittest.addModuleCleanup", "weakref.finalize"];

/// Calls that keep what they are given in one slot, chosen by their other arguments (or a single
/// slot): `setattr(obj, name, f)`, `codecs.register_error(name, f)`, `signal.signal(sig, f)`,
/// `sys.settrace(f)`. A fixed slot holds only the latest closure.
const SLOT_KEEPERS: &[&str] = &[
    "builtins.setattr",
    "codecs.register_error",
    "copyreg.pickle",
    "signal.signal",
    "sys.setprofile",
    "sys.settrace",
    "threading.setprofile",
    "threading.settrace",
];

/// Calls that run what they are given concurrently, in a thread, process or task.
const CONCURRENT: &[&str] = &[
    "_thread.start_new",
    "_thread.start_new_thread",
    "asyncio.create_task",
    "asyncio.ensure_future",
    "asyncio.run_coroutine_threadsafe",
    "multiprocessing.Process",
    "threading.Thread",
    "threading.Timer",
];

/// Calls whose result holds the callable and runs it when called.
const WRAPPERS: &[&str] = &[
    "builtins.classmethod",
    "builtins.property",
    "builtins.staticmethod",
    "contextlib.asynccontextmanager",
    "contextlib.contextmanager",
    "functools.cache",
    "functools.cached_property",
    "functools.lru_cache",
    "functools.partial",
    "functools.partialmethod",
    "functools.singledispatch",
    "functools.update_wrapper",
    "types.MethodType",
];

/// Calls whose result is a lazy iterator over what they are given.
const LAZY: &[&str] = &[
    "builtins.enumerate",
    "builtins.filter",
    "builtins.iter",
    "builtins.map",
    "builtins.reversed",
    "builtins.zip",
    "itertools.accumulate",
    "itertools.chain",
    "itertools.dropwhile",
    "itertools.filterfalse",
    "itertools.groupby",
    "itertools.islice",
    "itertools.starmap",
    "itertools.takewhile",
];

/// Calls that copy what they are given into a new container (and run a lazy iterator through).
const COLLECTORS: &[&str] =
    &["builtins.dict", "builtins.frozenset", "builtins.list", "builtins.set", "builtins.sorted", "builtins.tuple"];

/// Methods that keep their argument, whatever the receiver: containers, registries, event loops,
/// GUI toolkits, signal libraries, test cleanups.
const KEEPING_METHODS: &[&str] = &[
    "addBoth",
    "addCallback",
    "addCallbacks",
    "addCleanup",
    "addClassCleanup",
    "addErrback",
    "addHandler",
    "addListener",
    "add",
    "add_callback",
    "add_done_callback",
    "add_handler",
    "add_listener",
    "add_reader",
    "add_signal_handler",
    "add_writer",
    "after",
    "after_idle",
    "append",
    "appendleft",
    "bind",
    "bind_all",
    "callback",
    "connect",
    "extend",
    "extendleft",
    "insert",
    "on",
    "once",
    "push",
    "push_async_callback",
    "put",
    "put_nowait",
    "register",
    "set_exception_handler",
    "subscribe",
    "trace_add",
    "update",
];

/// Methods that run their argument concurrently or later.
const CONCURRENT_METHODS: &[&str] = &[
    "apply_async",
    "call_at",
    "call_later",
    "call_soon",
    "call_soon_threadsafe",
    "create_task",
    "ensure_future",
    "map_async",
    "run_in_executor",
    "spawn",
    "start_soon",
    "starmap_async",
    "submit",
];

/// Methods on a thread, task or future that wait for it (or stop it).
const WAITS: &[&str] = &["cancel", "exception", "join", "result", "wait"];

/// Keyword arguments that hand over a callback to keep: a GUI `command=`, a `defaultdict`-like
/// `default_factory=`. (`target=` starts a thread or process.) Other `*_callback=` arguments are as
/// often called during the call (`pickle.dumps(buffer_callback=...)`) as kept, so they are not
/// evidence.
fn is_callback_keyword(keyword: &str) -> bool {
    matches!(keyword, "command" | "default_factory")
}

/// Methods that register what they are given, by prefix: `add_route`, `add_url_rule`,
/// `register_error`, `register_function`...
fn is_registering_method(method: &str) -> bool {
    method.starts_with("add_") || method.starts_with("register")
}

/// Follows the closure made in one loop.
struct Fates<'c, 'a> {
    checker: &'c Checker<'a>,
    model: &'c SemanticModel<'a>,
    looped: Loop,
}

impl<'a> Fates<'_, 'a> {
    fn line(&self, offset: TextSize) -> usize {
        self.checker.source.line_number(offset)
    }

    fn shown<T: Ranged>(&self, node: &T) -> String {
        self.checker.source.shown(node).into_owned()
    }

    /// `fs.append(...)`: the callee, for a message.
    fn callee(&self, call: &ExprCall) -> String {
        format!("`{}(...)` (line {})", self.shown(&*call.func), self.line(call.start()))
    }

    fn closure(&self, closure: ScopeId) -> Fate {
        let model = self.model;
        let Some(node) = model.scope(closure).node else { return Fate::Consumed };
        if self.ends_iteration(node) {
            return Fate::Consumed;
        }
        match model.scope(closure).kind {
            ScopeKind::Lambda(_) => self.value(node, Held::Callable, 0),
            ScopeKind::Function(function) => self.function(closure, node, function),
            _ => Fate::Consumed,
        }
    }

    fn function(&self, closure: ScopeId, node: NodeId, function: &StmtFunctionDef) -> Fate {
        let model = self.model;
        if let Some(parent) = parent_scope(model, closure)
            && model.scope(parent).kind.is_class()
        {
            // A method: the class made in this iteration holds it.
            return match model.scope(parent).node.and_then(|class| model.definition_binding(class)) {
                Some(class) => self.binding(class, Held::Class, 1),
                None => Fate::Consumed,
            };
        }
        let held = if function.is_async || model.is_generator_scope(closure) { Held::Deferred } else { Held::Callable };
        let Some(binding) = model.definition_binding(node) else { return Fate::Consumed };
        let uses = self.binding(binding, held, 1);
        let Some(decorator) = function.decorator_list.iter().find(|d| !self.is_transparent_decorator(&d.expression))
        else {
            return uses;
        };
        let at = self.line(decorator.start());
        let shown = self.shown(&decorator.expression);
        if model.is_used(binding) {
            uses.or(Fate::Unknown)
        } else {
            let name = function.name.as_str();
            Fate::Kept(format!(
                "`@{shown}` (line {at}) receives it and nothing else uses `{name}`, so the decorator is what keeps it"
            ))
        }
    }

    /// Decorators that return the function (or a wrapper running it) and keep nothing else.
    fn is_transparent_decorator(&self, decorator: &Expr) -> bool {
        let callee = match decorator {
            Expr::Call(call) => &*call.func,
            other => other,
        };
        self.checker
            .resolves_to_any(
                callee,
                &[
                    "abc.abstractmethod",
                    "builtins.classmethod",
                    "builtins.property",
                    "builtins.staticmethod",
                    "contextlib.asynccontextmanager",
                    "contextlib.contextmanager",
                    "functools.cache",
                    "functools.lru_cache",
                    "functools.wraps",
                    "typing.overload",
                ],
            )
            .is_some()
    }

    /// Does the iteration that makes the closure end the loop (a `break`, `return` or `raise`
    /// after it on its path)? Then no later value comes.
    fn ends_iteration(&self, node: NodeId) -> bool {
        let model = self.model;
        if !matches!(self.looped.kind, LoopKind::For | LoopKind::While) {
            return false;
        }
        let mut current = model.statement_id(node);
        let mut inner_loop = false;
        while let Some(id) = current {
            if id == self.looped.node {
                return false;
            }
            if let Some((suite, index)) = model.suite_of(id) {
                for stmt in &suite[index + 1..] {
                    match stmt {
                        Stmt::Return(_) | Stmt::Raise(_) => return true,
                        Stmt::Break(_) if !inner_loop => return true,
                        _ => {}
                    }
                }
            }
            current = model.parent_id(id);
            if let Some(parent) = current
                && parent != self.looped.node
                && matches!(model.node(parent), NodeRef::Stmt(Stmt::For(_) | Stmt::While(_)))
            {
                inner_loop = true;
            }
        }
        false
    }

    /// What happens to the value of expression `node`, which holds the closure as `held`.
    fn value(&self, node: NodeId, held: Held, depth: u8) -> Fate {
        if depth > MAX_FOLLOW {
            return Fate::Unknown;
        }
        if let Some(fate) = self.collected(node, depth) {
            return fate;
        }
        let model = self.model;
        match model.use_of_node(node) {
            Use::Called(call) => match held {
                Held::Deferred => self.result_of(node, call, Held::Iterator, depth),
                Held::Class => self.result_of(node, call, Held::Container, depth),
                _ => Fate::Consumed,
            },
            Use::Argument { call } => self.argument(node, call, held, depth),
            Use::Stored { target } => self.store(target, depth),
            Use::Yielded => {
                let line = model.statement(node).map_or(self.line(model.node(node).start()), |s| self.line(s.start()));
                Fate::Maybe(Maybe::Yielded { line })
            }
            Use::MethodCall { method, call } if held == Held::Concurrent => {
                if WAITS.contains(&method) {
                    Fate::Consumed
                } else if method == "start" {
                    Fate::Kept(format!(
                        "`{}` (line {}) starts it in another thread, and nothing waits for it in this iteration",
                        self.shown(call),
                        self.line(call.start())
                    ))
                } else {
                    Fate::Consumed
                }
            }
            Use::Read => self.read(node, held),
            _ => Fate::Consumed,
        }
    }

    /// The closure is the element of a comprehension: the comprehension's list (or set, or dict)
    /// holds it; when the comprehension is the loop itself, every element is made before any runs.
    fn collected(&self, node: NodeId, depth: u8) -> Option<Fate> {
        let model = self.model;
        let mut child = node;
        loop {
            let parent = model.parent_id(child)?;
            let NodeRef::Expr(parent_expr) = model.node(parent) else { return None };
            let inner = model.node(child).range();
            let (kind, element) = match parent_expr {
                Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Dict(_) | Expr::BoolOp(_) => {
                    child = parent;
                    continue;
                }
                Expr::If(e) if !e.test.range().contains_range(inner) => {
                    child = parent;
                    continue;
                }
                Expr::ListComp(c) => ("list", c.elt.range().contains_range(inner)),
                Expr::SetComp(c) => ("set", c.elt.range().contains_range(inner)),
                Expr::DictComp(c) => (
                    "dict",
                    c.value.range().contains_range(inner)
                        || c.key.as_ref().is_some_and(|k| k.range().contains_range(inner)),
                ),
                Expr::Generator(c) => ("generator", c.elt.range().contains_range(inner)),
                _ => return None,
            };
            if !element {
                return None;
            }
            if parent != self.looped.node {
                return Some(self.value(parent, Held::Container, depth + 1));
            }
            if kind != "generator" {
                return Some(Fate::Kept(format!("the {kind} comprehension makes every one of them before any runs")));
            }
            // A generator hands them out one at a time; collecting it makes them all first.
            return Some(match model.use_of_node(parent) {
                Use::Argument { call } if self.checker.resolves_to_any(&call.func, COLLECTORS).is_some() => {
                    Fate::Kept(format!("{} collects every one of them before any runs", self.callee(call)))
                }
                _ => Fate::Consumed,
            });
        }
    }

    /// The call `call` made from `node` returns an object that holds the closure as `held`.
    fn result_of(&self, node: NodeId, call: &ExprCall, held: Held, depth: u8) -> Fate {
        match self.call_node(node, call) {
            Some(call_node) => self.value(call_node, held, depth + 1),
            None => Fate::Consumed,
        }
    }

    /// The node of `call`, an ancestor of `from`.
    fn call_node(&self, from: NodeId, call: &ExprCall) -> Option<NodeId> {
        self.model
            .ancestor_ids(from)
            .find(|id| matches!(self.model.node(*id), NodeRef::Expr(Expr::Call(c)) if std::ptr::eq(c, call)))
    }

    fn argument(&self, node: NodeId, call: &ExprCall, held: Held, depth: u8) -> Fate {
        let checker = self.checker;
        let model = self.model;
        let inner = model.node(node).range();
        let keyword = call.arguments.keywords.iter().find(|k| k.value.range().contains_range(inner));
        let keyword = keyword.and_then(|k| k.arg.as_ref()).map(|a| a.as_str());
        let method = match &*call.func {
            Expr::Attribute(attr) => Some(attr.attr.as_str()),
            _ => None,
        };
        let resolved = checker.resolve(&call.func);
        let is_any = |names: &[&str]| resolved.as_ref().is_some_and(|q| qualified::which(q, names).is_some());
        if held == Held::Concurrent {
            // A thread or task handed to something: kept (it runs on), unless that waits for it.
            if is_any(&["asyncio.gather", "asyncio.wait", "asyncio.wait_for", "concurrent.futures.wait"])
                || method.is_some_and(|m| WAITS.contains(&m))
            {
                return Fate::Consumed;
            }
        }
        if is_any(SLOT_KEEPERS) || method == Some("__setitem__") || method == Some("setdefault") {
            // The slot is chosen by the other arguments: a fixed one holds only the latest closure.
            let fixed = call
                .arguments
                .args
                .iter()
                .chain(call.arguments.keywords.iter().map(|k| &k.value))
                .all(|a| a.range().contains_range(inner) || !self.varies(a))
                && match &*call.func {
                    Expr::Attribute(attr) => !self.varies(&attr.value),
                    _ => true,
                };
            let evidence = format!("{} keeps it", self.callee(call));
            return if fixed { self.fixed_slot(node, evidence) } else { Fate::Kept(evidence) };
        }
        if is_any(KEEPERS) || method.is_some_and(|m| KEEPING_METHODS.contains(&m) || is_registering_method(m)) {
            // A container made in this iteration keeps it only as long as the container lives.
            if let Expr::Attribute(attr) = &*call.func
                && let Some(local) = self.local_container(&attr.value)
            {
                return self.binding(local, Held::Container, depth + 1);
            }
            return Fate::Kept(format!("{} keeps it", self.callee(call)));
        }
        if is_any(CONCURRENT) || method.is_some_and(|m| CONCURRENT_METHODS.contains(&m)) || keyword == Some("target") {
            return self.result_of(node, call, Held::Concurrent, depth);
        }
        if let Some(keyword) = keyword
            && is_callback_keyword(keyword)
            && matches!(held, Held::Callable | Held::Deferred)
        {
            return Fate::Kept(format!(
                "it is passed as `{keyword}=` to `{}` (line {}), which keeps it",
                self.shown(&*call.func),
                self.line(call.start())
            ));
        }
        if is_any(WRAPPERS) {
            return self.result_of(node, call, Held::Callable, depth);
        }
        if is_any(&["collections.defaultdict"]) {
            return self.result_of(node, call, Held::Container, depth);
        }
        if is_any(LAZY) {
            return self.result_of(node, call, Held::Iterator, depth);
        }
        if is_any(COLLECTORS) {
            return match held {
                Held::Container | Held::Class | Held::Concurrent => self.result_of(node, call, Held::Container, depth),
                _ => Fate::Consumed,
            };
        }
        if keyword == Some("key") || self.runs_at_once(call, resolved.is_some(), method) {
            return Fate::Consumed;
        }
        // A call we cannot see into. Most run what they are given before returning; when the
        // result outlives the iteration, it may well hold the closure.
        // A method's result is mostly data computed with the callable (`expr.replace(f)`,
        // `frame.apply(f)`); a function or class called with it (`make_handler(f)`, `Handler(f)`)
        // is what usually keeps one.
        let evidence = format!("it is passed to {}", self.callee(call));
        let maker = match &*call.func {
            Expr::Name(_) => true,
            Expr::Attribute(attr) => attr.attr.as_str().starts_with(|c: char| c.is_ascii_uppercase()),
            _ => false,
        };
        match self.result_of(node, call, Held::Container, depth) {
            Fate::Kept(kept) if maker => Fate::Maybe(Maybe::KeptResult {
                evidence: format!("{evidence}, whose result is kept ({kept})"),
                callee: self.shown(&*call.func),
            }),
            _ => Fate::Unknown,
        }
    }

    /// Calls known to use a callable before they return: builtins and stdlib functions that take a
    /// key or a function, and the test helpers that call a lambda to see it raise or warn.
    fn runs_at_once(&self, call: &ExprCall, resolved: bool, method: Option<&str>) -> bool {
        const FUNCTIONS: &[&str] = &[
            "bisect.bisect",
            "bisect.bisect_left",
            "bisect.bisect_right",
            "bisect.insort",
            "bisect.insort_left",
            "bisect.insort_right",
            "builtins.all",
            "builtins.any",
            "builtins.max",
            "builtins.min",
            "builtins.next",
            "builtins.sum",
            "functools.reduce",
            "heapq.nlargest",
            "heapq.nsmallest",
            "re.sub",
            "re.subn",
            "timeit.repeat",
            "timeit.timeit",
        ];
        /// Callables a test calls at once, by name or method name.
        const RUNNERS: &[&str] = &[
            "assertRaises",
            "assertRaisesRegex",
            "assertRaisesRegexp",
            "assertWarns",
            "assertWarnsRegex",
            "assert_raises",
            "assert_raises_regex",
            "assert_warns",
            "deprecated_call",
            "failUnlessRaises",
            "raises",
            "warns",
        ];
        if self.checker.resolves_to_any(&call.func, FUNCTIONS).is_some() {
            return true;
        }
        if !resolved && matches!(method, Some("sort" | "sub" | "subn")) {
            return true;
        }
        let name = match &*call.func {
            Expr::Name(n) => Some(n.id.as_str()),
            _ => method,
        };
        name.is_some_and(|n| RUNNERS.contains(&n))
    }

    /// Does the value of `expr` change from one iteration to the next: does it read a name bound
    /// in the loop? Literals, and names bound only outside it, do not.
    fn varies(&self, expr: &Expr) -> bool {
        let model = self.model;
        let scope = model.nodes.scope(self.looped.node);
        helpers::names_in_expr(expr).into_iter().any(|name| {
            model.bindings_of(scope, name).any(|b| self.looped.region.contains_range(model.binding(b).range))
        })
    }

    /// The closure goes into one fixed slot, which the next iteration overwrites: after the loop
    /// the slot holds the last closure, which sees the last value, the one it was made with, unless
    /// the store does not run on every iteration.
    fn fixed_slot(&self, node: NodeId, evidence: String) -> Fate {
        if self.is_conditional(self.model.statement_id(node)) {
            Fate::Kept(format!(
                "{evidence}, and since that does not run on every iteration the slot may keep one made earlier"
            ))
        } else {
            Fate::Consumed
        }
    }

    /// The binding of a name made in this iteration that `expr` (a receiver or store target's
    /// base) starts with: a container that lives only as long as the iteration keeps it.
    fn local_container(&self, expr: &Expr) -> Option<BindingId> {
        let mut base = expr;
        loop {
            match base {
                Expr::Attribute(a) => base = &a.value,
                Expr::Subscript(s) => base = &s.value,
                Expr::Name(name) => {
                    let binding = self.model.resolve_name(name)?;
                    let b = self.model.binding(binding);
                    // A display or a call's result assigned in the iteration: a new object each
                    // time (a loop target is an existing object, and so is a plain name's value).
                    let fresh = self.looped.region.contains_range(b.range)
                        && matches!(b.kind, BindingKind::Assignment | BindingKind::AnnotatedAssignment)
                        && b.value.is_some_and(|v| {
                            matches!(v, Expr::List(_) | Expr::Dict(_) | Expr::Set(_) | Expr::Tuple(_) | Expr::Call(_))
                        });
                    return fresh.then_some(binding);
                }
                _ => return None,
            }
        }
    }

    fn store(&self, target: &Expr, depth: u8) -> Fate {
        let model = self.model;
        match target {
            Expr::Name(_) => {
                match model.expr_id(target).and_then(|id| model.nodes.binding(id)) {
                    // Whatever the stored value held, the name now holds it the same way.
                    Some(binding) => self.binding_as_value(binding, depth),
                    None => Fate::Consumed,
                }
            }
            Expr::Attribute(_) | Expr::Subscript(_) => {
                let base = match target {
                    Expr::Attribute(a) => &*a.value,
                    Expr::Subscript(s) => &*s.value,
                    _ => target,
                };
                if let Some(local) = self.local_container(base) {
                    return self.binding(local, Held::Container, depth + 1);
                }
                let evidence = format!("`{} = ...` (line {}) stores it", self.shown(target), self.line(target.start()));
                // `self.cb = f`, `d["k"] = f`: one slot, which holds only the latest closure;
                // `d[key] = f`, `item.cb = f` for a loop's item: a slot per iteration.
                let fixed = !self.varies(base)
                    && match target {
                        Expr::Subscript(s) => !self.varies(&s.slice),
                        _ => true,
                    };
                if fixed {
                    self.fixed_slot(self.model.expr_id(target).unwrap_or(self.looped.node), evidence)
                } else {
                    Fate::Kept(evidence)
                }
            }
            _ => Fate::Unknown,
        }
    }

    /// A name bound to something holding the closure: what it held is decided by the value.
    fn binding_as_value(&self, binding: BindingId, depth: u8) -> Fate {
        let held = match self.model.binding(binding).value {
            Some(Expr::Lambda(_)) => Held::Callable,
            Some(Expr::Call(call)) if self.checker.resolves_to_any(&call.func, CONCURRENT).is_some() => {
                Held::Concurrent
            }
            Some(Expr::Call(call)) if matches!(&*call.func, Expr::Attribute(a) if CONCURRENT_METHODS.contains(&a.attr.as_str())) => {
                Held::Concurrent
            }
            Some(Expr::Call(call)) if self.checker.resolves_to_any(&call.func, WRAPPERS).is_some() => Held::Callable,
            Some(Expr::Call(call)) if self.checker.resolves_to_any(&call.func, LAZY).is_some() => Held::Iterator,
            Some(Expr::Name(_)) => Held::Callable,
            _ => Held::Container,
        };
        self.binding(binding, held, depth + 1)
    }

    /// What the reads of `binding` (which holds the closure as `held`) do with it.
    fn binding(&self, id: BindingId, held: Held, depth: u8) -> Fate {
        let model = self.model;
        let binding = model.binding(id);
        if depth > MAX_FOLLOW {
            return Fate::Unknown;
        }
        if model.scope(binding.scope).kind.is_class() && held != Held::Class {
            // An attribute of a class made in this iteration: the class holds it.
            return match model.scope(binding.scope).node.and_then(|class| model.definition_binding(class)) {
                Some(class) => self.binding(class, Held::Class, depth + 1),
                None => Fate::Consumed,
            };
        }
        let name = binding.name;
        let in_iteration = |offset: TextSize| offset < self.looped.end;
        if held == Held::Concurrent {
            let waited = model.references(id).any(|r| {
                in_iteration(r.start())
                    && match model.use_of(r) {
                        Use::MethodCall { method, .. } => WAITS.contains(&method),
                        _ => matches!(
                            model.parent_id(r.node).map(|p| model.node(p)),
                            Some(NodeRef::Expr(Expr::Await(_)))
                        ),
                    }
            });
            if waited {
                return Fate::Consumed;
            }
        }
        let mut fate = Fate::Consumed;
        for reference in model.references(id) {
            if !matches!(model.node(reference.node), NodeRef::Expr(Expr::Name(n)) if n.ctx.is_load()) {
                continue;
            }
            if !in_iteration(reference.start()) {
                // After the loop the name holds the last one made, which saw the last value when
                // it was made, unless some iterations skip the binding.
                if self.is_conditional(binding.source) {
                    return Fate::Kept(format!(
                        "`{name}` is read after the loop (line {}), and since the assignment (line {}) does not run \
                         on every iteration it may hold one made earlier",
                        self.line(reference.start()),
                        self.line(binding.start())
                    ));
                }
                continue;
            }
            if model.is_captured(reference, id) {
                // A nested function holds the name: how long it lives is another closure's story.
                fate = fate.or(Fate::Unknown);
                continue;
            }
            fate = fate.or(self.value(reference.node, held, depth + 1));
            if matches!(fate, Fate::Kept(_)) {
                return fate;
            }
        }
        fate
    }

    /// Does the statement `source` not run on every iteration of the loop: inside an `if`,
    /// `match`, inner loop or exception handler, or after an `if ...: continue`?
    fn is_conditional(&self, source: Option<NodeId>) -> bool {
        let model = self.model;
        let Some(source) = source else { return false };
        let mut current = model.statement_id(source);
        while let Some(id) = current {
            if id == self.looped.node {
                return false;
            }
            if let Some((suite, index)) = model.suite_of(id)
                && suite[..index].iter().any(|s| {
                    matches!(s, Stmt::If(i) if i.body.iter().chain(i.elif_else_clauses.iter().flat_map(|c| &c.body))
                        .any(|s| matches!(s, Stmt::Continue(_))))
                })
            {
                return true;
            }
            let parent = model.parent_id(id);
            if let Some(parent) = parent
                && parent != self.looped.node
            {
                let child = model.node(id).range();
                match model.node(parent) {
                    NodeRef::Stmt(Stmt::If(_) | Stmt::Match(_) | Stmt::For(_) | Stmt::While(_)) => return true,
                    NodeRef::Stmt(Stmt::Try(t)) => {
                        let in_block = |body: &[Stmt]| body.iter().any(|s| s.range().contains_range(child));
                        if !in_block(&t.body) && !in_block(&t.finalbody) {
                            return true;
                        }
                    }
                    _ => {}
                }
            }
            current = parent;
        }
        false
    }

    /// A use the model calls a plain read: `fs += [f]` extends a list; a thread or task left
    /// alone in an expression statement runs on by itself.
    fn read(&self, node: NodeId, held: Held) -> Fate {
        let model = self.model;
        let inner = model.node(node).range();
        match model.statement(node) {
            // `fs += [f]`; `q += f` hands `f` to whatever `q.__iadd__` does.
            Some(Stmt::AugAssign(aug))
                if aug.value.range().contains_range(inner)
                    && matches!(&*aug.value, Expr::List(_) | Expr::Tuple(_) | Expr::Set(_) | Expr::Dict(_)) =>
            {
                Fate::Kept(format!("`{} += ...` (line {}) keeps it", self.shown(&*aug.target), self.line(aug.start())))
            }
            Some(Stmt::Expr(stmt)) if held == Held::Concurrent && stmt.value.range() == inner => Fate::Kept(format!(
                "`{}` (line {}) runs it concurrently, and nothing waits for it in this iteration",
                self.shown(&*stmt.value),
                self.line(stmt.start())
            )),
            _ => Fate::Consumed,
        }
    }
}

// ---- the fix ------------------------------------------------------------------------------------

/// Adds `name=name` defaults after the last parameter of the closure, for every reported name.
fn default_fix(checker: &Checker, captures: &[&Capture]) -> Option<Fix> {
    let model = checker.semantic();
    let first = captures.first()?;
    let node = model.scope(first.closure).node?;
    let callable = match model.scope(first.closure).kind {
        ScopeKind::Lambda(lambda) => Callable::Lambda(lambda),
        ScopeKind::Function(function) => Callable::Def(function),
        _ => return None,
    };
    let made_at = model.node(node).start();
    // `i=i` needs `i` bound where the closure is made (on the first iteration too).
    let bound_before = |capture: &Capture| {
        model.bindings_of(capture.owner, capture.name).any(|b| {
            let binding = model.binding(b);
            !binding.is_unbound()
                && (binding.range.start() < made_at || matches!(binding.kind, BindingKind::ComprehensionVar))
        })
    };
    if !captures.iter().all(|c| bound_before(c)) {
        return None;
    }
    let defaults = captures.iter().map(|c| format!("{0}={0}", c.name)).collect::<Vec<_>>().join(", ");
    let (at, content) = insertion(checker, callable, &defaults)?;
    let names = captures.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ");
    Fix::unsafe_(
        format!("Bind {names} when it is made, with a default (`{defaults}`)"),
        vec![Edit::insert(at, content)],
    )
}

#[derive(Clone, Copy)]
enum Callable<'a> {
    Def(&'a StmtFunctionDef),
    Lambda(&'a ExprLambda),
}

/// Where and what to insert so `defaults` become the last parameters.
fn insertion(checker: &Checker, callable: Callable, defaults: &str) -> Option<(TextSize, String)> {
    let (parameters, start, closing): (Option<&Parameters>, TextSize, TokenKind) = match callable {
        Callable::Lambda(lambda) => {
            let start = lambda.start() + TextSize::from(6);
            (lambda.parameters.as_deref(), start, TokenKind::Colon)
        }
        Callable::Def(function) => {
            let open = checker.source.token_after(function.parameters.start())?;
            (open.kind() == TokenKind::Lpar).then_some(())?;
            (Some(&*function.parameters), open.end(), TokenKind::Rpar)
        }
    };
    if parameters.is_some_and(|p| p.kwarg.is_some()) {
        return None;
    }
    let after = parameters.and_then(|p| p.iter().map(|p| p.range().end()).max()).unwrap_or(start);
    // Past the last parameter only `,`, `/` and `*` may come before the closing token.
    let mut last = None;
    let mut at = after;
    loop {
        let token = checker.source.token_after(at)?;
        match token.kind() {
            kind if kind == closing => break,
            TokenKind::Comma | TokenKind::Slash => last = Some(token.kind()),
            _ => return None,
        }
        at = token.end();
    }
    let insert_at = if last.is_some() { at } else { after };
    let content = match (last, after == start) {
        (Some(TokenKind::Comma), _) => format!(" {defaults},"),
        (_, true) if matches!(callable, Callable::Lambda(_)) => format!(" {defaults}"),
        (_, true) => defaults.to_string(),
        _ => format!(", {defaults}"),
    };
    Some((insert_at, content))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use crate::analysis::finding::{Applicability, Severity};
    use crate::analysis::rule::Rule::LateBindingClosure as R;

    /// One warning whose message names `evidence`.
    #[track_caller]
    fn warns(src: &str, evidence: &str) {
        let found = findings(src, R);
        assert_eq!(found.len(), 1, "{src}\n{found:#?}");
        assert_eq!(found[0].severity, Severity::Warning, "{src}\n{}", found[0].message);
        assert!(found[0].message.contains(evidence), "{src}\nwanted {evidence:?} in: {}", found[0].message);
    }

    #[test]
    fn warns_when_a_container_attribute_or_class_keeps_it() {
        warns("fs = []\nfor i in range(3):\n    fs.append(lambda: i)\n", "`fs.append(...)` (line 3) keeps it");
        warns("for k in keys:\n    handlers[k] = lambda: k\n", "`handlers[k] = ...` (line 2) stores it");
        // One fixed slot keeps only the latest closure, unless some iterations skip the store.
        warns(
            "class A:\n    def setup(self, xs):\n        for x in xs:\n            if x:\n                self.cb = lambda: x\n",
            "`self.cb = ...` (line 5) stores it, and since that does not run on every iteration the slot may keep one made earlier",
        );
        warns("for i in range(3):\n    fs += [lambda: i]\n", "`fs += ...` (line 2) keeps it");
        warns("for i in range(3):\n    def f():\n        return i\n    fs.append(f)\n", "`fs.append(...)` (line 4)");
        warns("for i in range(3):\n    fs.append((i, lambda: i))\n", "`fs.append(...)`");
        warns(
            "for v in vals:\n    class A:\n        def get(self):\n            return v\n    classes.append(A)\n",
            "`classes.append(...)` (line 5)",
        );
        warns("for v in vals:\n    class A:\n        f = lambda self: v\n    out.append(A)\n", "`out.append(...)`");
        warns(
            "for name in names:\n    setattr(cls, name, property(lambda self: self._d[name]))\n",
            "`setattr(...)` (line 2) keeps it",
        );
        warns(
            "from functools import partial\nfor i in x:\n    fs.append(partial(lambda a: a + i, 1))\n",
            "`fs.append(...)` (line 3)",
        );
        warns("for i in range(3):\n    its.append(map(lambda x: x + i, xs))\n", "`its.append(...)`");
        warns(
            "for v in vals:\n    def pairs():\n        yield v\n    gens.append(pairs())\n",
            "`gens.append(...)` (line 4)",
        );
        warns(
            "for btn in buttons:\n    btn.on_click = lambda: print(btn)\n",
            "`btn.on_click = ...` (line 2) stores it",
        );
        warns(
            "for i in range(3):\n    app.router.add_get(f'/{i}', lambda r: i)\n",
            "`app.router.add_get(...)` (line 2)",
        );
        // A container made in the iteration lives on when it is itself kept.
        warns(
            "for i in range(3):\n    row = {}\n    row['f'] = lambda: i\n    rows.append(row)\n",
            "`rows.append(...)`",
        );
    }

    #[test]
    fn warns_when_a_comprehension_makes_them_all_first() {
        warns("fs = [lambda: i for i in range(3)]\n", "the list comprehension makes every one of them before any runs");
        warns("fs = {k: lambda: v for k, v in d.items()}\n", "the dict comprehension");
        warns("fs = list(lambda: i for i in range(3))\n", "`list(...)` (line 1) collects every one of them");
        warns("for i in x:\n    fs = [lambda y: y + i for _ in z]\n    out.append(fs)\n", "`out.append(...)`");
    }

    #[test]
    fn warns_when_something_runs_or_registers_it_later() {
        warns(
            "import threading\nfor i in range(3):\n    def work():\n        print(i)\n    threading.Thread(target=work).start()\n",
            "starts it in another thread",
        );
        warns(
            "import threading\nthreads = []\nfor i in range(3):\n    t = threading.Thread(target=lambda: print(i))\n    t.start()\n    threads.append(t)\nfor t in threads:\n    t.join()\n",
            "starts it in another thread",
        );
        warns("for i in range(3):\n    loop.call_soon(lambda: print(i))\n", "runs it concurrently");
        warns("for i in range(3):\n    futures.append(pool.submit(lambda: i))\n", "`futures.append(...)`");
        warns("import atexit\nfor f in files:\n    atexit.register(lambda: f.close())\n", "`atexit.register(...)`");
        warns("for i in range(3):\n    button.connect('clicked', lambda: pick(i))\n", "`button.connect(...)`");
        warns("for name in names:\n    Button(command=lambda: pick(name)).pack()\n", "passed as `command=`");
        warns(
            "for i in range(3):\n    @app.route(i)\n    def view():\n        return i\n",
            "`@app.route(i)` (line 2) receives it and nothing else uses `view`",
        );
        warns(
            "import asyncio\nasync def t():\n    for v in vals:\n        async def foo():\n            return v\n        asyncio.create_task(foo())\n",
            "runs it concurrently",
        );
        warns(
            "for x in xs:\n    if x > 0:\n        cb = lambda: x\ncb()\n",
            "`cb` is read after the loop (line 4), and since the assignment (line 3) does not run on every iteration",
        );
        warns(
            "for x in xs:\n    if bad(x):\n        continue\n    cb = lambda: x\ncb()\n",
            "`cb` is read after the loop (line 5)",
        );
    }

    #[test]
    fn hint_when_yielded() {
        let found = findings("def g(xs):\n    for x in xs:\n        yield lambda: x\n", R);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Hint);
        assert!(
            found[0].message.contains("`yield` (line 3) hands it out: harmless when the consumer calls each one"),
            "{}",
            found[0].message
        );
        // Yielded inside something an unknown function made: not reported.
        assert_clean("def g():\n    for p in protos:\n        yield nt(loads, lambda d: dumps(d, p))\n", R);
    }

    #[test]
    fn hint_when_an_unknown_call_returns_something_kept() {
        let src = "for i in x:\n    handlers.append(make_handler(lambda: i))\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Hint);
        assert!(
            found[0].message.contains("passed to `make_handler(...)` (line 2), whose result is kept")
                && found[0].message.contains("harmless if `make_handler` only calls it right away"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn nothing_when_it_runs_within_the_iteration() {
        for src in [
            // Test helpers call the lambda at once to see it raise or warn.
            "for x in xs:\n    raises(TypeError, lambda: f(x))\n",
            "import pytest\nfor x in xs:\n    with pytest.raises(TypeError):\n        pass\n    pytest.raises(TypeError, lambda: f(x))\n",
            "class T:\n    def test(self):\n        for x in xs:\n            self.assertRaises(TypeError, lambda: f(x))\n",
            // Calls that use a callable before they return.
            "import re\nfor i in range(3):\n    s = re.sub(p, lambda m: m.group(0) * i, s)\n",
            "for i in range(3):\n    s = pattern.sub(lambda m: m.group(i), s)\n",
            "for i in range(3):\n    print(sorted(xs, key=lambda v: v[i]))\n",
            "for i in range(3):\n    xs.sort(key=lambda v: v[i])\n",
            "for i in range(3):\n    best = max(xs, key=lambda v: v[i])\n",
            "for i in range(3):\n    ys = list(map(lambda x: x + i, xs))\n",
            "for i in range(3):\n    for y in map(lambda x: x + i, xs):\n        print(y)\n",
            "for i in range(3):\n    total = sum(map(lambda x: x * i, xs))\n",
            "import functools\nfor i in range(3):\n    t = functools.reduce(lambda a, b: a + b + i, xs)\n",
            "for i in range(3):\n    out = frame.apply(lambda row: row[i])\n",
            "for i in range(3):\n    obj.configure(key=lambda v: v[i])\n",
            // Functions we cannot see into, whose result is not kept: they run it at once.
            "for op in ops:\n    run_threaded(lambda: ufunc(op), 500)\n",
            "for i in rows:\n    b.zip_row_op(i, j, lambda x, y: x - y * i)\n",
            // Called on the spot, or by name within the iteration.
            "for i in range(3):\n    print((lambda: i)())\n",
            "for i in range(3):\n    cb = lambda: i\n    cb()\n",
            "for i in range(3):\n    def f():\n        return i\n    print(f())\n",
            "for i in range(3):\n    def f():\n        return i\n",
            // Returned: the loop ends with it.
            "def f(xs):\n    for i in xs:\n        return lambda: i\n",
            // Bound on every iteration and read after the loop: the last one saw the last value.
            "for i in range(3):\n    f = lambda: i\nprint(f())\n",
            // The iteration that makes it ends the loop.
            "for x in xs:\n    if ok(x):\n        found.append(lambda: x)\n        break\n",
            // A thread joined, or a task awaited, within the iteration.
            "import threading\nfor i in range(3):\n    t = threading.Thread(target=lambda: print(i))\n    t.start()\n    t.join()\n",
            "async def t():\n    for v in vals:\n        async def foo():\n            return v\n        await foo()\n",
            "import asyncio\nasync def t():\n    for v in vals:\n        async def foo():\n            return v\n        task = asyncio.create_task(foo())\n        await task\n",
            // A generator consumed one item at a time, or a generator function consumed at once.
            "for f in (lambda: i for i in range(3)):\n    f()\n",
            "for v in vals:\n    def pairs():\n        yield v\n    d = dict(pairs())\n",
            // A class made and used up in the iteration.
            "for v in vals:\n    class A:\n        def __len__(self):\n            return v\n    print(len(A()))\n",
            // A callback the call uses while it runs; a method's result computed with it.
            "import pickle\nfor proto in protos:\n    buffers = []\n    cb = lambda pb: buffers.append(pb)\n    data = pickle.dumps(obj, proto, buffer_callback=cb)\n",
            "for old, new in seq:\n    x0 = old.args[0]\n    expr = expr.replace(lambda x: x == x0, new)\nprint(expr)\n",
            // `q += f` is whatever `q.__iadd__` makes of it.
            "for crit in criteria:\n    stmt += lambda s: s.where(crit)\n",
            // Stored on an object made in this iteration, which is not kept.
            "for data in cases:\n    manager = register(data)\n    manager.loader = lambda: data\n    manager.run()\n",
            // One fixed slot, overwritten on every iteration: it holds the last closure only.
            "class A:\n    def setup(self, xs):\n        for x in xs:\n            self.cb = lambda: x\n            self.run()\n",
            "import codecs\nfor res in results:\n    codecs.register_error('test.bad', lambda e: res)\n    check()\n",
            "for x in xs:\n    handlers['current'] = lambda: x\n",
            // A container made in the iteration and passed on only.
            "for i in range(3):\n    row = []\n    row.append(lambda: i)\n    run(row)\n",
        ] {
            assert_clean(src, R);
        }
    }

    #[test]
    fn nothing_when_the_name_is_bound_on_purpose_or_not_rebound() {
        for src in [
            "for i in range(3):\n    fs.append(lambda i=i: i)\n",
            "for i in range(3):\n    fs.append(lambda x: x)\n",
            "for i in range(3):\n    fs.append(lambda i: i)\n",
            "for i in range(3):\n    def f():\n        i = 0\n        return i\n    fs.append(f)\n",
            "for i in range(3):\n    fs.append(lambda: [i for i in y])\n",
            "for i in range(3):\n    def f():\n        def g(i):\n            return i\n        return g\n    fs.append(f)\n",
            "from functools import partial\nfor i in range(3):\n    fs.append(partial(g, i))\n",
            "from functools import partial\nfs = [partial(lambda x, i: x + i, i=i) for i in range(3)]\n",
            "fs.append(lambda: i)\n",
            "for i in range(3):\n    pass\nfs.append(lambda: i)\n",
            "for i in range(3):\n    pass\nelse:\n    fs.append(lambda: i)\n",
            "for x in map(lambda: i, y):\n    pass\n",
            "n = 0\nfor x in xs:\n    fs.append(lambda: n)\n",
            // The closure shares the variable on purpose.
            "def f():\n    for x in xs:\n        def bump():\n            nonlocal x\n            x += 1\n        fs.append(bump)\n",
        ] {
            assert_clean(src, R);
        }
        // Only the rebound name is reported.
        let found = findings("n = 0\nfor x in xs:\n    fs.append(lambda: n + x)\n", R);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("reads `x`"), "{}", found[0].message);
    }

    #[test]
    fn one_finding_per_name_on_its_first_read() {
        let src = "for i in range(3):\n    fs.append(lambda: i + i)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].range.start().to_usize(), src.find("i + i").unwrap_or_default());
        assert_count("for i in range(3):\n    for j in range(3):\n        fs.append(lambda: i + j)\n", R, 2);
        assert_count(
            "def f(xs):\n    out = []\n    for x in xs:\n        y = x * 2\n        out.append(lambda: x + y)\n    return out\n",
            R,
            2,
        );
        // A lambda inside a nested def is reported once, for the def.
        let src = "for i in x:\n    def f():\n        return lambda: i\n    fs.append(f)\n";
        let found = findings(src, R);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("`def f` reads `i`"), "{}", found[0].message);
    }

    #[test]
    fn message_names_the_closure_the_variable_and_the_evidence() {
        let msg = message("for event in events:\n    handlers[event] = lambda: f\"handling {event}\"\n", R);
        assert_eq!(
            msg,
            "The lambda reads `event` when it runs, not when it is made; `handlers[event] = ...` (line 2) stores \
             it, so it outlives this iteration and sees the `event` of a later one (after the loop: the last)"
        );
        let msg = message(
            "for v in vals:\n    class A:\n        def get(self):\n            return v\n    out.append(A)\n",
            R,
        );
        assert!(msg.starts_with("`def get` (a method of class `A`) reads `v`"), "{msg}");
    }

    #[test]
    fn card_example() {
        assert_card_examples(R);
        // The flagged example shows the harm: a warning.
        let bank = crate::cards::Bank::builtin();
        let flagged = bank.get("late-binding-closure").and_then(|c| c.example.flagged.clone()).unwrap_or_default();
        assert!(findings(&flagged, R).iter().any(|f| f.severity == Severity::Warning), "{flagged}");
        let flagged = "def build_handlers(events):\n    handlers = {}\n    for event in events:\n        handlers[event] = lambda: f\"handling {event}\"\n    return handlers\n";
        assert_eq!(fixed(flagged, R), flagged.replace("lambda: f", "lambda event=event: f"));
        assert_eq!(findings(flagged, R)[0].fix.as_ref().map(|f| f.applicability), Some(Applicability::Unsafe));
    }

    #[test]
    fn fix_makes_each_closure_see_its_own_value() {
        let src = "fs = []\nfor i in range(3):\n    fs.append(lambda: i)\n";
        assert_eq!(fixed_output(src, R, "print([f() for f in fs])\n"), "[0, 1, 2]\n");
        let src = "fs = []\nfor i in range(3):\n    def f(x):\n        return x + i\n    fs.append(f)\n";
        assert_eq!(fixed_output(src, R, "print([f(10) for f in fs])\n"), "[10, 11, 12]\n");
        let src = "fs = [lambda: i for i in range(3)]\n";
        assert_eq!(fixed_output(src, R, "print([f() for f in fs])\n"), "[0, 1, 2]\n");
        // Callers that pass their own argument see no change.
        let src = "fs = []\nfor i in range(3):\n    fs.append(lambda x: x * i)\n";
        assert_eq!(fixed_output(src, R, "print([f(2) for f in fs])\n"), "[0, 2, 4]\n");
    }

    #[test]
    fn fix_appends_defaults_after_parameters() {
        let fix = |src: &str| fixed(src, R);
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a: a + i)\n"),
            "for i in x:\n    fs.append(lambda a, i=i: a + i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a,: a + i)\n"),
            "for i in x:\n    fs.append(lambda a, i=i,: a + i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda *a: i)\n"),
            "for i in x:\n    fs.append(lambda *a, i=i: i)\n"
        );
        assert_eq!(
            fix("for i in x:\n    fs.append(lambda a, /: i)\n"),
            "for i in x:\n    fs.append(lambda a, /, i=i: i)\n"
        );
        assert_eq!(
            fix("for i, j in x:\n    fs.append(lambda: i + j)\n"),
            "for i, j in x:\n    fs.append(lambda i=i, j=j: i + j)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb():\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(i=i):\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb(a, *, b=1):\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(a, *, b=1, i=i):\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb(\n        a,\n    ) -> int:\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb(\n        a, i=i,\n    ) -> int:\n        return i\n    fs.append(cb)\n"
        );
        assert_eq!(
            fix("for i in x:\n    def cb[T](a: T):\n        return i\n    fs.append(cb)\n"),
            "for i in x:\n    def cb[T](a: T, i=i):\n        return i\n    fs.append(cb)\n"
        );
    }

    #[test]
    fn no_fix_with_kwargs_or_unbound_names() {
        for src in [
            "for i in x:\n    fs.append(lambda **kw: i)\n",
            "for i in x:\n    def cb(**kw):\n        return i\n    fs.append(cb)\n",
            "while c:\n    def cb():\n        return n\n    fs.append(cb)\n    n = 1\n",
        ] {
            let found = findings(src, R);
            assert!(!found.is_empty() && found[0].fix.is_none(), "{src}: {found:#?}");
        }
    }

    #[test]
    fn half_typed_code_does_not_panic() {
        for src in [
            "for i in x:\n    fs.append(lambda",
            "for i in x:\n    fs.append(lambda: ",
            "for i in x:\n    def (:\n        return i\n",
            "for i in x:\n    def f(\n        return i\n",
            "[lambda: i for i in",
            "while x:\n    fs.append(lambda: x",
        ] {
            let _ = findings(src, R);
        }
    }
}
