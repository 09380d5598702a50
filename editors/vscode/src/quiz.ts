// The quiz in a webview panel, driven by the server's interviewLens.quiz.* commands (the same flow
// as Neovim's float). The webview only posts the user's actions; every state comes from the server
// as a QuizView, rendered here with card text escaped (it is Markdown from card files, shown as text).
import * as vscode from 'vscode';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';

export interface QuizView {
  session: string;
  state: 'question' | 'revealed' | 'done';
  position: number;
  total: number;
  card?: { id: string; title: string; level: string; topic: string; question: string; excerpt?: string; location?: { uri: string; line: number } };
  reveal?: { strong_answer: string; red_flag: string; scoring: string; follow_ups: string[]; answer: string };
  intervals?: Record<string, string>;
  summary?: { reviewed: number; ratings: number[]; left: number };
}

let panel: vscode.WebviewPanel | undefined;
/** The last QuizView shown: the session the panel's next action belongs to. */
let current: QuizView | undefined;
/** The client of the last start: the panel's actions go to the server that holds its session (a
 *  restart makes a new client; the listener below must not keep the stopped one). */
let quizClient: LanguageClient | undefined;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline `code` and **bold** after escaping; everything else stays text. */
function inline(text: string): string {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\n/g, '<br>');
}

/**
 * Card Markdown as HTML. Card files are hard-wrapped, so a single line break is a space (shown as
 * written, the panel's lines broke mid-sentence); a blank line parts paragraphs, `- ` lines are list
 * items (indented lines continue them) and fenced code keeps its lines.
 */
export function prose(text: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  let items: string[] = [];
  let code: string[] | undefined;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    if (items.length) out.push(`<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    paragraph = [];
    items = [];
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (code) {
      if (line.startsWith('```')) {
        out.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
        code = undefined;
      } else {
        code.push(raw);
      }
      continue;
    }
    if (line.startsWith('```')) {
      flush();
      code = [];
      continue;
    }
    const item = /^[-*] (.*)$/.exec(line);
    if (!line) {
      flush();
    } else if (item) {
      if (paragraph.length) flush();
      items.push(item[1]);
    } else if (items.length && /^\s/.test(raw)) {
      items[items.length - 1] += ` ${line}`;
    } else {
      if (items.length) flush();
      paragraph.push(line);
    }
  }
  if (code) out.push(`<pre><code>${escape(code.join('\n'))}</code></pre>`);
  flush();
  return out.join('');
}

/** One line of card text (a title, a question, a follow-up): wrapped source lines joined. */
function line(text: string): string {
  return inline(text.replace(/\s*\n\s*/g, ' '));
}

function body(view: QuizView): string {
  if (view.state === 'done') {
    const s = view.summary ?? { reviewed: 0, ratings: [0, 0, 0, 0], left: 0 };
    return `<h2 id="state" data-state="done">Session done</h2>
<p>Reviewed ${s.reviewed} card(s): Again ${s.ratings[0]}, Hard ${s.ratings[1]}, Good ${s.ratings[2]}, Easy ${s.ratings[3]}.</p>
<button data-action="undo">Undo last grade</button>`;
  }
  const card = view.card!;
  const where = card.location ? `<p class="where">From your code, line ${card.location.line}:</p>` : '';
  const excerpt = card.excerpt ? `<pre><code>${escape(card.excerpt)}</code></pre>` : '';
  let html = `<h2 id="state" data-state="${view.state}">${line(card.title)}</h2>
<p class="meta">${escape(card.level)} · ${line(card.topic)} · card ${view.position + 1} of ${view.total}</p>
${where}${excerpt}<p class="question"><strong>Interview question:</strong> ${line(card.question)}</p>`;
  if (view.state === 'question') {
    html += `<textarea id="answer" rows="6" placeholder="Your answer (Ctrl+Enter reveals)"></textarea>
<p><button data-action="reveal">Reveal</button> ${view.position > 0 ? '<button data-action="undo">Undo last grade</button>' : ''}</p>`;
    return html;
  }
  const r = view.reveal!;
  const i = view.intervals ?? {};
  html += `<div class="answer"><strong>Your answer:</strong> ${r.answer ? inline(r.answer) : '(none)'}</div>
<h3>Strong answer</h3><div id="strong">${prose(r.strong_answer)}</div>
<h3>Red flag</h3><div id="red-flag">${prose(r.red_flag)}</div>
<h3>How it is scored</h3><div id="scoring">${prose(r.scoring)}</div>
<h3>Follow-ups</h3><ul>${r.follow_ups.map((f) => `<li>${line(f)}</li>`).join('')}</ul>
<p class="grades">
<button data-action="grade" data-rating="1">1 Again (${escape(i['1'] ?? '')})</button>
<button data-action="grade" data-rating="2">2 Hard (${escape(i['2'] ?? '')})</button>
<button data-action="grade" data-rating="3">3 Good (${escape(i['3'] ?? '')})</button>
<button data-action="grade" data-rating="4">4 Easy (${escape(i['4'] ?? '')})</button>
</p>`;
  return html;
}

