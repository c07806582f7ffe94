// Test support shared by the move-file, fix-all and remove-unused-export tests: apply a proposal
// to a real folder through the real pipeline (RustyCore submit + approve, private state folder)
// and compare the TypeScript compiler's diagnostics before and after.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangeSet } from '../../proposals/changeSet';
import { RustyCore } from '../../rustyCore';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { loadTsMorph } from '../../util/loadTsMorph';

/** Submits and approves the change set in `root` with a throwaway state folder; returns the applied paths. */
export async function applyThroughCore(root: string, changeSet: ChangeSet): Promise<string[]> {
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-state-'));
  try {
    const core = new RustyCore({ workspace: root, actor: 'test', env: { ...process.env, RUSTY_STATE_DIR: state } });
    const { proposal } = await core.submit(changeSet);
    const result = await core.approve(proposal.id);
    return result.applied;
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
}

/**
 * The compiler's diagnostics for the folder's tsconfig (a fresh program, ts-morph's bundled
 * TypeScript), as sorted `file|TScode|message` keys. `rename` maps paths (new → old) so a moved
 * file's diagnostics compare equal.
 */
export async function compilerDiagnostics(root: string, rename: Record<string, string> = {}): Promise<string[]> {
  const { Project, ts } = await loadTsMorph();
  const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json') });
  const out: string[] = [];
  for (const d of ts.getPreEmitDiagnostics(project.getProgram().compilerObject)) {
    const file = d.file ? path.relative(root, d.file.fileName).split(path.sep).join('/') : '';
    out.push(`${rename[file] ?? file}|TS${d.code}|${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return out.sort();
}

export function loadProject(root: string): Promise<WorkspaceProject> {
  return WorkspaceProject.load({ root });
}

export { minus } from '../../util/multiset';

/** Paths and contents of every file under `root` (skips node_modules). */
export function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(root, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(root);
  return out;
}
