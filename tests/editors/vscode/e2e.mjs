// End-to-end test of the VS Code extension in real VS Code (code-server) driven by playwright-core
// in Debian's Chromium. Exits 0 only from the success path.
//
// Env: IL_CODE_SERVER (code-server binary), IL_NODE_MODULES (where playwright-core is), IL_VSIX,
// IL_WORK (scratch folder), IL_ARTIFACTS (screenshots), IL_PORT, INTERVIEW_LENS_DATA_DIR (the
// scratch practice store the language server writes; the test refuses to run without one).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const env = process.env;
const require = createRequire(path.join(env.IL_NODE_MODULES, 'noop.js'));
const { chromium } = require('playwright-core');

const work = env.IL_WORK;
const artifacts = env.IL_ARTIFACTS;
const port = env.IL_PORT;
fs.mkdirSync(artifacts, { recursive: true });
const home = path.join(work, 'home');
const userData = path.join(work, 'user-data');
const extensions = path.join(work, 'extensions');
const project = path.join(work, 'project');
for (const dir of [home, path.join(userData, 'User'), extensions, project]) fs.mkdirSync(dir, { recursive: true });

const source = 'def add(item, bucket=[]):\n    bucket.append(item)\n    return bucket\n';
const appPath = path.join(project, 'app.py');
fs.writeFileSync(appPath, source);
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'editor.hover.delay': 150,
    'editor.minimap.enabled': false,
    'security.workspace.trust.enabled': false,
    'chat.commandCenter.enabled': false,
    'workbench.colorTheme': 'Default Light Modern',
  }),
);
const config = path.join(work, 'config.yaml');
fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

if (!env.INTERVIEW_LENS_DATA_DIR) {
  console.error('FAIL: INTERVIEW_LENS_DATA_DIR is not set (the server would write to the user\'s data folder)');
  process.exit(1);
}
const childEnv = { ...env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CACHE_HOME: path.join(home, '.cache') };
const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', config];

let server;
let browser;
function log(message) {
  console.log(`[vscode-e2e] ${message}`);
}
async function cleanup() {
  try {
    if (browser) await browser.close();
  } catch {}
  if (server && server.pid) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {}
  }
}
async function fail(message, page) {
  console.error(`FAIL: ${message}`);
  if (page) {
    try {
      await page.screenshot({ path: path.join(artifacts, 'failure.png') });
    } catch {}
  }
  await cleanup();
  process.exit(1);
}
const timeout = setTimeout(() => fail('the whole scenario took over 240 s'), 240_000);

const install = spawnSync(env.IL_CODE_SERVER, [...common, '--install-extension', env.IL_VSIX, '--force'], { env: childEnv, encoding: 'utf8' });
if (install.status !== 0) await fail(`installing the extension failed:\n${install.stdout}\n${install.stderr}`);
log('extension installed');

server = spawn(
  env.IL_CODE_SERVER,
  [...common, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--bind-addr', `127.0.0.1:${port}`],
  { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));
const deadline = Date.now() + 60_000;
for (;;) {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    if (response.ok) break;
  } catch {}
  if (Date.now() > deadline) await fail(`code-server did not come up:\n${serverLog}`);
  await new Promise((r) => setTimeout(r, 250));
}
log('code-server is up');

browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(project)}`);

// Open the file by clicking it in the Explorer.
const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'app.py' }).first();
await row.waitFor({ timeout: 60_000 }).catch(() => fail('app.py did not show in the Explorer', page));
await row.click();
await page.locator('.monaco-editor .view-lines', { hasText: 'bucket' }).first().waitFor({ timeout: 30_000 }).catch(() => fail('the editor did not open app.py', page));
log('app.py is open');

// The squiggle.
const squiggle = page.locator('.monaco-editor .squiggly-warning').first();
await squiggle.waitFor({ state: 'attached', timeout: 60_000 }).catch(() => fail(`no squiggle appeared\n${serverLog}`, page));
// The code lens above `def add` arrives after the diagnostics and pushes the code down a line:
// wait for it before measuring where the squiggle is (a click at the old place lands on the lens).
await page
  .locator('.monaco-editor .codelens-decoration a', { hasText: '1 interview question here — practise' })
  .first()
  .waitFor({ state: 'visible', timeout: 30_000 })
  .catch(() => fail('no "1 interview question here — practise" code lens above add', page));
await page.screenshot({ path: path.join(artifacts, '1-squiggle.png') });
log('squiggle and code lens shown');

// The hover card.
const box = await squiggle.boundingBox();
if (!box) await fail('the squiggle has no box', page);
const hover = page.locator('.monaco-hover', { hasText: 'Interview question' }).first();
for (let attempt = 0; attempt < 5; attempt++) {
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 - 4);
  if (await hover.waitFor({ state: 'visible', timeout: 6_000 }).then(() => true, () => false)) break;
  await page.mouse.move(10, 10);
}
if (!(await hover.isVisible())) await fail('the hover card did not show', page);
const hoverText = await hover.innerText();
// Compact by default: the finding, the question, the red flag in a sentence, the scoring line, a link.
for (const part of ['is created once', 'Interview question', 'Red flag:', 'Scored strong:', 'Whole card: strong answer, follow-ups, example']) {
  if (!hoverText.includes(part)) await fail(`the hover lacks "${part}":\n${hoverText}`, page);
}
for (const part of ['Strong answer.', 'Follow-ups.', 'How it is scored']) {
  if (hoverText.includes(part)) await fail(`the compact hover has "${part}":\n${hoverText}`, page);
}
await page.screenshot({ path: path.join(artifacts, '2-hover-card.png') });
log('compact hover shown');

// The link opens the whole card (a command link, trusted for that command only).
const link = hover.locator('a', { hasText: 'Whole card' }).first();
await link.click({ timeout: 10_000 }).catch(() => fail('the hover link could not be clicked', page));
const cardTab = page.locator('.tabs-container .tab', { hasText: 'Mutable default argument' }).first();
await cardTab.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => fail('the hover link did not open the card', page));
// The webview's document sits in nested frames; look for the sections the hover left out.
let cardText = '';
const cardDeadline = Date.now() + 20_000;
while (Date.now() < cardDeadline && !cardText.includes('Follow-ups')) {
  for (const frame of page.frames()) {
    const text = await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
    if (text.includes('Strong answer') && text.includes('Follow-ups')) cardText = text;
  }
  if (!cardText) await page.waitForTimeout(250);
}
if (!cardText.includes('Follow-ups')) await fail('the opened card lacks the strong answer and follow-ups', page);
await page.screenshot({ path: path.join(artifacts, '2b-whole-card.png') });
log('the hover link opened the whole card');

// The quick fix: cursor on the finding, Ctrl+., arrow keys to the entry, Enter, then save.
await page.mouse.move(10, 10);
// Measured again: the whole-card tab beside the editor may have moved the text.
const fixBox = await squiggle.boundingBox();
if (!fixBox) await fail('the squiggle has no box', page);
await page.mouse.click(fixBox.x + fixBox.width / 2, fixBox.y + fixBox.height / 2 - 4);
await page.keyboard.press('Escape');
await page.keyboard.press('Control+Period');
const menu = page.locator('.action-widget').first();
await menu.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => fail('the quick fix menu did not open', page));
await page.screenshot({ path: path.join(artifacts, '3-quick-fix-menu.png') });
let chosen = false;
for (let i = 0; i < 12; i++) {
  const focused = await page.locator('.action-widget .monaco-list-row.focused').first().innerText().catch(() => '');
  if (focused.includes('None` sentinel') || focused.includes('None sentinel')) {
    chosen = true;
    break;
  }
  await page.keyboard.press('ArrowDown');
  await page.waitForTimeout(150);
}
if (!chosen) await fail('no "Use a None sentinel" entry in the quick fix menu', page);
await page.keyboard.press('Enter');
await page.waitForTimeout(500);
await page.keyboard.press('Control+S');
const fixedDeadline = Date.now() + 20_000;
let onDisk = '';
while (Date.now() < fixedDeadline) {
  onDisk = fs.readFileSync(appPath, 'utf8');
  if (onDisk.includes('if bucket is None:')) break;
  await page.waitForTimeout(250);
}
const expected = 'def add(item, bucket=None):\n    if bucket is None:\n        bucket = []\n    bucket.append(item)\n    return bucket\n';
if (onDisk !== expected) await fail(`the file on disk is not the fixed text:\n${onDisk}`, page);
log('quick fix applied and saved');

