// Public-API impact is structural: the order in which the compiler prints a union is not a change,
// and a member renamed inside `export * as ns` is one. A small package that reproduces both errors
// issue 10 found on zod (always runs), then zod 3.25.76 itself (skipped when its sources are not
// in .cache/real-code and cannot be fetched).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { copyRealPackage, fetchRealPackage, type RealPackage } from '../testing/realCode';
import { sha256 } from '../util/hash';
import { computeImpact } from './computeImpact';

let ws: TempWorkspace | undefined;
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
});

const TSCONFIG = JSON.stringify({
  compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true, skipLibCheck: true, types: [] },
  include: ['src'],
});

function pkg(): TempWorkspace {
  return tempWorkspace({
    'package.json': JSON.stringify({ name: 'fx', version: '1.0.0', types: 'dist/index.d.ts', main: 'dist/index.js' }),
    'tsconfig.json': TSCONFIG,
    'src/util.ts': [
      'export function floatSafeRemainder(val: number, step: number): number {',
      '  return val % step;',
      '}',
      'export function clamp(n: number): number {',
      '  return Math.max(0, n);',
      '}',
      '',
    ].join('\n'),
    'src/checks.ts': [
      'export interface Box<T> { value: T }',
      'export interface Other<T> { other: T }',
      'export interface Api {',
      '  check(...checks: (Box<number> | Other<number>)[]): this;',
      '  both: Box<string> & Other<string>;',
      '}',
      '',
    ].join('\n'),
    'src/index.ts': "export * as util from './util';\nexport type { Api, Box, Other } from './checks';\n",
  });
}

describe('public API impact (structural)', () => {
  it('a union or intersection written in another order is not a change', async () => {
    ws = pkg();
    const text = ws.read('src/checks.ts').replace('(Box<number> | Other<number>)[]', '(Other<number> | Box<number>)[]').replace('Box<string> & Other<string>', 'Other<string> & Box<string>');
    const r = await computeImpact({ title: 'reorder', source: 'test', edits: [modify(ws, 'src/checks.ts', text)] }, { root: ws.root });
    expect(r.publicApi.entryPoints).toEqual(['src/index.ts']);
    expect(r.publicApi.changes).toEqual([]);
  }, 60_000);

  it('a renamed member of `export * as util` is reported, with a short summary and the type text behind it', async () => {
    ws = pkg();
    const text = ws.read('src/util.ts').replace('floatSafeRemainder', 'safeRemainder');
    const r = await computeImpact({ title: 'rename', source: 'test', edits: [modify(ws, 'src/util.ts', text)] }, { root: ws.root });
    expect(r.publicApi.changes).toEqual([{
      entry: 'src/index.ts', name: 'util', change: 'changed', kind: 'namespace',
      summary: 'lost member floatSafeRemainder; gained member safeRemainder',
      before: 'namespace { clamp, floatSafeRemainder }', after: 'namespace { clamp, safeRemainder }',
    }]);
  }, 60_000);

  it('a real change of a member type is still reported (and names the member)', async () => {
    ws = pkg();
    const text = ws.read('src/checks.ts').replace('(Box<number> | Other<number>)[]', '(Box<string> | Other<number>)[]');
    const r = await computeImpact({ title: 'change', source: 'test', edits: [modify(ws, 'src/checks.ts', text)] }, { root: ws.root });
    expect(r.publicApi.changes.map((c) => [c.name, c.change, c.kind, c.summary])).toEqual([['Api', 'changed', 'interface', 'member check changed']]);
  }, 60_000);
});

/** zod 3.25.76's sources with its package.json, or why they are not here. */
function zod(): RealPackage | string {
  try {
    return fetchRealPackage('zod', '3.25.76');
  } catch (err) {
    return `zod 3.25.76 is not in .cache/real-code and could not be fetched (${(err as Error).message.split('\n')[0]})`;
  }
}

const ZOD = zod();
const UTIL = 'src/v4/core/util.ts';

describe.skipIf(typeof ZOD === 'string')('public API impact on zod 3.25.76 (real code)', () => {
  it('renaming the internal floatSafeRemainder reports the util namespace (and core through it), not union-order noise', async () => {
    if (typeof ZOD === 'string') return;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-impact-zod-'));
    try {
      const root = copyRealPackage(ZOD, tmp);
      const bytes = fs.readFileSync(path.join(root, UTIL));
      const uses = fs.readdirSync(path.join(root, 'src/v4/core')).filter((f) => f.endsWith('.ts') && f !== 'util.ts' && fs.readFileSync(path.join(root, 'src/v4/core', f), 'utf8').includes('floatSafeRemainder'));
      const edits = [UTIL, ...uses.map((f) => `src/v4/core/${f}`)].map((rel) => {
        const b = rel === UTIL ? bytes : fs.readFileSync(path.join(root, rel));
        return { kind: 'modify' as const, path: rel, baseHash: sha256(b), content: b.toString('utf8').replace(/\bfloatSafeRemainder\b/g, 'safeRemainder') };
      });
      const started = Date.now();
      const r = await computeImpact({ title: 'rename floatSafeRemainder', source: 'test', edits }, { root });
      const changes = r.publicApi.changes;
      console.log(`zod rename floatSafeRemainder → safeRemainder: ${changes.length} public API changes in ${Date.now() - started} ms, risk ${r.risk.score} ${r.risk.level}: ` +
        changes.slice(0, 10).map((c) => `${c.change} ${c.name} (${c.entry})${c.summary ? ` — ${c.summary}` : ''}`).join('; '));
      // `util` itself, and `core` (`export * as core` of v4/core in three entry points) through its member `util`.
      expect(changes.map((c) => [c.entry, c.name, c.change, c.kind, c.summary]).sort()).toEqual([
        ['src/v4-mini/index.ts', 'core', 'changed', 'namespace', 'member util changed'],
        ['src/v4/core/index.ts', 'util', 'changed', 'namespace', 'lost member floatSafeRemainder; gained member safeRemainder'],
        ['src/v4/index.ts', 'core', 'changed', 'namespace', 'member util changed'],
        ['src/v4/mini/index.ts', 'core', 'changed', 'namespace', 'member util changed'],
      ]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, 600_000);
});
