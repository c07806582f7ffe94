// "Analyze Workspace", the suggestion CodeLenses and the "Propose: …" refactoring commands in a
// real extension host. The suite adds a small module to the fixture workspace (a complex
// function, an unused export, three unused locals with `noUnusedLocals` on), analyses it, checks
// the lenses, clicks them (their commands, with the lens's own arguments) and checks the queued
// proposals through the same core and state the CLI uses — and that nothing was written.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RustyCore } from '../../src/core/rustyCore';
import type { AnalyzeCommandResult, RefactorCommandResult } from '../../src/extension/suggestions/register';
import { closeAllEditors, eventually, openInEditor } from './editors';
import { fixtureFolder, rustyExtension } from './helpers';

const MODULE = 'src/suggest/rules.ts';
const MODULE_TEXT = `// Rules for grading.
export function grade(score: number, bonus: boolean, late: boolean): string {
  let result = '';
  if (score > 90 && !late) {
    result = 'A';
  } else if (score > 80 || bonus) {
    result = 'B';
  } else if (score > 70) {
    result = 'C';
  } else if (score > 60 && bonus) {
    result = 'D';
  } else {
    result = 'F';
  }
  switch (result) {
    case 'A': result += '+'; break;
    case 'B': result += bonus ? '+' : ''; break;
    case 'C': break;
    case 'D': result = late ? 'F' : result; break;
  }
  for (let i = 0; i < 2; i++) {
    if (late && i > 0) result += '!';
  }
  return result;
}

export function tally(values: number[]): number {
  const unusedOne = values.length;
  const unusedTwo = 2;
  let unusedThree = 'x';
  const total = values.reduce((a, b) => a + b, 0);
  return total;
}

export function unusedHelper(): number {
  return 42;
}
`;
const GRADE_LINE = 2;
const UNUSED_EXPORT_LINE = 35;

function core(): RustyCore {
  return new RustyCore({ workspace: fixtureFolder().uri.fsPath, actor: 'host-test' });
}

function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(fixtureFolder().uri, ...rel.split('/'));
}

function disk(rel: string): string {
  return fs.readFileSync(fileUri(rel).fsPath, 'utf8');
}

function write(rel: string, text: string): void {
  fs.mkdirSync(fileUri(rel).fsPath.replace(/[\\/][^\\/]+$/, ''), { recursive: true });
  fs.writeFileSync(fileUri(rel).fsPath, text);
}

/** The suggestion lenses of a file (not the proposal lenses), as VS Code resolves them. */
async function suggestionLenses(rel: string): Promise<vscode.CodeLens[]> {
  await vscode.workspace.openTextDocument(fileUri(rel)); // the provider command needs the text model
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', fileUri(rel), 50);
  return (lenses ?? []).filter((l) => l.command && /Extract function…$|^unused export · Remove$| · Fix all$/.test(l.command.title));
}

function titles(lenses: vscode.CodeLens[]): string[] {
  return lenses.map((l) => `${l.range.start.line + 1}: ${l.command!.title}`).sort();
}

/** The new text of a file in a proposal. */
function proposedText(id: string, rel: string): string {
  const c = core();
  const f = c.get(id).files.find((x) => x.path === rel || x.to === rel);
  assert.ok(f?.newHash, `proposal ${id} changes ${rel}: ${JSON.stringify(c.get(id).files.map((x) => x.path))}`);
  return c.blobText(f.newHash).toString('utf8');
}

function created(r: RefactorCommandResult | undefined, what: string): string {
  assert.ok(r, `${what} returned nothing (it failed; see the Rusty output)`);
  assert.equal(r.error, undefined, `${what} was refused: ${r.error?.message}`);
  assert.equal(r.created.length + r.existing.length, 1, `${what}: ${JSON.stringify(r)}`);
  return (r.created[0] ?? r.existing[0])!;
}

