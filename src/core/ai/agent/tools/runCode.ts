// run_code: the model writes a TypeScript script that runs in the code-mode sandbox (QuickJS, no
// fs/network/process) with the loop's EngineContext. Its writes are captured, not written: the
// loop keeps the last successful script's writes and merges them into the proposal (loop.ts).
import type { EngineContext } from '../../../engine/context';
import type { ChangeSet } from '../../../proposals/changeSet';
import type { SandboxLimits } from '../../../codemode/sandbox/protocol';
import type { CodeModeMcp } from '../../../codemode/sandbox/runner';
import { SANDBOX_API_DTS } from '../../../codemode/api';
import type { ToolSpec } from '../../types';
import type { McpToolBridge } from './mcp';
import { capOutput, isSecretFile, stringArg, ToolError } from './types';

export const RUN_CODE = 'run_code';

export const runCodeSpec: ToolSpec = {
  name: RUN_CODE,
  description: `Run a TypeScript script in a sandbox to read, search and change many files at once (or to call MCP tools from code). What it prints with console.log is the result. Its workspace.write/delete/rename calls are NOT written: they become part of your proposal (a later successful run_code replaces them; do not also send edit blocks for the same files). Finish with an answer (edit blocks optional) once the script did the change. The script's globals:\n${SANDBOX_API_DTS}`,
  inputSchema: {
    type: 'object',
    properties: { code: { type: 'string', description: 'TypeScript; top-level await allowed' } },
    required: ['code'],
  },
};

export interface ScriptRun {
  /** The tool result for the model. */
  content: string;
  isError: boolean;
  /** The captured writes of a successful run (undefined when it wrote nothing or failed). */
  changeSet?: ChangeSet;
}

/** The bridge as code mode sees it: search falls back to words in names and descriptions. */
function codeModeMcp(bridge: McpToolBridge & Partial<Pick<CodeModeMcp, 'searchTools' | 'isReadOnly'>>): CodeModeMcp {
  return {
    callTool: (s, t, a, o) => bridge.callTool(s, t, a, o?.signal ? { signal: o.signal } : {}),
    tools: (server) => bridge.tools().filter((t) => server === undefined || t.server === server),
    searchTools: bridge.searchTools ? (q, o) => bridge.searchTools!(q, o) : (q, o) => {
      const words = q.toLowerCase().split(/\W+/).filter(Boolean);
      return bridge.tools().map((t) => {
        const hay = `${t.name} ${t.description ?? ''}`.toLowerCase();
        return { server: t.server, name: t.name, score: words.filter((w) => hay.includes(w)).length, category: 'other', ...(t.description ? { description: t.description } : {}) };
      }).filter((h) => h.score > 0).sort((a, b) => b.score - a.score).slice(0, o?.limit ?? 10) as never;
    },
    ...(bridge.isReadOnly ? { isReadOnly: (s, t) => bridge.isReadOnly!(s, t) } : {}),
  };
}

/** The loop's context with files that usually hold secrets unreadable (as read_file refuses them). */
function withoutSecrets(ctx: EngineContext): EngineContext {
  const fs = new Proxy(ctx.fs, {
    get(target, prop, receiver) {
      if (prop === 'read') return async (rel: string) => (isSecretFile(rel) ? undefined : target.read(rel));
      const v = Reflect.get(target, prop, receiver) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { ...ctx, fs };
}

export async function runScript(args: Record<string, unknown>, ctx: EngineContext, opts: { mcp?: McpToolBridge; limits?: Partial<SandboxLimits> }): Promise<ScriptRun> {
  const code = stringArg(args, 'code', true);
  if (code.length > 200_000) throw new ToolError('The script is over 200000 characters; write a shorter one.');
  const { runCode } = await import('../../../codemode/sandbox/runner');
  let captured: ChangeSet | undefined;
  const run = await runCode(code, {
    ctx: withoutSecrets(ctx),
    ...(opts.mcp ? { mcp: codeModeMcp(opts.mcp) } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
    fileName: 'run_code.ts',
    // Captured for the loop's proposal; nothing is queued here.
    submit: async (cs) => {
      captured = cs;
      return { id: 'agent-proposal' };
    },
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  });
  const out = run.output ? `Output:\n${run.output}` : 'The script printed nothing.';
  if (!run.ok) return { content: capOutput(`The script failed (${run.error?.kind}): ${run.error?.message}\n${out}\nIts writes were discarded.`), isError: true };
  const files = captured?.edits.map((e) => (e.kind === 'rename' ? `${e.path} → ${e.to}` : `${e.kind} ${e.path}`)) ?? [];
  const writes = files.length
    ? `\nIts writes (${files.length}) are now part of your proposal, replacing any earlier script's: ${files.join(', ')}. Answer without tool calls to propose them.`
    : '\nIt wrote nothing.';
  return { content: capOutput(out + writes), isError: false, ...(captured ? { changeSet: captured } : {}) };
}
