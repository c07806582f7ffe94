// Test helpers: a small real project with deliberate errors, a workspace "on" a given TypeScript,
// and the compiler's own `tsc --noEmit` as the referee.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const require = createRequire(import.meta.url);
/** Rusty's TypeScript 7 package folder (typescript-native). */
export const NATIVE_TS_DIR = path.dirname(require.resolve('typescript-native/package.json'));

export const FIXTURE_FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, types: [], lib: ['ES2022'] }, include: ['src'] }, null, 2),
  'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b;\n}\n\nexport function label(n: number): string {\n  return `n=${n}`;\n}\n',
  'src/calc.ts': "import { add, label } from './math';\n\nexport const total: number = add(1, 2);\n// Straße ünïcode before an error on the same line: \n/* ü */ export const wrong: string = add(2, 3);\nexport const text = label('x');\n",
  'src/deep.ts': "import { total } from './calc';\n\nexport function twice(): number {\n  return total * 2;\n}\nconst unused: number = 'nope';\n",
  'src/index.ts': "export * from './math';\nexport * from './calc';\nexport { twice } from './deep';\nimport { missing } from './nowhere';\nmissing();\n",
  'src/crlf.ts': 'export const a = 1;\r\nexport const b: string = a;\r\n',
};

export function writeFixture(root: string, files: Record<string, string> = FIXTURE_FILES): void {
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

/** Makes `root/node_modules/typescript` the given package folder (a link), or a bare package.json of `version`. */
export function useTypeScript(root: string, target: { dir: string } | { version: string }): void {
  const dest = path.join(root, 'node_modules', 'typescript');
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  if ('dir' in target) fs.symlinkSync(target.dir, dest, 'dir');
  else {
    fs.mkdirSync(dest);
    fs.writeFileSync(path.join(dest, 'package.json'), JSON.stringify({ name: 'typescript', version: target.version }));
  }
}

export interface RefereeDiagnostic { file: string | null; line: number | null; column: number | null; code: number }

/** `tsc --noEmit -p root` of TypeScript 7 (the native compiler), parsed: file, line, column, code. */
export function tscDiagnostics(root: string, tsDir = NATIVE_TS_DIR): RefereeDiagnostic[] {
  return runTsc(root, ['--noEmit', '-p', root], tsDir);
}

/**
 * `tsc -b` of TypeScript 7 in `root` (a solution with project references), parsed. It writes its
 * outputs (declarations, .tsbuildinfo) there: pass a copy.
 */
export function tscBuildDiagnostics(root: string, tsDir = NATIVE_TS_DIR): RefereeDiagnostic[] {
  return runTsc(root, ['-b', root], tsDir);
}

function runTsc(root: string, args: string[], tsDir: string): RefereeDiagnostic[] {
  let out = '';
  try {
    out = execFileSync(process.execPath, [path.join(tsDir, 'bin', 'tsc'), ...args, '--pretty', 'false'], { encoding: 'utf8', cwd: root, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    out = String((err as { stdout?: string }).stdout ?? '');
  }
  const list: RefereeDiagnostic[] = [];
  for (const line of out.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),(\d+)\): (?:error|warning|message) TS(\d+):/.exec(line);
    if (m) list.push({ file: path.relative(root, path.resolve(root, m[1]!)).split(path.sep).join('/'), line: Number(m[2]), column: Number(m[3]), code: Number(m[4]) });
    else {
      const g = /^(?:error|warning|message) TS(\d+):/.exec(line);
      if (g) list.push({ file: null, line: null, column: null, code: Number(g[1]) });
    }
  }
  return list;
}

export const refereeKey = (d: RefereeDiagnostic) => `${d.file ?? '-'}:${d.line ?? 0}:${d.column ?? 0} TS${d.code}`;
