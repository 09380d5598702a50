//! The language server: protocol glue over the same analysis the command line uses.
//!
//! Notification handlers only update the document store (before any `.await`, so changes apply
//! in arrival order) and wake the document's diagnostics worker; they never wait for an analysis.
//! Analyses, fix-all and card loading run on the blocking pool (threads with a large stack), one
//! analysis per text version, shared by the worker and any request that needs it.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{OnceCell, Semaphore, mpsc, watch};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::banks::Banks;
use super::coalesce::Coalescer;
use super::code_actions::{self, LIST_CARDS, SHOW_CARD};
use super::code_lens;
use super::convert::{self, uri_to_path};
use super::documents::{Analyzed, Documents, Snapshot};
use super::hover;
use super::position::{self, Encoding};
use super::practice_events::Events;
use super::quiz::{self, Quizzes};
use super::settings::SettingsStore;
use crate::analysis::{AnalysisOptions, analyze};
use crate::cards::{Bank, render_markdown};
use crate::config::{ConfigWarning, Settings};

/// Commands for the end-to-end tests, off unless `INTERVIEW_LENS_TEST_HOOKS` is set: a panic
/// inside a request, and counters the tests read to check coalescing.
const TEST_PANIC: &str = "interview-lens.testPanic";
const TEST_STATS: &str = "interview-lens.testStats";
const TEST_HOOKS: &str = "INTERVIEW_LENS_TEST_HOOKS";
/// How long the first analyses wait for the client to answer `workspace/configuration`.
const CONFIGURATION_WAIT: Duration = Duration::from_secs(5);

pub struct Backend {
    state: Arc<State>,
}

/// A diagnostics update, in the order the worker and `didClose` produced them.
enum Publish {
    /// Sent only if `snapshot` is still current when its turn comes.
    Diagnostics(Snapshot, Vec<Diagnostic>),
    Clear(Uri),
}

struct State {
    client: Client,
    docs: Documents,
    settings: SettingsStore,
    banks: Banks,
    /// The bank of the workspace's settings (client settings and the root's pyproject), for the
    /// card commands; replaced when settings change, loaded by whoever needs it first.
    workspace_bank: RwLock<Arc<OnceCell<Arc<Bank>>>>,
    root: RwLock<Option<PathBuf>>,
    /// Workspace folders (URI and path), whose settings are asked for by `scopeUri`.
    folders: RwLock<Vec<(Uri, PathBuf)>>,
    encoding: AtomicU8,
    pull_diagnostics: AtomicBool,
    configuration_requests: AtomicBool,
    watch_registration: AtomicBool,
    shutdown: Arc<AtomicBool>,
    shown_warnings: Mutex<HashSet<String>>,
    /// `false` while the settings pulled at `initialized` are on their way; analyses wait for it.
    settings_ready: watch::Sender<bool>,
    workers: Coalescer<Uri>,
    publish: mpsc::UnboundedSender<Publish>,
    /// One fix-all at a time, so a second one cannot take the other blocking thread from analyses.
    fix_all_lane: Semaphore,
    /// Analyses run so far (for the tests' coalescing check).
    analyses: AtomicU64,
    /// Quiz sessions driven by `interviewLens.quiz.*`.
    quizzes: Arc<Quizzes>,
    /// Practice events recorded in the store (hovers seen, findings fixed).
    events: Events,
}

/// Runs `f`, turning a panic into an LSP internal error so one bad request never ends the server.
fn guarded<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
    std::panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!("panic while answering {what}: {detail}");
        internal_error(format!("internal error in {what}: {detail}"))
    })
}

