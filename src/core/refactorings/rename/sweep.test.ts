// Opt-in robustness sweep on real code (RUSTY_REFACTOR_SWEEP=1; RUSTY_SWEEP_N, RUSTY_SWEEP_SEED):
// rename random identifiers of rxjs and zod to *other names already used in the same file* (the
// hardest case for collision checks). Every proposal that is not refused is applied in memory and
// the whole program type-checked: it must report exactly the diagnostics it reported before (a
// missed collision usually shows up as a new error). Also runs inline-variable and extract-function
// over many targets and requires that they either propose or refuse, never crash.
import type { ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { isRustyError } from '../../util/errors';
import { proposeExtractFunction } from '../extract-function';
import { proposeInlineVariable } from '../inline-variable';
import { proposeRename } from './index';
import { positionOf, ScratchEdits } from './support';

const N = Number(process.env.RUSTY_SWEEP_N ?? 40);
const SEED = Number(process.env.RUSTY_SWEEP_SEED ?? 7);
const PACKAGES = [['rxjs', '7.8.2'], ['zod', '3.25.76']] as const;

function programDiagnostics(wp: WorkspaceProject): string {
  const t = wp.ts;
  const program = wp.project.getLanguageService().compilerObject.getProgram()!;
  return t.getPreEmitDiagnostics(program).map((d) => `${d.file ? wp.rel(d.file.fileName) : ''} TS${d.code} ${t.flattenDiagnosticMessageText(d.messageText, ' ')}`).sort().join('\n');
}

function identifiers(t: typeof ts, sf: ts.SourceFile): ts.Identifier[] {
  const out: ts.Identifier[] = [];
  const visit = (n: ts.Node): void => {
    if (t.isIdentifier(n)) out.push(n);
    t.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

async function outcome(p: Promise<unknown>): Promise<'ok' | 'refused'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    if (isRustyError(err) && err.code === 'refused') return 'refused';
    throw err;
  }
}

describe.skipIf(!process.env.RUSTY_REFACTOR_SWEEP)('refactoring sweep on real code', () => {
  for (const [name, version] of PACKAGES) {
    it(`${name}: renames to clashing names are refused or keep the program's diagnostics`, async () => {
      const wp = await WorkspaceProject.load({ root: fetchRealPackage(name, version).root });
      const t = wp.ts;
      const base = programDiagnostics(wp);
      const files = wp.files();
      let seed = SEED;
      const rand = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const stats = { ok: 0, refused: 0 };
      const missed: string[] = [];
      for (let k = 0; k < N; k++) {
        const rel = files[rand(files.length)]!;
        const sf = wp.sourceFile(rel).compilerNode;
        const ids = identifiers(t, sf);
        const a = ids[rand(ids.length)];
        const b = ids[rand(ids.length)];
        if (!a || !b || a.text === b.text) continue;
        const at = positionOf(sf, a.getStart(sf));
        let cs;
        try {
          cs = await proposeRename({ project: wp }, { file: rel, at, newName: b.text });
        } catch (err) {
          if (isRustyError(err) && err.code === 'refused') {
            stats.refused++;
            continue;
          }
          throw new Error(`${rel}:${at.line}:${at.column} ${a.text} → ${b.text}: ${(err as Error).stack}`);
        }
        const scratch = new ScratchEdits(wp);
        try {
          for (const e of cs.edits) if (e.kind === 'modify') scratch.set(e.path, e.content.replace(/\r\n/g, '\n'));
          if (programDiagnostics(wp) === base) stats.ok++;
          else missed.push(`${rel}:${at.line}:${at.column} ${a.text} → ${b.text}`);
        } finally {
          scratch.restore();
        }
      }
      console.log(`${name} rename sweep: ${JSON.stringify(stats)}; missed: ${missed.length}`);
      expect(missed).toEqual([]);
    }, 3_600_000);

    it(`${name}: inline-variable and extract-function propose or refuse, never crash`, async () => {
      const wp = await WorkspaceProject.load({ root: fetchRealPackage(name, version).root });
      const t = wp.ts;
      const counts = { inline: { ok: 0, refused: 0 }, extract: { ok: 0, refused: 0 } };
      let i = 0;
      for (const rel of wp.files()) {
        const sf = wp.sourceFile(rel).compilerNode;
        const consts: ts.VariableDeclaration[] = [];
        const blocks: ts.Block[] = [];
        const visit = (n: ts.Node): void => {
          if (t.isVariableDeclaration(n) && t.isIdentifier(n.name) && n.initializer) consts.push(n);
          if (t.isBlock(n) && n.statements.length >= 2 && t.isFunctionLike(n.parent)) blocks.push(n);
          t.forEachChild(n, visit);
        };
        visit(sf);
        for (const d of consts) {
          if (i++ % 25 !== 0) continue;
          counts.inline[await outcome(proposeInlineVariable({ project: wp }, { file: rel, at: positionOf(sf, d.name.getStart(sf)) }))]++;
        }
        for (const b of blocks) {
          if (i++ % 25 !== 0) continue;
          const start = positionOf(sf, b.statements[0]!.getStart(sf));
          const end = positionOf(sf, b.statements[1]!.end);
          counts.extract[await outcome(proposeExtractFunction({ project: wp }, { file: rel, start, end, name: 'extractedPart' }))]++;
        }
      }
      console.log(`${name} inline/extract sweep: ${JSON.stringify(counts)}`);
      expect(counts.inline.ok + counts.extract.ok).toBeGreaterThan(0);
      expect(wp.changedEdits()).toEqual([]);
    }, 3_600_000);
  }
});
