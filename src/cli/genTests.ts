// `rusty gen-tests FILE[:SYMBOL]`: a test skeleton in the project's framework and conventions, run
// with the project's runner on an overlay copy, queued as a proposal with the run's result.
import type { Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { createEngineContext } from '../core/engine/context';
import type { TestRunRecord } from '../core/testgen/run';
import { Output, type Io } from './output';
import { proposalBlock } from './format';
import { terminalLine, terminalSafe } from './terminalText';

export interface GenTestsCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
  toWorkspacePath: (root: string, file: string) => string;
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

export function registerGenTestsCommand(program: Command, deps: GenTestsCliDeps): void {
  program.command('gen-tests')
    .description("generate a test skeleton for a file's exports (or FILE:SYMBOL) in the project's framework; it is run on a copy and queued as a proposal")
    .argument('<target>', 'FILE or FILE:SYMBOL')
    .option('--no-run', 'do not run the generated tests before queuing them')
    .action(async (target: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean; run?: boolean };
      const out = new Output(deps.io, !!g.json);
      try {
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const { file, symbol } = splitTarget(target);
        const rel = deps.toWorkspacePath(core.wfs.root, file);
        const { generateTests } = await import('../core/testgen/generate');
        const { runGeneratedTest } = await import('../core/testgen/run');
        out.progress('Generating tests…');
        const gen = await generateTests(createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}), { file: rel, ...(symbol ? { symbol } : {}) });
        let testRun: TestRunRecord | undefined;
        if (g.run !== false) {
          out.progress(`Running ${gen.testPath} with ${gen.conventions.framework} on a copy…`);
          testRun = await runGeneratedTest(core.wfs.root, gen.conventions.framework, gen.testPath, gen.content, deps.signal ? { signal: deps.signal } : {});
        }
        const { proposal, existing } = await core.submit(gen.changeSet, { ...(deps.signal ? { signal: deps.signal } : {}), ...(testRun ? { testRun } : {}) });
        out.endProgress();
        out.result({ id: proposal.id, existing, testPath: gen.testPath, conventions: gen.conventions, targets: gen.targets.map((t) => ({ name: t.name, kind: t.kind, cases: t.cases.length + (t.methods ?? []).reduce((n, m) => n + m.cases.length, 0) })), checks: gen.checks, todos: gen.todos, testRun: testRun ?? null },
          () => [
            `${gen.conventions.framework} (${gen.conventions.evidence}); ${gen.conventions.style === 'describe-it' ? 'describe/it' : 'test'}, ${gen.conventions.module.toUpperCase()}, ${typeof gen.conventions.location === 'string' ? 'next to the source' : `in ${gen.conventions.location.folder}/`}`,
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
