// Pure parts of code mode: the change capture, the cache key, skills files and the scratch store.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { ChangeCapture } from './changes';
import { LruCache, canonicalJson } from './cache';
import { FileScratchStore } from './state';
import { SkillStore, parseFrontMatter, scriptAsSkill } from './skills/store';
import { transpileScript } from './sandbox/transpile';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('ChangeCapture', () => {
  it('folds a script’s writes into one change set against the base', async () => {
    ws = tempWorkspace({ 'a.txt': 'a\n', 'b.txt': 'b\n', 'c.txt': 'c\n' });
    const c = new ChangeCapture(createEngineContext(ws.core().wfs).fs);
    await c.write('a.txt', 'A\n');
    await c.write('a.txt', 'a\n'); // back to the base: no edit
    await c.write('new/d.txt', 'd\n');
    await c.delete('b.txt');
    await c.rename('c.txt', 'e.txt');
    expect(await c.read('e.txt')).toBe('c\n');
    expect(await c.read('c.txt')).toBeUndefined();
    await expect(c.delete('b.txt')).rejects.toThrow('no such file');
    await expect(c.rename('a.txt', 'new/d.txt')).rejects.toThrow('already exists');
    await expect(c.write('.rusty/skills/x/index.ts', '')).rejects.toThrow('protected');
    expect(c.changeSet({ title: 't', source: 'codemode' })!.edits).toEqual([
      { kind: 'rename', path: 'c.txt', to: 'e.txt', baseHash: ws.hash('c.txt') },
      { kind: 'delete', path: 'b.txt', baseHash: ws.hash('b.txt') },
      { kind: 'create', path: 'new/d.txt', content: 'd\n' },
    ]);
  });

  it('nothing changed → no change set', async () => {
    ws = tempWorkspace({ 'a.txt': 'a\n' });
    const c = new ChangeCapture(createEngineContext(ws.core().wfs).fs);
    await c.write('a.txt', 'a\n');
    expect(c.changeSet({ title: 't', source: 's' })).toBeUndefined();
  });
});

describe('cache keys', () => {
  it('ignore key order and evict the least recently used', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    const lru = new LruCache<number>(2);
    lru.set(LruCache.key('s', 't', { a: 1, b: 2 }), 1);
    expect(lru.get(LruCache.key('s', 't', { b: 2, a: 1 }))).toBe(1);
    lru.set('x', 2);
    lru.set('y', 3);
    expect(lru.get('x')).toBe(2);
    expect(lru.get(LruCache.key('s', 't', { a: 1, b: 2 }))).toBeUndefined();
    expect([lru.hits, lru.misses]).toEqual([2, 1]);
  });
});

describe('skills', () => {
  it('a run script becomes a default-export skill that transpiles; front matter round-trips', async () => {
    const skill = scriptAsSkill("import { x } from 'servers/memory';\nconst r = await callTool('a', 'b', {});\nconsole.log(r);\n");
    expect(skill).toBe("import { x } from 'servers/memory';\n\nexport default async function run(inputs: Record<string, unknown> = {}): Promise<unknown> {\n  void inputs;\n  const r = await callTool('a', 'b', {});\n  console.log(r);\n}\n");
    expect(await transpileScript(skill, 'x.ts', 'commonjs')).toContain('exports.default = run');
    expect(parseFrontMatter('---\nname: x\ninputs: {"a": "string"}\nversion: 3\n---\nbody').meta).toEqual({ name: 'x', inputs: { a: 'string' }, version: 3 });
  });

  it('save bumps the version; stats count uses, outcomes and time; bad names are refused', () => {
    ws = tempWorkspace();
    const store = new SkillStore(ws.root, ws.stateRoot);
    expect(store.save('sum-up', '// Sum things\nconsole.log(1);\n').version).toBe('1');
    expect(store.save('sum-up', 'console.log(2);\n').version).toBe('2');
    expect(store.info('sum-up')).toMatchObject({ description: 'Sum things', version: '2' });
    store.record('sum-up', { ok: true, ms: 10 });
    store.record('sum-up', { ok: false, ms: 30 });
    store.record('sum-up', undefined);
    expect(store.stats()['sum-up']).toMatchObject({ uses: 3, finished: 2, successes: 1, totalMs: 40 });
    expect(() => store.save('../up', 'x')).toThrow(/Skill name/);
    expect(store.search('things').map((h) => h.name)).toEqual(['sum-up']);
  });
});

describe('FileScratchStore', () => {
  it('persists per session and refuses odd session names', () => {
    ws = tempWorkspace();
    new FileScratchStore(ws.stateRoot, 's1').set('k', { n: 1 });
    expect(new FileScratchStore(ws.stateRoot, 's1').get('k')).toEqual({ n: 1 });
    expect(new FileScratchStore(ws.stateRoot, 's2').get('k')).toBeUndefined();
    expect(new FileScratchStore(ws.stateRoot, 's1').get('__proto__')).toBeUndefined();
    expect(() => new FileScratchStore(ws!.stateRoot, '../x')).toThrow(/Session name/);
    expect(fs.existsSync(path.join(ws.stateRoot, 'codemode', 'sessions', 's1.json'))).toBe(true);
  });
});

describe('SANDBOX_API_DTS', () => {
  it('is valid TypeScript declarations a script type-checks against', async () => {
    const ts = (await import('typescript')).default;
    const { SANDBOX_API_DTS } = await import('./api');
    const files: Record<string, string> = {
      'api.d.ts': SANDBOX_API_DTS,
      'script.ts': "const t = await workspace.read('a'); if (t) await workspace.write('a', t.toUpperCase()); console.log(await callTool('s', 't')); export {};\n",
    };
    const host = ts.createCompilerHost({});
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang) => (files[name] !== undefined ? ts.createSourceFile(name, files[name]!, lang) : read(name, lang));
    const program = ts.createProgram(Object.keys(files), { noEmit: true, strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, lib: ['lib.es2022.d.ts'], types: [] }, host);
    expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual([]);
  });
});
