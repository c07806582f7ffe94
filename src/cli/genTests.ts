// `rusty gen-tests FILE[:SYMBOL]`: a test skeleton in the project's framework and conventions, run
// with the project's runner on an overlay copy, queued as a proposal with the run's result.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { createEngineContext } from '../core/engine/context';
import type { TestRunRecord } from '../core/testgen/run';
import type { GeneratedTests } from '../core/testgen/generate';
import { Output, type Io } from './output';
import { proposalBlock } from './format';
import { terminalLine, terminalSafe } from './terminalText';
import { createSession, type SessionFactory } from './ask';
import { PROVIDER_IDS } from '../core/ai/types';
import { RustyError } from '../core/util/errors';
import { filledCaseLines } from './testRunFormat';

export interface GenTestsCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
  toWorkspacePath: (root: string, file: string) => string;
  /** Model sessions for --ai (default: rusty ask's, through the AI runtime). */
  sessionFactory?: SessionFactory;
}

/** `src/a.ts:add` → file and symbol; a Windows drive letter is not a symbol. */
export function splitTarget(arg: string): { file: string; symbol?: string } {
  const m = /^(.*\S):([A-Za-z_$][\w$]*)$/.exec(arg);
  return m && !/^[A-Za-z]$/.test(m[1]!) ? { file: m[1]!, symbol: m[2]! } : { file: arg };
}

export function testRunLines(run: TestRunRecord): string[] {
  const counts = `${run.passed} passed, ${run.failed} failed, ${run.todo} todo${run.skipped ? `, ${run.skipped} skipped` : ''}`;
  if (run.status === 'not-run') return [`Test run: could not run (${terminalLine(run.reason ?? 'unknown reason', 300)})`, ...(run.output ? [terminalSafe(run.output)] : [])];
  if (run.status === 'passed') return [`Test run (${run.framework}, overlay copy, ${(run.ms / 1000).toFixed(1)}s): passed — ${counts}; todos are not passes.`];
  return [`Test run (${run.framework}, overlay copy): FAILED — ${counts}`, ...(run.output ? ['', terminalSafe(run.output)] : [])];
}

type GenOpts = { provider?: string; model?: string; script?: string; run?: boolean };

async function aiGenTests(core: RustyCore, deps: GenTestsCliDeps, out: Output, g: GenOpts, gen: GeneratedTests, source: string): Promise<void> {
  let script: unknown;
  if (g.script !== undefined) {
    try { script = JSON.parse(fs.readFileSync(path.resolve(deps.callerCwd, g.script), 'utf8')); } catch (err) { throw new RustyError('usage', `--script ${g.script}: ${(err as Error).message}`); }
  }
  const { fillExpectations, fillTask } = await import('../core/testgen/aiFill');
  const task = fillTask(gen, source);
  const src = await core.wfs.read(source);
  const sessions = await (deps.sessionFactory ?? createSession)({
    ...(g.provider ? { provider: g.provider } : {}), ...(g.model ? { model: g.model } : {}), ...(script !== undefined ? { script } : {}),
    count: 1, task, workspace: core.wfs.root, stateDir: core.stateDir,
    files: [...(src ? [{ path: source, text: new TextDecoder().decode(src) }] : []), { path: gen.testPath, text: gen.content }],
    notice: (line) => out.notice(line), ...(deps.signal ? { signal: deps.signal } : {}),
  });
  out.progress('Asking the model to fill the expectations…');
  const r = await fillExpectations(core, { gen, source, session: sessions[0]!, ...(deps.signal ? { signal: deps.signal } : {}), ...(g.run === false ? { run: false } : {}) });
  out.endProgress();
  const who = `${terminalLine(r.provider, 40)}/${terminalLine(r.model, 80)}`;
  const filled = r.cases.filter((c) => c.status !== 'todo').length;
  out.result({ id: r.queued?.id ?? null, existing: r.queued?.existing ?? false, testPath: gen.testPath, conventions: gen.conventions, ai: { provider: r.provider, model: r.model, outcome: r.outcome, ...(r.reason ? { reason: r.reason } : {}) }, cases: r.cases, checks: gen.checks, todos: gen.todos, testRun: r.testRun ?? null },
    () => (r.queued ? [
      `Expectations by ${who}: ${filled} of ${r.cases.length} todo cases filled`,
      ...(r.testRun ? testRunLines(r.testRun) : ['Test run: skipped (--no-run)']),
      ...filledCaseLines(r.cases, ''),
      '', `${r.queued.existing ? 'Already queued' : 'Queued'} ${r.queued.id}`,
      '', `Next: rusty show ${r.queued.id} --diff · rusty approve ${r.queued.id}`,
    ] : [`No expectations filled (${who}): ${terminalLine(r.reason ?? 'none', 400)}`, 'Nothing was queued; run without --ai for the skeleton with todos.']).join('\n'));
}

