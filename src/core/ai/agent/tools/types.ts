// What a built-in agent tool is: a spec the model sees and a read-only function over the
// EngineContext. A tool throws ToolError for anything the model should correct (a bad path, a
// refused command); the loop sends the message back as an error result.
import type { EngineContext } from '../../../engine/context';
import type { WorkspaceProject } from '../../../ts/workspaceProject';
import type { ToolSpec } from '../../types';

export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolEnv {
  ctx: EngineContext;
  /** The TypeScript project over the workspace, loaded once per run on first use. */
  project(): Promise<WorkspaceProject>;
  /** Commands `.rusty/policy.json` allows `run_command` to run (exact argv strings). */
  commands: readonly string[];
  commandTimeoutMs: number;
}

export interface AgentTool {
  spec: ToolSpec;
  run(args: Record<string, unknown>, env: ToolEnv): Promise<string>;
}

/** Tool results are capped so one call cannot flood the context. */
export const MAX_TOOL_OUTPUT = 24_000;

export function capOutput(text: string, max = MAX_TOOL_OUTPUT): string {
  return text.length <= max ? text : `${text.slice(0, max)}\n… (output cut at ${max} characters; ask for less)`;
}

export function stringArg(args: Record<string, unknown>, name: string, required: true): string;
export function stringArg(args: Record<string, unknown>, name: string, required?: false): string | undefined;
export function stringArg(args: Record<string, unknown>, name: string, required = false): string | undefined {
  const v = args[name];
  if (v === undefined || v === null || v === '') {
    if (required) throw new ToolError(`Argument "${name}" is required.`);
    return undefined;
  }
  if (typeof v !== 'string') throw new ToolError(`Argument "${name}" must be a string.`);
  return v;
}

export function intArg(args: Record<string, unknown>, name: string): number | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new ToolError(`Argument "${name}" must be a whole number ≥ 0.`);
  return n;
}

/** Files that usually hold secrets: never read or searched, whatever the model asks. */
const SECRET_FILE = /(?:^|\/)(?:\.env(?:\..*)?|\.npmrc|\.netrc|id_(?:rsa|dsa|ecdsa|ed25519)|.*\.(?:pem|key|p12|pfx))$/i;

export function isSecretFile(rel: string): boolean {
  return SECRET_FILE.test(rel);
}
