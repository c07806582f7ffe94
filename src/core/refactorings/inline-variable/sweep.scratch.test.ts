import { it } from 'vitest';
import type { ts } from 'ts-morph';
import { fetchRealPackage } from '../../testing/realCode';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { proposeInlineVariable } from './index';
import { positionOf } from '../rename/support';
import { isRustyError } from '../../util/errors';

it('sweep inline', async () => {
  const root = fetchRealPackage(process.env.PKG ?? 'rxjs', process.env.VER ?? '7.8.2').root;
  const wp = await WorkspaceProject.load({ root });
  const t = wp.ts;
  const stats: Record<string, number> = {};
  const oks: string[] = [];
  let n = 0;
  for (const rel of wp.files()) {
    const sf = wp.sourceFile(rel).compilerNode;
    const decls: ts.VariableDeclaration[] = [];
    const visit = (x: ts.Node) => { if (t.isVariableDeclaration(x) && t.isIdentifier(x.name) && x.initializer && t.isVariableDeclarationList(x.parent) && (x.parent.flags & t.NodeFlags.Const)) decls.push(x); t.forEachChild(x, visit); };
    visit(sf);
    for (const d of decls) {
      if (n++ % Number(process.env.EVERY ?? 5) !== 0) continue;
      const at = positionOf(sf, d.name.getStart(sf));
      try {
        const cs = await proposeInlineVariable({ project: wp }, { file: rel, at });
        stats.ok = (stats.ok ?? 0) + 1;
        oks.push(`${rel}:${at.line}:${at.column} ${(d.name as ts.Identifier).text} = ${d.initializer!.getText(sf).slice(0, 50)}`);
        void cs;
      } catch (err) {
        if (isRustyError(err) && err.code === 'refused') {
          const key = err.message.replace(/`[^`]*`/g, 'X').replace(/src\/[^ ,)]*/g, 'F').replace(/\d+ times/g, 'N times').slice(0, 90);
          stats[key] = (stats[key] ?? 0) + 1;
        } else { stats.crash = (stats.crash ?? 0) + 1; console.log(`CRASH ${rel}:${at.line}:${at.column}: ${(err as Error).stack?.slice(0, 600)}`); }
      }
    }
  }
  console.log(JSON.stringify(stats, null, 1));
  console.log(oks.slice(0, 40).join('\n'));
}, 3_600_000);
