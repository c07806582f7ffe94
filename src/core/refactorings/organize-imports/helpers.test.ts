import { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { collectImports, mayHaveUnusedImports } from './engine';
import { detectStyle } from './formatStyle';
import { insertBarriers, removeBarriers } from './sideEffectBarriers';
import { describeChanges, summarizeFile } from './summary';

const parse = (text: string, name = '/a.ts') => ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);

describe('side-effect barriers', () => {
  it('fence every top-level side-effect import and come out again exactly', () => {
    const text = "import a from 'a';\nimport './x';\nimport './y'; // why\nimport b from 'b';\nimport './last'";
    const barriers = insertBarriers(ts, text, parse(text));
    expect(barriers.count).toBe(6);
    expect(barriers.complete).toBe(true);
    expect(barriers.text.split('\n').filter((l) => l === barriers.marker)).toHaveLength(6);
    expect(removeBarriers(barriers.text, barriers)).toBe(text);
  });

  it('report a side-effect import that shares its line', () => {
    const text = "import a from 'a'; import './x';\n";
    const barriers = insertBarriers(ts, text, parse(text));
    expect(barriers.complete).toBe(false);
    expect(barriers.count).toBe(0);
  });

  it('refuse to restore when a marker went missing or got glued to code', () => {
    const text = "import './x';\nimport a from 'a';\n";
    const barriers = insertBarriers(ts, text, parse(text));
    expect(removeBarriers(barriers.text.replace(`${barriers.marker}\n`, ''), barriers)).toBeUndefined();
    expect(removeBarriers(barriers.text.replace(`${barriers.marker}\n`, `${barriers.marker} `), barriers)).toBeUndefined();
  });
});

describe('detectStyle', () => {
  it('finds 2-space, 4-space and tab indentation and brace spacing', () => {
    expect(detectStyle('function f() {\n  if (x) {\n    y();\n  }\n}\n')).toMatchObject({ indentSize: 2, convertTabsToSpaces: true });
    expect(detectStyle('function f() {\n    if (x) {\n        y();\n    }\n}\n')).toMatchObject({ indentSize: 4 });
    expect(detectStyle('function f() {\n\tif (x) {\n\t\ty();\n\t}\n}\n')).toMatchObject({ convertTabsToSpaces: false });
    expect(detectStyle("import {a} from 'a';\nimport {b, c} from 'b';\n").spacesInBraces).toBe(false);
    expect(detectStyle("import { a } from 'a';\n").spacesInBraces).toBe(true);
    expect(detectStyle('').spacesInBraces).toBe(true);
  });

  it('ignores JSDoc continuation lines', () => {
    expect(detectStyle('/**\n * doc\n */\nfunction f() {\n  return 1;\n}\n').indentSize).toBe(2);
  });
});

describe('mayHaveUnusedImports', () => {
  const check = (text: string, name?: string) => {
    const sf = parse(text, name);
    return mayHaveUnusedImports(ts, sf, collectImports(ts, sf));
  };
  it('is false when every imported name is mentioned elsewhere', () => {
    expect(check("import a, { b as c } from 'x';\nimport * as ns from 'y';\nexport default [a, c, ns];\n")).toBe(false);
    expect(check("import './side';\nexport {};\n")).toBe(false);
  });
  it('is true when a name appears only in its import, or in strings and comments', () => {
    expect(check("import { a, b } from 'x';\nexport default a;\n")).toBe(true);
    expect(check("import { gone } from './gone';\n// gone\nexport const s = 'gone';\n")).toBe(true);
    expect(check("import React from 'react';\nexport const e = <div />;\n", '/a.tsx')).toBe(true);
    expect(check("import * as ns from 'y';\nexport {};\n")).toBe(true);
    expect(check("import { $ } from 'jq';\nexport const x = $$;\n")).toBe(true);
    expect(check("import { ünï } from 'u';\nexport const x = ünïcode;\n")).toBe(true);
  });
});

describe('summary', () => {
  it('separates removals from sorting and merging', () => {
    const before = collectImports(ts, parse("import { b, gone } from 'b';\nimport { a } from 'a';\nimport './s';\n"));
    const after = collectImports(ts, parse("import { a } from 'a';\nimport { b } from 'b';\nimport './s';\n"));
    expect(summarizeFile('x.ts', before, after)).toEqual({ path: 'x.ts', removed: ['gone'], reorganized: true });
    const removalOnly = collectImports(ts, parse("import { b } from 'b';\nimport { a } from 'a';\nimport './s';\n"));
    expect(summarizeFile('x.ts', before, removalOnly)).toEqual({ path: 'x.ts', removed: ['gone'], reorganized: false });
  });

  it('describes many files briefly', () => {
    const files = Array.from({ length: 35 }, (_, i) => ({ path: `f${i}.ts`, removed: ['x'], reorganized: false }));
    const text = describeChanges(files);
    expect(text).toMatch(/^TypeScript's organize imports removes 35 unused imports in 35 files\./);
    expect(text).toContain('- f29.ts: removed `x`');
    expect(text).not.toContain('- f30.ts');
    expect(text).toContain('… and 5 more files');
  });
});
