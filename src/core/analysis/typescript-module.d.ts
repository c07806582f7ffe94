// ts-morph's bundled TypeScript has no typings of its own path: it is ts-morph's `ts`.
declare module '@ts-morph/common/dist/typescript.js' {
  import type { ts } from 'ts-morph';
  const typescript: typeof ts & { default?: typeof ts };
  export = typescript;
}
