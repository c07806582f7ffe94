// The failing test run without and with a fix, on copies with the editors' unsaved text laid over
// (VS Code's "Propose a Fix" / "Debug Stack Trace…"): the test that exists only in the unsaved text
// runs, fails without the fix and passes with it; the record names the unsaved files; the workspace
// is not touched. Real node:test runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineContext } from '../engine/context';
import { NodeWorkspaceFs } from '../ports/nodeWorkspaceFs';
import { sha256 } from '../util/hash';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { runTestWithFix } from './failingTest';

let ws: TempWorkspace | undefined;
afterEach(() => { ws?.cleanup(); ws = undefined; });

const SOURCE = 'export const double = (n) => n * 2;\nexport const triple = (n) => n * 2;\n';
const SAVED_TEST = "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { double } from '../src/m.mjs';\n\ntest('double', () => {\n  assert.equal(double(2), 4);\n});\n";
const UNSAVED_TEST = `${SAVED_TEST.replace("import { double }", "import { double, triple }")}\ntest('triple', () => {\n  assert.equal(triple(2), 6);\n});\n`;

describe('runTestWithFix on unsaved editor text', () => {
  it('lays the unsaved text over both copies, runs the named test without and with the fix, and names the files', async () => {
    ws = tempWorkspace({ 'package.json': '{ "name": "m", "type": "module", "scripts": { "test": "node --test" } }\n', 'src/m.mjs': SOURCE, 'test/m.test.mjs': SAVED_TEST });
    const ctx = createEngineContext(new NodeWorkspaceFs(ws.root));
    const fix = { title: 'triple', source: 'debug:test', edits: [{ kind: 'modify' as const, path: 'src/m.mjs', baseHash: sha256(SOURCE), content: SOURCE.replace(/triple = \(n\) => n \* 2/, 'triple = (n) => n * 3') }] };
    const test = { file: 'test/m.test.mjs', name: 'triple' };

    const onSaved = await runTestWithFix(ctx, test, fix);
    // The saved test file has no test named "triple": nothing fails without the fix, and nothing is named unsaved.
    expect(onSaved.before!.failed).toBe(0);
    expect(onSaved.unsaved).toBeUndefined();

    const withUnsaved = await runTestWithFix(ctx, test, fix, { unsaved: { 'test/m.test.mjs': new Uint8Array(Buffer.from(UNSAVED_TEST)) } });
    expect(withUnsaved.before).toMatchObject({ status: 'failed', failed: 1, passed: 0 });
    expect(withUnsaved.after).toMatchObject({ status: 'passed', failed: 0, passed: 1 });
    expect(withUnsaved.status).toBe('passed');
    expect(withUnsaved.unsaved).toEqual(['test/m.test.mjs']);
    expect(fs.readFileSync(path.join(ws.root, 'test/m.test.mjs'), 'utf8')).toBe(SAVED_TEST);
    expect(fs.readFileSync(path.join(ws.root, 'src/m.mjs'), 'utf8')).toBe(SOURCE);
  }, 120_000);
});
