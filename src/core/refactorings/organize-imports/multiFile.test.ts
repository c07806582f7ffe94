import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../util/hash';
import { proposeOrganizeImports } from './index';
import { contentFor, TempWorkspace } from './testSupport';

// A small but realistic project: a tsconfig, TSX with the automatic runtime, JS and MJS, CRLF,
// side-effect imports, a broken file, ignored and generated folders.
const FILES: Record<string, string> = {
  'tsconfig.json': `{
  // comments are allowed
  "compilerOptions": {
    "target": "ES2022", "module": "ESNext", "moduleResolution": "Bundler",
    "jsx": "react-jsx", "strict": true, "verbatimModuleSyntax": true, "allowJs": true,
  },
  "include": ["src", "test"],
}
`,
  '.gitignore': 'generated/\n*.log\n',
  'src/index.ts': "export { Button } from './components/Button';\nexport { App } from './app';\nexport * from './util/math';\n",
  'src/app.tsx': [
    "import React, { useState, useEffect } from 'react';",
    "import './app.css';",
    "import { List } from './components/List';",
    "import { Button } from './components/Button';",
    '',
    'export function App() {',
    '  const [n, setN] = useState(0);',
    '  return <div><Button onClick={() => setN(n + 1)} /><List items={[n]} /></div>;',
    '}',
    '',
  ].join('\n'),
  'src/components/Button.tsx': "import type { ReactNode } from 'react';\n\nexport function Button(props: { onClick(): void; children?: ReactNode }) {\n  return <button onClick={props.onClick}>{props.children}</button>;\n}\n",
  'src/components/List.tsx': "import type { ReactNode, FC } from 'react';\nimport { clamp } from '../util/math';\n\nexport const List = ({ items }: { items: number[] }): ReactNode => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n",
  'src/util/math.ts': 'export const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));\n',
  'src/util/strings.ts': "import * as path from 'node:path';\nimport { format } from 'node:util';\n\nexport const show = (v: unknown) => format('%o', v);\n",
  'src/util/legacy.js': "const fs = require('fs');\nconst unused = require('os');\nmodule.exports = { read: (p) => fs.readFileSync(p, 'utf8') };\n",
  'src/util/esm.mjs': "import { join, dirname } from 'node:path';\nimport { fileURLToPath } from 'node:url';\n\nexport const here = dirname(fileURLToPath(import.meta.url));\n",
  'src/crlf.ts': "\uFEFF// Windows file\r\nimport { b } from './b';\r\nimport { a, c } from './a';\r\n\r\nexport const x = a + b;\r\n",
  'src/server/main.ts': "import 'reflect-metadata';\nimport { start } from './server';\nimport { config } from './config';\n\nstart(config);\n",
  'src/broken.ts': "import { a } from './a';\nexport function (\n",
  'src/types.d.ts': "import { unused } from 'x';\ndeclare global { const X: number }\n",
  'test/app.test.ts': "import { describe, it, expect, vi } from 'vitest';\nimport { App } from '../src/app';\n\ndescribe('App', () => it('exists', () => expect(App).toBeDefined()));\n",
  'generated/api.ts': "import { unused } from 'x';\nexport const api = 1;\n",
  'node_modules/pkg/index.ts': "import { unused } from 'x';\nexport const pkg = 1;\n",
  'debug.log': 'not code',
};

describe('proposeOrganizeImports on a real multi-file folder', () => {
  let w: TempWorkspace;
  beforeAll(() => {
    w = new TempWorkspace(FILES);
  });
  afterAll(() => w.dispose());

  it('proposes one change set with exactly the files that change', async () => {
    const progress: string[] = [];
    const t0 = performance.now();
    const result = await proposeOrganizeImports({ root: w.root, onProgress: (_d, _t, f) => progress.push(f) });
    const cold = performance.now() - t0;
    const t1 = performance.now();
    await proposeOrganizeImports({ root: w.root });
    const warm = performance.now() - t1;
    const n = progress.length;
    console.log(
      `organize-imports on ${n} files: first run ${cold.toFixed(0)} ms (${(cold / n).toFixed(1)} ms/file, includes loading ts-morph), ` +
        `second run ${warm.toFixed(0)} ms (${(warm / n).toFixed(1)} ms/file)`,
    );

    expect(progress).toEqual([
      'src/app.tsx',
      'src/broken.ts',
      'src/components/Button.tsx',
      'src/components/List.tsx',
      'src/crlf.ts',
      'src/index.ts',
      'src/server/main.ts',
      'src/util/esm.mjs',
      'src/util/legacy.js',
      'src/util/math.ts',
      'src/util/strings.ts',
      'test/app.test.ts',
    ]);
    expect(result.skipped).toEqual([{ path: 'src/broken.ts', reason: expect.stringMatching(/^does not parse: .*line 2/) }]);

    const cs = result.changeSet;
    expect(cs?.title).toBe('Organize imports in 8 files');
    expect(cs?.source).toBe('refactoring:organize-imports');
    expect(cs?.priority).toBe('low');
    expect(cs?.edits.map((e) => e.path)).toEqual([
      'src/app.tsx',
      'src/components/List.tsx',
      'src/crlf.ts',
      'src/index.ts',
      'src/server/main.ts',
      'src/util/esm.mjs',
      'src/util/strings.ts',
      'test/app.test.ts',
    ]);
    for (const edit of cs?.edits ?? []) {
      expect(edit.kind).toBe('modify');
      if (edit.kind === 'modify') expect(edit.baseHash).toBe(sha256(w.bytes(edit.path)));
    }

    expect(contentFor(result, 'src/app.tsx')).toBe(
      [
        "import { useState } from 'react';",
        "import './app.css';",
        "import { Button } from './components/Button';",
        "import { List } from './components/List';",
        '',
        'export function App() {',
        '  const [n, setN] = useState(0);',
        '  return <div><Button onClick={() => setN(n + 1)} /><List items={[n]} /></div>;',
        '}',
        '',
      ].join('\n'),
    );
    expect(contentFor(result, 'src/components/List.tsx')).toBe(
      "import type { ReactNode } from 'react';\n\nexport const List = ({ items }: { items: number[] }): ReactNode => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n",
    );
    expect(contentFor(result, 'src/crlf.ts')).toBe(
      "\uFEFF// Windows file\r\nimport { a } from './a';\r\nimport { b } from './b';\r\n\r\nexport const x = a + b;\r\n",
    );
    expect(contentFor(result, 'src/index.ts')).toBe(
      "export { App } from './app';\nexport { Button } from './components/Button';\nexport * from './util/math';\n",
    );
    expect(contentFor(result, 'src/server/main.ts')).toBe(
      "import 'reflect-metadata';\nimport { config } from './config';\nimport { start } from './server';\n\nstart(config);\n",
    );
    expect(contentFor(result, 'src/util/esm.mjs')).toBe(
      "import { dirname } from 'node:path';\nimport { fileURLToPath } from 'node:url';\n\nexport const here = dirname(fileURLToPath(import.meta.url));\n",
    );
    expect(contentFor(result, 'src/util/strings.ts')).toBe("import { format } from 'node:util';\n\nexport const show = (v: unknown) => format('%o', v);\n");
    expect(contentFor(result, 'test/app.test.ts')).toBe(
      "import { describe, expect, it } from 'vitest';\nimport { App } from '../src/app';\n\ndescribe('App', () => it('exists', () => expect(App).toBeDefined()));\n",
    );

    expect(cs?.rationale).toMatch(/removes 8 unused imports in 6 files/);
    expect(cs?.rationale).toContain('- src/app.tsx: removed `React`, `useEffect`; sorted/merged');
  });
});
