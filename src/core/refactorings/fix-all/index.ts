// Fix all: registered as `proposeFixAll` (the Refactor contract in ../api.ts); `fixAll` also
// reports the fix id, how many diagnostics were found and fixed, and what else changed.
import type { FixAllParams, Refactor } from '../api';
import { fixAll } from './fixAll';

export { fixAll, FIX_ALL_SOURCE, type FixAllOptions, type FixAllResult } from './fixAll';

export const proposeFixAll: Refactor<FixAllParams> = async (ctx, params) => (await fixAll(ctx, params)).changeSet;