export function registerGenTestsCommand(program: Command, deps: GenTestsCliDeps): void {
  program.command('gen-tests')
    .description("generate a test skeleton for a file's exports (or FILE:SYMBOL) in the project's framework; it is run on a copy and queued as a proposal")
    .argument('<target>', 'FILE or FILE:SYMBOL')
    .option('--no-run', 'do not run the generated tests before queuing them')
    .option('--ai', 'ask the configured AI model to replace todos with real expectations (edits to the generated file only; each filled case is run)')
    .addOption(new Option('--provider <id>', 'model provider for --ai').choices([...PROVIDER_IDS]))
    .option('--model <id>', 'model id for --ai')
    .option('--script <file>', 'JSON turns for --provider scripted')
    .action(async (target: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean; run?: boolean; ai?: boolean; provider?: string; model?: string; script?: string };
      const out = new Output(deps.io, !!g.json);
      try {
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const { file, symbol } = splitTarget(target);
        const rel = deps.toWorkspacePath(core.wfs.root, file);
        const { generateTests } = await import('../core/testgen/generate');
        const { runGeneratedTest } = await import('../core/testgen/run');
        out.progress('Generating tests…');
        const gen = await generateTests(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), { file: rel, ...(symbol ? { symbol } : {}) });
        if (g.ai) {
          out.endProgress();
          await aiGenTests(core, deps, out, g, gen, rel);
          return;
        }
        let testRun: TestRunRecord | undefined;
        if (g.run !== false) {
          out.progress(`Running ${gen.testPath} with ${gen.conventions.framework} on a copy…`);
          testRun = await runGeneratedTest(core.wfs.root, gen.conventions.framework, gen.testPath, gen.content, deps.signal ? { signal: deps.signal } : {});
        }
        const { proposal, existing } = await core.submit(gen.changeSet, { ...(deps.signal ? { signal: deps.signal } : {}), ...(testRun ? { testRun } : {}) });
        out.endProgress();
        out.result({ id: proposal.id, existing, testPath: gen.testPath, conventions: gen.conventions, targets: gen.targets.map((t) => ({ name: t.name, kind: t.kind, cases: t.cases.length + (t.methods ?? []).reduce((n, m) => n + m.cases.length, 0) })), checks: gen.checks, todos: gen.todos, testRun: testRun ?? null },
          () => [
            `${gen.conventions.framework} (${gen.conventions.evidence}); ${gen.conventions.style === 'describe-it' ? 'describe/it' : 'test'}, ${gen.conventions.module.toUpperCase()}, ${typeof gen.conventions.location === 'string' ? 'next to the source' : gen.conventions.location.beside ? `in a ${gen.conventions.location.folder}/ folder beside the source` : `in ${gen.conventions.location.folder}/`}`,
            `${gen.checks} checks, ${gen.todos} todo cases for ${gen.targets.map((t) => terminalLine(t.name, 60)).join(', ')}`,
            ...(testRun ? testRunLines(testRun) : ['Test run: skipped (--no-run)']),
            '', `${existing ? 'Already queued' : 'Queued'} ${proposalBlock(proposal)}`,
            '', `Next: rusty show ${proposal.id} --diff · rusty approve ${proposal.id}`,
          ].join('\n'));
      } catch (err) {
        deps.setExit(out.error(err));
      }
    });
}
