// interview-lens for VS Code: starts the language server and adds the card commands.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { practise } from './quiz';

const SECTION = 'interviewLens';
const SHOW_CARD = 'interview-lens.showCard';
const LIST_CARDS = 'interview-lens.listCards';
const FIX_ALL = 'source.fixAll.interview-lens';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let cardPanel: vscode.WebviewPanel | undefined;

interface CardSummary {
  id: string;
  title: string;
  level: string;
  kind: string;
  topic: string;
}

/** The server binary: the `interviewLens.path` setting, then the bundled one, then PATH. */
export function findServer(extensionPath: string): { path?: string; tried: string[] } {
  const tried: string[] = [];
  const exe = process.platform === 'win32' ? 'interview-lens.exe' : 'interview-lens';
  const configured = vscode.workspace.getConfiguration(SECTION).get<string>('path', '').trim();
  if (configured) {
    tried.push(`interviewLens.path = ${configured}`);
    return { path: fs.existsSync(configured) ? configured : undefined, tried };
  }
  const bundled = path.join(extensionPath, 'bin', exe);
  tried.push(bundled);
  if (fs.existsSync(bundled)) {
    return { path: bundled, tried };
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) {
      continue;
    }
    const candidate = path.join(dir, exe);
    if (fs.existsSync(candidate)) {
      return { path: candidate, tried };
    }
  }
  tried.push(`${exe} on PATH`);
  return { tried };
}

/**
 * The settings the server reads (same keys as `[tool.interview-lens]`), for a workspace folder or
 * file when `scope` is given (multi-root workspaces: each folder can set its own).
 */
function serverSettings(scope?: vscode.Uri): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION, scope);
  const settings: Record<string, unknown> = {
    level: config.get('level', 'senior'),
    ignore: config.get<string[]>('ignore', []),
    conceptHovers: config.get('conceptHovers', true),
    cards: config.get<string[]>('cards', []),
    hover: config.get('hover', 'compact'),
  };
  const select = config.get<string[]>('select', []);
  if (select.length > 0) {
    settings.select = select;
  }
  return settings;
}

async function renderCard(markdown: string): Promise<void> {
  const html = await vscode.commands.executeCommand<string>('markdown.api.render', markdown);
  const title = /^### (.+)$/m.exec(markdown)?.[1] ?? 'Interview card';
  if (!cardPanel) {
    cardPanel = vscode.window.createWebviewPanel('interviewLensCard', title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: false,
    });
    cardPanel.onDidDispose(() => (cardPanel = undefined));
  }
  cardPanel.title = title;
  cardPanel.webview.html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>body{font-family:var(--vscode-font-family);line-height:1.5;padding:0 1em;max-width:52em}
