// run_command: only a command line the workspace policy allows (`.rusty/policy.json`
// `"ai": {"commands": [...]}`), run without a shell in the workspace root, with a timeout and
// captured (capped) output. The model cannot add arguments: the line must match exactly.
import { execFile } from 'node:child_process';
import { stringArg, ToolError, type AgentTool } from './types';

const MAX_OUTPUT = 16_000;

/** Split a command line on whitespace; quotes, `$`, `;`, pipes and redirections are refused. */
export function commandArgv(line: string): string[] {
  if (/["'`$;&|<>\\(){}*?!~\n]/.test(line)) throw new ToolError(`Refused: ${JSON.stringify(line)} contains shell syntax; commands run without a shell, as plain words.`);
  return line.trim().split(/\s+/).filter(Boolean);
}

function tail(text: string): string {
  return text.length <= MAX_OUTPUT ? text : `… (first ${text.length - MAX_OUTPUT} characters cut)\n${text.slice(-MAX_OUTPUT)}`;
}

export const runCommandTool: AgentTool = {
  spec: {
    name: 'run_command',
    description: 'Run one command the workspace policy allows (exactly as listed; see the system prompt) in the workspace root; returns exit code and output.',
    inputSchema: { type: 'object', properties: { command: { type: 'string', description: 'e.g. npm test' } }, required: ['command'] },
  },
  async run(args, { ctx, commands, commandTimeoutMs }) {
    const line = stringArg(args, 'command', true);
    const argv = commandArgv(line);
    const normalized = argv.join(' ');
    if (!commands.includes(normalized)) {
      throw new ToolError(commands.length
        ? `Refused: ${JSON.stringify(normalized)} is not on the allowlist of .rusty/policy.json (allowed: ${commands.map((c) => JSON.stringify(c)).join(', ')}).`
        : 'Refused: no command is allowed in this workspace (.rusty/policy.json has no "ai": {"commands": [...]}).');
    }
    const [file, ...rest] = argv;
    const started = Date.now();
    return new Promise<string>((resolve) => {
      execFile(file!, rest, {
        cwd: ctx.fs.root, timeout: commandTimeoutMs, maxBuffer: 8 * 1024 * 1024, shell: false, windowsHide: true,
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      }, (err, stdout, stderr) => {
        const ms = Date.now() - started;
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const status = !e ? 'exit 0'
          : e.killed && ms >= commandTimeoutMs ? `timed out after ${commandTimeoutMs} ms (killed)`
            : typeof e.code === 'number' ? `exit ${e.code}` : `failed: ${e.message}`;
        resolve([`$ ${normalized}  (${status}, ${ms} ms)`, stdout ? `stdout:\n${tail(stdout)}` : '', stderr ? `stderr:\n${tail(stderr)}` : ''].filter(Boolean).join('\n'));
      });
    });
  },
};
