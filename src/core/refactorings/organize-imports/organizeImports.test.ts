import { afterEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../util/hash';
import { proposeOrganizeImports, type OrganizeImportsOptions, type OrganizeImportsResult } from './index';
import { contentFor, editFor, TempWorkspace } from './testSupport';
import { workspaceReader, type WorkspaceReader } from '../../engine/context';
import { NodeWorkspaceFs } from '../../ports/nodeWorkspaceFs';

const workspaces: TempWorkspace[] = [];
afterEach(() => {
  while (workspaces.length > 0) workspaces.pop()?.dispose();
});

function ws(files: Record<string, string | Uint8Array>): TempWorkspace {
  const w = new TempWorkspace(files);
  workspaces.push(w);
  return w;
}

/** The workspace on disk through the Node port: tests replace its `read` with unsaved text. */
function disk(w: TempWorkspace): WorkspaceReader {
  return workspaceReader(new NodeWorkspaceFs(w.root));
}

async function organize(w: TempWorkspace, extra: Partial<OrganizeImportsOptions> = {}): Promise<OrganizeImportsResult> {
  return proposeOrganizeImports({ root: w.root, ...extra });
}

/** Organizes one file in a fresh workspace and returns its new text (undefined = no edit). */
async function organizeOne(rel: string, text: string, more: Record<string, string> = {}): Promise<string | undefined> {
  const w = ws({ [rel]: text, ...more });
  const result = await organize(w, { files: [rel] });
  expect(result.skipped).toEqual([]);
  return contentFor(result, rel);
}

describe('proposeOrganizeImports: what changes', () => {
  it('removes unused named, default and namespace imports and keeps used ones', async () => {
    const out = await organizeOne(
      'src/a.ts',
      [
        "import { used, unusedNamed } from './x';",
        "import unusedDefault from './y';",
        "import * as unusedNs from './z';",
        "import * as usedNs from './w';",
        "import usedDefault from './v';",
        '',
        'export const value = used + usedNs.k + usedDefault;',
        '',
      ].join('\n'),
    );
    expect(out).toBe(
      [
        "import usedDefault from './v';",
        "import * as usedNs from './w';",
        "import { used } from './x';",
        '',
        'export const value = used + usedNs.k + usedDefault;',
        '',
      ].join('\n'),
    );
  });

  it('never removes unused locals or parameters', async () => {
    const out = await organizeOne(
      'src/a.ts',
      "import { gone } from './x';\nconst unusedLocal = 1;\nfunction f(unusedParam: number) {}\nexport {};\n",
    );
    expect(out).toBe('const unusedLocal = 1;\nfunction f(unusedParam: number) {}\nexport {};\n');
  });

  it('sorts declarations (packages before relative paths) and names within braces, and merges duplicates', async () => {
    const out = await organizeOne(
      'src/a.ts',
      [
        "import { zeta, alpha } from 'lib-b';",
        "import { c } from './local';",
        "import { one } from 'lib-a';",
        "import { beta } from 'lib-b';",
        '',
        'export default [zeta, alpha, c, one, beta];',
        '',
      ].join('\n'),
    );
    expect(out).toBe(
      [
        "import { one } from 'lib-a';",
        "import { alpha, beta, zeta } from 'lib-b';",
        "import { c } from './local';",
        '',
        'export default [zeta, alpha, c, one, beta];',
        '',
      ].join('\n'),
    );
  });

  it('keeps side-effect imports, and keeps them where they are', async () => {
    const out = await organizeOne(
      'src/main.ts',
      [
        "import { z } from 'z-lib';",
        "import './instrument';",
        "import { b, a } from 'b-lib';",
        "import { unused } from 'c-lib';",
        "import './styles/z.css';",
        "import './styles/a.css';",
        "import { y } from 'y-lib';",
        "import { x } from 'x-lib';",
        '',
        'export default [z, a, b, x, y];',
        '',
      ].join('\n'),
    );
    expect(out).toBe(
      [
        "import { z } from 'z-lib';",
        "import './instrument';",
        "import { a, b } from 'b-lib';",
        "import './styles/z.css';",
        "import './styles/a.css';",
        "import { x } from 'x-lib';",
        "import { y } from 'y-lib';",
        '',
        'export default [z, a, b, x, y];',
        '',
      ].join('\n'),
    );
  });

  it('keeps a side-effect import that is the last line of a file without final newline', async () => {
    const out = await organizeOne('src/a.ts', "import { b } from 'b';\nimport { a } from 'a';\nexport default [a, b];\nimport './late'");
    expect(out).toBe("import { a } from 'a';\nimport { b } from 'b';\nexport default [a, b];\nimport './late'");
  });

  it('handles type-only imports: keeps used ones, removes unused ones', async () => {
    const out = await organizeOne(
      'src/types.ts',
      [
        "import type { Used, Unused } from './model';",
        "import type Gone from './gone';",
        "import { type Inline, type InlineUnused, value } from './values';",
        '',
        'export const v: Used = value as Inline;',
        '',
      ].join('\n'),
    );
    expect(out).toBe(
      [
        "import type { Used } from './model';",
        "import { type Inline, value } from './values';",
        '',
        'export const v: Used = value as Inline;',
        '',
      ].join('\n'),
    );
  });

  it('keeps an import used only in JSDoc in a .js file', async () => {
    const out = await organizeOne(
      'src/doc.js',
      "import { Foo, Bar } from './types.js';\n/** @type {Foo} */\nexport let v;\n",
    );
    expect(out).toBe("import { Foo } from './types.js';\n/** @type {Foo} */\nexport let v;\n");
  });

  it('organizes a .js file', async () => {
    const out = await organizeOne(
      'lib/util.js',
      "import { readFile, writeFile } from 'node:fs/promises';\nimport path from 'node:path';\n\nexport const load = (p) => readFile(path.resolve(p));\n",
    );
    expect(out).toBe("import { readFile } from 'node:fs/promises';\nimport path from 'node:path';\n\nexport const load = (p) => readFile(path.resolve(p));\n");
  });

  it('organizes .mjs and .cts files', async () => {
    const w = ws({
      'a.mjs': "import b from 'b';\nimport a from 'a';\nexport default [a, b];\n",
      'b.cts': "import { y, x } from './x';\nexport const z = x;\n",
    });
    const result = await organize(w);
    expect(contentFor(result, 'a.mjs')).toBe("import a from 'a';\nimport b from 'b';\nexport default [a, b];\n");
    expect(contentFor(result, 'b.cts')).toBe("import { x } from './x';\nexport const z = x;\n");
  });

  it('sorts `export … from` declarations too', async () => {
    const out = await organizeOne('src/index.ts', "export { b } from './b';\nexport { a } from './a';\n");
    expect(out).toBe("export { a } from './a';\nexport { b } from './b';\n");
  });

  it('follows the file style: double quotes, no semicolons, tight braces, 2-space indent', async () => {
    const out = await organizeOne(
      'src/style.ts',
      'import {b} from "b"\nimport {a, unused} from "a"\n\nexport function f() {\n  return [a, b]\n}\n',
    );
    expect(out).toBe('import {a} from "a"\nimport {b} from "b"\n\nexport function f() {\n  return [a, b]\n}\n');
  });

  it('leaves everything after the imports untouched, comments included', async () => {
    const body = '// top comment\n\n/** Doc. */\nexport function f(): number {\n\treturn a + b; // trailing\n}\n';
    const out = await organizeOne('src/a.ts', `import { b } from './b';\nimport { a, c } from './a';\n\n${body}`);
    expect(out).toBe(`import { a } from './a';\nimport { b } from './b';\n\n${body}`);
  });
});

describe('proposeOrganizeImports: edge cases', () => {
  it('leaves groups it did not really change exactly as they were', async () => {
    const out = await organizeOne(
      'src/a.ts',
      "import {\n  alpha,\n  beta,\n} from './greek'\n\nimport { gone } from './gone';\nimport { z } from './z'\n\nexport {}\nexport default [alpha, beta, z];\n",
    );
    expect(out).toBe("import {\n  alpha,\n  beta,\n} from './greek'\n\nimport { z } from './z'\n\nexport {}\nexport default [alpha, beta, z];\n");
  });

  it('keeps blank-line separated groups apart', async () => {
    const out = await organizeOne(
      'src/a.ts',
      "import { d } from 'd';\nimport { c } from 'c';\n\nimport { b } from './b';\nimport { a } from './a';\n\nexport default [a, b, c, d];\n",
    );
    expect(out).toBe(
      "import { c } from 'c';\nimport { d } from 'd';\n\nimport { a } from './a';\nimport { b } from './b';\n\nexport default [a, b, c, d];\n",
    );
  });

  it('organizes imports inside `declare module` blocks', async () => {
    const out = await organizeOne(
      'src/ambient.ts',
      "declare module 'm' {\n\timport { b, a } from 'q';\n\texport const c: [typeof a, typeof b];\n}\n",
    );
    expect(out).toBe("declare module 'm' {\n\timport { a, b } from 'q';\n\texport const c: [typeof a, typeof b];\n}\n");
  });

  it('handles `// @ts-nocheck` files and `checkJs: false` JS (organize imports removes what the fix skips)', async () => {
    const w = ws({
      'jsconfig.json': '{ "compilerOptions": { "checkJs": false } }',
      'a.js': "import { used, unused } from './x.js';\nexport default used;\n",
      'b.ts': "// @ts-nocheck\nimport { used, unused } from './x';\nexport default used;\n",
    });
    const result = await organize(w);
    expect(contentFor(result, 'a.js')).toBe("import { used } from './x.js';\nexport default used;\n");
    expect(contentFor(result, 'b.ts')).toBe("// @ts-nocheck\nimport { used } from './x';\nexport default used;\n");
  });

  it('keeps imports referenced only by decorator metadata, JSDoc links and `typeof`', async () => {
    const text = [
      "import { Injectable } from './di';",
      "import { Linked } from './linked';",
      "import { Service } from './service';",
      "import { Shape } from './shape';",
      '',
      '/** See {@link Linked}. */',
      '@Injectable()',
      'export class A {',
      '  constructor(private readonly s: Service) {}',
      '  shape?: typeof Shape;',
      '}',
      '',
    ].join('\n');
    const out = await organizeOne('src/a.ts', text, {
      'tsconfig.json': '{ "compilerOptions": { "experimentalDecorators": true, "emitDecoratorMetadata": true } }',
    });
    expect(out).toBeUndefined();
  });
});

describe('proposeOrganizeImports: JSX', () => {
  const component = "import React from 'react';\nimport { useState } from 'react';\n\nexport const C = () => <div />;\n";

  it('keeps React for the classic runtime (jsx: react)', async () => {
    const out = await organizeOne('src/C.tsx', component, { 'tsconfig.json': '{ "compilerOptions": { "jsx": "react" } }' });
    expect(out).toBe("import React from 'react';\n\nexport const C = () => <div />;\n");
  });

  it('removes an unused React import for the automatic runtime (jsx: react-jsx)', async () => {
    const out = await organizeOne('src/C.tsx', component, { 'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx" } }' });
    expect(out).toBe('\nexport const C = () => <div />;\n');
  });

  it('keeps React when no tsconfig says otherwise (safe default)', async () => {
    const out = await organizeOne('src/C.tsx', component);
    expect(out).toBe("import React from 'react';\n\nexport const C = () => <div />;\n");
  });

  it('follows TypeScript for an explicit jsx: preserve (it drops React)', async () => {
    const out = await organizeOne('src/C.tsx', component, { 'tsconfig.json': '{ "compilerOptions": { "jsx": "preserve" } }' });
    expect(out).toBe('\nexport const C = () => <div />;\n');
  });

  it('keeps a custom JSX factory import (jsxFactory: h)', async () => {
    const out = await organizeOne('src/P.tsx', "import { h, Fragment } from 'preact';\nimport { x } from './x';\nexport const P = () => <div />;\n", {
      'tsconfig.json': '{ "compilerOptions": { "jsx": "react", "jsxFactory": "h" } }',
    });
    expect(out).toBe("import { h } from 'preact';\nexport const P = () => <div />;\n");
  });

  it('uses the nearest tsconfig.json, including comments and extends', async () => {
    const w = ws({
      'tsconfig.base.json': '{\n  // shared\n  "compilerOptions": { "jsx": "react-jsx", },\n}\n',
      'tsconfig.json': '{ "compilerOptions": { "jsx": "react" } }',
      'packages/web/tsconfig.json': '{ "extends": "../../tsconfig.base.json", "include": ["src"] }',
      'packages/web/src/C.tsx': component,
      'src/C.tsx': component,
    });
    const result = await organize(w);
    expect(contentFor(result, 'packages/web/src/C.tsx')).toBe('\nexport const C = () => <div />;\n');
    expect(contentFor(result, 'src/C.tsx')).toBe("import React from 'react';\n\nexport const C = () => <div />;\n");
  });

  it('handles JSX in a .jsx file', async () => {
    const out = await organizeOne('src/B.jsx', "import React from 'react';\nimport { x } from './x';\nexport const B = () => <p />;\n");
    expect(out).toBe("import React from 'react';\nexport const B = () => <p />;\n");
  });
});

describe('proposeOrganizeImports: bytes', () => {
  it('keeps CRLF and BOM byte-exactly except the changed lines', async () => {
    const original = '\uFEFFimport { b } from "./b";\r\nimport { a, gone } from "./a";\r\n\r\nexport const x = a + b;\r\n';
    const w = ws({ 'src/crlf.ts': original });
    const result = await organize(w);
    const edit = editFor(result, 'src/crlf.ts');
    expect(edit?.content).toBe('\uFEFFimport { a } from "./a";\r\nimport { b } from "./b";\r\n\r\nexport const x = a + b;\r\n');
    expect(edit?.baseHash).toBe(sha256(w.bytes('src/crlf.ts')));
  });

  it('keeps a missing final newline missing', async () => {
    const out = await organizeOne('src/a.ts', "import { b } from './b';\nimport { a } from './a';\nexport default a + b;");
    expect(out).toBe("import { a } from './a';\nimport { b } from './b';\nexport default a + b;");
  });

  it('baseHash is the sha256 of the bytes the edit was computed on', async () => {
    const w = ws({ 'a.ts': "import { y, x } from './x';\nexport default x;\n" });
    const result = await organize(w);
    expect(editFor(result, 'a.ts')?.baseHash).toBe(sha256(w.bytes('a.ts')));
  });
});

describe('proposeOrganizeImports: nothing to do', () => {
  it('an already organized file yields no edit', async () => {
    const w = ws({
      'src/ok.ts': "import './setup';\nimport { a, b } from './a';\nimport type { T } from './t';\n\nexport const v: T = [a, b];\n",
      'src/multiline.ts': "import {\n  alpha,\n  beta,\n} from './greek';\n\nexport default [alpha, beta];\n",
      'src/none.ts': 'export const n = 1;\n',
      'src/cjs.js': "const fs = require('fs');\nmodule.exports = fs;\n",
    });
    const result = await organize(w);
    expect(result).toEqual({ changeSet: null, skipped: [] });
  });
});

describe('proposeOrganizeImports: problems never stop the run', () => {
  it('skips a file with syntax errors, with a reason, and organizes the others', async () => {
    const w = ws({
      'src/broken.ts': "import { a } from './a';\nexport const = ;\n",
      'src/conflict.ts': "<<<<<<< HEAD\nimport { a } from './a';\n=======\nimport { b } from './b';\n>>>>>>> other\n",
      'src/fine.ts': "import { y, x } from './x';\nexport default x;\n",
    });
    const result = await organize(w);
    expect(result.skipped.map((s) => s.path)).toEqual(['src/broken.ts', 'src/conflict.ts']);
    expect(result.skipped[0]?.reason).toMatch(/does not parse: .*line 2/);
    expect(result.changeSet?.edits.map((e) => e.path)).toEqual(['src/fine.ts']);
  });

  it('skips binary, too large, missing and non-source files', async () => {
    const w = ws({
      'bin.ts': new Uint8Array([0x69, 0x6d, 0, 0x70, 0xff]),
      'big.ts': `import { y, x } from './x';\nexport default x;\n${'// pad\n'.repeat(200)}`,
      'notes.md': '# hi',
    });
    const result = await organize(w, { files: ['bin.ts', 'big.ts', 'missing.ts', 'notes.md', '../outside.ts'], maxBytes: 1000 });
    expect(result.changeSet).toBeNull();
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['bin.ts']).toMatch(/binary/);
    expect(reasons['big.ts']).toMatch(/too large/);
    expect(reasons['missing.ts']).toBe('file not found');
    expect(reasons['notes.md']).toMatch(/not a TypeScript or JavaScript file/);
    expect(reasons['../outside.ts']).toMatch(/\.\./);
  });

  it('applies the size limit to text from the reader too', async () => {
    const w = ws({});
    const result = await organize(w, {
      files: ['a.ts'],
      maxBytes: 10,
      fs: { ...disk(w), read: async () => new TextEncoder().encode("import { a } from 'a';\n") },
    });
    expect(result.skipped).toEqual([{ path: 'a.ts', reason: expect.stringMatching(/too large/) }]);
  });
});