fn internal_error(message: String) -> Error {
    Error { code: tower_lsp_server::jsonrpc::ErrorCode::InternalError, message: message.into(), data: None }
}

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        let (publish, queue) = mpsc::unbounded_channel();
        let state = Arc::new(State {
            client,
            docs: Documents::default(),
            settings: SettingsStore::default(),
            banks: Banks::default(),
            workspace_bank: RwLock::default(),
            root: RwLock::new(None),
            folders: RwLock::default(),
            encoding: AtomicU8::new(0),
            pull_diagnostics: AtomicBool::new(false),
            configuration_requests: AtomicBool::new(false),
            watch_registration: AtomicBool::new(false),
            shutdown,
            shown_warnings: Mutex::new(HashSet::new()),
            settings_ready: watch::Sender::new(true),
            workers: Coalescer::default(),
            publish,
            fix_all_lane: Semaphore::new(1),
            analyses: AtomicU64::new(0),
            quizzes: Arc::default(),
            events: Events::default(),
        });
        tokio::spawn(publisher(state.clone(), queue));
        Backend { state }
    }
}

/// Publishes in order, dropping diagnostics whose document moved on (or closed) meanwhile.
async fn publisher(state: Arc<State>, mut queue: mpsc::UnboundedReceiver<Publish>) {
    while let Some(item) = queue.recv().await {
        match item {
            Publish::Diagnostics(snapshot, diagnostics) => {
                if state.docs.is_current(&snapshot) {
                    state.client.publish_diagnostics(snapshot.uri, diagnostics, Some(snapshot.version)).await;
                }
            }
            Publish::Clear(uri) => state.client.publish_diagnostics(uri, Vec::new(), None).await,
        }
    }
}

impl State {
    fn encoding(&self) -> Encoding {
        if self.encoding.load(Ordering::Relaxed) == 8 { Encoding::Utf8 } else { Encoding::Utf16 }
    }

    /// Shows each distinct settings warning once, as `window/showMessage`.
    async fn warn(&self, warnings: Vec<ConfigWarning>) {
        for warning in warnings {
            // Each warning says itself what happens (dropped, default applies).
            let text = format!("interview-lens: {warning}");
            let fresh = self.shown_warnings.lock().unwrap_or_else(|e| e.into_inner()).insert(text.clone());
            if fresh {
                self.client.show_message(MessageType::WARNING, text).await;
            }
        }
    }

    async fn settings_applied(&self) {
        let mut ready = self.settings_ready.subscribe();
        let _ = ready.wait_for(|ready| *ready).await;
    }

    /// The analysis of the snapshot's version: computed once, off the async runtime, by whoever
    /// asks first. Runs in a task of its own so a cancelled request does not waste it.
    async fn analyzed(self: &Arc<Self>, snapshot: &Snapshot) -> Option<Arc<Analyzed>> {
        if let Some(done) = snapshot.cell.get() {
            return done.clone();
        }
        let state = self.clone();
        let snapshot = snapshot.clone();
        let task = tokio::spawn(async move {
            let cell = snapshot.cell.clone();
            cell.get_or_init(|| state.analyze(snapshot)).await.clone()
        });
        task.await.unwrap_or_else(|err| {
            tracing::error!("analysis task failed: {err}");
            None
        })
    }

    async fn analyze(self: Arc<Self>, snapshot: Snapshot) -> Option<Arc<Analyzed>> {
        self.settings_applied().await;
        let state = self.clone();
        let uri = snapshot.uri.clone();
        // Settings (pyproject files) and cards are read here too: file reads stay off the runtime.
        let result = tokio::task::spawn_blocking(move || {
            let (settings, mut warnings) = state.settings.for_path(uri_to_path(&snapshot.uri).as_deref());
            let (bank, more) = state.banks.get(&settings.cards);
            warnings.extend(more);
            let is_stub = snapshot.uri.as_str().ends_with(".pyi");
            let options = AnalysisOptions { rules: settings.rules, is_stub, editor_data: true };
            state.analyses.fetch_add(1, Ordering::Relaxed);
            let mut analysis = analyze(&snapshot.text, &options);
            analysis.findings.retain(|f| bank.get(f.rule.id()).is_none_or(|card| card.level <= settings.level));
            state.events.analysed(&snapshot.uri, snapshot.version, &analysis);
            (Arc::new(Analyzed { analysis, settings, bank }), warnings)
        })
        .await;
        match result {
            Ok((analyzed, warnings)) => {
                self.warn(warnings).await;
                Some(analyzed)
            }
            Err(err) => {
                tracing::error!("analysis of {} failed: {err}", uri.as_str());
                None
            }
        }
    }

