// Project references (`references` in tsconfig.json): the configs a solution-style tsconfig
// (`files: []` + `references`) or any referencing project brings in, in build order (a project
// after the ones it references, like `tsc -b`). JSONC, as tsc reads it; `references` are not inherited through `extends`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'jsonc-parser';

/** Absolute ('/'-separated) config paths: every project `configFile` references (recursively), then itself. */
export function projectConfigs(configFile: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    const key = path.resolve(file);
    if (seen.has(key)) return;
    seen.add(key);
    for (const ref of referencesOf(key)) visit(ref);
    out.push(key.split(path.sep).join('/'));
  };
  visit(configFile);
  return out;
}

function referencesOf(configFile: string): string[] {
  let json: unknown;
  try {
    json = parse(fs.readFileSync(configFile, 'utf8'), [], { allowTrailingComma: true });
  } catch {
    return [];
  }
  const refs = json && typeof json === 'object' ? (json as { references?: unknown }).references : undefined;
  if (!Array.isArray(refs)) return [];
  const out: string[] = [];
  for (const r of refs) {
    const p = r && typeof r === 'object' ? (r as { path?: unknown }).path : undefined;
    if (typeof p !== 'string' || !p) continue;
    const abs = path.resolve(path.dirname(configFile), p);
    // A folder means its tsconfig.json (tsc's rule); a missing one is reported by the compiler itself.
    const file = fs.existsSync(abs) && fs.statSync(abs).isDirectory() ? path.join(abs, 'tsconfig.json') : abs;
    if (fs.existsSync(file)) out.push(file);
  }
  return out;
}
