// Soak R3: property-based fuzzing (fast-check) of change sets. Each seed draws one scenario with
// fc.sample, so a failing seed reproduces exactly.
//
// R3a paths and symlinks: edits whose paths are good, odd (unicode, case twins, long names) or
// hostile ('..', absolute, '\', NUL, control characters, a file used as a folder, .git), and
// symlinks to a sibling `outside` folder created between submit and approve or between approve
// and rollback (a folder on the path, the file itself, a new folder). Invariants:
//   - 0 writes outside the workspace: `outside` is byte-identical after approve and after rollback;
//   - every refusal is a Rusty error (not an internal one such as a raw EEXIST); for every fourth
//     seed the change set goes through the real CLI and its stderr must be one line with no raw
//     control characters and no stack trace;
//   - without symlink games, an applied create holds exactly the bytes of its content.
// R3b encodings, sizes, line endings: creates with any text (BOM, CR / CRLF / mixed endings,
// control characters, astral characters, lone surrogates, up to 1.5 MB against a 1 MB limit) and
// modifies of files with LF, CRLF, CR-only and mixed endings, BOM and no final newline. Invariants:
//   - a create is refused or written byte for byte; a modify keeps the BOM, the final-newline
//     choice and the ending of every line, changed ones included (a line changed in place keeps
//     its own ending; only new lines take the dominant one); rollback restores the original bytes;
//   - for every fifth seed, a change-set file with invalid UTF-8 inside a string is submitted
//     through the CLI: it must be refused (not silently turned into U+FFFD).
// Needs `npm run build` (the CLI is spawned from dist/).
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRustyError } from '../util/errors';
import { sha256 } from '../util/hash';
import { parseJson, prepareCli, treeDiff, type Cli } from '../testing/cli';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { sameTree, treeSnapshot } from '../testing/tree';
import { CONTROL_CHARS, eachSeed, SoakRecorder, soakSeeds, soakTrials, SOAK_TIMEOUT_MS } from './harness';

const FILE = 'src/core/soak/changeSets.soak.test.ts';
const recA = new SoakRecorder('R3a', 'change-set paths and symlink swaps (containment, refusals)', FILE);
const recB = new SoakRecorder('R3b', 'change-set encodings, sizes, line endings (bytes preserved)', FILE);
const TRIALS_A = soakTrials(40, 1000);
const TRIALS_B = soakTrials(40, 1000);

let cli: Cli;
beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => {
  recA.finish();
  recB.finish();
  cli?.dispose();
});

// ---------------------------------------------------------------------------------------------
// R3a

const WS_FILES: Record<string, string> = {
  'a.txt': 'alpha\n',
  'Case.txt': 'case\n',
  'sub/b.txt': 'bee\n',
  'sub/deep/c.txt': 'sea\n',
  'keep/k.txt': 'keep\n',
};
const OUTSIDE_FILES: Record<string, string> = { 'b.txt': 'outside bee\n', 'secret.txt': 'secret\n', 'deep/c.txt': 'outside sea\n', 'new/x.txt': 'x\n' };

/** `@OUT@` stands for the absolute path of the outside folder. */
const pathArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...Object.keys(WS_FILES)) },
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom('new', 'sub', 'sub/deep', 'sub/new/er', 'keep'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }))
    .map(([dir, name]) => `${dir}/${name}`) },
  { weight: 4, arbitrary: fc.constantFrom(
    '../outside/b.txt', '../outside/new.txt', 'sub/../../outside/secret.txt', '@OUT@/secret.txt', '@OUT@/created.txt', 'sub\\..\\..\\outside\\b.txt',
    'a\u0000b', '', '.', '..', 'sub/', './a.txt', 'sub//b.txt', 'CASE.TXT', 'case.txt', 'a.txt/x', 'a.txt/x/y', '.git/config', '.GIT/hooks/pre-commit', '~/x',
    'C:\\x', '\\\\server\\share\\x', 'new/\u001b[2K\u001b[1Gfake', 'new/line\nfeed', 'new/cr\rret', 'new/bell\u0007', 'new/\u202etxt.exe', 'sub/deep/c.txt/..',
    `new/${'l'.repeat(300)}`, `new/${'d/'.repeat(60)}z`, 'new/e\u0301', 'new/\u00e9', 'new/\ud83e\udd80', 'sub/deep', 'sub') },
);

const SWAPS = ['none', 'none', 'folder', 'file', 'new-folder', 'inside-link'] as const;
type Swap = (typeof SWAPS)[number];

const contentArb = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('', 'x\r\ny\r\n', '\uFEFFbom\n'));

