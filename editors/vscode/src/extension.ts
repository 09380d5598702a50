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
  WorkspaceEdit as ProtocolWorkspaceEdit,
} from 'vscode-languageclient/node';

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

/** The settings the server reads (same keys as `[tool.interview-lens]`). */
function serverSettings(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const settings: Record<string, unknown> = {
    level: config.get('level', 'senior'),
    ignore: config.get<string[]>('ignore', []),
    conceptHovers: config.get('conceptHovers', true),
    cards: config.get<string[]>('cards', []),
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

/** Safe fixes only, as the server's `source.fixAll.interview-lens` action computes them. */
async function fixAllEdits(document: vscode.TextDocument): Promise<vscode.TextEdit[]> {
  if (!client) {
    return [];
  }
  const full = new vscode.Range(0, 0, document.lineCount, 0);
  const actions = (await client.sendRequest('textDocument/codeAction', {
    textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
    range: client.code2ProtocolConverter.asRange(full),
    context: { diagnostics: [], only: [FIX_ALL] },
  })) as Array<{ edit?: unknown }> | null;
  const edits: vscode.TextEdit[] = [];
  for (const action of actions ?? []) {
    if (!action.edit) {
      continue;
    }
    const workspaceEdit = await client.protocol2CodeConverter.asWorkspaceEdit(action.edit as ProtocolWorkspaceEdit);
    if (!workspaceEdit) {
      continue;
    }
    for (const [uri, textEdits] of workspaceEdit.entries()) {
      if (uri.toString() === document.uri.toString()) {
        edits.push(...textEdits);
      }
    }
  }
  return edits;
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
    middleware: {
      workspace: {
        // The server asks for its section; answer from the settings above.
        configuration: (params) => params.items.map((item) => (item.section === SECTION ? serverSettings() : null)),
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
      const enabled = vscode.workspace.getConfiguration(SECTION).get('fixAllOnSave', false);
      if (enabled && event.document.languageId === 'python' && client) {
        event.waitUntil(fixAllEdits(event.document));
      }
    }),
  );
  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