// The finding disappears.
const cleared = await page
  .waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length === 0, null, { timeout: 20_000 })
  .then(() => true, () => false);
if (!cleared) await fail('the squiggle did not clear', page);
await page.screenshot({ path: path.join(artifacts, '4-fixed.png') });
log('finding cleared');

// Settings take effect without a reload: bring the finding back, then ignore its rule.
// Workspace settings: files in the folder are watched, as a user's edits would be.
fs.mkdirSync(path.join(project, '.vscode'), { recursive: true });
const settingsPath = path.join(project, '.vscode', 'settings.json');
const baseSettings = {};
fs.writeFileSync(appPath, source);
await squiggle.waitFor({ state: 'attached', timeout: 30_000 }).catch(() => fail('the finding did not come back after the file changed on disk', page));
fs.writeFileSync(settingsPath, JSON.stringify({ ...baseSettings, 'interviewLens.ignore': ['mutable-default-argument'] }));
const ignored = await page
  .waitForFunction(() => document.querySelectorAll('.monaco-editor .squiggly-warning').length === 0, null, { timeout: 30_000 })
  .then(() => true, () => false);
if (!ignored) await fail('changing interviewLens.ignore did not take effect without a reload', page);
log('a settings change took effect');

// Fix on save through VS Code's own editor.codeActionsOnSave and the server's source.fixAll kind.
const safeFixSource = 'def cleanup(task):\n    try:\n        task()\n    except:\n        print("cleanup")\n        raise\n';
fs.writeFileSync(
  settingsPath,
  JSON.stringify({ ...baseSettings, 'interviewLens.ignore': ['mutable-default-argument'], 'editor.codeActionsOnSave': { 'source.fixAll.interview-lens': 'explicit' } }),
);
// As in the alias step below: VS Code reads the changed settings file asynchronously, and a save
// before it has would run without codeActionsOnSave.
await page.waitForTimeout(1_000);
fs.writeFileSync(appPath, safeFixSource);
await page.locator('.monaco-editor .view-lines', { hasText: 'cleanup' }).first().waitFor({ timeout: 30_000 }).catch(() => fail('the editor did not reload app.py', page));
await page.locator('.monaco-editor .view-lines').first().click();
await page.keyboard.press('Control+End');
await page.keyboard.type('cleanup(print)');
await page.keyboard.press('Control+S');
const savedDeadline = Date.now() + 30_000;
while (Date.now() < savedDeadline) {
  onDisk = fs.readFileSync(appPath, 'utf8');
  if (onDisk.includes('except BaseException:')) break;
  await page.waitForTimeout(250);
}
const savedExpected = safeFixSource.replace('except:', 'except BaseException:') + 'cleanup(print)';
if (onDisk !== savedExpected) await fail(`fix on save did not write the fixed text:\n${onDisk}`, page);
await page.screenshot({ path: path.join(artifacts, '4b-fixed-on-save.png') });
log('fix on save applied the safe fix');

// The deprecated interviewLens.fixAllOnSave still works, and says what to use instead.
fs.writeFileSync(settingsPath, JSON.stringify({ ...baseSettings, 'interviewLens.ignore': ['mutable-default-argument'], 'interviewLens.fixAllOnSave': true }));
await page.waitForTimeout(1_000);
fs.writeFileSync(appPath, safeFixSource);
await page.locator('.monaco-editor .view-lines', { hasText: 'except:' }).first().waitFor({ timeout: 30_000 }).catch(() => fail('the editor did not reload app.py', page));
await page.locator('.monaco-editor .view-lines').first().click();
await page.keyboard.press('Control+End');
await page.keyboard.type('cleanup(print)');
await page.keyboard.press('Control+S');
const aliasDeadline = Date.now() + 30_000;
while (Date.now() < aliasDeadline) {
  onDisk = fs.readFileSync(appPath, 'utf8');
  if (onDisk.includes('except BaseException:')) break;
  await page.waitForTimeout(250);
}
if (onDisk !== savedExpected) await fail(`the deprecated fixAllOnSave did not fix on save:\n${onDisk}`, page);
const deprecation = page.locator('.notifications-toasts', { hasText: 'fixAllOnSave' }).first();
await deprecation.waitFor({ state: 'visible', timeout: 15_000 }).catch(() => fail('no deprecation warning for fixAllOnSave', page));
log('the deprecated fixAllOnSave alias works and warns');

