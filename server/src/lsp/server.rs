//! The language server: protocol glue over the same analysis the command line uses.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use super::code_actions::{self, LIST_CARDS, SHOW_CARD};
use super::convert::{self, uri_to_path};
use super::documents::{Documents, Snapshot};
use super::hover;
use super::position::{self, Encoding};
use super::settings::SettingsStore;
use crate::analysis::{Analysis, AnalysisOptions, analyze};
use crate::cards::{Bank, render_markdown};
use crate::config::{ConfigWarning, Settings};

const TEST_PANIC: &str = "interview-lens.testPanic";

pub struct Backend {
    client: Client,
    docs: Documents,
    settings: SettingsStore,
    bank: RwLock<Arc<Bank>>,
    /// The card folders the bank was built with, to rebuild it only when they change.
    bank_dirs: Mutex<Vec<std::path::PathBuf>>,
    encoding: AtomicU8,
    pull_diagnostics: AtomicBool,
    configuration_requests: AtomicBool,
    watch_registration: AtomicBool,
    shutdown: Arc<AtomicBool>,
    shown_warnings: Mutex<HashSet<String>>,
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
        Error {
            code: tower_lsp_server::jsonrpc::ErrorCode::InternalError,
            message: format!("internal error in {what}: {detail}").into(),
            data: None,
        }
    })
}

impl Backend {
    pub fn new(client: Client, shutdown: Arc<AtomicBool>) -> Backend {
        Backend {
            client,
            docs: Documents::default(),
            settings: SettingsStore::default(),
            bank: RwLock::new(Arc::new(Bank::builtin())),
            bank_dirs: Mutex::new(Vec::new()),
            encoding: AtomicU8::new(0),
            pull_diagnostics: AtomicBool::new(false),
            configuration_requests: AtomicBool::new(false),
            watch_registration: AtomicBool::new(false),
            shutdown,
            shown_warnings: Mutex::new(HashSet::new()),
        }
    }

    fn encoding(&self) -> Encoding {
        if self.encoding.load(Ordering::Relaxed) == 8 { Encoding::Utf8 } else { Encoding::Utf16 }
    }

    fn bank(&self) -> Arc<Bank> {
        self.bank.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Shows each distinct settings warning once, as `window/showMessage`.
    async fn warn(&self, warnings: Vec<ConfigWarning>) {
        for warning in warnings {
            let text = format!("interview-lens: {warning} (the default is used for it)");
            let fresh = self.shown_warnings.lock().unwrap_or_else(|e| e.into_inner()).insert(text.clone());
            if fresh {
                self.client.show_message(MessageType::WARNING, text).await;
            }
        }
    }

    fn settings_for(&self, uri: &Uri) -> (Settings, Vec<ConfigWarning>) {
        self.settings.for_path(uri_to_path(uri).as_deref())
    }

    /// Rebuilds the bank when the configured card folders change; returns load errors as warnings.
    fn refresh_bank(&self, dirs: &[std::path::PathBuf]) -> Vec<ConfigWarning> {
        let mut current = self.bank_dirs.lock().unwrap_or_else(|e| e.into_inner());
        if current.as_slice() == dirs {
            return Vec::new();
        }
        let mut bank = Bank::builtin();
        let mut warnings = Vec::new();
        for dir in dirs {
            for error in bank.load_dir(dir) {
                warnings.push(ConfigWarning {
                    origin: error.origin.clone(),
                    message: format!("line {}: {}", error.line, error.message),
                });
            }
        }
        *self.bank.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(bank);
        *current = dirs.to_vec();
        warnings
    }

    /// The analysis of the snapshot's version: cached, or computed off the async runtime.
    async fn analysis(&self, snapshot: &Snapshot) -> Option<Arc<Analysis>> {
        if let Some(analysis) = &snapshot.analysis {
            return Some(analysis.clone());
        }
        let (settings, mut warnings) = self.settings_for(&snapshot.uri);
        warnings.extend(self.refresh_bank(&settings.cards));
        self.warn(warnings).await;
        let bank = self.bank();
        let text = snapshot.text.clone();
        let is_stub = snapshot.uri.as_str().ends_with(".pyi");
        let options = AnalysisOptions { rules: settings.rules, is_stub, editor_data: true };
        let level = settings.level;
        // The blocking pool's threads have the large stack the runtime was built with.
        let result = tokio::task::spawn_blocking(move || {
            let mut analysis = analyze(&text, &options);
            analysis.findings.retain(|f| bank.get(f.rule.id()).is_none_or(|card| card.level <= level));
            analysis
        })
        .await;
        match result {
            Ok(analysis) => {
                let analysis = Arc::new(analysis);
                self.docs.store_analysis(&snapshot.uri, snapshot.version, analysis.clone());
                Some(analysis)
            }
            Err(err) => {
                tracing::error!("analysis of {} failed: {err}", snapshot.uri.as_str());
                None
            }
        }
    }

    fn diagnostics(&self, snapshot: &Snapshot, analysis: &Analysis) -> Vec<Diagnostic> {
        let bank = self.bank();
        let encoding = self.encoding();
        analysis.findings.iter().map(|f| convert::diagnostic(snapshot, f, &bank, encoding)).collect()
    }

    /// Analyses and, for clients without pull diagnostics, publishes if still current.
    async fn refresh(&self, snapshot: Snapshot) {
        let Some(analysis) = self.analysis(&snapshot).await else { return };
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            return;
        }
        if self.docs.version(&snapshot.uri) != Some(snapshot.version) {
            return; // a newer version is on its way
        }
        let diagnostics = self.diagnostics(&snapshot, &analysis);
        self.client.publish_diagnostics(snapshot.uri.clone(), diagnostics, Some(snapshot.version)).await;
    }

