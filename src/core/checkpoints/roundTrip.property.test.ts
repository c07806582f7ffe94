// Property: whatever the proposal, the partial approval and the user's edits before approve and
// after apply, Rusty never loses a byte the user wrote, and a clean round trip restores every
// file byte for byte.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempWorkspace, type TempWorkspace } from '../testing/tempWorkspace';
import { sha256 } from '../util/hash';
import { isRustyError } from '../util/errors';

const LINES = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const fileArb = fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 25 }).map((ls) => ls.join('\n') + '\n');
const NAMES = ['a.ts', 'b.ts', 'src/c.ts', 'src/deep/d.ts'];

// A user edit: insert a unique marker line at a relative position.
const editArb = fc.record({ file: fc.nat(), at: fc.double({ min: 0, max: 1, noNaN: true }) });

interface Scenario {
  files: string[];
  proposed: (string | null)[]; // new content per file (null = unchanged)
  create: boolean;
  remove: number | null;
  picks: boolean[];
  before: { file: number; at: number }[];
  after: { file: number; at: number }[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  files: fc.array(fileArb, { minLength: NAMES.length, maxLength: NAMES.length }),
  proposed: fc.array(fc.option(fileArb, { nil: null }), { minLength: NAMES.length, maxLength: NAMES.length }),
  create: fc.boolean(),
  remove: fc.option(fc.nat({ max: NAMES.length - 1 }), { nil: null }),
  picks: fc.array(fc.boolean(), { maxLength: 40 }),
  before: fc.array(editArb, { maxLength: 3 }),
  after: fc.array(editArb, { maxLength: 3 }),
});

let ws: TempWorkspace;
let marker = 0;

function insertMarker(rel: string, at: number): string | undefined {
  const file = path.join(ws.root, rel);
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const m = `USER-${++marker}`;
  lines.splice(Math.floor(at * (lines.length - 1)), 0, m);
  fs.writeFileSync(file, lines.join('\n'));
  return m;
}

function snapshot(): Map<string, string> {
  return ws.snapshot();
}

function filesOnly(snap: Map<string, string>): Map<string, string> {
  return new Map([...snap].filter(([k]) => !k.endsWith('/')));
}

function allText(): string {
  return [...snapshot().keys()].filter((k) => !k.endsWith('/')).map((k) => ws.read(k)).join('\n');
}

beforeAll(() => {
  ws = tempWorkspace();
});
afterAll(() => ws.cleanup());

describe('apply and rollback never lose user bytes', () => {
  it('holds for random proposals, partial approvals and user edits', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, async (s) => {
      fs.rmSync(ws.root, { recursive: true, force: true });
      fs.mkdirSync(ws.root);
      NAMES.forEach((n, i) => ws.write(n, s.files[i]!));
      const core = ws.core();
      const edits: unknown[] = [];
      NAMES.forEach((n, i) => {
        if (i === s.remove) edits.push({ kind: 'delete', path: n, baseHash: ws.hash(n) });
        else if (s.proposed[i] && s.proposed[i] !== s.files[i]) edits.push({ kind: 'modify', path: n, baseHash: ws.hash(n), content: s.proposed[i] });
      });
      if (s.create) edits.push({ kind: 'create', path: 'new/dir/e.ts', content: 'created\n' });
      if (!edits.length) return;
      const { proposal } = await core.submit({ title: 'p', source: 'property', edits });

      // The user edits before approving.
      const markers = s.before.map((e) => insertMarker(NAMES[e.file % NAMES.length]!, e.at)).filter((m): m is string => !!m);
      const preApprove = snapshot();

      // A random subset of hunks (or everything when nothing was picked).
      const hunkIds = proposal.files.flatMap((f) => f.hunks.map((h) => h.id));
      const chosen = hunkIds.filter((_, i) => s.picks[i]);
      try {
        await core.approve(proposal.id, chosen.length ? { hunks: chosen } : {});
      } catch (err) {
        if (!isRustyError(err) || (err.code !== 'conflict' && err.code !== 'stale')) throw err;
        expect(snapshot()).toEqual(preApprove); // refused: nothing written
        return;
      }
      for (const m of markers) expect(allText()).toContain(m);

      // The user keeps typing after the apply.
      const later = s.after.map((e) => insertMarker(NAMES[e.file % NAMES.length]!, e.at)).filter((m): m is string => !!m);
      const preRollback = snapshot();
      try {
        await core.rollback(proposal.id);
      } catch (err) {
        if (!isRustyError(err) || err.code !== 'conflict') throw err;
        expect(snapshot()).toEqual(preRollback);
        // Forced rollback restores the checkpoint exactly; redo brings back every later byte.
        const forced = await core.rollback(proposal.id, { force: true });
        // Files the proposal touched are back exactly; files it never touched keep the user's edits.
        const expected = filesOnly(preRollback);
        for (const f of forced.files) {
          if (preApprove.has(f)) expected.set(f, preApprove.get(f)!);
          else expected.delete(f);
        }
        expect(filesOnly(snapshot())).toEqual(expected);
        await core.redo(proposal.id);
        expect(snapshot()).toEqual(preRollback);
        return;
      }
      const text = allText();
      for (const m of [...markers, ...later]) expect(text).toContain(m);
      if (!later.length) expect(snapshot()).toEqual(preApprove); // clean round trip: byte for byte
    }), { numRuns: Number(process.env.RUSTY_PROPERTY_RUNS ?? 120) });
    expect(sha256('')).toHaveLength(64);
  });
});