// The quiz from the code: the code lens above a function with findings opens the webview panel,
// which reveals, grades and undoes through the server's quiz commands (the same flow as Neovim's).
const quizSource = 'def add(item, bucket=[]):\n    for i in range(len(bucket)):\n        print(bucket[i])\n    bucket.append(item)\n    return bucket\n';
fs.writeFileSync(settingsPath, JSON.stringify(baseSettings));
await page.waitForTimeout(1_000);
fs.writeFileSync(appPath, quizSource);
const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: '2 interview questions here — practise' }).first();
await lens.waitFor({ state: 'visible', timeout: 30_000 }).catch(async () => {
  const lenses = await page.locator('.monaco-editor .codelens-decoration').allInnerTexts().catch(() => []);
  await fail(`no "2 interview questions here — practise" code lens above add (lenses: ${JSON.stringify(lenses)})`, page);
});
await page.screenshot({ path: path.join(artifacts, '6-code-lens.png') });
log('the code lens is shown');
// From app.py's editor group, as a user clicking the lens would be (the panel opens beside it).
await page.locator('.monaco-editor .view-lines', { hasText: 'bucket' }).first().click();
await lens.click({ timeout: 10_000 }).catch(() => fail('the code lens could not be clicked', page));

// The panel's document is in nested frames and is replaced on every step: find the frame showing
// `want` (the #state element's data-state) and its text, or fail after 45 s (a webview's first load
// is slow on a busy machine), saying what each frame showed.
async function quizFrame(want, what) {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const state = await frame.locator('#state').getAttribute('data-state', { timeout: 500 }).catch(() => null);
      if (state === want) {
        const text = await frame.locator('body').innerText({ timeout: 1_000 }).catch(() => '');
        if (text) return { frame, text };
      }
    }
    await page.waitForTimeout(200);
  }
  const frames = [];
  for (const frame of page.frames()) {
    const text = await frame.locator('body').innerText({ timeout: 1_000 }).catch((e) => `(unreadable: ${e.message.split('\n')[0]})`);
    frames.push(`${frame.url().slice(0, 120)}: ${JSON.stringify(text.slice(0, 160))}`);
  }
  await fail(`the quiz panel did not show ${what} (state "${want}"); frames:\n${frames.join('\n')}`, page);
}
function expect(text, parts, what) {
  for (const part of parts) if (!text.includes(part)) return fail(`${what} lacks "${part}":\n${text}`, page);
}
function expectNot(text, parts, what) {
  for (const part of parts) if (text.includes(part)) return fail(`${what} shows "${part}":\n${text}`, page);
}

const quizTab = page.locator('.tabs-container .tab', { hasText: 'Quiz:' }).first();
await quizTab.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => fail('no quiz panel opened', page));
let q = await quizFrame('question', 'the first question');
await expect(q.text, ['Mutable default argument', 'card 1 of 2', 'From your code, line 1:', 'def add(item, bucket=[]):', 'Interview question:', 'Reveal'], 'the first question');
await expectNot(q.text, ['Strong answer', 'Undo last grade'], 'the first question');
await page.screenshot({ path: path.join(artifacts, '7-quiz-question.png') });
log('the code lens opened the quiz panel');

