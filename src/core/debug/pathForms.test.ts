// A frame names its file in many forms: an absolute path (CommonJS), a file: URL (ES modules), a
// path through a symbolic link (the workspace opened through a link, macOS's /tmp), the same project
// at another location (a container mount, a copy), a workspace-relative path (a debugger's source
// name). Each trace is captured from a real `node` run; each resolves to the workspace file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';
import { parseStack } from './stack';

let ws: TempWorkspace | undefined;
const extra: string[] = [];
afterEach(() => {
  ws?.cleanup();
  ws = undefined;
  for (const d of extra.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const SHOUT = [
  '// @ts-check',
  "const user = { name: 'ada' };",
  'function shout() {',
  '  return user.nme.toUpperCase();',
  '}',
  'shout();',
  '',
].join('\n');

const FILES = {
  'package.json': JSON.stringify({ name: 'shout' }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { allowJs: true, checkJs: true, noEmit: true, module: 'NodeNext', target: 'ES2022' }, include: ['src'] }),
  'src/shout.cjs': SHOUT,
  'src/shout.mjs': SHOUT,
};

function crash(cwd: string, args: string[]): string {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status).not.toBe(0);
  return r.stderr;
}

const ctxOf = (root: string) => createEngineContext(new NodeWorkspaceFs(root));

describe('frames resolve to workspace files whatever form their path takes', () => {
  it('an absolute path (CommonJS) and a file: URL (ES module), with TypeScript\'s spelling fix', async () => {
    ws = tempWorkspace(FILES);
    const cjs = crash(ws.root, ['src/shout.cjs']);
    expect(parseStack(cjs).frames[0]!.location).toBe(path.join(ws.root, 'src/shout.cjs'));
    const esm = crash(ws.root, ['src/shout.mjs']);
    expect(parseStack(esm).frames[0]!.location).toMatch(/^file:\/\/\/.*\/src\/shout\.mjs$/);
    for (const [trace, file] of [[cjs, 'src/shout.cjs'], [esm, 'src/shout.mjs']] as const) {
      const r = await analyzeTrace(ctxOf(ws.root), trace);
      expect(r.frames[0]).toMatchObject({ file, line: 4, origin: 'workspace' });
      expect(r).toMatchObject({ kind: 'null-access', focus: { file, line: 4 } });
      expect(r.fix, r.noFix).toMatchObject({ fixName: 'spelling', diagnostic: { code: 2551 } });
    }
  }, 120_000);

  it('a path through a symbolic link to the workspace, and the workspace opened through the link', async () => {
    ws = tempWorkspace(FILES);
    const linkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-link-'));
    extra.push(linkDir);
    const link = path.join(linkDir, 'project');
    fs.symlinkSync(ws.root, link, 'dir');
    // Node keeps the link in the path with --preserve-symlinks-main (as a debugger launched on the link path reports it).
    const trace = crash(link, ['--preserve-symlinks', '--preserve-symlinks-main', path.join(link, 'src/shout.cjs')]);
    expect(parseStack(trace).frames[0]!.location).toBe(path.join(link, 'src/shout.cjs'));
    // The core's root is the real path; the link path resolves through the file's real path…
    expect(new NodeWorkspaceFs(link).root).toBe(ws.root);
    expect((await analyzeTrace(ctxOf(link), trace)).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace', line: 4 });
    // …and through the folder path the editor knows (roots), when the link cannot be followed any more.
    fs.rmSync(link);
    expect((await analyzeTrace(ctxOf(ws.root), trace)).frames[0]).toMatchObject({ origin: 'dependency' });
    expect((await analyzeTrace(ctxOf(ws.root), trace, { roots: [link] })).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace', line: 4 });
  }, 120_000);

  it('the same project run at another location (a container mount, a copy): matched by the folder name, workspace files only', async () => {
    ws = tempWorkspace(FILES);
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-mount-'));
    extra.push(other);
    const copy = path.join(other, path.basename(ws.root));
    fs.cpSync(ws.root, copy, { recursive: true });
    fs.writeFileSync(path.join(copy, 'src/extra.cjs'), "require('./shout.cjs');\n");
    const trace = crash(copy, ['src/extra.cjs']);
    const r = await analyzeTrace(ctxOf(ws.root), trace);
    expect(r.frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace', line: 4 });
    // src/extra.cjs exists only in the copy: not a workspace frame.
    expect(r.frames.find((f) => f.location.endsWith('extra.cjs'))).toMatchObject({ origin: 'dependency' });
    expect(r.frames.find((f) => f.location.endsWith('extra.cjs'))!.file).toBeUndefined();
  }, 120_000);

  it('a workspace-relative path (a debugger source known by name only) and a frame outside the workspace get clear answers', async () => {
    ws = tempWorkspace(FILES);
    const trace = crash(ws.root, ['src/shout.cjs']);
    const relative = trace.split(`${ws.root}${path.sep}`).join('');
    expect(parseStack(relative).frames[0]!.location).toBe('src/shout.cjs');
    expect((await analyzeTrace(ctxOf(ws.root), relative)).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace' });
    const bracketed = trace.split(`(${ws.root}${path.sep}src/shout.cjs:`).join('(<src/shout.cjs>:');
    expect((await analyzeTrace(ctxOf(ws.root), bracketed)).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace' });
    // A remote window's URI (VS Code's form for debugger sources in code-server), and webpack's.
    const remote = trace.split(`(${ws.root}${path.sep}`).join(`(vscode-remote://127.0.0.1:40419${ws.root}/`);
    expect((await analyzeTrace(ctxOf(ws.root), remote)).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace', line: 4 });
    const webpack = trace.split(`(${ws.root}${path.sep}`).join('(webpack:///./');
    expect((await analyzeTrace(ctxOf(ws.root), webpack)).frames[0]).toMatchObject({ file: 'src/shout.cjs', origin: 'workspace', line: 4 });
    // A crash in a file outside the workspace: no focus, and the message says where it was raised.
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-outside-'));
    extra.push(outside);
    fs.writeFileSync(path.join(outside, 'lib.cjs'), 'null.x;\n');
    const r = await analyzeTrace(ctxOf(ws.root), crash(outside, ['lib.cjs']));
    expect(r.focus).toBeUndefined();
    expect(r.noFix).toContain(`No frame is in the workspace (${ws.root}): the failure is raised in a dependency or outside the workspace folder, at ${path.join(outside, 'lib.cjs')}:1;`);
  }, 120_000);
});