function html(view: QuizView, nonce: string): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>body{font-family:var(--vscode-font-family);line-height:1.5;padding:0 1em;max-width:52em}
pre{background:var(--vscode-textCodeBlock-background);padding:.6em;overflow:auto}
textarea{width:100%;font-family:var(--vscode-editor-font-family)}
button{margin:.2em .4em .2em 0}.meta{opacity:.8}.answer{border-left:3px solid var(--vscode-focusBorder);padding-left:.6em}</style></head>
<body>${body(view)}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
function answer() { const box = document.getElementById('answer'); return box ? box.value : ''; }
document.addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  vscode.postMessage({ action: button.dataset.action, rating: Number(button.dataset.rating || 0), answer: answer() });
});
document.addEventListener('keydown', (event) => {
  const state = document.getElementById('state').dataset.state;
  if (state === 'question' && event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    vscode.postMessage({ action: 'reveal', answer: answer() });
  } else if (state === 'revealed' && ['1', '2', '3', '4'].includes(event.key)) {
    vscode.postMessage({ action: 'grade', rating: Number(event.key) });
  } else if (event.target.tagName !== 'TEXTAREA' && event.key === 'u') {
    vscode.postMessage({ action: 'undo' });
  }
});
const box = document.getElementById('answer'); if (box) box.focus();
</script></body></html>`;
}

function show(view: QuizView): void {
  current = view;
  if (!panel) {
    return;
  }
  const nonce = Array.from({ length: 16 }, () => Math.floor(Math.random() * 36).toString(36)).join('');
  panel.title = view.state === 'done' ? 'Quiz: done' : `Quiz: ${view.card?.title ?? ''}`;
  panel.webview.html = html(view, nonce);
}

async function send(client: LanguageClient, command: string, argument: unknown): Promise<QuizView | undefined> {
  try {
    const view = (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [argument] })) as QuizView;
    show(view);
    return view;
  } catch (error) {
    void vscode.window.showWarningMessage(`interview-lens: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/** Runs one action from the panel: reveal, grade, undo. */
async function quizAction(client: LanguageClient, message: { action: string; rating?: number; answer?: string }): Promise<QuizView | undefined> {
  if (!current) {
    return undefined;
  }
  const session = current.session;
  switch (message.action) {
    case 'reveal':
      return send(client, 'interviewLens.quiz.reveal', { session, answer: message.answer ?? '' });
    case 'grade':
      return send(client, 'interviewLens.quiz.grade', { session, rating: message.rating });
    case 'undo':
      return send(client, 'interviewLens.quiz.undo', { session });
    default:
      return undefined;
  }
}

/** `interviewLens.practise`: from a code lens (`{uri, cards}`), or by level from the palette. */
export async function practise(client: LanguageClient | undefined, argument?: { uri?: string; cards?: unknown[] }): Promise<QuizView | undefined> {
  if (!client) {
    void vscode.window.showWarningMessage('interview-lens: the server is not running.');
    return undefined;
  }
  let start: unknown;
  if (argument?.cards) {
    start = { cards: argument.cards };
  } else {
    const level = await vscode.window.showQuickPick(['any level', 'junior', 'mid', 'senior'], { placeHolder: 'Quiz the cards due today, up to which level?' });
    if (!level) {
      return undefined;
    }
    start = level === 'any level' ? {} : { level };
  }
  if (!panel) {
    panel = vscode.window.createWebviewPanel('interviewLensQuiz', 'Quiz', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      retainContextWhenHidden: true,
    });
    panel.onDidDispose(() => {
      panel = undefined;
      current = undefined;
    });
    panel.webview.onDidReceiveMessage((message) => {
      if (quizClient) void quizAction(quizClient, message);
    });
  }
  quizClient = client;
  panel.reveal(vscode.ViewColumn.Beside, false);
  return send(client, 'interviewLens.quiz.start', start);
}