describe('proposeOrganizeImports: the change set', () => {
  it('one file: titled with its path, low priority, organize-imports source, a rationale', async () => {
    const w = ws({ 'src/a.ts': "import { unused } from './u';\nimport { b } from './b';\nimport { a } from './a';\nexport default a + b;\n" });
    const { changeSet } = await organize(w);
    expect(changeSet).toMatchObject({
      title: 'Organize imports in src/a.ts',
      source: 'refactoring:organize-imports',
      priority: 'low',
    });
    expect(changeSet?.rationale).toContain('removes 1 unused import in 1 file');
    expect(changeSet?.rationale).toContain('sorts and merges import/export declarations in 1 file');
    expect(changeSet?.rationale).toContain('- src/a.ts: removed `unused`; sorted/merged');
    expect(changeSet?.edits).toHaveLength(1);
    expect(changeSet?.edits[0]).toMatchObject({ kind: 'modify', path: 'src/a.ts' });
  });

  it('never writes to disk', async () => {
    const w = ws({
      'src/a.ts': "import { unused } from './u';\nimport { b } from './b';\nimport { a } from './a';\nexport default a + b;\n",
      'src/b.tsx': "import React from 'react';\nimport { z } from 'z';\nexport const B = () => <b />;\n",
      'tsconfig.json': '{ "compilerOptions": { "jsx": "react-jsx" } }',
    });
    const before = w.snapshot();
    await new Promise((r) => setTimeout(r, 20)); // an mtime change would be visible
    const result = await organize(w);
    expect(result.changeSet?.edits).toHaveLength(2);
    expect(w.snapshot()).toEqual(before);
  });

  it('reads through the workspace reader (unsaved text), not the disk', async () => {
    const w = ws({ 'src/a.ts': 'export const onDisk = 1;\n' });
    const unsaved = new TextEncoder().encode("import { y, x } from './x';\nexport default x;\n");
    const asked: string[] = [];
    const result = await organize(w, {
      files: ['src/a.ts'],
      fs: {
        ...disk(w),
        read: async (rel) => {
          asked.push(rel);
          return unsaved;
        },
      },
    });
    expect(asked).toEqual(['src/a.ts']);
    const edit = editFor(result, 'src/a.ts');
    expect(edit?.content).toBe("import { x } from './x';\nexport default x;\n");
    expect(edit?.baseHash).toBe(sha256(unsaved));
  });

  it('reports progress for every file', async () => {
    const w = ws({ 'a.ts': 'export {};\n', 'b.ts': "import { q } from 'q';\n" });
    const seen: [number, number, string][] = [];
    await organize(w, { onProgress: (done, total, file) => seen.push([done, total, file]) });
    expect(seen).toEqual([
      [1, 2, 'a.ts'],
      [2, 2, 'b.ts'],
    ]);
  });
});

describe('proposeOrganizeImports: cancellation', () => {
  it('rejects with a cancelled error when the signal is already aborted', async () => {
    const w = ws({ 'a.ts': "import { q } from 'q';\n" });
    const controller = new AbortController();
    controller.abort();
    await expect(organize(w, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('stops between files once aborted', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 10; i++) files[`f${i}.ts`] = "import { y, x } from './x';\nexport default x;\n";
    const w = ws(files);
    const controller = new AbortController();
    const done: string[] = [];
    const run = organize(w, {
      signal: controller.signal,
      onProgress: (n, _total, file) => {
        done.push(file);
        if (n === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(done).toEqual(['f0.ts', 'f1.ts', 'f2.ts']);
  });
});
