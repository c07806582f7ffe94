// The unused-export rules where Rusty and knip 6 were compared on real code (rxjs, zod, effect):
// each fixture is the smallest form of a case met there, with the answer Rusty gives and why.
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { analyzeWorkspace } from './index';

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const tsconfig = JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', noEmit: true, types: [] }, include: ['src'] });
const pkg = JSON.stringify({ name: 'fx', type: 'module', exports: { '.': './dist/index.js' } });
const unused = async (files: Record<string, string>) => {
  ws = tempWorkspace({ 'package.json': pkg, 'tsconfig.json': tsconfig, ...files });
  const r = await analyzeWorkspace({ root: ws.root, mode: 'syntactic' });
  return r.unusedExports.map((u) => `${u.file} ${u.name}`);
};

describe('unused exports: cases met on real code', () => {
  it('follows export * chains, and a local export shadows the starred name of every earlier file (effect mcpSchema)', async () => {
    // v3 re-exports v2 re-exports v1, each redefining `Call`. Only v3's `Call` is reachable: ES
    // modules resolve a name to the module's own export before any `export *`. knip 6 walks the
    // star chain without that check and counts v1's and v2's `Call` as used.
    const got = await unused({
      'src/index.ts': "import * as S from './v3';\nexport const run = [S.Call, S.Only1, S.Call.size];\n",
      'src/v1.ts': 'export class Call { static size = 1 }\nexport const Only1 = 1;\nexport const Group = [Call];\n',
      'src/v2.ts': "import * as Previous from './v1';\nexport * from './v1';\nexport class Call { static size = Previous.Call.size }\n",
      'src/v3.ts': "export * from './v2';\nexport class Call { static size = 3 }\n",
    });
    // v1's Call is read by v2 (Previous.Call): used. v2's Call is shadowed by v3's: unused.
    expect(got).toEqual(['src/v1.ts Group', 'src/v2.ts Call']);
  });

  it('keeps a type named by an imported value even when an interface of the value\'s name comes first (rxjs EmptyErrorCtor)', async () => {
    // `interface E` + `const E: ECtor` is one export, a value. Another file imports it, so the
    // annotation's `ECtor` stays exported (that file's inferred declarations may have to name it).
    // knip 6 gives the merged export the kind of its first declaration (interface) and follows no
    // type references of types, so it reports ECtor in this order and not in the other one.
    const got = await unused({
      'src/index.ts': "import { E } from './merged';\nimport { F } from './valueFirst';\nexport const make = () => [new E(), new F()];\n",
      'src/merged.ts': 'export interface E extends Error {}\nexport interface ECtor { new (): E }\nexport const E: ECtor = class extends Error {} as unknown as ECtor;\nexport interface NotNamed { x: 1 }\n',
      'src/valueFirst.ts': 'export const F: FCtor = class extends Error {} as unknown as FCtor;\nexport interface FCtor { new (): F }\nexport interface F extends Error {}\n',
    });
    expect(got).toEqual(['src/merged.ts NotNamed']);
  });

  it('never reports exports tagged @public, @beta or @alias in JSDoc (the tags knip always honours)', async () => {
    const got = await unused({
      'src/index.ts': "import { used } from './lib';\nexport const x = used;\n",
      'src/lib.ts': [
        'export const used = 1;',
        '/** @public */',
        'export const pub = 2;',
        '/** Not stable yet.\n * @beta */',
        'export function beta() { return 3; }',
        '/** @alias */',
        'export const alias = used;',
        '// @beta in a line comment is not JSDoc',
        'export const lineComment = 4;',
        '/** @betamax is another tag */',
        'export const otherTag = 5;',
      ].join('\n'),
    });
    expect(got).toEqual(['src/lib.ts lineComment', 'src/lib.ts otherTag']);
  });
});
