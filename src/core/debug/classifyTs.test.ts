// A failure none of the message rules name, where TypeScript reports an error on the failing line,
// is classified as such (issue 15: "a TypeScript diagnostic at the frame"): a real ReferenceError
// from a misspelt variable gets TS2552 and TypeScript's spelling fix; a plain thrown Error stays "other".
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeTrace } from './analyze';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

describe('classified by the TypeScript diagnostic at the failing line', () => {
  it('a ReferenceError on a misspelt name: ts-diagnostic with the spelling fix; a thrown Error without a diagnostic: other', async () => {
    ws = tempWorkspace({
      'package.json': JSON.stringify({ name: 'count', type: 'module' }),
      'src/count.js': '// @ts-check\nlet count = 1;\nexport function next() {\n  return conut + 1;\n}\nnext();\n',
      'src/boom.js': "// @ts-check\nexport function boom() {\n  throw new Error('boom');\n}\nboom();\n",
    });
    const ctx = createEngineContext(new NodeWorkspaceFs(ws.root));
    const crash = (rel: string) => spawnSync(process.execPath, [rel], { cwd: ws!.root, encoding: 'utf8' }).stderr;
    const r = await analyzeTrace(ctx, crash('src/count.js'));
    expect(r).toMatchObject({ errorName: 'ReferenceError', kind: 'ts-diagnostic', focus: { file: 'src/count.js', line: 4 } });
    expect(r.focus!.diagnostics!.map((d) => d.code)).toEqual([2552]);
    expect(r.fix).toMatchObject({ fixName: 'spelling', diagnostic: { code: 2552 } });
    const other = await analyzeTrace(ctx, crash('src/boom.js'));
    expect(other).toMatchObject({ errorName: 'Error', kind: 'other', focus: { file: 'src/boom.js', line: 3 } });
  }, 120_000);
});
