// `rusty debug [FILE|-]`: a stack trace (a file, or standard input) read against the workspace —
// the frames with code excerpts, the kind of failure, and TypeScript's code fix at the innermost
// workspace frame queued as a proposal when there is one. Trace text is untrusted: escaped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { createEngineContext } from '../core/engine/context';
import { RustyError } from '../core/util/errors';
import type { DebugReport } from '../core/debug/analyze';
import { Output, type Io } from './output';
import { proposalBlock } from './format';
import { terminalLine } from './terminalText';
import type { TestRunRecord } from '../core/testgen/run';
import { testRunShowLines } from './testRunFormat';
import { createSession, type SessionFactory } from './ask';
import { PROVIDER_IDS } from '../core/ai/types';
import type { ChangeSet } from '../core/proposals/changeSet';

export interface DebugCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
  toWorkspacePath?: (root: string, file: string) => string;
  /** Model sessions for --ai (default: rusty ask's, through the AI runtime). */
  sessionFactory?: SessionFactory;
}

const KIND_LABEL: Record<DebugReport['kind'], string> = {
  'null-access': 'undefined/null access', 'not-a-function': 'not a function', 'unhandled-rejection': 'unhandled promise rejection',
  'missing-await': 'missing await', 'module-not-found': 'module not found', assertion: 'assertion failure', 'ts-diagnostic': 'an error TypeScript reports at the failing line', other: 'unclassified error',
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

interface AiFixResult { provider?: string; model?: string; proposal?: string; existing?: boolean; title?: string; testRun?: TestRunRecord; error?: string; answer?: string }

async function aiFix(core: RustyCore, deps: DebugCliDeps, out: Output, g: { provider?: string; model?: string; script?: string }, task: string, files: string[], testRunFor: ((cs: ChangeSet) => Promise<TestRunRecord>) | undefined): Promise<AiFixResult> {
  let script: unknown;
  if (g.script !== undefined) {
    try { script = JSON.parse(fs.readFileSync(path.resolve(deps.callerCwd, g.script), 'utf8')); } catch (err) { throw new RustyError('usage', `--script ${g.script}: ${(err as Error).message}`); }
  }
  const texts = [];
  for (const f of files) { const b = await core.wfs.read(f); if (b) texts.push({ path: f, text: new TextDecoder().decode(b) }); }
  const sessions = await (deps.sessionFactory ?? createSession)({
    ...(g.provider ? { provider: g.provider } : {}), ...(g.model ? { model: g.model } : {}), ...(script !== undefined ? { script } : {}),
    count: 1, task, workspace: core.wfs.root, stateDir: core.stateDir, files: texts,
    notice: (line) => out.notice(line), ...(deps.signal ? { signal: deps.signal } : {}),
  });
  const { ask } = await import('../core/ai/agent/ask');
  out.progress('Asking the model for a fix…');
  const r = await ask(core, { task, files, sessions, sourcePrefix: 'debug:', ...(deps.signal ? { signal: deps.signal } : {}), ...(testRunFor ? { testRunFor } : {}) });
  out.endProgress();
  const c = r.candidates[0]!;
  if (!c.proposal) return { provider: c.provider, model: c.model, ...(r.answer !== undefined ? { answer: r.answer } : {}), error: c.error ?? 'the model proposed no change' };
  return { provider: c.provider, model: c.model, proposal: c.proposal.id, existing: !!c.existing, title: c.proposal.title, ...(c.proposal.testRun ? { testRun: c.proposal.testRun } : {}) };
}

function aiLines(ai: AiFixResult): string[] {
  const who = `${terminalLine(ai.provider ?? '?', 40)}/${terminalLine(ai.model ?? '?', 80)}`;
  if (!ai.proposal) return [`No AI fix (${who}): ${terminalLine(ai.error ?? 'none', 300)}`, ...(ai.answer ? ['', terminalLine(ai.answer, 2000)] : [])];
  return [`AI fix (${who}, TypeScript offers none): ${terminalLine(ai.title ?? '', 160)}`, ...(ai.testRun ? testRunShowLines(ai.testRun) : ['Test run: none (no failing test known; pass --test FILE[:NAME])']),
    `${ai.existing ? 'Already queued' : 'Queued'} ${ai.proposal}`, `Next: rusty show ${ai.proposal} --diff · rusty approve ${ai.proposal}`];
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
    .option('--ai', 'when TypeScript offers no fix, ask the configured AI model for one (validated like rusty ask, the failing test run without and with it)')
    .addOption(new Option('--provider <id>', 'model provider for --ai').choices([...PROVIDER_IDS]))
    .option('--model <id>', 'model id for --ai')
    .option('--script <file>', 'JSON turns for --provider scripted')
    .action(async (file: string | undefined, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean; test?: string | boolean; ai?: boolean; provider?: string; model?: string; script?: string };
      const out = new Output(deps.io, !!g.json);
      try {
        const text = readInput(file, deps.callerCwd);
        if (!text.trim()) throw new RustyError('usage', 'The stack trace is empty: pass a file or pipe the error text to `rusty debug -`.');
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const { analyzeTrace } = await import('../core/debug/analyze');
        out.progress('Reading the trace…');
        const report = await analyzeTrace(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), text, { roots: [path.resolve(deps.callerCwd, g.workspace ?? '.')] });
        let testRun: TestRunRecord | undefined;
        let testNote: string | undefined;
        const { aiFixTask, failingTestOf, parseTestTarget, runTestWithFix } = await import('../core/debug/failingTest');
        const given = typeof g.test === 'string' ? parseTestTarget(g.test) : undefined;
        const test = g.test === false ? undefined : given ? { ...given, file: deps.toWorkspacePath ? deps.toWorkspacePath(core.wfs.root, given.file) : given.file } : failingTestOf(report, text);
        if (!report.fix && g.ai && report.focus?.file) {
          out.endProgress();
          const ai = await aiFix(core, deps, out, g, aiFixTask(report, test), [report.focus.file, ...(test && test.file !== report.focus.file ? [test.file] : [])],
            test ? (cs) => runTestWithFix(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), test, cs) : undefined);
          const { fix: _f, ...rest } = report;
          out.result({ ...rest, fix: null, ai }, () => [...reportLines(report), '', ...aiLines(ai)].join('\n'));
          return;
        }
        if (report.fix && g.test !== false) {
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
