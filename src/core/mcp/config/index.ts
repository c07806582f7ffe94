// MCP server configuration: Rusty's setting, `--config` files, `.vscode/mcp.json`, and the configs
// users already have for Roo, Continue, Cline and Claude — merged by name in that precedence, every
// entry validated on its own so one bad entry (or one broken file) never hides the others.
import * as os from 'node:os';
import type { Secrets } from '../../ports/secrets';
import type {
  LoadedMcpConfig, McpConfigError, McpConfigSourceKind, McpInputSpec, McpServerConfig,
} from '../types';
import { mcpInputSecretKey } from '../types';
import { readClaude } from './claude';
import { readCline } from './cline';
import { readContinue } from './continueDev';
import { readExtraFiles } from './extraFiles';
import { claudeCodeUserConfig, claudeDesktopConfig, clineSettingsCandidates, workspaceLocations } from './locations';
import { configError, describeSource, emptyResult, type RawServerEntry, type ReaderContext, type SourceResult } from './files';
import { finalizeEntry, inputsNeeded, parseEntry, type ParsedEntry } from './normalize';
import { readRoo } from './roo';
import { readRustySettings } from './rustySettings';
import { readVscodeMcpJson } from './vscodeMcpJson';

export interface McpConfigLoadOptions {
  /** Absolute workspace folder (for ${workspaceFolder} and workspace-local files). */
  workspace: string;
  /** For ${env:VAR}. */
  env: NodeJS.ProcessEnv;
  /** User home (default os.homedir()); tests pass a temp folder. */
  home?: string;
  /** Value of `rusty.mcp.servers`; when undefined it is read from <workspace>/.vscode/settings.json. */
  settingsServers?: unknown;
  /** Which outside configs to import (default: vscode-mcp-json, roo, continue, cline, claude). */
  importFrom?: McpConfigSourceKind[];
  /** `rusty mcp --config FILE` (any supported format, auto-detected; relative to the process cwd). */
  extraFiles?: string[];
  /** `${input:id}`; undefined → that server gets a config error. */
  resolveInput?: (spec: McpInputSpec) => Promise<string | undefined>;
  /** OS layout for user-level files (default process.platform); tests use it to check each OS. */
  platform?: NodeJS.Platform;
}

export const DEFAULT_IMPORTS: readonly McpConfigSourceKind[] = ['vscode-mcp-json', 'roo', 'continue', 'cline', 'claude'];

/** Highest precedence first: a name defined here shadows the same name further down. */
export const PRECEDENCE: readonly McpConfigSourceKind[] = ['rusty-settings', 'cli-config', 'vscode-mcp-json', 'roo', 'continue', 'cline', 'claude'];

export async function loadMcpConfig(opts: McpConfigLoadOptions): Promise<LoadedMcpConfig> {
  const home = opts.home ?? os.homedir();
  const ctx: ReaderContext = {
    workspace: opts.workspace, home, env: opts.env,
    platform: opts.platform ?? process.platform, realHome: opts.home === undefined,
  };
  const imports = new Set(opts.importFrom ?? DEFAULT_IMPORTS);
  const when = (kind: McpConfigSourceKind, read: () => Promise<SourceResult>) => (imports.has(kind) ? read() : Promise.resolve(emptyResult()));
  // Read concurrently, kept in precedence order.
  const sources = await Promise.all([
    readRustySettings(ctx, opts.settingsServers),
    readExtraFiles(opts.extraFiles ?? []),
    when('vscode-mcp-json', () => readVscodeMcpJson(ctx)),
    when('roo', () => readRoo(ctx)),
    when('continue', () => readContinue(ctx)),
    when('cline', () => readCline(ctx)),
    when('claude', () => readClaude(ctx)),
  ]);

  const errors: McpConfigError[] = sources.flatMap((s) => s.errors);
  const inputs = uniqueInputs(sources.flatMap((s) => s.inputs));

  // The first entry of a name claims it, valid or not: a broken override must not silently
  // fall back to another tool's server of the same name.
  const winners = new Map<string, { raw: RawServerEntry; entry?: ParsedEntry }>();
  for (const raw of sources.flatMap((s) => s.entries)) {
    const winner = winners.get(raw.name);
    if (winner) {
      errors.push(clashError(raw, winner.raw));
      continue;
    }
    const parsed = parseEntry(raw);
    errors.push(...parsed.errors);
    winners.set(raw.name, parsed.entry ? { raw, entry: parsed.entry } : { raw });
  }

  const askInput = inputAsker(inputs, opts.resolveInput);
  const servers: McpServerConfig[] = [];
  // One server at a time, so input prompts come one after another in config order.
  for (const { entry } of winners.values()) {
    if (!entry) continue;
    const values = new Map<string, string>();
    const missing: McpConfigError[] = [];
    if (!entry.disabled) {
      for (const need of inputsNeeded(entry)) {
        const answer = await askInput(need.id, entry.raw.name);
        if (answer.ok) values.set(need.id, answer.value);
        else missing.push(configError(entry.raw.source, need.path, answer.message, entry.raw.name));
      }
    }
    if (missing.length > 0) {
      errors.push(...missing);
      continue;
    }
    const done = await finalizeEntry(entry, { workspace: opts.workspace, home, env: opts.env, inputs: values });
    errors.push(...done.errors);
    if (done.config) servers.push(done.config);
  }
  return { servers, errors, inputs };
}

