// Test helpers for the rename, extract-function and inline-variable tests: fixtures in a real
// temporary folder loaded as a WorkspaceProject, positions by marker, change-set reading,
// refusal capture, and the real-code check (apply in a copy, compare the compiler's diagnostics).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChangeSet } from '../../proposals/changeSet';
import { copyRealPackage, type RealPackage } from '../../testing/realCode';
import { tempWorkspace, type TempWorkspace } from '../../testing/tempWorkspace';
import { WorkspaceProject } from '../../ts/workspaceProject';
import { isRustyError } from '../../util/errors';
import { loadTsMorph } from '../../util/loadTsMorph';
import type { Position } from '../api';

export const TSCONFIG = JSON.stringify({
  compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', strict: true, noEmit: true, jsx: 'react-jsx', skipLibCheck: true, types: [] },
  include: ['src'],
});

export interface Fixture {
  ws: TempWorkspace;
  wp: WorkspaceProject;
  /** 1-based position of the n-th (0-based) occurrence of `needle` in a file, plus `offset` characters. */
  pos(file: string, needle: string, nth?: number, offset?: number): Position;
  /** Text of a file after a change set (the file's text when the change set leaves it alone). */
  after(cs: ChangeSet, file: string): string;
  cleanup(): void;
}

export async function fixture(files: Record<string, string>): Promise<Fixture> {
  const ws = tempWorkspace({ 'tsconfig.json': TSCONFIG, ...files });
  const wp = await WorkspaceProject.load({ root: ws.root });
  return {
    ws,
    wp,
    pos(file, needle, nth = 0, offset = 0) {
      const text = ws.read(file).replace(/\r\n/g, '\n');
      let at = -1;
      for (let i = 0; i <= nth; i++) {
        at = text.indexOf(needle, at + 1);
        if (at === -1) throw new Error(`${needle} #${nth} not found in ${file}`);
      }
      at += offset;
      const before = text.slice(0, at).split('\n');
      return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
    },
    after(cs, file) {
      const edit = cs.edits.find((e) => e.path === file);
      if (!edit) return ws.read(file);
      if (edit.kind !== 'modify') throw new Error(`expected a modify edit for ${file}, got ${edit.kind}`);
      return edit.content;
    },
    cleanup: () => ws.cleanup(),
  };
}

/** The refusal message of a refactoring that must refuse (fails the test when it does not). */
export async function refusal(p: Promise<unknown>, code = 'refused'): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isRustyError(err) && err.code === code) return err.message;
    throw err;
  }
  throw new Error(`expected a ${code} error, but the refactoring succeeded`);
}

// ---- real code --------------------------------------------------------------------------------

/** A private copy of a real package in a temp folder. */
export function realCopy(pkg: RealPackage): { root: string; cleanup(): void } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-real-'));
  const root = copyRealPackage(pkg, base);
  return { root, cleanup: () => fs.rmSync(base, { recursive: true, force: true }) };
}

/** Writes a change set's files into a folder (what approving it does, without the pipeline). */
export function writeChangeSet(root: string, cs: ChangeSet): void {
  for (const e of cs.edits) {
    const abs = path.join(root, ...e.path.split('/'));
    if (e.kind === 'modify' || e.kind === 'create') fs.writeFileSync(abs, e.content);
    else throw new Error(`unexpected ${e.kind} edit in a refactoring's change set`);
  }
}

/** The TypeScript compiler's diagnostics for a folder's tsconfig: a sorted multiset of `file TScode message`. */
export async function compilerDiagnostics(root: string): Promise<string[]> {
  const { Project, ts } = await loadTsMorph();
  const project = new Project({ tsConfigFilePath: path.join(root, 'tsconfig.json') });
  const program = project.getProgram().compilerObject;
  const out = ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file ? path.relative(root, d.file.fileName).split(path.sep).join('/') : '(global)';
    return `${file} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  return out.sort();
}

/** Submits a change set to a real RustyCore on `root` (state in a temp folder) and approves all of it. */
export async function applyThroughPipeline(root: string, cs: ChangeSet): Promise<string[]> {
  const { RustyCore } = await import('../../rustyCore');
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-real-state-'));
  try {
    const core = new RustyCore({ workspace: root, actor: 'test', env: { ...process.env, RUSTY_STATE_DIR: state } });
    const { proposal } = await core.submit(cs);
    const result = await core.approve(proposal.id);
    return result.applied.sort();
  } finally {
    fs.rmSync(state, { recursive: true, force: true });
  }
}