// Type an answer and reveal with the button.
await q.frame.locator('#answer').fill('Defaults are evaluated once, at def time');
await q.frame.locator('button[data-action="reveal"]').click();
q = await quizFrame('revealed', 'the revealed card');
await expect(q.text, ['Your answer: Defaults are evaluated once, at def time', 'Strong answer', 'Red flag', 'How it is scored', 'Follow-ups', '1 Again (', '3 Good (', '4 Easy ('], 'the revealed card');
// Card text is hard-wrapped at about 100 columns: the panel reflows it (no line break inside a
// paragraph) and shows the scoring guide as a list whose items run across the source lines.
const strongHtml = await q.frame.locator('#strong').innerHTML();
if (strongHtml.includes('<br>') || !strongHtml.includes('built a single time, while the <code>def</code> statement')) {
  await fail(`the strong answer keeps the card file's line breaks:\n${strongHtml}`, page);
}
const scoringItems = await q.frame.locator('#scoring li').allInnerTexts();
if (scoringItems.length !== 3 || !scoringItems[0].startsWith('Strong: says the default is evaluated once') || !scoringItems[0].includes('writes the None sentinel')) {
  await fail(`the scoring guide is not three reflowed items: ${JSON.stringify(scoringItems)}`, page);
}
const goodLabel = await q.frame.locator('button[data-rating="3"]').innerText();
if (!/^3 Good \(\d+(\.\d+)?(m|h|d|mo|y)\)$/.test(goodLabel.trim())) await fail(`the Good button has no interval: "${goodLabel}"`, page);
await page.screenshot({ path: path.join(artifacts, '8-quiz-revealed.png') });
log(`revealed beside the typed answer; ${goodLabel.trim()}`);

// Grade Good: the second card; undo: the first card again.
await q.frame.locator('button[data-rating="3"]').click();
q = await quizFrame('question', 'the second question');
await expect(q.text, ['card 2 of 2', 'Undo last grade'], 'the second question');
await expectNot(q.text, ['Mutable default argument'], 'the second question');
await q.frame.locator('button[data-action="undo"]').click();
const undoDeadline = Date.now() + 20_000;
for (;;) {
  q = await quizFrame('question', 'the first question after undo');
  if (q.text.includes('Mutable default argument') && q.text.includes('card 1 of 2')) break;
  if (Date.now() > undoDeadline) await fail(`undo did not bring the first card back:\n${q.text}`, page);
  await page.waitForTimeout(200);
}
log('graded and undone');

// Both cards: the first revealed with Ctrl+Enter from the answer box, graded with the 4 key.
for (let i = 0; i < 2; i++) {
  q = await quizFrame('question', `question ${i + 1}`);
  const box = q.frame.locator('#answer');
  await box.fill(i === 0 ? 'A None sentinel' : '');
  if (i === 0) {
    await box.press('Control+Enter');
  } else {
    await q.frame.locator('button[data-action="reveal"]').click();
  }
  q = await quizFrame('revealed', `card ${i + 1} revealed`);
  if (i === 0) await expect(q.text, ['Your answer: A None sentinel'], 'the card revealed with Ctrl+Enter');
  else await expect(q.text, ['Your answer: (none)'], 'the card revealed without an answer');
  if (i === 0) {
    await q.frame.locator('body').press('4');
  } else {
    await q.frame.locator('button[data-rating="4"]').click();
  }
  if (i === 0) {
    const deadline = Date.now() + 20_000;
    for (;;) {
      q = await quizFrame('question', 'the second question');
      if (q.text.includes('card 2 of 2')) break;
      if (Date.now() > deadline) await fail(`the 4 key did not grade:\n${q.text}`, page);
      await page.waitForTimeout(200);
    }
  }
}
q = await quizFrame('done', 'the end of the session');
await expect(q.text, ['Session done', 'Reviewed 2 card(s): Again 0, Hard 0, Good 0, Easy 2.'], 'the summary');
await page.screenshot({ path: path.join(artifacts, '9-quiz-done.png') });
log('quiz finished: 2 reviewed');

// No server binary: a notification that says how to install it (and no crash loop).
fs.writeFileSync(settingsPath, JSON.stringify({ ...baseSettings, 'interviewLens.path': '/nonexistent/interview-lens' }));
const toast = page.locator('.notifications-toasts', { hasText: 'server binary was not found' }).first();
await toast.waitFor({ state: 'visible', timeout: 30_000 }).catch(() => fail('no "server binary was not found" notification', page));
await page.waitForTimeout(600);
await page.screenshot({ path: path.join(artifacts, '5-no-server.png') });
log('missing binary reported');

// The server kept its store in INTERVIEW_LENS_DATA_DIR, not in code-server's (scratch) data home.
const stray = path.join(childEnv.XDG_DATA_HOME, 'interview-lens');
if (fs.existsSync(stray)) await fail(`the server wrote its store to ${stray}`, page);

clearTimeout(timeout);
await cleanup();
console.log('ok vscode');
process.exit(0);
