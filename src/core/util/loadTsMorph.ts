// ts-morph is CommonJS and heavy: load it on first use only. Through the CLI's split ESM bundle
// a dynamic import yields `{ default: module.exports }`; under plain Node it also has the named
// exports. Accept both.
import type * as TsMorphModule from 'ts-morph';

type TsMorph = typeof TsMorphModule;

let cached: Promise<TsMorph> | undefined;

export function loadTsMorph(): Promise<TsMorph> {
  cached ??= import('ts-morph').then((mod) => {
    const withDefault = mod as TsMorph & { default?: TsMorph };
    return withDefault.default && 'Project' in withDefault.default ? withDefault.default : mod;
  });
  return cached;
}
