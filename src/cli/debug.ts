// `rusty debug [FILE|-]`: a stack trace (a file, or standard input) read against the workspace —
// the frames with code excerpts, the kind of failure, and TypeScript's code fix at the innermost
// workspace frame queued as a proposal when there is one. Trace text is untrusted: escaped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { createEngineContext } from '../core/engine/context';
import { RustyError } from '../core/util/errors';
import type { DebugReport } from '../core/debug/analyze';
import { Output, type Io } from './output';
import { proposalBlock } from './format';
import { terminalLine } from './terminalText';
import type { TestRunRecord } from '../core/testgen/run';
import { testRunShowLines } from './testRunFormat';

export interface DebugCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
  toWorkspacePath?: (root: string, file: string) => string;
}

const KIND_LABEL: Record<DebugReport['kind'], string> = {
  'null-access': 'undefined/null access', 'not-a-function': 'not a function', 'unhandled-rejection': 'unhandled promise rejection',
  'missing-await': 'missing await', 'module-not-found': 'module not found', assertion: 'assertion failure', other: 'unclassified error',
};

export function reportLines(r: DebugReport): string[] {
  const lines = [`${terminalLine(r.errorName ?? 'Error')}${r.message ? `: ${terminalLine(r.message, 300)}` : ''}`, `Kind: ${KIND_LABEL[r.kind]}`, ''];
  for (const f of r.frames) {
    const where = `${terminalLine(f.file ?? f.location, 200)}${f.line ? `:${f.line}${f.column ? `:${f.column}` : ''}` : ''}`;
    lines.push(`${f.origin === 'workspace' ? '▶' : ' '} ${f.fn ? `${terminalLine(f.fn, 80)} ` : ''}${where}${f.origin === 'workspace' ? '' : `  (${f.origin})`}`);
    for (const e of f.excerpt ?? []) lines.push(`    ${e.line === f.line ? '>' : ' '} ${String(e.line).padStart(4)} | ${terminalLine(e.text, 200)}`);
    for (const d of f.diagnostics ?? []) lines.push(`      TS${d.code}: ${terminalLine(d.message, 300)}`);
  }
  return lines;
}

function readInput(file: string | undefined, cwd: string): string {
  try {
    return !file || file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new RustyError('usage', `Cannot read ${file ?? 'standard input'}: ${(err as Error).message}`);
  }
}

export function registerDebugCommand(program: Command, deps: DebugCliDeps): void {
  program.command('debug')
    .description('read a stack trace (file, or - / nothing for standard input) against the workspace: frames, excerpts, kind, and a TypeScript code fix as a proposal when one applies')
    .argument('[file]', 'a file with the stack trace, or - for standard input')
    .option('--test <file[:name]>', 'the failing test: run on a copy without and with the fix (default: read from the trace)')
    .option('--no-test', 'do not run the failing test')
    .action(async (file: string | undefined, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean; test?: string | boolean };
      const out = new Output(deps.io, !!g.json);
      try {
        const text = readInput(file, deps.callerCwd);
        if (!text.trim()) throw new RustyError('usage', 'The stack trace is empty: pass a file or pipe the error text to `rusty debug -`.');
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const { analyzeTrace } = await import('../core/debug/analyze');
        out.progress('Reading the trace…');
        const report = await analyzeTrace(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), text);
        let testRun: TestRunRecord | undefined;
        let testNote: string | undefined;
        if (report.fix && g.test !== false) {
          const { failingTestOf, parseTestTarget, runTestWithFix } = await import('../core/debug/failingTest');
          const given = typeof g.test === 'string' ? parseTestTarget(g.test) : undefined;
          const test = given ? { ...given, file: deps.toWorkspacePath ? deps.toWorkspacePath(core.wfs.root, given.file) : given.file } : failingTestOf(report, text);
          if (test) {
            out.progress(`Running ${test.file}${test.name ? ` (${test.name})` : ''} on a copy without and with the fix…`);
            testRun = await runTestWithFix(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), test, report.fix.changeSet);
          } else testNote = 'Test run: none (no frame is in a test file; pass --test FILE[:NAME])';
        }
        const queued = report.fix ? await core.submit(report.fix.changeSet, { ...(deps.signal ? { signal: deps.signal } : {}), ...(testRun ? { testRun } : {}) }) : undefined;
        out.endProgress();
        const { fix, ...rest } = report;
        out.result({ ...rest, fix: fix ? { description: fix.description, fixName: fix.fixName, diagnostic: fix.diagnostic, proposal: queued!.proposal.id, existing: queued!.existing } : null, testRun: testRun ?? null },
          () => [...reportLines(report), '',
            ...(queued && fix ? [`Fix (TypeScript code fix ${fix.fixName}): ${terminalLine(fix.description)}`,
              ...(testRun ? testRunShowLines(testRun) : testNote ? [testNote] : []),
              `${queued.existing ? 'Already queued' : 'Queued'} ${proposalBlock(queued.proposal)}`, `Next: rusty show ${queued.proposal.id} --diff · rusty approve ${queued.proposal.id}`]
              : [`No fix proposed: ${terminalLine(report.noFix ?? 'none found', 400)}`])].join('\n'));
      } catch (err) {
        deps.setExit(out.error(err));
      }
    });
}
