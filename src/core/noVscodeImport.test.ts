// src/core runs in the CLI and in plain Node tests: it must never import the VS Code API.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(full) : /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name) ? [full] : [];
  });
}

describe('src/core', () => {
  it('never imports vscode', () => {
    const offenders = sourceFiles(__dirname).filter((f) => f !== __filename).filter((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(text);
    });
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an import', () => {
    // Built from parts so that this file itself never contains an import of the module.
    const q = (s: string) => `'${s}'`;
    const mod = ['vs', 'code'].join('');
    expect(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(`import * as v from ${q(mod)};`)).toBe(true);
    expect(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]vscode['"]/.test(`const v = require(${q(mod)})`)).toBe(true);
  });
});