    async fn refresh_all(&self) {
        self.docs.forget_analyses();
        if self.pull_diagnostics.load(Ordering::Relaxed) {
            let _ = self.client.workspace_diagnostic_refresh().await;
            return;
        }
        for snapshot in self.docs.snapshots() {
            self.refresh(snapshot).await;
        }
    }

    async fn current(&self, uri: &Uri) -> Option<(Snapshot, Arc<Analysis>)> {
        let snapshot = self.docs.snapshot(uri)?;
        let analysis = self.analysis(&snapshot).await?;
        Some((snapshot, analysis))
    }

    async fn pull_client_settings(&self) {
        if !self.configuration_requests.load(Ordering::Relaxed) {
            return;
        }
        let item = ConfigurationItem { scope_uri: None, section: Some("interviewLens".into()) };
        if let Ok(values) = self.client.configuration(vec![item]).await
            && let Some(value) = values.into_iter().next().filter(|v| !v.is_null())
        {
            let warnings = self.settings.set_client(&value);
            self.warn(warnings).await;
        }
    }
}

impl Backend {
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
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let capabilities = &params.capabilities;
        let encoding = Encoding::negotiate(capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
        self.encoding.store(if encoding == Encoding::Utf8 { 8 } else { 16 }, Ordering::Relaxed);
        let pull = capabilities.text_document.as_ref().and_then(|t| t.diagnostic.as_ref()).is_some();
        self.pull_diagnostics.store(pull, Ordering::Relaxed);
        let configuration = capabilities.workspace.as_ref().and_then(|w| w.configuration).unwrap_or(false);
        self.configuration_requests.store(configuration, Ordering::Relaxed);
        let watch = capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|d| d.dynamic_registration)
            .unwrap_or(false);
        self.watch_registration.store(watch, Ordering::Relaxed);
        if let Some(options) = &params.initialization_options {
            let warnings = self.settings.set_client(options);
            self.warn(warnings).await;
        }

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
                    commands: vec![SHOW_CARD.into(), LIST_CARDS.into()],
                    ..ExecuteCommandOptions::default()
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
        if self.watch_registration.load(Ordering::Relaxed) {
            self.watch_pyproject().await;
        }
        self.pull_client_settings().await;
    }

    async fn shutdown(&self) -> Result<()> {
        self.shutdown.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let doc = params.text_document;
        // The store is updated before the first `.await`, so changes apply in arrival order.
        let snapshot = self.docs.open(doc.uri, doc.text, doc.version);
        self.refresh(snapshot).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let encoding = self.encoding();
        let uri = params.text_document.uri;
        let snapshot = match guarded("didChange", || {
            self.docs.change(&uri, params.text_document.version, params.content_changes, encoding)
        }) {
            Ok(Some(snapshot)) => snapshot,
            Ok(None) => {
                tracing::warn!("didChange for a document that is not open: {}", uri.as_str());
                return;
            }
            Err(_) => return,
        };
        self.refresh(snapshot).await;
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        if let Some(snapshot) = self.docs.snapshot(&params.text_document.uri) {
            self.refresh(snapshot).await;
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.docs.close(&params.text_document.uri);
        if !self.pull_diagnostics.load(Ordering::Relaxed) {
            self.client.publish_diagnostics(params.text_document.uri, Vec::new(), None).await;
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let settings = super::settings::unwrap_section(&params.settings);
        if settings.is_null() || settings.as_object().is_some_and(|o| o.is_empty()) {
            self.pull_client_settings().await;
        } else {
            let warnings = self.settings.set_client(&params.settings);
            self.warn(warnings).await;
        }
        self.refresh_all().await;
    }

    async fn did_change_watched_files(&self, _: DidChangeWatchedFilesParams) {
        self.settings.forget_files();
        self.refresh_all().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let Some((snapshot, analysis)) = self.current(&position.text_document.uri).await else { return Ok(None) };
        let (settings, _) = self.settings_for(&snapshot.uri);
        let bank = self.bank();
        let encoding = self.encoding();
        guarded("hover", || {
            let offset = position::offset(&snapshot.index, &snapshot.text, position.position, encoding);
            hover::hover(&snapshot, &analysis, offset, &bank, settings.concept_hovers, encoding)
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let Some((snapshot, analysis)) = self.current(&params.text_document.uri).await else { return Ok(None) };
        let (settings, _) = self.settings_for(&snapshot.uri);
        let bank = self.bank();
        let encoding = self.encoding();
        let is_stub = snapshot.uri.as_str().ends_with(".pyi");
        guarded("codeAction", || {
            let range = position::text_range(&snapshot.index, &snapshot.text, params.range, encoding);
            let request = code_actions::Request {
                snapshot: &snapshot,
                analysis: &analysis,
                bank: &bank,
                encoding,
                range,
                only: params.context.only.as_deref(),
                diagnostics: &params.context.diagnostics,
                options: AnalysisOptions { rules: settings.rules, is_stub, editor_data: true },
            };
            Some(code_actions::code_actions(&request))
        })
    }

    async fn diagnostic(&self, params: DocumentDiagnosticParams) -> Result<DocumentDiagnosticReportResult> {
        let items = match self.current(&params.text_document.uri).await {
            Some((snapshot, analysis)) => self.diagnostics(&snapshot, &analysis),
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
        let bank = self.bank();
        match params.command.as_str() {
            SHOW_CARD => {
                let id = params
                    .arguments
                    .first()
                    .and_then(Value::as_str)
                    .ok_or_else(|| Error::invalid_params("expected a card id"))?;
                let card = bank.get(id).ok_or_else(|| Error::invalid_params(format!("no card `{id}`")))?;
                Ok(Some(Value::String(render_markdown(card, None))))
            }
            LIST_CARDS => Ok(Some(Value::Array(
                bank.iter()
                    .map(|c| json!({"id": c.id, "title": c.title, "level": c.level, "kind": c.kind, "topic": c.topic}))
                    .collect(),
            ))),
            // Lets the tests prove a panic inside a request is contained; off unless asked for.
            TEST_PANIC if std::env::var_os("INTERVIEW_LENS_TEST_PANIC").is_some() => {
                guarded("executeCommand", || -> Option<LSPAny> { panic!("deliberate test panic") })
            }
            other => Err(Error::invalid_params(format!("unknown command `{other}`"))),
        }
    }
}
