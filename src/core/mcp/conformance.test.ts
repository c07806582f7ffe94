// The official MCP conformance suite, client mode, against `rusty mcp` (run.mjs installs the
// pinned runner and its Node 22 into .cache/conformance on first use). Needs dist/ (`npm run build`)
// and the npm registry on the first run; about 3 minutes on two cores.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..', '..');

describe('MCP conformance (client scenarios of 2025-03-26, 2025-06-18, 2025-11-25)', () => {
  it.runIf(process.platform === 'linux' && process.arch === 'x64')('passes every scenario not listed in baseline.yml', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'mcp-conformance', 'run.mjs')], { cwd: ROOT, encoding: 'utf8', timeout: 15 * 60_000 });
    const output = `${r.stdout}${r.stderr}`;
    expect(output, output).toContain('OVERALL PASSED (modulo baseline)');
    expect(r.status, output).toBe(0);
  }, 16 * 60_000);
});