function clashError(loser: RawServerEntry, winner: RawServerEntry): McpConfigError {
  const message = `server "${loser.name}" in ${describeSource(loser.source)} is ignored: ${describeSource(winner.source)} `
    + `also defines "${loser.name}" and takes precedence (${PRECEDENCE.join(' > ')}); rename one of them to use both`;
  return configError(loser.source, loser.path, message, loser.name);
}

function uniqueInputs(inputs: McpInputSpec[]): McpInputSpec[] {
  const byId = new Map<string, McpInputSpec>();
  for (const input of inputs) if (!byId.has(input.id)) byId.set(input.id, input);
  return [...byId.values()];
}

type InputAnswer = { ok: true; value: string } | { ok: false; message: string };

/** Asks for each input id at most once per load, however many servers use it. */
function inputAsker(inputs: McpInputSpec[], resolve: McpConfigLoadOptions['resolveInput']) {
  const specs = new Map(inputs.map((i) => [i.id, i]));
  const answers = new Map<string, Promise<InputAnswer>>();
  return (id: string, server: string): Promise<InputAnswer> => {
    let answer = answers.get(id);
    if (!answer) {
      // Settings and other tools' files cannot declare inputs: ask for a secret string.
      const spec = specs.get(id) ?? { id, type: 'promptString', password: true, description: `Value for \${input:${id}} (MCP server "${server}")` };
      answer = ask(spec, server, resolve);
      answers.set(id, answer);
    }
    return answer;
  };
}

async function ask(spec: McpInputSpec, server: string, resolve: McpConfigLoadOptions['resolveInput']): Promise<InputAnswer> {
  const what = `server "${server}" needs input "${spec.id}"${spec.description ? ` (${spec.description})` : ''}`;
  if (!resolve) return { ok: false, message: `${what}, but there is no way to ask for it here; start it from VS Code, which asks once and keeps the answer in SecretStorage` };
  try {
    const value = await resolve(spec);
    if (value !== undefined) return { ok: true, value };
    return { ok: false, message: `${what} and no value was given; it stays off until the input is answered (reload MCP servers to be asked again)` };
  } catch (err) {
    return { ok: false, message: `${what}, but asking for it failed: ${(err as Error).message}` };
  }
}

/** Asks once, then keeps the value in the Secrets port under `mcp.input.<id>`. */
export function secretInputResolver(
  secrets: Secrets,
  ask: (spec: McpInputSpec) => Promise<string | undefined>,
): (spec: McpInputSpec) => Promise<string | undefined> {
  const pending = new Map<string, Promise<string | undefined>>();
  return (spec) => {
    const inFlight = pending.get(spec.id);
    if (inFlight) return inFlight;
    const key = secretKeyForInput(spec.id);
    const answer = (async () => {
      const stored = await secrets.get(key);
      if (stored !== undefined) return stored;
      const value = await ask(spec);
      if (value !== undefined) await secrets.store(key, value);
      return value;
    })().finally(() => pending.delete(spec.id));
    pending.set(spec.id, answer);
    return answer;
  };
}

/** Where an input's answer is kept (so a "forget input" command can delete it). */
export const secretKeyForInput = mcpInputSecretKey;

/**
 * Every file loadMcpConfig may read (existing or not), for the extension's file watchers and for
 * `rusty mcp servers` to say where it looked. Continue's folder is listed as a folder.
 */
export function mcpConfigFiles(opts: Pick<McpConfigLoadOptions, 'workspace' | 'env' | 'home' | 'platform' | 'importFrom'>): { kind: McpConfigSourceKind; file: string }[] {
  const ctx = { home: opts.home ?? os.homedir(), env: opts.env, platform: opts.platform ?? process.platform, realHome: opts.home === undefined };
  const ws = workspaceLocations(opts.workspace);
  const imports = new Set(opts.importFrom ?? DEFAULT_IMPORTS);
  const all: { kind: McpConfigSourceKind; file: string }[] = [
    { kind: 'rusty-settings', file: ws.vscodeSettings },
    { kind: 'vscode-mcp-json', file: ws.vscodeMcpJson },
    { kind: 'roo', file: ws.roo },
    { kind: 'continue', file: ws.continueDir },
    ...clineSettingsCandidates(ctx).map((file) => ({ kind: 'cline' as const, file })),
    { kind: 'claude', file: claudeCodeUserConfig(ctx) },
    { kind: 'claude', file: ws.claudeProject },
    { kind: 'claude', file: claudeDesktopConfig(ctx) },
  ];
  return all.filter((f) => f.kind === 'rusty-settings' || imports.has(f.kind));
}
