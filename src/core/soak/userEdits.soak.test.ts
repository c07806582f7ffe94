// Soak R2: randomized user edits around a proposal, every outcome checked against a model.
// A proposal replaces a few lines of some files (LF or CRLF); the user edits lines too — inside
// the changed regions, right next to them, clearly outside them (replacing and inserting lines),
// or a file the proposal does not touch — either before approve or between approve and rollback.
// The model (a line-wise merge over the base) says what each file must hold:
//   - outside: approve merges (both edits present); rollback removes only the proposal's lines and
//     keeps the user's; redo brings the proposal's lines back, still keeping the user's;
//   - inside: approve (or rollback) refuses with a one-line `conflict` error and nothing changes;
//   - adjacent: either outcome is acceptable, but a merge must equal the model exactly.
// A user edit that is lost, or any file that differs from the model, is a clobber.
import { afterAll, describe, expect, it } from 'vitest';
import { isRustyError } from '../util/errors';
import { rng } from '../testing/random';
import { modify, tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { sameTree, treeDiff } from '../testing/tree';
import { CONTROL_CHARS, eachSeed, SoakRecorder, soakSeeds, soakTrials, SOAK_TIMEOUT_MS } from './harness';

const FILE = 'src/core/soak/userEdits.soak.test.ts';
const TRIALS = soakTrials(60, 1000);
const rec = new SoakRecorder('R2', 'user edits around approve / rollback / redo (model-checked)', FILE);

afterAll(() => {
  rec.finish();
});

type Where = 'inside' | 'adjacent' | 'outside' | 'other-file';
type When = 'before-approve' | 'before-rollback';

interface FileModel {
  rel: string;
  eol: '\n' | '\r\n';
  base: string[];
  /** Proposal's replaced lines (base index → text). */
  p: Map<number, string>;
  /** User's replaced lines and inserted lines (inserted before base index). */
  u: Map<number, string>;
  ins: Map<number, string[]>;
}

/** The file as a line-wise merge of the base with the chosen sides' edits. */
function render(f: FileModel, withP: boolean, withU: boolean): string {
  const out: string[] = [];
  for (let i = 0; i <= f.base.length; i++) {
    if (withU) out.push(...(f.ins.get(i) ?? []));
    if (i === f.base.length) break;
    out.push((withU ? f.u.get(i) : undefined) ?? (withP ? f.p.get(i) : undefined) ?? f.base[i]!);
  }
  return out.map((l) => l + f.eol).join('');
}

function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

function scenario(seed: number) {
  const rand = rng(seed);
  const where: Where = pick(rand, ['inside', 'adjacent', 'outside', 'outside', 'other-file'] as const);
  const when: When = rand() < 0.5 ? 'before-approve' : 'before-rollback';
  const nFiles = 2 + Math.floor(rand() * 3);
  const files: FileModel[] = [];
  for (let k = 0; k < nFiles; k++) {
    const n = 12 + Math.floor(rand() * 40);
    const base = Array.from({ length: n }, (_, i) => `f${k} line ${i} ${Math.floor(rand() * 1e6).toString(36)}`);
    files.push({ rel: k % 2 ? `src/deep/f${k}.ts` : `f${k}.txt`, eol: rand() < 0.3 ? '\r\n' : '\n', base, p: new Map(), u: new Map(), ins: new Map() });
  }
  // The proposal changes 1–3 regions of 1–3 lines in every file but the last (which stays untouched).
  for (const f of files.slice(0, -1)) {
    const regions = 1 + Math.floor(rand() * 3);
    for (let r = 0; r < regions; r++) {
      const start = Math.floor(rand() * f.base.length);
      const len = 1 + Math.floor(rand() * 3);
      for (let i = start; i < Math.min(f.base.length, start + len); i++) f.p.set(i, `P${seed}:${f.rel}:${i} proposal text`);
    }
  }
  // The user's edit, in one touched file (or the untouched one).
  const target = where === 'other-file' ? files[files.length - 1]! : pick(rand, files.slice(0, -1));
  const dist = (i: number) => Math.min(...[...target.p.keys()].map((j) => Math.abs(i - j)));
  const userText = (i: number) => `U${seed}:${target.rel}:${i} user text`;
  if (where === 'inside') {
    const changed = [...target.p.keys()];
    target.u.set(pick(rand, changed), userText(0));
    if (rand() < 0.5) target.u.set(pick(rand, changed), userText(1));
  } else if (where === 'adjacent') {
    const cands = target.base.map((_, i) => i).filter((i) => dist(i) === 1);
    if (cands.length) target.u.set(pick(rand, cands), userText(0));
  } else {
    const far = (i: number) => where === 'other-file' || dist(i) >= 3;
    const cands = target.base.map((_, i) => i).filter(far);
    const edits = 1 + Math.floor(rand() * 3);
    for (let e = 0; e < edits && cands.length; e++) {
      const i = pick(rand, cands);
      if (rand() < 0.6) target.u.set(i, userText(i));
      // insert before line i (only where both neighbours are far from the proposal's lines)
      else if (far(i) && (i === 0 || far(i - 1))) target.ins.set(i, [...(target.ins.get(i) ?? []), `${userText(i)} inserted`]);
    }
  }
  const effective: Where = where !== 'other-file' && target.u.size === 0 && target.ins.size === 0 ? 'outside' : where;
  return { where: effective, when, files, target, redo: rand() < 0.5 };
}

function writeUserEdit(ws: TempWorkspace, f: FileModel, withP: boolean): void {
  ws.write(f.rel, render(f, withP, true));
}

function checkFiles(ws: TempWorkspace, files: FileModel[], withP: boolean, withU: (f: FileModel) => boolean, step: string): string[] {
  const out: string[] = [];
  for (const f of files) {
    const expected = render(f, withP && f.p.size > 0, withU(f));
    const actual = ws.exists(f.rel) ? ws.read(f.rel) : '<missing>';
    if (actual !== expected) {
      const lost = [...f.u.values(), ...[...f.ins.values()].flat()].filter((t) => withU(f) && !actual.includes(t));
      out.push(`${step}: ${f.rel} differs from the model${lost.length ? ` (user edit LOST: ${lost.length} line(s))` : ''}`);
    }
  }
  return out;
}

/** A refusal must be a one-line `conflict` error that changed nothing. */
async function expectRefusal(ws: TempWorkspace, op: () => Promise<unknown>, step: string): Promise<{ refused: boolean; problems: string[] }> {
  const before = ws.snapshot();
  try {
    await op();
    return { refused: false, problems: [] };
  } catch (err) {
    const problems: string[] = [];
    if (!isRustyError(err) || err.code !== 'conflict') problems.push(`${step}: refused with ${isRustyError(err) ? err.code : 'a non-Rusty error'}: ${(err as Error).message}`);
    if (CONTROL_CHARS.test((err as Error).message)) problems.push(`${step}: the refusal has control characters or several lines`);
    const after = ws.snapshot();
    if (!sameTree(before, after)) problems.push(`${step}: refused but changed the workspace: ${treeDiff(before, after).slice(0, 4).join(', ')}`);
    return { refused: true, problems };
  }
}

describe('R2: user edits are never clobbered', () => {
  it(`matches the model in every trial (${TRIALS} trials)`, async () => {
    const counts = new Map<string, number>();
    const outcomes = new Map<string, number>();
    const outcome = (k: string) => outcomes.set(k, (outcomes.get(k) ?? 0) + 1);
    await eachSeed(rec, soakSeeds(TRIALS), async (seed) => {
      const s = scenario(seed);
      const label = `${s.where} edit ${s.when}${s.redo ? ', then redo' : ''}`;
      counts.set(`${s.where}/${s.when}`, (counts.get(`${s.where}/${s.when}`) ?? 0) + 1);
      const ws = tempWorkspace(Object.fromEntries(s.files.map((f) => [f.rel, render(f, false, false)])));
      const problems: string[] = [];
      const userOn = (f: FileModel) => f === s.target;
      try {
        const core = ws.core();
        const edits = s.files.filter((f) => f.p.size).map((f) => modify(ws, f.rel, render(f, true, false).replace(/\r\n/g, '\n')));
        const { proposal } = await core.submit({ title: `R2 ${seed}`, source: 'test:soak', edits });

        if (s.when === 'before-approve') {
          writeUserEdit(ws, s.target, false);
          const r = await expectRefusal(ws, () => core.approve(proposal.id), 'approve');
          problems.push(...r.problems);
          outcome(`approve ${r.refused ? 'refused' : 'merged'}`);
          if (r.refused) {
            if (s.where === 'outside' || s.where === 'other-file') problems.push('approve refused a user edit outside the changed regions');
            return problems.map((p) => `${label}: ${p}`);
          }
          if (s.where === 'inside') return [`${label}: approve did NOT refuse an overlapping user edit`, ...checkFiles(ws, s.files, true, userOn, 'approve')];
          problems.push(...checkFiles(ws, s.files, true, userOn, 'approve'));
        } else {
          await core.approve(proposal.id);
          problems.push(...checkFiles(ws, s.files, true, () => false, 'approve'));
          writeUserEdit(ws, s.target, s.target.p.size > 0);
        }

        const r = await expectRefusal(ws, () => core.rollback(proposal.id), 'rollback');
        problems.push(...r.problems);
        outcome(`rollback ${r.refused ? 'refused' : 'kept user edits'}`);
        if (r.refused) {
          if (s.where === 'outside' || s.where === 'other-file') problems.push('rollback refused although the user edit is outside the proposal');
          return problems.map((p) => `${label}: ${p}`);
        }
        if (s.where === 'inside') problems.push('rollback did NOT refuse over an overlapping user edit');
        problems.push(...checkFiles(ws, s.files, false, userOn, 'rollback'));

        if (s.redo) {
          const d = await expectRefusal(ws, () => core.redo(proposal.id), 'redo');
          problems.push(...d.problems);
          if (d.refused) problems.push('redo refused although nothing changed since the rollback');
          else problems.push(...checkFiles(ws, s.files, true, userOn, 'redo'));
        }
        const audit = core.verifyAudit();
        if (!audit.ok) problems.push(`audit does not verify: ${audit.message}`);
        return problems.map((p) => `${label}: ${p}`);
      } finally {
        ws.cleanup();
      }
    });
    rec.note(`scenarios: ${[...counts].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    rec.note(`outcomes: ${[...outcomes].sort().map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(rec.summary()).toEqual([]);
  }, SOAK_TIMEOUT_MS);
});