/** Valid edits aimed at the places the symlink swaps redirect (hash filled in at run time). */
const attackEdit = fc.constantFrom(
  { kind: 'modify', path: 'sub/b.txt', to: '', content: 'overwritten\n', rightHash: true },
  { kind: 'create', path: 'sub/created.txt', to: '', content: 'created\n', rightHash: true },
  { kind: 'create', path: 'new/x.txt', to: '', content: 'clobbered\n', rightHash: true },
  { kind: 'create', path: 'new/fresh.txt', to: '', content: 'fresh\n', rightHash: true },
  { kind: 'delete', path: 'sub/deep/c.txt', to: '', content: '', rightHash: true },
  { kind: 'rename', path: 'a.txt', to: 'sub/moved.txt', content: '', rightHash: true },
  { kind: 'modify', path: 'keep/k.txt', to: '', content: 'kept\n', rightHash: true },
);

const scenarioA = fc.record({
  // Half the scenarios are valid change sets aimed at the swapped paths, half are random ones.
  attack: fc.uniqueArray(attackEdit, { minLength: 1, maxLength: 4, selector: (e) => e.path }),
  random: fc.boolean(),
  edits: fc.array(fc.record({
    kind: fc.constantFrom('modify', 'create', 'delete', 'rename'),
    path: pathArb,
    to: pathArb,
    content: contentArb,
    rightHash: fc.boolean(),
  }), { minLength: 1, maxLength: 4 }),
  swap: fc.constantFrom(...SWAPS),
  swapWhen: fc.constantFrom('before-approve', 'before-rollback'),
  force: fc.boolean(),
});
type ScenarioA = typeof scenarioA extends fc.Arbitrary<infer T> ? T : never;

function setupA(): { ws: TempWorkspace; outside: string } {
  const ws = tempWorkspace(WS_FILES);
  const outside = path.join(path.dirname(ws.root), 'outside');
  for (const [rel, c] of Object.entries(OUTSIDE_FILES)) {
    fs.mkdirSync(path.dirname(path.join(outside, rel)), { recursive: true });
    fs.writeFileSync(path.join(outside, rel), c);
  }
  return { ws, outside };
}

function changeSetA(ws: TempWorkspace, outside: string, s: ScenarioA) {
  const p = (x: string) => x.replace('@OUT@', outside);
  const edits = (s.random ? s.edits : s.attack).map((e) => {
    const rel = p(e.path);
    const hash = e.rightHash && ws.exists(rel) && fs.statSync(path.join(ws.root, rel)).isFile() ? ws.hash(rel) : sha256(Buffer.from('not the base'));
    switch (e.kind) {
      case 'create': return { kind: 'create', path: rel, content: e.content };
      case 'modify': return { kind: 'modify', path: rel, baseHash: hash, content: e.content };
      case 'delete': return { kind: 'delete', path: rel, baseHash: hash };
      default: return { kind: 'rename', path: rel, to: p(e.to), baseHash: hash };
    }
  });
  return { title: 'R3a fuzz', source: 'test:soak', edits };
}

/** Replace part of the workspace with a symlink into `outside`. */
function swap(ws: TempWorkspace, outside: string, how: Swap): void {
  const at = (rel: string) => path.join(ws.root, rel);
  switch (how) {
    case 'none': return;
    case 'folder': // sub/ → ../outside (sub/b.txt now means outside/b.txt)
      fs.rmSync(at('sub'), { recursive: true, force: true });
      fs.symlinkSync(outside, at('sub'));
      return;
    case 'file': // sub/b.txt → outside/b.txt
      fs.rmSync(at('sub/b.txt'), { force: true });
      fs.mkdirSync(at('sub'), { recursive: true });
      fs.symlinkSync(path.join(outside, 'b.txt'), at('sub/b.txt'));
      return;
    case 'new-folder': // new/ → outside/new
      fs.rmSync(at('new'), { recursive: true, force: true });
      fs.symlinkSync(path.join(outside, 'new'), at('new'));
      return;
    case 'inside-link': // keep/ → sub/deep (inside the workspace: allowed either way)
      fs.rmSync(at('keep'), { recursive: true, force: true });
      fs.symlinkSync(at('sub/deep'), at('keep'));
      return;
  }
}

function scenarioOf(seed: number) {
  const s = fc.sample(scenarioA, { seed, numRuns: 1 })[0]!;
  return { edits: s.random ? s.edits : s.attack, swap: s.swap, swapWhen: s.swapWhen, force: s.force };
}

function printable(s: unknown): string {
  return JSON.stringify(s, (_k, v: unknown) => (typeof v === 'string' && v.length > 40 ? `${v.slice(0, 40)}…(${v.length})` : v));
}