    fn diagnostics(&self, snapshot: &Snapshot, analyzed: &Analyzed) -> Vec<Diagnostic> {
        let encoding = self.encoding();
        analyzed.analysis.findings.iter().map(|f| convert::diagnostic(snapshot, f, &analyzed.bank, encoding)).collect()
    }

    /// Wakes the document's diagnostics worker (clients that pull diagnostics ask themselves).
    fn schedule(self: &Arc<Self>, uri: Uri) {
        if self.pull_diagnostics.load(Ordering::Relaxed) || !self.workers.claim(&uri) {
            return;
        }
        let state = self.clone();
        tokio::spawn(async move {
            let mut snapshot = state.docs.snapshot(&uri);
            while let Some(current) = snapshot {
                if let Some(analyzed) = state.analyzed(&current).await
                    && state.docs.is_current(&current)
                {
                    let diagnostics = state.diagnostics(&current, &analyzed);
                    let _ = state.publish.send(Publish::Diagnostics(current.clone(), diagnostics));
                }
                // Versions that arrived meanwhile are skipped: only the newest is analysed.
                snapshot = state.workers.next_or_release(&uri, || {
                    state.docs.snapshot(&uri).filter(|next| !Arc::ptr_eq(&next.cell, &current.cell))
                });
            }
        });
    }

    /// Settings or pyproject files changed: re-analyse everything, reload the card banks.
    async fn refresh_all(self: &Arc<Self>) {
        self.banks.forget();
        self.docs.forget_analyses();
        self.reload_workspace_bank();
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        for snapshot in self.docs.snapshots() {
            self.schedule(snapshot.uri);
        }
    }

    async fn current(self: &Arc<Self>, uri: &Uri) -> Option<(Snapshot, Arc<Analyzed>)> {
        let snapshot = self.docs.snapshot(uri)?;
        let analyzed = self.analyzed(&snapshot).await?;
        Some((snapshot, analyzed))
    }

    /// Settings arrived or changed: the card commands see the new folders without waiting for a
    /// document to be analysed.
    fn reload_workspace_bank(self: &Arc<Self>) {
        *self.workspace_bank.write().unwrap_or_else(|e| e.into_inner()) = Arc::default();
        let state = self.clone();
        tokio::spawn(async move { state.workspace_bank().await });
    }

    /// The bank for the workspace's settings. The resolution is the one documents use, for the
    /// workspace root's folder.
    async fn workspace_bank(self: &Arc<Self>) -> Arc<Bank> {
        self.settings_applied().await;
        let cell = self.workspace_bank.read().unwrap_or_else(|e| e.into_inner()).clone();
        let state = self.clone();
        cell.get_or_init(|| async move {
            let root = state.root.read().unwrap_or_else(|e| e.into_inner()).clone();
            let loader = state.clone();
            let loaded = tokio::task::spawn_blocking(move || {
                let (settings, mut warnings) = loader.settings.for_folder(root.as_deref());
                let (bank, more) = loader.banks.get(&settings.cards);
                warnings.extend(more);
                (bank, warnings)
            })
            .await;
            match loaded {
                Ok((bank, warnings)) => {
                    state.warn(warnings).await;
                    bank
                }
                Err(err) => {
                    tracing::error!("loading the card bank failed: {err}");
                    Arc::new(Bank::builtin())
                }
            }
        })
        .await
        .clone()
    }

