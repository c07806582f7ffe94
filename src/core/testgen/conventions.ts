// How a project writes its tests, read from package.json and the tests it already has: the
// framework, where tests live, their naming, ESM or CommonJS, `describe`/`it` or `test`.
import type { EngineContext } from '../engine/context';
import { RustyError } from '../util/errors';

export const FRAMEWORKS = ['vitest', 'jest', 'mocha', 'node:test', 'ava'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface TestConventions {
  framework: Framework;
  /** Why this framework: the package.json field or test file it came from. */
  evidence: string;
  /**
   * 'next-to-source' (src/a.test.ts), a top folder ('test', '__tests__', …: test/a.test.ts), or a
   * folder beside each source (`beside`: src/tests/a.test.ts, as zod does).
   */
  location: 'next-to-source' | { folder: string; beside?: true };
  /** '.test' or '.spec'. */
  suffix: '.test' | '.spec';
  module: 'esm' | 'cjs';
  /** `describe`/`it` blocks, or top-level `test`. */
  style: 'describe-it' | 'test';
  /** An existing test the conventions were read from; undefined when the project has none. */
  sample?: string;
}

const TEST_FILE = /(^|\/)[^/]+\.(test|spec)\.[cm]?[jt]sx?$/;
const TEST_DIRS = ['test', 'tests', '__tests__', 'spec'];

interface PackageJson { type?: string; scripts?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }

async function readJson(ctx: EngineContext, rel: string): Promise<PackageJson | undefined> {
  const bytes = await ctx.fs.read(rel);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as PackageJson;
  } catch (err) {
    throw new RustyError('usage', `${rel} is not valid JSON (${(err as Error).message}); fix it so the test framework can be read.`);
  }
}

function frameworkOf(pkg: PackageJson): { framework: Framework; evidence: string } | undefined {
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const script = pkg.scripts?.test ?? '';
  for (const f of ['vitest', 'jest', 'mocha', 'ava'] as const) {
    if (new RegExp(`(^|[\\s/])${f}(\\s|$)`).test(script)) return { framework: f, evidence: `package.json scripts.test runs ${f}` };
  }
  if (/\bnode\b[^&|;]*--test\b/.test(script)) return { framework: 'node:test', evidence: 'package.json scripts.test runs node --test' };
  for (const f of ['vitest', 'jest', 'mocha', 'ava'] as const) if (deps[f]) return { framework: f, evidence: `package.json depends on ${f}` };
  return undefined;
}

function frameworkOfText(text: string): Framework | undefined {
  if (/from\s+['"]vitest['"]|require\(['"]vitest['"]\)/.test(text)) return 'vitest';
  if (/from\s+['"]node:test['"]|require\(['"]node:test['"]\)/.test(text)) return 'node:test';
  if (/from\s+['"]ava['"]|require\(['"]ava['"]\)/.test(text)) return 'ava';
  if (/@jest\/globals|jest\.(fn|mock)\(/.test(text)) return 'jest';
  return undefined;
}

export async function detectConventions(ctx: EngineContext): Promise<TestConventions> {
  const pkg = await readJson(ctx, 'package.json');
  const files = await ctx.fs.list();
  const tests = files.filter((f) => TEST_FILE.test(f) && !f.split('/').includes('node_modules'));
  const sample = tests[0];
  const sampleText = sample ? new TextDecoder().decode((await ctx.fs.read(sample)) ?? new Uint8Array()) : '';
  let found = pkg ? frameworkOf(pkg) : undefined;
  if (!found && sample) {
    const f = frameworkOfText(sampleText);
    if (f) found = { framework: f, evidence: `${sample} imports ${f === 'node:test' ? 'node:test' : f}` };
  }
  if (!found) {
    throw new RustyError('usage', 'No test framework found: add vitest, jest, mocha or ava to package.json devDependencies, or a "test" script running `node --test`.');
  }
  const parts = sample?.split('/') ?? [];
  const top = parts[0];
  const parent = parts.length > 2 ? parts[parts.length - 2] : undefined;
  const location: TestConventions['location'] = sample && top && TEST_DIRS.includes(top) ? { folder: top }
    : parent && TEST_DIRS.includes(parent) ? { folder: parent, beside: true } : 'next-to-source';
  const suffix = sample && /\.spec\.[cm]?[jt]sx?$/.test(sample) ? '.spec' : '.test';
  const module = /\brequire\(/.test(sampleText) && !/^\s*import\s/m.test(sampleText) ? 'cjs'
    : sample ? 'esm' : pkg?.type === 'module' || found.framework === 'vitest' ? 'esm' : 'cjs';
  const style = sample ? (/\bdescribe\s*\(/.test(sampleText) ? 'describe-it' : /\btest\s*\(/.test(sampleText) ? 'test' : 'describe-it')
    : found.framework === 'ava' ? 'test' : 'describe-it';
  return { framework: found.framework, evidence: found.evidence, location, suffix, module, style: found.framework === 'ava' ? 'test' : style, ...(sample ? { sample } : {}) };
}

/** Where the test of `source` goes, following the conventions. */
export function testPathFor(source: string, conv: TestConventions): string {
  const m = /^(.*?)(\.[cm]?[jt]sx?)$/.exec(source);
  const stem = m ? m[1]! : source;
  const ext = m ? m[2]! : '.ts';
  if (conv.location === 'next-to-source') return `${stem}${conv.suffix}${ext}`;
  if (conv.location.beside) {
    const slash = stem.lastIndexOf('/');
    return `${stem.slice(0, slash + 1)}${conv.location.folder}/${stem.slice(slash + 1)}${conv.suffix}${ext}`;
  }
  const inner = stem.split('/');
  if (inner[0] === 'src' || inner[0] === 'lib') inner.shift();
  return `${conv.location.folder}/${inner.join('/')}${conv.suffix}${ext}`;
}
