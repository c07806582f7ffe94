// The `ai` section of .rusty/policy.json: the agent's run_command allowlist, failing closed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AI_COMMAND_TIMEOUT_MS, loadAiCommandPolicy } from './load';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function ws(policy?: string): string {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-aipolicy-'));
  if (policy !== undefined) {
    fs.mkdirSync(path.join(dir, '.rusty'));
    fs.writeFileSync(path.join(dir, '.rusty', 'policy.json'), policy);
  }
  return dir;
}

describe('loadAiCommandPolicy', () => {
  it('reads the commands (whitespace normalized) and the timeout next to the MCP rules', () => {
    const r = loadAiCommandPolicy(ws('{\n  // comments are fine\n  "rules": [],\n  "ai": {"commands": ["npm  test", "npx tsc --noEmit"], "commandTimeoutMs": 5000},\n}'));
    expect(r).toEqual({ commands: ['npm test', 'npx tsc --noEmit'], timeoutMs: 5000, errors: [] });
  });

  it('no file, or no ai section: no command is allowed, no error', () => {
    expect(loadAiCommandPolicy(ws())).toEqual({ commands: [], timeoutMs: DEFAULT_AI_COMMAND_TIMEOUT_MS, errors: [] });
    expect(loadAiCommandPolicy(ws('{"rules": []}')).commands).toEqual([]);
  });

  it('a bad entry is ignored with its location; a bad section or file allows nothing', () => {
    const one = loadAiCommandPolicy(ws('{"ai": {"commands": ["npm test", ""], "commandTimeoutMs": -1}}'));
    expect(one.commands).toEqual(['npm test']);
    expect(one.timeoutMs).toBe(DEFAULT_AI_COMMAND_TIMEOUT_MS);
    expect(one.errors).toEqual([
      expect.stringMatching(/policy\.json:1:\d+: ai\.commands\[1\] must be a non-empty command line/),
      expect.stringMatching(/ai\.commandTimeoutMs must be a number of milliseconds > 0 \(got number -1\)/),
    ]);
    expect(loadAiCommandPolicy(ws('{"ai": {"commands": "npm test"}}'))).toMatchObject({ commands: [], errors: [expect.stringContaining('ai.commands must be an array')] });
    expect(loadAiCommandPolicy(ws('{"ai": {"commands": ["npm test"]'))).toMatchObject({ commands: [], errors: [expect.stringContaining('not a JSON object; no command is allowed')] });
  });
});
