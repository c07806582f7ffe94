// Bytes in, bytes out, through the built CLI (dist/cli.js; `npm run build` first): a change set
// that is not valid UTF-8 is refused (never decoded into U+FFFD), and the line endings of a
// CR-only or mixed-ending file survive an apply and a rollback byte for byte.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { parseJson, prepareCli, treeSnapshot, type Cli, type CliResult } from '../core/testing/cli';

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

function rusty(w: TempWorkspace, args: string[], input?: string | Buffer): Promise<CliResult> {
  return cli.run([...args, '--json', '-w', w.root], { input, env: { RUSTY_STATE_DIR: w.stateRoot } });
}

const changeSet = (edits: unknown[]) => JSON.stringify({ title: 'bytes test', source: 'test:bytes', edits });

describe('a change set that is not valid UTF-8', () => {
  it('is refused from a file and from stdin, naming the byte offset; nothing is queued', async () => {
    const w = (ws = tempWorkspace({ 'a.txt': 'a\n' }));
    const json = Buffer.from(changeSet([{ kind: 'create', path: 'n.txt', content: 'caf\u00e9 XX\n' }]), 'utf8');
    const at = json.indexOf('XX');
    json[at] = 0xff; // a byte that is never UTF-8
    const file = path.join(path.dirname(w.root), 'bad.json');
    fs.writeFileSync(file, json);

    for (const [args, input, name] of [[['submit', file], undefined, file], [['submit', '-'], json, 'Standard input']] as const) {
      const r = await rusty(w, [...args], input);
      expect(r.code, r.stderr).toBe(1);
      const { error } = parseJson<{ error: { code: string; message: string } }>(r);
      expect(error.code).toBe('invalid-change-set');
      expect(error.message).toBe(`${name} is not valid UTF-8 (first bad byte 0xff at byte offset ${at}); save the change set as UTF-8.`);
      expect(r.stderr).toBe(`rusty: ${error.message}\n`);
    }
    expect(parseJson(await rusty(w, ['list']))).toEqual({ proposals: [] });
    expect(w.exists('n.txt')).toBe(false);
  }, 30_000);
});

describe('line endings', () => {
  it('a CR-only file stays CR-only, and a mixed file keeps each unchanged line\'s ending (apply and rollback)', async () => {
    const cr = 'one\rtwo\rthree\r';
    const mixed = 'a\r\nb\nc\r\nd\r\ne\rf\r\n';
    const w = (ws = tempWorkspace({ 'cr.txt': cr, 'mixed.txt': mixed }));
    const before = treeSnapshot(w.root);
    const sub = await rusty(w, ['submit', '-'], changeSet([
      { kind: 'modify', path: 'cr.txt', baseHash: w.hash('cr.txt'), content: 'one\nTWO\nthree\nfour\n' },
      { kind: 'modify', path: 'mixed.txt', baseHash: w.hash('mixed.txt'), content: 'a\nb\nnew\nc\nd\ne\nF\n' },
    ]));
    expect(sub.code, sub.stderr).toBe(0);
    const { id } = parseJson<{ id: string }>(sub);
    const ok = await rusty(w, ['approve', id]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(w.bytes('cr.txt').toString('latin1')).toBe('one\rTWO\rthree\rfour\r');
    expect(w.bytes('mixed.txt').toString('latin1')).toBe('a\r\nb\nnew\r\nc\r\nd\r\ne\rF\r\n');
    const back = await rusty(w, ['rollback', id]);
    expect(back.code, back.stderr).toBe(0);
    expect(treeSnapshot(w.root)).toEqual(before);
  }, 30_000);
});
