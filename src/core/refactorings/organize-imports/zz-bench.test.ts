import { execSync } from 'node:child_process';
import { it } from 'vitest';
import { proposeOrganizeImports } from './index';

it('bench', async () => {
  const root = '/work/main/node_modules';
  const list = (cmd: string) => execSync(cmd, { cwd: root, encoding: 'utf8', maxBuffer: 1e8 }).split('\n').filter(Boolean).map((f) => f.replace(/^\.\//, ''));
  const ts = list(`find ./zod/src -name "*.ts" -not -name "*.d.ts"`);
  const js = list(`find . \\( -name "*.mjs" -o -name "*.js" \\) -size -1000k`);
  for (const [name, files] of [['zod ts', ts], ['js', js], ['zod ts again', ts]] as const) {
    const mem0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const r = await proposeOrganizeImports({ root, files: [...files] });
    const ms = performance.now() - t0;
    console.log(`${name}: ${files.length} files ${ms.toFixed(0)} ms = ${(ms / files.length).toFixed(2)} ms/file; edits ${r.changeSet?.edits.length ?? 0}; skipped ${r.skipped.length}; heap +${((process.memoryUsage().heapUsed - mem0) / 1e6).toFixed(0)} MB`);
    const reasons = new Map<string, number>();
    for (const s of r.skipped) { const k = s.reason.slice(0, 60); reasons.set(k, (reasons.get(k) ?? 0) + 1); }
    console.log([...reasons].slice(0, 15));
    if (r.changeSet) console.log(r.changeSet.rationale?.split('\n').slice(0, 12).join('\n'));
  }
}, 600_000);
