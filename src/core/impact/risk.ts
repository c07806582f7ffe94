// Risk 0–100 as a sum of named reasons, so a reviewer sees why, not just a number. Pure.
import type { ImpactReport, RiskAssessment, RiskLevel, RiskReason } from './types';

export type RiskInput = Omit<ImpactReport, 'risk' | 'version' | 'computedAt' | 'durationMs' | 'notes' | 'timings'>;

export const RISK_LEVELS: { level: RiskLevel; from: number }[] = [
  { level: 'high', from: 40 },
  { level: 'medium', from: 20 },
  { level: 'low', from: 0 },
];

export function levelOf(score: number): RiskLevel {
  return RISK_LEVELS.find((l) => score >= l.from)!.level;
}

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;

export function assessRisk(r: RiskInput): RiskAssessment {
  const reasons: RiskReason[] = [];
  const add = (id: string, points: number, text: string) => {
    if (points > 0) reasons.push({ id, points, text });
  };
  const codeFiles = r.files.filter((f) => f.role === 'code' || f.role === 'test');
  const codeChanged = r.symbols.some((s) => !s.commentsOnly) || r.files.some((f) => (f.role === 'code' || f.role === 'test') && f.kind !== 'modify');
  const onlyTests = codeFiles.length > 0 && codeFiles.every((f) => f.role === 'test');

  const introduced = r.typeCheck.introduced.length;
  if (introduced) {
    const first = r.typeCheck.introduced[0]!;
    add('type-errors', Math.min(50, 40 + 5 * (introduced - 1)), `introduces ${plural(introduced, 'type error')} (first: ${first.file}:${first.line} TS${first.code})`);
  }

  const api = r.publicApi.changes;
  const breaking = api.filter((c) => c.change !== 'added');
  if (breaking.length) {
    const names = breaking.slice(0, 3).map((c) => `${c.name} ${c.change}`).join(', ');
    add('public-api', 30, `changes the public API: ${names}${breaking.length > 3 ? `, +${breaking.length - 3} more` : ''}`);
  } else if (api.length) {
    add('public-api-added', 10, `adds ${plural(api.length, 'export')} to the public API (${api.slice(0, 3).map((c) => c.name).join(', ')})`);
  }

  const refs = r.references.total;
  if (refs >= 1 && codeChanged) add('references', refs >= 50 ? 20 : refs >= 10 ? 10 : 5, `${plural(refs, 'reference')} to changed exported symbols`);

  const deps = r.dependents.total;
  if (deps >= 10 && codeChanged) add('dependents', deps >= 200 ? 15 : deps >= 50 ? 10 : 5, `${plural(deps, 'file')} depend on the changed files${r.dependents.truncated ? ' (at least)' : ''}`);

  if (codeChanged && !onlyTests && r.tests.length === 0) add('no-tests', 15, 'no test file reaches the changed code');

  const deleted = r.files.filter((f) => f.kind === 'delete');
  if (deleted.length) add('deletes-files', 10, `deletes ${plural(deleted.length, 'file')}`);

  const config = r.files.filter((f) => f.role === 'config');
  if (config.length) add('config', 20, `changes build configuration (${config.map((f) => f.path).join(', ')}), which can affect every file`);

  if (r.typeCheck.status === 'skipped' && codeChanged) add('unchecked', 10, `type-check delta not computed: ${r.typeCheck.reason ?? 'skipped'}`);
  else if (r.typeCheck.status === 'partial') add('partially-checked', 5, `type-checked only the changed files and their direct importers: ${r.typeCheck.reason ?? ''}`.trim());

  const score = Math.min(100, reasons.reduce((n, x) => n + x.points, 0));
  if (!reasons.length) {
    reasons.push({ id: 'none', points: 0, text: codeChanged ? 'no new type errors, no public API change, tests reach the change' : r.symbols.length ? 'comments or formatting only' : codeFiles.length ? 'no declarations changed' : 'no TypeScript or JavaScript changed' });
  }
  return { score, level: levelOf(score), reasons };
}
