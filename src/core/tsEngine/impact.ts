// The impact of a change set on the engine the setting selects: native (the project's TypeScript
// ≥ 7, or Rusty's with `native`) or bundled. `engines` keeps the native engine warm across calls
// (the extension); without it a native engine is opened for this one call and closed (the CLI).
import type { ChangeSet } from '../proposals/changeSet';
import type { Proposal } from '../proposals/model';
import type { ComputeImpactOptions } from '../impact/computeImpact';
import type { ImpactReport } from '../impact/types';
import { RustyError } from '../util/errors';
import { readerOf } from '../engine/context';
import { touchesCode } from '../impact/classify';
import { NativeTsEngine } from './native';
import { selectEngine, type EngineSetting } from './select';
import type { TsEngines } from './index';

export async function impactOnEngine(input: ChangeSet | Proposal, opts: ComputeImpactOptions & { engine: EngineSetting; engines?: TsEngines }): Promise<ImpactReport> {
  const { computeImpact } = await import('../impact/computeImpact');
  const { engine: setting, engines, ...rest } = opts;
  const root = readerOf(opts).root;
  const choice = selectEngine({ setting, root });
  if (choice.engine === 'bundled') {
    await engines?.close();
    return computeImpact(input, rest);
  }
  // Nothing to type-check (no TypeScript/JavaScript touched): no compiler process either.
  if ('edits' in input && !touchesCode(input)) return computeImpact(input, rest);
  let native: NativeTsEngine;
  try {
    native = engines ? (await engines.get(setting)).native! : await NativeTsEngine.open({ root, apiPath: choice.apiPath, version: choice.version, source: choice.source, ...(opts.tsconfig ? { tsconfig: opts.tsconfig } : {}) });
  } catch (err) {
    // `auto` falls back to the bundled TypeScript (and says why); an explicit `native` does not.
    if (setting === 'native' || !(err instanceof RustyError)) throw err;
    const report = await computeImpact(input, rest);
    report.notes.push(`The native TypeScript ${choice.version} was not used: ${err.message}`);
    return report;
  }
  try {
    return await computeImpact(input, { ...rest, typeChecker: native });
  } finally {
    if (!engines) await native.close();
  }
}
