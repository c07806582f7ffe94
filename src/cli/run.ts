// `rusty run SCRIPT.ts` and `rusty skills …` — code mode from the command line: a script runs in
// the QuickJS sandbox with the workspace's MCP servers (through the permission gate), its writes
// become one proposal, and its token metrics are stored for `rusty mcp stats`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { RustyError } from '../core/util/errors';
import { safeLine } from '../core/util/terminalText';
import type { CodeRunResult, RunMetrics, SandboxLimits } from '../core/codemode';
import type { McpService } from '../core/mcp/service';
import { EXIT_REFUSED, Output, type Io } from './output';
import { openService, type McpOpts } from './mcp';

export interface RunCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
}

interface RunFlags { timeout?: number; memory?: number; maxToolCalls?: number; maxOutput?: number; session?: string; config?: string[] }

/** Scripts that use these need the MCP service (opened lazily: it loads the SDK and the configs). */
const USES_MCP = /\b(?:callTool|search_tools|get_tool_docs|list_categories|skills\s*\.\s*run)\b|\bfrom\s+['"]servers(?:\/|['"])/;
const USES_DISCOVERY = /\b(?:search_tools|get_tool_docs|list_categories)\b/;
/** `import … from 'servers/<server>'`: the generated wrappers (rusty mcp codegen) as modules. */
const USES_WRAPPERS = /\bfrom\s+['"]servers(?:\/|['"])/;

function positive(flag: string, integer = false) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new InvalidArgumentError(`${flag} must be a ${integer ? 'whole ' : ''}number > 0, got ${v}`);
    return n;
  };
}

function limitsOf(o: RunFlags): Partial<SandboxLimits> {
  return {
    ...(o.timeout !== undefined ? { timeoutMs: Math.round(o.timeout * 1000) } : {}),
    ...(o.memory !== undefined ? { memoryBytes: Math.round(o.memory * 1024 * 1024) } : {}),
    ...(o.maxToolCalls !== undefined ? { maxToolCalls: o.maxToolCalls } : {}),
    ...(o.maxOutput !== undefined ? { maxOutputBytes: o.maxOutput } : {}),
  };
}

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'wall-clock limit (default 30)', positive('--timeout'))
    .option('--memory <MB>', 'heap limit of the sandbox (default 64)', positive('--memory'))
    .option('--max-tool-calls <n>', 'tool calls allowed (default 200)', positive('--max-tool-calls', true))
    .option('--max-output <bytes>', 'console output kept (default 65536)', positive('--max-output', true))
    .option('--session <name>', 'scratch store for state.get/set (default "cli")')
    .option('--config <file>', 'also read MCP servers from this file (repeatable)', (v: string, prev: string[] = []) => [...prev, v]);
}

export function registerRunCommands(program: Command, deps: RunCliDeps): void {
  const { io, setExit } = deps;
  const action = <A extends unknown[]>(fn: (out: Output, workspace: string, cmd: Command, ...args: A) => Promise<void>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean };
      const out = new Output(io, !!g.json);
      try {
        await fn(out, g.workspace ?? deps.callerCwd, cmd, ...(args.slice(0, -1) as A));
        out.endProgress();
      } catch (err) {
        setExit(out.error(err));
      }
    };

  addRunOptions(program.command('run')
    .description('run a TypeScript script in the sandbox: MCP tools through the permission gate, workspace reads, and writes captured as ONE proposal')
    .argument('<script>', 'TypeScript (or JavaScript) file, or - for standard input')
    .option('--save-skill <name>', 'after a successful run, save the script as the skill .rusty/skills/NAME')
    .option('--description <text>', 'description of the saved skill (default: the script\'s first comment)'))
    .action(action(async (out, workspace, cmd, file: string) => {
      const o = cmd.opts() as RunFlags & { saveSkill?: string; description?: string };
      const { SkillStore } = await import('../core/codemode');
      if (o.saveSkill) (await import('../core/codemode/skills/store')).checkSkillName(o.saveSkill);
      const source = readScript(file, deps.callerCwd);
      const name = file === '-' ? 'stdin.ts' : path.basename(file);
      const core = await deps.openCore(workspace, out);
      const r = await runWithCore(core, source, name, o, out, deps, {});
      if (r.run.ok && o.saveSkill) {
        const info = new SkillStore(core.wfs.root, core.stateDir).save(o.saveSkill, source, o.description ? { description: o.description } : {});
        out.notice(`rusty: saved the script as skill ${info.name} (version ${info.version}) in ${info.dir}`);
      }
    }));

  const skills = program.command('skills').description('saved scripts (.rusty/skills/<name>): list, search, run');
  skills.command('list')
    .description('list the skills with their usage statistics')
    .action(action(async (out, workspace) => {
      const core = await deps.openCore(workspace, out);
      const { SkillStore, statsSummary } = await import('../core/codemode');
      const store = new SkillStore(core.wfs.root, core.stateDir);
      const stats = store.stats();
      const list = store.all().map((s) => ({ name: s.name, description: s.description, version: s.version, inputs: s.inputs, stats: statsSummary(stats[s.name]) }));
      out.result({ skills: list }, () => list.length
        ? list.map((s) => `${s.name}  v${s.version}  ${s.stats.uses} uses${s.stats.successRate !== undefined ? `, ${Math.round(s.stats.successRate * 100)}% ok, mean ${Math.round(s.stats.meanMs ?? 0)} ms` : ''}${s.stats.lastUsed ? `, last ${s.stats.lastUsed}` : ''}\n  ${safeLine(s.description)}`).join('\n')
        : 'No skills. Save one with `rusty run SCRIPT.ts --save-skill NAME`.');
    }));
  skills.command('search')
    .description('find skills by words in their name and description')
    .argument('<query>')
    .action(action(async (out, workspace, _cmd, query: string) => {
      const core = await deps.openCore(workspace, out);
      const { SkillStore } = await import('../core/codemode');
      const hits = new SkillStore(core.wfs.root, core.stateDir).search(query);
      out.result({ query, hits }, () => hits.length ? hits.map((h) => `${h.score.toFixed(1)}  ${h.name}  ${safeLine(h.description)}`).join('\n') : `No skills match "${safeLine(query)}".`);
    }));
  addRunOptions(skills.command('run')
    .description('run a skill in the sandbox (same rules as rusty run)')
    .argument('<name>')
    .option('--input <json>', 'inputs object passed to the skill (default {})'))
    .action(action(async (out, workspace, cmd, name: string) => {
      const o = cmd.opts() as RunFlags & { input?: string };
      const { SkillStore, skillRunnerScript } = await import('../core/codemode');
      let inputs: unknown = {};
      if (o.input !== undefined) {
        try {
          inputs = JSON.parse(o.input);
        } catch (err) {
          throw new RustyError('usage', `--input is not valid JSON (${(err as Error).message}); pass an object such as '{"query":"x"}'.`);
        }
        if (inputs === null || typeof inputs !== 'object' || Array.isArray(inputs)) throw new RustyError('usage', '--input must be a JSON object.');
      }
      const core = await deps.openCore(workspace, out);
      const store = new SkillStore(core.wfs.root, core.stateDir);
      const skillSource = store.source(name);
      const r = await runWithCore(core, skillRunnerScript(inputs), `skill-${name}.ts`, o, out, deps, { skill: skillSource }, skillSource);
      store.record(name, { ok: r.run.ok, ms: r.run.durationMs });
    }));
}