/** One line on stderr, no raw control characters, no stack trace. */
function cliRefusalProblem(step: string, r: { code: number | null; stderr: string }): string | undefined {
  const err = r.stderr.replace(/\n$/, '');
  if (err.includes('\n')) return `${step}: CLI refusal is ${err.split('\n').length} lines: ${JSON.stringify(err.slice(0, 160))}`;
  if (CONTROL_CHARS.test(err)) return `${step}: CLI refusal prints raw control characters: ${JSON.stringify(err.slice(0, 160))}`;
  if (/\n\s+at |^\s*at .+:\d+:\d+/.test(r.stderr)) return `${step}: CLI refusal has a stack trace`;
  if (!err.startsWith('rusty: ')) return `${step}: CLI refusal is not a "rusty: …" line: ${JSON.stringify(err.slice(0, 160))}`;
  return undefined;
}

const countsA = new Map<string, number>();
const countA = (k: string) => countsA.set(k, (countsA.get(k) ?? 0) + 1);

async function trialA(seed: number): Promise<string[]> {
  const [s] = fc.sample(scenarioA, { seed, numRuns: 1 });
  const sc = s!;
  const { ws, outside } = setupA();
  const viaCli = seed % 4 === 0;
  const problems: string[] = [];
  const outside0 = treeSnapshot(outside);
  const checkOutside = (step: string) => {
    const now = treeSnapshot(outside);
    if (!sameTree(outside0, now)) problems.push(`${step}: WROTE OUTSIDE the workspace: ${treeDiff(outside0, now).slice(0, 4).join(', ')}`);
  };
  const core = ws.core();
  // One operation, in-process or through the CLI; returns whether it succeeded.
  const op = async (step: string, run: () => Promise<unknown>, args: string[], input?: string): Promise<boolean> => {
    if (viaCli) {
      const r = await cli.run([...args, '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot }, input });
      if (r.code === 0) return true;
      const p = cliRefusalProblem(step, r);
      if (p) problems.push(p);
      if (/rusty: (?:Error: )?E[A-Z]+:|internal/.test(r.stderr)) problems.push(`${step}: refusal is a raw system error: ${JSON.stringify(r.stderr.slice(0, 160))}`);
      return false;
    }
    try {
      await run();
      return true;
    } catch (err) {
      if (!isRustyError(err)) problems.push(`${step}: refused with an internal error, not a Rusty one: ${(err as Error).message.slice(0, 160)}`);
      return false;
    }
  };
  try {
    const cs = changeSetA(ws, outside, sc);
    let id: string | undefined;
    if (viaCli) {
      const r = await cli.run(['submit', '-', '--json', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot }, input: JSON.stringify(cs) });
      if (r.code === 0) id = parseJson<{ id: string }>(r).id;
      else {
        const p = cliRefusalProblem('submit', r);
        if (p) problems.push(p);
      }
    } else {
      try {
        id = (await core.submit(cs)).proposal.id;
      } catch (err) {
        if (!isRustyError(err)) problems.push(`submit: refused with an internal error: ${(err as Error).message.slice(0, 160)}`);
      }
    }
    checkOutside('submit');
    countA(id ? 'submitted' : 'refused at submit');
    if (!id) return problems;
    const pid = id;
    if (sc.swapWhen === 'before-approve') swap(ws, outside, sc.swap);
    const approved = await op('approve', () => core.approve(pid), ['approve', pid]);
    checkOutside('approve');
    countA(`${approved ? 'applied' : 'refused at approve'} (${sc.swapWhen === 'before-approve' ? `swap ${sc.swap}` : 'no swap yet'})`);
    if (approved && sc.swap === 'none') {
      for (const e of cs.edits) {
        if (e.kind !== 'create' || cs.edits.some((o) => o !== e && (o.path === e.path || (o as { to?: string }).to === e.path))) continue;
        const bytes = fs.readFileSync(path.join(ws.root, e.path));
        if (!bytes.equals(Buffer.from(e.content!, 'utf8'))) problems.push(`approve: created ${JSON.stringify(e.path)} does not hold its content's bytes`);
      }
    }
    if (!approved) return problems;
    if (sc.swapWhen === 'before-rollback') swap(ws, outside, sc.swap);
    const rolled = await op('rollback', () => core.rollback(pid, { force: sc.force }), ['rollback', pid, ...(sc.force ? ['--force'] : [])]);
    countA(`${rolled ? 'rolled back' : 'refused at rollback'} (${sc.swapWhen === 'before-rollback' ? `swap ${sc.swap}` : 'swapped earlier'}${sc.force ? ', forced' : ''})`);
    checkOutside('rollback');
    return problems;
  } finally {
    ws.cleanup();
    fs.rmSync(outside, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// R3b

type Ending = '\n' | '\r\n' | '\r';

/** No lone surrogates (String.prototype.isWellFormed is ES2024, beyond this project's lib). */
const wellFormed = (s: string) => !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
interface BaseFile { lines: string[]; endings: Ending[]; bom: boolean; finalNewline: boolean }

const lineArb = fc.oneof(fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')), fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')));
const endingStyle = fc.constantFrom<'lf' | 'crlf' | 'cr' | 'mixed'>('lf', 'crlf', 'cr', 'mixed');

const scenarioB = fc.record({
  create: fc.oneof(
    fc.tuple(fc.array(lineArb, { maxLength: 30 }), fc.array(fc.constantFrom('\n', '\r\n', '\r', ''), { minLength: 30, maxLength: 30 }), fc.boolean())
      .map(([ls, ends, bom]) => (bom ? '\uFEFF' : '') + ls.map((l, i) => l + ends[i]!).join('')),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('a\ud800b\n', '\udfff', 'ok\u0000nul\n'),
    fc.integer({ min: 900_000, max: 1_500_000 }).map((n) => 'y'.repeat(n - 1) + '\n'),
  ),
  // Base lines are never empty: an empty line after a CR-ended one would read back as one CRLF.
  base: fc.record({ lines: fc.array(lineArb.map((l) => l || '·'), { minLength: 1, maxLength: 25 }), style: endingStyle, bom: fc.boolean(), finalNewline: fc.boolean(), mixSeed: fc.array(fc.constantFrom<Ending>('\n', '\r\n', '\r'), { minLength: 25, maxLength: 25 }) }),
  changes: fc.array(fc.record({ at: fc.nat(), text: lineArb }), { minLength: 1, maxLength: 4 }),
  invalidUtf8: fc.constantFrom(Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])),
});