pre{background:var(--vscode-textCodeBlock-background);padding:.6em;overflow:auto}</style></head>
<body>${html}</body></html>`;
  cardPanel.reveal(vscode.ViewColumn.Beside, true);
}

async function fetchCard(id: string): Promise<string | undefined> {
  if (!client) {
    return undefined;
  }
  const result = await client.sendRequest(ExecuteCommandRequest.type, { command: SHOW_CARD, arguments: [id] });
  return typeof result === 'string' ? result : undefined;
}

function ruleIdsAt(document: vscode.TextDocument, position: vscode.Position): string[] {
  return vscode.languages
    .getDiagnostics(document.uri)
    .filter((d) => d.source === 'interview-lens' && d.range.contains(position))
    .map((d) => (typeof d.code === 'object' ? String(d.code.value) : String(d.code)));
}

async function showCardUnderCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const id = ruleIdsAt(editor.document, editor.selection.active)[0];
  if (!id) {
    vscode.window.showInformationMessage('interview-lens: no finding under the cursor. Hover a construct to see its concept card.');
    return;
  }
  const markdown = await fetchCard(id);
  if (markdown) {
    await renderCard(markdown);
  }
}

async function listCards(): Promise<void> {
  if (!client) {
    return;
  }
  const cards = (await client.sendRequest(ExecuteCommandRequest.type, { command: LIST_CARDS, arguments: [] })) as CardSummary[] | null;
  const order: Record<string, number> = { junior: 1, mid: 2, senior: 3 };
  const items = (cards ?? [])
    .sort((a, b) => (order[a.level] ?? 9) - (order[b.level] ?? 9) || a.topic.localeCompare(b.topic) || a.id.localeCompare(b.id))
    .map((card) => ({ label: card.title, description: `${card.level} · ${card.topic}`, detail: `${card.id} (${card.kind})`, id: card.id }));
  const picked = await vscode.window.showQuickPick(items, { placeHolder: 'Interview cards by level and topic', matchOnDescription: true, matchOnDetail: true });
  if (picked) {
    const markdown = await fetchCard(picked.id);
    if (markdown) {
      await renderCard(markdown);
    }
  }
}

/** `editor.codeActionsOnSave` already runs our fix-all for this document (any spelling of it). */
function fixAllOnSaveConfigured(document: vscode.TextDocument): boolean {
  const onSave = vscode.workspace.getConfiguration('editor', document).get<unknown>('codeActionsOnSave');
  const kinds = Array.isArray(onSave)
    ? (onSave as string[])
    : Object.entries((onSave ?? {}) as Record<string, unknown>)
        .filter(([, when]) => when === true || when === 'explicit' || when === 'always')
        .map(([kind]) => kind);
  return kinds.some((kind) => kind === 'source' || kind === 'source.fixAll' || kind === FIX_ALL);
}

/**
 * The deprecated `interviewLens.fixAllOnSave`: the same `source.fixAll.interview-lens` action
 * that `editor.codeActionsOnSave` runs, asked for through VS Code's own code action API.
 */
async function deprecatedFixAllOnSave(document: vscode.TextDocument): Promise<vscode.TextEdit[]> {
  const full = new vscode.Range(0, 0, document.lineCount, 0);
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, full, FIX_ALL)) ?? [];
  const edits: vscode.TextEdit[] = [];
  for (const action of actions) {
    if (action.kind && vscode.CodeActionKind.SourceFixAll.append('interview-lens').contains(action.kind) && action.edit) {
      edits.push(...action.edit.get(document.uri));
    }
  }
  return edits;
}

let warnedAboutFixAllOnSave = false;
function warnFixAllOnSaveDeprecated(): void {
  if (warnedAboutFixAllOnSave) {
    return;
  }
  warnedAboutFixAllOnSave = true;
  output.appendLine('interviewLens.fixAllOnSave is deprecated: use "editor.codeActionsOnSave": { "source.fixAll.interview-lens": "explicit" }.');
  void vscode.window.showWarningMessage(
    'interview-lens: `interviewLens.fixAllOnSave` is deprecated and goes in the next release. Use ' +
      '`"editor.codeActionsOnSave": { "source.fixAll.interview-lens": "explicit" }` instead.',
  );
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  const found = findServer(context.extensionPath);
  if (!found.path) {
    output.appendLine(`Server not found; tried: ${found.tried.join(', ')}`);
    const choice = await vscode.window.showErrorMessage(
      'interview-lens: the server binary was not found. Install it (`cargo build --release`, then put ' +
        '`target/release/interview-lens` on PATH), install the .vsix that bundles it, or set `interviewLens.path`.',
      'Open Settings',
    );
    if (choice === 'Open Settings') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'interviewLens.path');
    }
    return;
  }
  output.appendLine(`Starting ${found.path}`);
  const serverOptions: ServerOptions = { command: found.path, args: ['serve'], transport: TransportKind.stdio };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'python' },
      { scheme: 'untitled', language: 'python' },
    ],
    initializationOptions: serverSettings(),
    outputChannel: output,
    // The server's hover links open the whole card with its `showCard` command; trust no other.
    markdown: { isTrusted: { enabledCommands: [SHOW_CARD] } },
    middleware: {
      workspace: {
        // The server asks for its section, globally and per workspace folder (`scopeUri`).
        configuration: (params) =>
          params.items.map((item) =>
            item.section === SECTION ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : null,
          ),
      },
      // "Show interview card" code actions run the server command; display what it returns.
      executeCommand: async (command, args, next) => {
        const result = await next(command, args);
        if (command === SHOW_CARD && typeof result === 'string') {
          await renderCard(result);
        }
        return result;
      },
    },
  };
  client = new LanguageClient('interviewLens', 'interview-lens', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    output.appendLine(`The server failed to start: ${String(error)}`);
    vscode.window.showErrorMessage(`interview-lens: the server at ${found.path} failed to start (see the output panel).`);
    client = undefined;
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('interview-lens');
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('interviewLens.restart', async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand('interviewLens.showCard', showCardUnderCursor),
    vscode.commands.registerCommand('interviewLens.listCards', listCards),
    // The code lens's command ("N interview questions here — practise"), also in the palette.
    vscode.commands.registerCommand('interviewLens.practise', (argument?: { uri?: string; cards?: unknown[] }) => practise(client, argument)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SECTION)) {
        return;
      }
      if (event.affectsConfiguration(`${SECTION}.path`)) {
        await stop();
        await start(context);
      } else if (client) {
        // Takes effect without a reload: the server re-analyses open files.
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { [SECTION]: serverSettings() } });
      }
    }),
    vscode.workspace.onWillSaveTextDocument((event) => {
      const document = event.document;
      const enabled = vscode.workspace.getConfiguration(SECTION, document).get('fixAllOnSave', false);
      if (!enabled || document.languageId !== 'python' || !client) {
        return;
      }
      warnFixAllOnSaveDeprecated();
      // With codeActionsOnSave set up as well, VS Code applies the fixes itself.
      if (!fixAllOnSaveConfigured(document)) {
        event.waitUntil(deprecatedFixAllOnSave(document));
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