function readScript(file: string, cwd: string): string {
  try {
    return file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new RustyError('usage', `Cannot read the script ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}.`);
  }
}

async function runWithCore(
  core: RustyCore, source: string, name: string, o: RunFlags, out: Output, deps: RunCliDeps, skillModules: Record<string, string>, extraSource = '',
): Promise<{ run: CodeRunResult; metrics: RunMetrics }> {
  const codemode = await import('../core/codemode');
  const { createEngineContext } = await import('../core/engine/context');
  const all = source + '\n' + extraSource;
  let modules = skillModules;
  let service: McpService | undefined;
  try {
    if (USES_MCP.test(all)) {
      const mcpOpts: McpOpts = { workspace: core.wfs.root, json: out.json, ...(o.config ? { config: o.config } : {}) };
      service = await openService(mcpOpts, out, { io: deps.io, setExit: deps.setExit, callerCwd: deps.callerCwd, ...(deps.signal ? { signal: deps.signal } : {}) });
      if (USES_DISCOVERY.test(all) || USES_WRAPPERS.test(all)) {
        out.progress('Starting MCP servers…');
        await service.start();
        out.endProgress();
      }
    }
    if (service && USES_WRAPPERS.test(all)) modules = { ...codemode.wrapperModules(service.tools()), ...modules };
    out.progress(`Running ${name}…`);
    const run = await codemode.runCode(source, {
      ctx: createEngineContext(core.wfs, deps.signal ? { signal: deps.signal } : {}),
      ...(service ? { mcp: service } : {}),
      state: new codemode.FileScratchStore(core.stateDir, o.session ?? 'cli'),
      skills: new codemode.SkillStore(core.wfs.root, core.stateDir),
      limits: limitsOf(o),
      fileName: name,
      modules,
      submit: async (cs) => {
        const { proposal, existing } = await core.submit(cs, { actor: `codemode:${process.env.RUSTY_ACTOR || 'cli'}` });
        return { id: proposal.id, existing };
      },
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    out.endProgress();
    const metrics = await codemode.runMetrics(name, source + extraSource, run, service?.tools() ?? []);
    codemode.appendRunMetrics(core.stateDir, metrics);
    out.result({
      ok: run.ok, output: run.output, ...(run.error ? { error: run.error } : {}),
      ...(run.proposal ? { proposal: run.proposal } : {}),
      toolCalls: run.toolCalls, cache: run.cache, durationMs: Math.round(run.durationMs), metrics,
    }, () => run.output.replace(/\n$/, ''));
    if (run.proposal) {
      out.notice(`rusty: ${run.proposal.existing ? 'already queued' : 'queued'} proposal ${run.proposal.id} (${run.proposal.files.length} file${run.proposal.files.length === 1 ? '' : 's'}: ${run.proposal.files.slice(0, 5).map(safeLine).join(', ')}${run.proposal.files.length > 5 ? ', …' : ''}); nothing was written. Review: rusty show ${run.proposal.id} --diff`);
    }
    if (!run.ok) {
      out.notice(`rusty: the script failed (${run.error?.kind}): ${safeLine(run.error?.message ?? '')}; nothing was proposed.`);
      deps.setExit(EXIT_REFUSED);
    }
    return { run, metrics };
  } finally {
    if (service) await service.dispose().catch((err: Error) => out.notice(`rusty: the MCP audit log could not be written: ${err.message}`));
  }
}