function baseFile(b: { lines: string[]; style: string; bom: boolean; finalNewline: boolean; mixSeed: Ending[] }): BaseFile {
  const uniform: Record<string, Ending> = { lf: '\n', crlf: '\r\n', cr: '\r' };
  // "mixed" uses at least two different endings
  const endings = b.lines.map((_, i) => uniform[b.style] ?? (i === 0 ? '\n' : i === 1 ? '\r\n' : b.mixSeed[i]!));
  return { lines: b.lines, endings, bom: b.bom, finalNewline: b.finalNewline || b.lines.length === 1 };
}

function encodeBase(f: BaseFile): string {
  return (f.bom ? '\uFEFF' : '') + f.lines.map((l, i) => l + (i < f.lines.length - 1 || f.finalNewline ? f.endings[i]! : '')).join('');
}

/** Split raw text into lines with their endings ('' for an unterminated last line). */
function splitLines(raw: string): { text: string; end: string }[] {
  const out: { text: string; end: string }[] = [];
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(raw)) && !(m[0] === '' && m.index >= raw.length)) {
    out.push({ text: m[1]!, end: m[2]! });
    if (m[2] === '') break;
  }
  return out;
}

async function trialB(seed: number): Promise<string[]> {
  const [s] = fc.sample(scenarioB, { seed, numRuns: 1 });
  const sc = s!;
  const base = baseFile(sc.base);
  const original = Buffer.from(encodeBase(base), 'utf8');
  const ws = tempWorkspace({ 'file.txt': original, 'untouched.txt': 'same\r\nsame\r' });
  const problems: string[] = [];
  try {
    const core = ws.core({ settings: { maxFileSizeMB: 1 } });
    const describe = `base ${sc.base.style}${base.bom ? '+BOM' : ''}${base.finalNewline ? '' : ' (no final newline)'}, ${base.lines.length} lines`;
    // modify: the base's own lines (LF-normalized) with a few replaced
    const changed = new Map<number, string>();
    for (const c of sc.changes) changed.set(c.at % base.lines.length, `${c.text}~${c.at}`);
    const newLines = base.lines.map((l, i) => changed.get(i) ?? l);
    const modifyContent = newLines.join('\n') + (base.finalNewline ? '\n' : '');
    const createContent = sc.create;
    const before = ws.snapshot();
    let id: string | undefined;
    try {
      id = (await core.submit({ title: 'R3b fuzz', source: 'test:soak', edits: [
        { kind: 'modify', path: 'file.txt', baseHash: ws.hash('file.txt'), content: modifyContent },
        { kind: 'create', path: 'created.txt', content: createContent },
      ] })).proposal.id;
    } catch (err) {
      if (!isRustyError(err)) problems.push(`submit: internal error ${(err as Error).message.slice(0, 120)}`);
      const tooBig = Buffer.byteLength(createContent) > 1024 * 1024;
      const unencodable = !wellFormed(createContent);
      const binary = createContent.includes('\0'); // Rusty edits text files only: a clean refusal
      if (!tooBig && !unencodable && !binary) problems.push(`submit refused a valid change set (${describe}): ${(err as Error).message.slice(0, 160)}`);
    }
    if (id) {
      if (!wellFormed(createContent)) problems.push(`accepted a create whose content has a lone surrogate (it cannot be written as UTF-8 byte for byte): ${JSON.stringify(createContent.slice(0, 40))}`);
      await core.approve(id);
      const created = ws.bytes('created.txt');
      if (wellFormed(createContent) && !created.equals(Buffer.from(createContent, 'utf8'))) problems.push(`created file differs from its content (${created.length} vs ${Buffer.byteLength(createContent)} bytes)`);
      // the modified file against the model
      const actual = ws.read('file.txt');
      const expectedBom = base.bom;
      if (actual.startsWith('\uFEFF') !== expectedBom) problems.push(`modify ${describe}: BOM ${expectedBom ? 'lost' : 'added'}`);
      const got = splitLines(actual.replace(/^\uFEFF/, ''));
      if (got.length !== newLines.length || got.some((g, i) => g.text !== newLines[i])) {
        problems.push(`modify ${describe}: the lines differ from the proposal (${got.length} vs ${newLines.length} lines)`);
      } else {
        const wrong: string[] = [];
        got.forEach((g, i) => {
          const last = i === got.length - 1;
          const want = last && !base.finalNewline ? '' : base.endings[i]!;
          if (g.end !== want) wrong.push(`line ${i + 1} ${JSON.stringify(g.end)} (was ${JSON.stringify(last && !base.finalNewline ? '' : base.endings[i])})`);
        });
        if (wrong.length) problems.push(`modify ${describe}: line endings not kept: ${wrong.slice(0, 3).join(', ')}${wrong.length > 3 ? ` and ${wrong.length - 3} more` : ''}`);
      }
      await core.rollback(id);
      const after = ws.snapshot();
      if (!sameTree(before, after)) problems.push(`rollback did not restore the original bytes: ${treeDiff(before, after).join(', ')}`);
    }

    if (seed % 5 === 0) {
      // invalid UTF-8 inside a JSON string, through the CLI
      const json = Buffer.concat([Buffer.from('{"title":"bad utf8","source":"test:soak","edits":[{"kind":"create","path":"bad.txt","content":"a'), sc.invalidUtf8, Buffer.from('b\\n"}]}')]);
      const file = path.join(ws.stateRoot, '..', 'bad.json');
      fs.writeFileSync(file, json);
      const r = await cli.run(['submit', file, '--json', '-w', ws.root], { env: { RUSTY_STATE_DIR: ws.stateRoot } });
      if (r.code === 0) problems.push(`invalid UTF-8 (${sc.invalidUtf8.toString('hex')}) in a change-set file was accepted (silently replaced by U+FFFD), not refused`);
      else {
        const p = cliRefusalProblem('submit invalid UTF-8', r);
        if (p) problems.push(p);
      }
    }
    return problems;
  } finally {
    ws.cleanup();
  }
}

describe('R3: fuzzed change sets', () => {
  it(`R3a: nothing is written outside the workspace and every refusal is a clean one-line error (${TRIALS_A} trials)`, async () => {
    await eachSeed(recA, soakSeeds(TRIALS_A), async (seed) => (await trialA(seed)).map((p) => `${p} — scenario ${printable(scenarioOf(seed))}`));
    recA.note(`outcomes: ${[...countsA].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(recA.summary()).toEqual([]);
  }, SOAK_TIMEOUT_MS);

  it(`R3b: bytes, encodings and line endings are preserved (${TRIALS_B} trials)`, async () => {
    await eachSeed(recB, soakSeeds(TRIALS_B), trialB);
    const kinds = new Map<string, number>();
    for (const f of recB.failures) {
      const k = /base cr\b/.test(f.detail) ? 'CR-only file modified' : /base mixed/.test(f.detail) ? 'mixed-endings file modified'
        : /invalid UTF-8/.test(f.detail) ? 'invalid UTF-8 accepted' : /lone surrogate/.test(f.detail) ? 'lone surrogate accepted' : 'other';
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    if (kinds.size) recB.note(`failures by kind: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(recB.summary()).toEqual([]);
  }, SOAK_TIMEOUT_MS);
});
