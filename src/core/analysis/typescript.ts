// The TypeScript compiler the analysis runs on: the copy ts-morph bundles (one version for the
// analysis, the refactorings and the `tsc --noEmit` it is compared with), loaded directly rather
// than through ts-morph. The analysis uses no ts-morph wrappers, loading ts-morph costs startup
// time, and its re-export puts two more getters in front of every `ts.x` the walks call.
// The typings of that path are an ambient module declaration; referencing it here makes every
// tsconfig that reaches this file (the host-test suite's too) see them.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./typescript-module.d.ts" />
import type { ts as TsNamespace } from 'ts-morph';

export type Ts = typeof TsNamespace;

let cached: Promise<Ts> | undefined;

export function loadTypeScript(): Promise<Ts> {
  // CommonJS through a dynamic import (native or a bundle's) may arrive as `{ default: module.exports }`.
  cached ??= import('@ts-morph/common/dist/typescript.js').then((mod: Ts & { default?: Ts }) => (mod.default && typeof mod.default.createSourceFile === 'function' ? mod.default : mod));
  return cached;
}