async function run(lens: vscode.CodeLens, extra: Record<string, unknown> = {}): Promise<RefactorCommandResult | undefined> {
  const [args] = lens.command!.arguments as [Record<string, unknown>];
  return vscode.commands.executeCommand<RefactorCommandResult | undefined>(lens.command!.command, { ...args, ...extra });
}

suite('Rusty suggestions and refactoring commands', () => {
  const saved = new Map<string, string>();
  const queued: string[] = [];

  suiteSetup(async () => {
    await rustyExtension().activate();
    for (const rel of ['tsconfig.json', 'src/index.ts']) saved.set(rel, disk(rel));
    const tsconfig = JSON.parse(saved.get('tsconfig.json')!) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.noUnusedLocals = true;
    write('tsconfig.json', `${JSON.stringify(tsconfig, null, 2)}\n`);
    write(MODULE, MODULE_TEXT);
    write('src/index.ts', `${saved.get('src/index.ts')}import { grade, tally } from './suggest/rules';\nconsole.log(grade(95, true, false), tally([1, 2]));\n`);
  });

  teardown(async () => {
    await closeAllEditors();
    for (const id of queued.splice(0)) {
      if (core().get(id).status === 'pending') await vscode.commands.executeCommand('rusty.reject', { id, reason: 'host test cleanup' });
    }
  });

  suiteTeardown(() => {
    for (const [rel, text] of saved) write(rel, text);
    fs.rmSync(fileUri('src/suggest').fsPath, { recursive: true, force: true });
  });

  test('every analysis and refactoring command is registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const id of ['rusty.analyzeWorkspace', 'rusty.proposeRename', 'rusty.proposeExtractFunction', 'rusty.proposeInlineVariable', 'rusty.proposeMoveFile', 'rusty.proposeFixAll', 'rusty.proposeRemoveUnusedExport']) {
      assert.ok(registered.has(id), `${id} is not registered`);
    }
  });

  test('Analyze Workspace summarises the findings and the files get their suggestion lenses', async () => {
    const r = await vscode.commands.executeCommand<AnalyzeCommandResult | undefined>('rusty.analyzeWorkspace');
    assert.ok(r, 'Analyze Workspace returned nothing (it failed; see the Rusty output)');
    assert.equal(r.mode, 'full');
    assert.ok(r.files >= 7, `files: ${r.files}`);
    assert.equal(r.hotSpots, 1, JSON.stringify(r));
    assert.equal(r.unusedExports, 1, JSON.stringify(r));
    assert.ok(r.fixable >= 3, `fixable: ${r.fixable}`);
    const lenses = await suggestionLenses(MODULE);
    const complexity = /complexity (\d+) · Extract function…/.exec(lenses.map((l) => l.command!.title).join('\n'));
    assert.ok(complexity && Number(complexity[1]) >= 15, `a complexity lens: ${titles(lenses).join(' | ')}`);
    assert.deepEqual(titles(lenses), [
      `1: 3 × TS6133 · Fix all`,
      `${GRADE_LINE}: complexity ${complexity[1]} · Extract function…`,
      `${UNUSED_EXPORT_LINE}: unused export · Remove`,
    ].sort());
    // The index has no hot spot or unused export; its lenses are only what TypeScript can fix (none).
    assert.deepEqual(titles(await suggestionLenses('src/index.ts')), []);
  });

  test('on a project with TypeScript 7 the analysis is type-checked by its native compiler and says so; bundled again without it', async () => {
    // The workspace "depends on" TypeScript 7 (the repository's typescript-native, linked): `auto` selects it.
    const native7 = fs.realpathSync(path.resolve(__dirname, '..', '..', '..', 'node_modules', 'typescript-native'));
    const link = fileUri('node_modules/typescript').fsPath;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(native7, link, 'dir');
    let native: AnalyzeCommandResult | undefined;
    try {
      native = await vscode.commands.executeCommand<AnalyzeCommandResult | undefined>('rusty.analyzeWorkspace');
    } finally {
      fs.rmSync(fileUri('node_modules').fsPath, { recursive: true, force: true });
    }
    assert.ok(native, 'Analyze Workspace returned nothing (it failed; see the Rusty output)');
    assert.match(native.compiler ?? '', /^TypeScript 7\.\d+\.\d+ \(native, the workspace's\)$/, JSON.stringify(native));
    assert.equal(native.mode, 'full');
    const bundled = await vscode.commands.executeCommand<AnalyzeCommandResult | undefined>('rusty.analyzeWorkspace');
    assert.ok(bundled);
    assert.match(bundled.compiler ?? '', /^TypeScript \d+\.\d+\.\d+ \(bundled\)$/, JSON.stringify(bundled));
    // Same project, same findings and error count (TypeScript 7 words one unused-import error with
    // another code, so the fixable counts may differ): only the compiler (and the time) differ.
    const strip = ({ compiler: _c, durationMs: _d, fixable: _f, fixableCodes: _fc, ...rest }: AnalyzeCommandResult) => rest;
    assert.deepEqual(strip(native), strip(bundled));
  });

  test('the lenses create proposals through the real refactorings and write nothing', async () => {
    await vscode.commands.executeCommand('rusty.analyzeWorkspace');
    const before = disk(MODULE);
    const lenses = await suggestionLenses(MODULE);
    const byTitle = (re: RegExp) => {
      const lens = lenses.find((l) => re.test(l.command!.title));
      assert.ok(lens, `a lens matching ${re}: ${titles(lenses).join(' | ')}`);
      return lens;
    };

    const fix = created(await run(byTitle(/Fix all$/)), 'Fix all TS6133');
    queued.push(fix);
    assert.equal(core().get(fix).source, 'refactoring:fix-all');
    assert.deepEqual(core().get(fix).files.map((f) => f.path), [MODULE]);
    const fixed = proposedText(fix, MODULE);
    for (const name of ['unusedOne', 'unusedTwo', 'unusedThree']) assert.ok(!fixed.includes(name), `${name} is removed:\n${fixed}`);
    assert.ok(fixed.includes('const total = values.reduce'), 'used declarations stay');

    const remove = created(await run(byTitle(/^unused export/)), 'Remove unused export');
    queued.push(remove);
    assert.equal(core().get(remove).source, 'refactoring:remove-unused-export');
    const removed = proposedText(remove, MODULE);
    // Unused inside its file too, so the engine removes the dead declaration with its export.
    assert.ok(!/export function unusedHelper/.test(removed), `the export is gone:\n${removed}`);
    assert.ok(removed.includes('export function grade('), 'other exports stay');

    // The hot spot with no selection: the whole body goes into a new function named as given.
    const extract = created(await run(byTitle(/Extract function…$/), { name: 'gradeCore' }), 'Extract function');
    queued.push(extract);
    assert.equal(core().get(extract).source, 'refactoring:extract-function');
    const extracted = proposedText(extract, MODULE);
    assert.ok(/function gradeCore\([^)]*score: number[^)]*\)/.test(extracted), `a new function gradeCore:\n${extracted}`);
    assert.ok(/return gradeCore\(/.test(extracted), `grade now calls it:\n${extracted}`);

    assert.equal(disk(MODULE), before, 'proposing writes nothing to the workspace');
  });

  test('Fix All for the whole workspace (the Findings view\'s action) covers every file; a code with no diagnostics is refused', async () => {
    await vscode.commands.executeCommand('rusty.analyzeWorkspace');
    await vscode.commands.executeCommand('rusty.findings.focus'); // the view exists and opens
    const folder = fixtureFolder().uri.toString();
    const id = created(await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeFixAll', { commandArgs: { uri: folder, code: 6133, scope: 'workspace' } }), 'Fix all (workspace)');
    queued.push(id);
    assert.deepEqual(core().get(id).files.map((f) => f.path).sort(), ['src/a.ts', 'src/b.ts', 'src/c.ts', MODULE]);
    assert.ok(!proposedText(id, 'src/c.ts').includes('formatCount'), proposedText(id, 'src/c.ts'));

    const none = await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeFixAll', { file: MODULE, code: 'TS2322' });
    assert.equal(none?.error?.code, 'refused');
    assert.match(none.error.message, /no TS2322 diagnostics/);
  });

  test('Rename Symbol with a given name proposes every reference renamed; an invalid name is refused with the reason', async () => {
    const indexBefore = disk('src/index.ts');
    const id = created(await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeRename', { file: MODULE, line: GRADE_LINE, column: 17, newName: 'computeGrade' }), 'Rename');
    queued.push(id);
    const p = core().get(id);
    assert.equal(p.source, 'refactoring:rename');
    assert.deepEqual(p.files.map((f) => f.path).sort(), ['src/index.ts', MODULE]);
    assert.ok(proposedText(id, MODULE).includes('export function computeGrade(score: number'));
    const index = proposedText(id, 'src/index.ts');
    assert.ok(index.includes("import { computeGrade, tally } from './suggest/rules';") && index.includes('console.log(computeGrade(95'), index);
    assert.equal(disk('src/index.ts'), indexBefore);

    const countBefore = core().list().length;
    const refused = await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeRename', { file: MODULE, line: GRADE_LINE, column: 17, newName: '1grade' });
    assert.ok(refused?.error, `refused: ${JSON.stringify(refused)}`);
    assert.equal(refused.error.code, 'refused');
    assert.match(refused.error.message, /1grade/);
    assert.deepEqual(refused.created, []);
    assert.equal(core().list().length, countBefore, 'nothing was queued');
  });

  test('Inline Variable at the cursor and Move File with a target propose their refactorings', async () => {
    const editor = await openInEditor(fileUri(MODULE));
    const line = MODULE_TEXT.split('\n').findIndex((l) => l.includes('const total'));
    editor.selection = new vscode.Selection(line, 9, line, 9);
    const inline = created(await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeInlineVariable'), 'Inline variable');
    queued.push(inline);
    assert.ok(proposedText(inline, MODULE).includes('return values.reduce((a, b) => a + b, 0);'), proposedText(inline, MODULE));

    const move = created(await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeMoveFile', { uri: fileUri(MODULE), target: 'src/grading/rules.ts' }), 'Move file');
    queued.push(move);
    const p = core().get(move);
    assert.ok(p.files.some((f) => f.path === MODULE && f.to === 'src/grading/rules.ts'), JSON.stringify(p.files));
    assert.ok(proposedText(move, 'src/index.ts').includes("from './grading/rules'"));
    assert.ok(fs.existsSync(fileUri(MODULE).fsPath) && !fs.existsSync(fileUri('src/grading/rules.ts').fsPath), 'nothing moved on disk');

    const refused = await vscode.commands.executeCommand<RefactorCommandResult>('rusty.proposeMoveFile', { uri: fileUri(MODULE), target: '../outside.ts' });
    assert.equal(refused?.error?.code, 'usage');
    assert.match(refused.error.message, /inside the workspace folder/);
  });

  test('lenses of an edited file hide at once and come back at the new lines after the incremental update', async () => {
    await vscode.commands.executeCommand('rusty.analyzeWorkspace');
    const editor = await openInEditor(fileUri(MODULE));
    assert.equal((await suggestionLenses(MODULE)).length, 3);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), '// one\n// two\n'));
    assert.deepEqual(titles(await suggestionLenses(MODULE)), [], 'hidden while stale');
    await eventually(async () => (await suggestionLenses(MODULE)).length === 3, 'the lenses come back after re-analysis');
    const lenses = titles(await suggestionLenses(MODULE));
    assert.ok(lenses.includes(`${UNUSED_EXPORT_LINE + 2}: unused export · Remove`), lenses.join(' | '));
    assert.ok(lenses.some((t) => t.startsWith(`${GRADE_LINE + 2}: complexity`)), lenses.join(' | '));
  });
});
