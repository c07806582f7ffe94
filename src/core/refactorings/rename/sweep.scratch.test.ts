import { it } from 'vitest';
import type { ts } from 'ts-morph';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { proposeRename } from './index';
import { positionOf, ScratchEdits } from './support';
import { isRustyError } from '../../util/errors';

function fullDiags(wp: WorkspaceProject): string[] {
  const t = wp.ts;
  const program = wp.project.getLanguageService().compilerObject.getProgram()!;
  return t.getPreEmitDiagnostics(program).map((d) => `${d.file ? wp.rel(d.file.fileName) : ''} TS${d.code} ${t.flattenDiagnosticMessageText(d.messageText, ' ')}`).sort();
}

it('sweep collisions', async () => {
  const root = fetchRealPackage(process.env.PKG ?? 'rxjs', process.env.VER ?? '7.8.2').root;
  const wp = await WorkspaceProject.load({ root });
  const t = wp.ts;
  const base = fullDiags(wp);
  const files = wp.files().filter((f) => f.endsWith('.ts'));
  let seed = Number(process.env.SEED ?? 1);
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const stats = { ok: 0, refused: 0, missed: 0, falsePositive: 0, crash: 0 };
  const N = Number(process.env.N ?? 30);
  for (let k = 0; k < N; k++) {
    const rel = files[rand(files.length)]!;
    const sf = wp.sourceFile(rel).compilerNode;
    const ids: ts.Identifier[] = [];
    const visit = (n: ts.Node) => { if (t.isIdentifier(n)) ids.push(n); t.forEachChild(n, visit); };
    visit(sf);
    if (ids.length < 2) continue;
    const a = ids[rand(ids.length)]!;
    const b = ids[rand(ids.length)]!;
    if (a.text === b.text) continue;
    const at = positionOf(sf, a.getStart(sf));
    try {
      const cs = await proposeRename({ project: wp }, { file: rel, at, newName: b.text });
      const scratch = new ScratchEdits(wp);
      try {
        for (const e of cs.edits) if (e.kind === 'modify') scratch.set(e.path, e.content.replace(/\r\n/g, '\n'));
        const after = fullDiags(wp);
        const same = JSON.stringify(after) === JSON.stringify(base);
        if (same) stats.ok++;
        else { stats.missed++; console.log(`MISSED ${rel}:${at.line}:${at.column} ${a.text} -> ${b.text}\n  ${after.filter((d) => !base.includes(d)).slice(0, 3).join('\n  ')}`); }
      } finally { scratch.restore(); }
    } catch (err) {
      if (isRustyError(err) && err.code === 'refused') {
        stats.refused++;
        if (process.env.SHOW) console.log(`refused ${rel}:${at.line}:${at.column} ${a.text} -> ${b.text}: ${err.message.slice(0, 200)}`);
      } else { stats.crash++; console.log(`CRASH ${rel}:${at.line}:${at.column} ${a.text} -> ${b.text}: ${(err as Error).stack?.slice(0, 500)}`); }
    }
  }
  console.log(JSON.stringify(stats));
}, 3_600_000);
