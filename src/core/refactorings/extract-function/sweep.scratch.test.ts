import { it } from 'vitest';
import type { ts } from 'ts-morph';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { proposeExtractFunction } from './index';
import { positionOf } from '../rename/support';
import { isRustyError } from '../../util/errors';

it('sweep extract', async () => {
  const root = fetchRealPackage(process.env.PKG ?? 'zod', process.env.VER ?? '3.25.76').root;
  const wp = await WorkspaceProject.load({ root });
  const t = wp.ts;
  const stats: Record<string, number> = {};
  const oks: string[] = [];
  let n = 0;
  const files = wp.files().filter((f) => !process.env.ONLY || f.includes(process.env.ONLY));
  for (const rel of files) {
    const sf = wp.sourceFile(rel).compilerNode;
    const blocks: ts.Block[] = [];
    const visit = (x: ts.Node) => { if (t.isBlock(x) && x.statements.length >= 2 && t.isFunctionLike(x.parent)) blocks.push(x); t.forEachChild(x, visit); };
    visit(sf);
    for (const b of blocks) {
      if (n++ % Number(process.env.EVERY ?? 10) !== 0) continue;
      const first = b.statements[0]!;
      const last = b.statements[Math.min(b.statements.length - 1, 1)]!;
      const start = positionOf(sf, first.getStart(sf));
      const end = positionOf(sf, last.end);
      try {
        const cs = await proposeExtractFunction({ project: wp }, { file: rel, start, end, name: 'extractedPart' });
        stats.ok = (stats.ok ?? 0) + 1;
        oks.push(`${rel}:${start.line}:${start.column}-${end.line}:${end.column} ${cs.rationale?.slice(0, 160)}`);
      } catch (err) {
        if (isRustyError(err) && err.code === 'refused') {
          const key = err.message.replace(/`[^`]*`/g, 'X').replace(/src\/[^ ,)]*/g, 'F').slice(0, 120);
          stats[key] = (stats[key] ?? 0) + 1;
        } else { stats.crash = (stats.crash ?? 0) + 1; console.log(`CRASH ${rel}:${start.line}:${start.column}: ${(err as Error).stack?.slice(0, 600)}`); }
      }
    }
  }
  console.log(JSON.stringify(stats, null, 1));
  console.log(oks.slice(0, 30).join('\n'));
}, 3_600_000);
