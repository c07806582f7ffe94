// Stack formats from real runs of other engines, installed at test time into .cache/ (never into
// package.json): Deno and Bun from npm (their platform binaries), JavaScriptCore (Safari's engine,
// the `jsc` shell of libjavascriptcoregtk-4.0-bin) and SpiderMonkey (Firefox's engine, through gjs)
// from Debian packages unpacked with `apt-get download`. Each crash is captured, parsed and read
// against the workspace. An engine that cannot be installed here is skipped with the reason.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { debCache, npmCache } from '../testing/cachedTools';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';
import { parseStack } from './stack';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const APP = 'function render(model) {\n  return model.title.length;\n}\nrender({});\n';
const linux64 = process.platform === 'linux' && process.arch === 'x64';
let npmBins: { deno: string; bun: string } | { reason: string };
let debs: { root: string } | { reason: string };

beforeAll(() => {
  if (!linux64) { npmBins = debs = { reason: 'the engines are installed for linux-x64 only' }; return; }
  try {
    const nm = npmCache('stack-runtimes', ['deno@2.9.6', 'bun@1.4.5']);
    npmBins = { deno: path.join(nm, '@deno', 'linux-x64-glibc', 'deno'), bun: path.join(nm, 'bun', 'bin', 'bun.exe') };
  } catch (err) {
    npmBins = { reason: `npm install deno bun failed: ${(err as Error).message.split('\n')[0]}` };
  }
  debs = debCache('js-engines-deb', ['libjavascriptcoregtk-4.0-bin', 'libjavascriptcoregtk-4.0-18', 'gjs', 'libgjs0g', 'libmozjs-102-0']);
}, 900_000);

function skipUnless<T extends object>(x: T | { reason: string }, what: string): x is T {
  if ('reason' in x) { console.warn(`skipped ${what}: ${x.reason}`); return false; }
  return true;
}

function workspace(): TempWorkspace {
  return tempWorkspace({ 'package.json': JSON.stringify({ name: 'web', private: true }), 'src/app.js': APP });
}

async function read(w: TempWorkspace, trace: string) {
  return analyzeTrace(createEngineContext(new NodeWorkspaceFs(w.root)), trace);
}

describe('stack formats from real runs', () => {
  it('Deno (V8, file: URLs, "error: Uncaught")', async () => {
    if (!skipUnless(npmBins, 'Deno')) return;
    ws = workspace();
    const r = spawnSync(npmBins.deno, ['run', 'src/app.js'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_DIR: path.join(ws.root, '..', 'deno') } });
    expect(r.status, r.stderr).not.toBe(0);
    expect(r.stderr).toContain('error: Uncaught');
    const t = parseStack(r.stderr);
    expect(t).toMatchObject({ errorName: 'TypeError', message: "Cannot read properties of undefined (reading 'length')" });
    expect(t.frames[0]).toMatchObject({ fn: 'render', location: `file://${ws.root}/src/app.js`, line: 2, format: 'v8' });
    expect(t.frames[1]).toMatchObject({ location: `file://${ws.root}/src/app.js`, line: 4 });
    expect(await read(ws, r.stderr)).toMatchObject({ kind: 'null-access', focus: { file: 'src/app.js', line: 2, origin: 'workspace' } });
  }, 120_000);

  it('Bun (JavaScriptCore with V8-style frames)', async () => {
    if (!skipUnless(npmBins, 'Bun')) return;
    ws = workspace();
    const r = spawnSync(npmBins.bun, ['src/app.js'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', BUN_INSTALL_CACHE_DIR: path.join(ws.root, '..', 'bun') } });
    expect(r.status).not.toBe(0);
    const t = parseStack(r.stderr);
    expect(t).toMatchObject({ errorName: 'TypeError', message: "undefined is not an object (evaluating 'model.title.length')" });
    expect(t.frames[0]).toMatchObject({ fn: 'render', location: path.join(ws.root, 'src/app.js'), line: 2, format: 'v8' });
    expect(t.frames).toHaveLength(2);
    expect(await read(ws, r.stderr)).toMatchObject({ kind: 'null-access', focus: { file: 'src/app.js', line: 2, origin: 'workspace' } });
  }, 120_000);

  it('JavaScriptCore, Safari\'s engine (jsc: fn@file:line:col, "global code")', async () => {
    if (!skipUnless(debs, 'JavaScriptCore')) return;
    const root = debs.root;
    ws = workspace();
    const lib = path.join(root, 'usr/lib/x86_64-linux-gnu');
    const r = spawnSync(path.join(root, 'usr/bin/jsc'), ['src/app.js'], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: lib } });
    const out = `${r.stdout}${r.stderr}`;
    expect(r.status, out).not.toBe(0);
    const t = parseStack(out);
    expect(t).toMatchObject({ errorName: 'TypeError', message: "undefined is not an object (evaluating 'model.title.length')" });
    expect(t.frames).toEqual([
      expect.objectContaining({ fn: 'render', location: 'src/app.js', line: 2, format: 'gecko-webkit' }),
      expect.objectContaining({ fn: 'global code', location: 'src/app.js', line: 4, format: 'gecko-webkit' }),
    ]);
    expect(await read(ws, out)).toMatchObject({ kind: 'null-access', focus: { file: 'src/app.js', line: 2, origin: 'workspace' } });
  }, 120_000);

  it('SpiderMonkey, Firefox\'s engine (gjs on mozjs: fn@file:line:col, anonymous "@")', async () => {
    if (!skipUnless(debs, 'SpiderMonkey')) return;
    const root = debs.root;
    ws = workspace();
    const lib = path.join(root, 'usr/lib/x86_64-linux-gnu');
    const app = path.join(ws.root, 'src/app.js');
    expect(fs.existsSync(app)).toBe(true);
    const r = spawnSync(path.join(root, 'usr/bin/gjs-console'), [app], { cwd: ws.root, encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: lib, GI_TYPELIB_PATH: path.join(lib, 'gjs', 'girepository-1.0') } });
    const out = `${r.stdout}${r.stderr}`;
    expect(out).toContain('JS ERROR: TypeError: model.title is undefined');
    const t = parseStack(out);
    expect(t).toMatchObject({ errorName: 'TypeError', message: 'model.title is undefined' });
    expect(t.frames[0]).toMatchObject({ fn: 'render', location: app, line: 2, format: 'gecko-webkit' });
    expect(t.frames[1]).toMatchObject({ location: app, line: 4, format: 'gecko-webkit' });
    expect(t.frames[1]!.fn).toBeUndefined();
    expect(await read(ws, out)).toMatchObject({ kind: 'null-access', focus: { file: 'src/app.js', line: 2, origin: 'workspace' } });
  }, 120_000);
});