    /// Asks for the global settings and, by `scopeUri`, for each workspace folder's (multi-root
    /// workspaces: a folder's own settings apply to its files).
    async fn pull_client_settings(&self) {
        if !self.configuration_requests.load(Ordering::Relaxed) {
            return;
        }
        let folders = self.folders.read().unwrap_or_else(|e| e.into_inner()).clone();
        let section = Some("interviewLens".to_string());
        let items = std::iter::once(ConfigurationItem { scope_uri: None, section: section.clone() })
            .chain(
                folders
                    .iter()
                    .map(|(uri, _)| ConfigurationItem { scope_uri: Some(uri.clone()), section: section.clone() }),
            )
            .collect();
        match tokio::time::timeout(CONFIGURATION_WAIT, self.client.configuration(items)).await {
            Ok(Ok(values)) => {
                let mut values = values.into_iter();
                if let Some(value) = values.next().filter(|v| !v.is_null()) {
                    let warnings = self.settings.set_client(&value);
                    self.warn(warnings).await;
                }
                let answers = folders.into_iter().map(|(_, path)| path).zip(values).collect();
                let warnings = self.settings.set_folders(answers);
                self.warn(warnings).await;
            }
            Ok(Err(err)) => tracing::warn!("workspace/configuration failed: {err}"),
            Err(_) => tracing::warn!("no answer to workspace/configuration; using the settings known so far"),
        }
    }

    /// Watch pyproject files so an edit re-analyses the open documents.
    async fn watch_pyproject(&self) {
        let watchers =
            vec![FileSystemWatcher { glob_pattern: GlobPattern::String("**/pyproject.toml".into()), kind: None }];
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let registration = Registration {
            id: "interview-lens-pyproject".into(),
            method: "workspace/didChangeWatchedFiles".into(),
            register_options: serde_json::to_value(options).ok(),
        };
        if let Err(err) = self.client.register_capability(vec![registration]).await {
            tracing::info!("client did not accept the pyproject watcher: {err}");
        }
    }

    /// Fix-all on a blocking thread; a content-modified error if the document changed meanwhile,
    /// since the edit would then apply to a text it was not computed for.
    async fn fix_all(&self, snapshot: &Snapshot, settings: &Settings) -> Result<Option<CodeActionOrCommand>> {
        let _lane = self.fix_all_lane.acquire().await.map_err(|err| internal_error(err.to_string()))?;
        let is_stub = snapshot.uri.as_str().ends_with(".pyi");
        let options = AnalysisOptions { rules: settings.rules, is_stub, editor_data: true };
        let encoding = self.encoding();
        let for_thread = snapshot.clone();
        let action = tokio::task::spawn_blocking(move || {
            guarded("fix-all", || code_actions::fix_all_action(&for_thread, &options, encoding))
        })
        .await
        .map_err(|err| internal_error(format!("fix-all failed: {err}")))??;
        if !self.docs.is_current(snapshot) {
            return Err(Error::content_modified());
        }
        Ok(action)
    }
}

fn folder_paths(folders: &[WorkspaceFolder]) -> Vec<(Uri, PathBuf)> {
    folders.iter().filter_map(|f| Some((f.uri.clone(), uri_to_path(&f.uri)?))).collect()
}

fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params.workspace_folders.as_ref().and_then(|folders| folders.first()).map(|f| &f.uri);
    #[allow(deprecated)] // older clients send only `rootUri`
    let uri = folder.or(params.root_uri.as_ref())?;
    uri_to_path(uri)
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let state = &self.state;
        let capabilities = &params.capabilities;
        let encoding = Encoding::negotiate(capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        state.encoding.store(if encoding == Encoding::Utf8 { 8 } else { 16 }, Ordering::Relaxed);
        // Pull only from clients that can be told to pull again: after a settings or pyproject
        // change the server must ask for fresh diagnostics, and Neovim 0.11 pulls but has no
        // `workspace/diagnostic/refresh` handler.
        let refresh = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.diagnostics.as_ref())
            .and_then(|d| d.refresh_support)
            .unwrap_or(false);
        let pull = refresh && capabilities.text_document.as_ref().and_then(|t| t.diagnostic.as_ref()).is_some();
        state.pull_diagnostics.store(pull, Ordering::Relaxed);
        let configuration = capabilities.workspace.as_ref().and_then(|w| w.configuration).unwrap_or(false);
        state.configuration_requests.store(configuration, Ordering::Relaxed);
        let watch = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        state.watch_registration.store(watch, Ordering::Relaxed);
        *state.root.write().unwrap_or_else(|e| e.into_inner()) = workspace_root(&params);
        *state.folders.write().unwrap_or_else(|e| e.into_inner()) =
            folder_paths(params.workspace_folders.as_deref().unwrap_or_default());
        if let Some(options) = &params.initialization_options {
            let warnings = state.settings.set_client(options);
            state.warn(warnings).await;
        }
        state.reload_workspace_bank();

        Ok(InitializeResult {
            server_info: Some(ServerInfo {
                name: "interview-lens".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            capabilities: ServerCapabilities {
                position_encoding: Some(encoding.kind()),
                text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions { include_text: Some(false) })),
                    ..TextDocumentSyncOptions::default()
                })),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
                code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                    code_action_kinds: Some(vec![
                        CodeActionKind::QUICKFIX,
                        CodeActionKind::REFACTOR_REWRITE,
                        code_actions::fix_all_kind(),
                    ]),
                    resolve_provider: Some(false),
                    ..CodeActionOptions::default()
                })),
                execute_command_provider: Some(ExecuteCommandOptions {
                    commands: [SHOW_CARD, LIST_CARDS].into_iter().chain(quiz::COMMANDS).map(Into::into).collect(),
                    ..ExecuteCommandOptions::default()
                }),
                workspace: Some(WorkspaceServerCapabilities {
                    workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                        supported: Some(true),
                        change_notifications: Some(OneOf::Left(true)),
                    }),
                    file_operations: None,
                }),
                diagnostic_provider: pull.then(|| {
                    DiagnosticServerCapabilities::Options(DiagnosticOptions {
                        identifier: Some("interview-lens".into()),
                        inter_file_dependencies: false,
                        workspace_diagnostics: false,
                        ..DiagnosticOptions::default()
                    })
                }),
                ..ServerCapabilities::default()
            },
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let state = &self.state;
        if state.configuration_requests.load(Ordering::Relaxed) {
            // Before the first `.await`: the didOpen that follows waits for these settings.
            state.settings_ready.send_replace(false);
            state.pull_client_settings().await;
            state.settings_ready.send_replace(true);
            state.reload_workspace_bank();
        }
        if state.watch_registration.load(Ordering::Relaxed) {
            state.watch_pyproject().await;
        }
    }

    async fn shutdown(&self) -> Result<()> {
        self.state.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        // The store is updated before the first `.await`, so changes apply in arrival order.
        let snapshot = self.state.docs.open(doc.uri, doc.text, doc.version);
        self.state.schedule(snapshot.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let state = &self.state;
        let encoding = state.encoding();
        let uri = params.text_document.uri;
        match guarded("didChange", || {
            state.docs.change(&uri, params.text_document.version, params.content_changes, encoding)
        }) {
            Ok(Some(_)) => state.schedule(uri),
            Ok(None) => tracing::warn!("didChange for a document that is not open: {}", uri.as_str()),
            Err(_) => {}
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        self.state.schedule(params.text_document.uri);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.state.docs.close(&params.text_document.uri);
        self.state.events.closed(&params.text_document.uri);
        if !self.state.pull_diagnostics.load(Ordering::Relaxed) {
            // Through the publisher, so it follows any diagnostics it still holds for the file.
            let _ = self.state.publish.send(Publish::Clear(params.text_document.uri));
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let state = &self.state;
        let settings = super::settings::unwrap_section(&params.settings);
        // A client that answers `workspace/configuration` is asked again, folder by folder: the
        // pushed payload (if any) is only its global view.
        if state.configuration_requests.load(Ordering::Relaxed) || super::settings::is_empty(settings) {
            state.pull_client_settings().await;
        } else {
            let warnings = state.settings.set_client(&params.settings);
            state.warn(warnings).await;
        }
        state.refresh_all().await;
    }

    async fn did_change_workspace_folders(&self, params: DidChangeWorkspaceFoldersParams) {
        let state = &self.state;
        {
            let mut folders = state.folders.write().unwrap_or_else(|e| e.into_inner());
            folders.retain(|(uri, _)| !params.event.removed.iter().any(|r| &r.uri == uri));
            folders.extend(folder_paths(&params.event.added));
        }
        state.pull_client_settings().await;
        state.refresh_all().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.state.settings.forget_files();
        self.state.refresh_all().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((snapshot, analyzed)) = self.state.current(&position.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.state.encoding();
        let shown = guarded("hover", || {
            let offset = position::offset(&snapshot.index, &snapshot.text, position.position, encoding);
            let concepts = analyzed.settings.concept_hovers;
            let style = analyzed.settings.hover;
            hover::hover(&snapshot, &analyzed.analysis, offset, &analyzed.bank, concepts, style, encoding)
        })?;
        Ok(shown.map(|(hover, card)| {
            self.state.events.seen_in_hover(&snapshot.uri, &card);
            hover
        }))
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        let Some((snapshot, analyzed)) = self.state.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.state.encoding();
        // The function spans come with the analysis: grouping findings by them is cheap.
        let lenses = guarded("codeLens", || code_lens::code_lenses(&snapshot, &analyzed, encoding))?;
        Ok(Some(lenses))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((snapshot, analyzed)) = self.state.current(&params.text_document.uri).await else {
            return Ok(None);
        };
        let encoding = self.state.encoding();
        let only = params.context.only.as_deref();
        let mut actions = guarded("codeAction", || {
            let range = position::text_range(&snapshot.index, &snapshot.text, params.range, encoding);
            let request = code_actions::Request {
                snapshot: &snapshot,
                analysis: &analyzed.analysis,
                bank: &analyzed.bank,
                encoding,
                range,
                only,
                diagnostics: &params.context.diagnostics,
            };
            code_actions::code_actions(&request)
        })?;
        if code_actions::wants_fix_all(only) {
            actions.extend(self.state.fix_all(&snapshot, &analyzed.settings).await?);
        }
        Ok(Some(actions))
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let items = match self.state.current(&params.text_document.uri).await {
            Some((snapshot, analyzed)) => self.state.diagnostics(&snapshot, &analyzed),
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(
            RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id: None, items },
            },
        )))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let bank = self.state.workspace_bank().await;
        match params.command.as_str() {
            SHOW_CARD => {
                let id = params
                    .arguments
                    .first()
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::invalid_params("expected a card id"))?;
                // A card from a nested project's own folder is in that document's bank only.
                let others = self.state.banks.all();
                let card = std::iter::once(&bank)
                    .chain(&others)
                    .find_map(|bank| bank.get(id))
                    .ok_or_else(|| Error::invalid_params(format!("no card `{id}`")))?;
                Ok(Some(Value::String(render_markdown(card, None))))
            }
            LIST_CARDS => Ok(Some(Value::Array(
                bank.iter()
                    .map(|c| json!({"id": c.id, "title": c.title, "level": c.level, "kind": c.kind, "topic": c.topic}))
                    .collect(),
            ))),
            command if quiz::COMMANDS.contains(&command) => {
                let quizzes = self.state.quizzes.clone();
                let command = command.to_string();
                let argument = params.arguments.into_iter().next();
                tokio::task::spawn_blocking(move || {
                    guarded("executeCommand", || quizzes.execute(&command, argument.as_ref(), &bank))?
                })
                .await
                .map_err(|err| internal_error(format!("quiz command failed: {err}")))?
                .map(Some)
            }
            TEST_PANIC if std::env::var_os(TEST_HOOKS).is_some() => {
                guarded("executeCommand", || -> Option<LSPAny> { panic!("deliberate test panic") })
            }
            TEST_STATS if std::env::var_os(TEST_HOOKS).is_some() => {
                Ok(Some(json!({"analyses": self.state.analyses.load(Ordering::Relaxed)})))
            }
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
