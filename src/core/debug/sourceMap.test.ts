// Source maps from a real compile: a small TypeScript project built with the project's own `tsc`
// (sourceMap, then inlineSourceMap), run with node until it crashes; the captured frames in
// dist/*.js map back to the right lines of src/*.ts.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const TSC = path.resolve('node_modules/typescript/bin/tsc');

const CONFIG_TS = [
  'export interface Server {',
  '  host: string;',
  '  port: number;',
  '}',
  '',
  'export interface Config {',
  '  server?: Server;',
  '}',
  '',
  'export function portOf(raw: string): number {',
  '  const config = JSON.parse(raw) as Config;',
  '  return config.server!.port;',
  '}',
  '',
].join('\n');

function project(compilerOptions: Record<string, unknown>): TempWorkspace {
  return tempWorkspace({
    'package.json': JSON.stringify({ name: 'svc', private: true }),
    '.gitignore': 'dist/\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'es2022', module: 'commonjs', strict: true, outDir: 'dist', rootDir: 'src', ...compilerOptions }, include: ['src'] }),
    'src/config.ts': CONFIG_TS,
    'src/main.ts': "import { portOf } from './config';\n\nconst raw: string = '{}';\nconsole.log(portOf(raw));\n",
  });
}

function crash(w: TempWorkspace): string {
  const build = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: w.root, encoding: 'utf8' });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  const run = spawnSync(process.execPath, ['dist/main.js'], { cwd: w.root, encoding: 'utf8' });
  expect(run.status).not.toBe(0);
  return run.stderr;
}

describe('rusty debug through source maps', () => {
  it('maps frames of tsc output (.map files next to the JavaScript) to the TypeScript lines', async () => {
    ws = project({ sourceMap: true });
    const trace = crash(ws);
    expect(trace).toMatch(/dist[\\/]config\.js:\d+/);
    expect(ws.exists('dist/config.js.map')).toBe(true);
    const generatedLine = ws.read('dist/config.js').split('\n').findIndex((l) => l.includes('config.server.port')) + 1;
    const report = await analyzeTrace(createEngineContext(new NodeWorkspaceFs(ws.root)), trace);
    expect(report.focus).toMatchObject({ file: 'src/config.ts', line: 12, origin: 'workspace', fn: 'portOf', generated: { file: 'dist/config.js', line: generatedLine } });
    expect(generatedLine).not.toBe(12);
    expect(report.focus!.excerpt!.find((e) => e.line === 12)!.text).toContain('config.server!.port');
    expect(report.frames.find((f) => f.generated?.file === 'dist/main.js')).toMatchObject({ file: 'src/main.ts', line: 4, origin: 'workspace' });
    expect(report.kind).toBe('null-access');
  }, 60_000);

  it('maps frames through inline source maps (sourceMappingURL data: URLs)', async () => {
    ws = project({ inlineSourceMap: true, inlineSources: true });
    const trace = crash(ws);
    expect(ws.exists('dist/config.js.map')).toBe(false);
    expect(ws.read('dist/config.js')).toContain('sourceMappingURL=data:application/json;base64,');
    const report = await analyzeTrace(createEngineContext(new NodeWorkspaceFs(ws.root)), trace);
    expect(report.focus).toMatchObject({ file: 'src/config.ts', line: 12, origin: 'workspace', generated: { file: 'dist/config.js' } });
  }, 60_000);

  it('leaves a frame on the generated line when the map points outside the workspace or there is no map', async () => {
    ws = project({ sourceMap: true, sourceRoot: '/elsewhere/src' });
    const trace = crash(ws);
    const report = await analyzeTrace(createEngineContext(new NodeWorkspaceFs(ws.root)), trace);
    const first = report.frames[0]!;
    expect(first).toMatchObject({ file: 'dist/config.js', origin: 'unknown' });
    expect(first.generated).toBeUndefined();
  }, 60_000);
});
