// `rusty mcp …` — the MCP servers the workspace and the user's other tools configure, from the
// command line: status, tools (with search), resources, prompts, calls through the permission
// gate, and grants. Same configs and state folder as the extension. The CLI cannot show the
// "ask" prompt unless it runs in a terminal, so there "ask" is a refusal that says how to grant.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { redactSecrets } from '../core/audit';
import { readSettingsFile, readWorkspaceSettings } from '../core/state/settings';
import { workspaceStateDir } from '../core/state/location';
import { isRustyError, RustyError } from '../core/util/errors';
import { McpError } from '../core/mcp/types';
import type {
  AskAnswer, AskRequest, McpAskPrompt, McpCallResult, McpConfigSourceKind, McpInputSpec, McpListKind, McpPromptInfo, McpResourceInfo,
  McpResourceTemplateInfo, McpServerState, McpToolInfo, ToolDetail, ToolSearchHit,
} from '../core/mcp/types';
import type { McpService, McpServiceSettings } from '../core/mcp/service';
import type { McpSamplingHooks, SamplingDecision, SamplingSummary } from '../core/mcp/sampling';
import type { SignInUi } from '../core/mcp/auth/provider';
import { parseFieldValue, type ElicitationAnswer, type ElicitationMode, type ElicitationRequest, type McpElicitationHooks } from '../core/mcp/elicitation';
import { StatePaths } from '../core/state/statePaths';
import { EXIT_REFUSED, EXIT_USAGE, Output, type Io } from './output';
import { safeBlock, safeLine } from '../core/util/terminalText';
import { terminalLine, terminalText } from './terminalText';
import { askSession, serveSession, sessionResult, sessionSocket, type SessionRequest } from './mcpSession';
import { spawn } from 'node:child_process';

/** Exit code after Ctrl-C cancelled a call (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

export interface McpCliDeps {
  io: Io;
  setExit: (code: number) => void;
  /** Aborted by the first Ctrl-C: cancels the running call (the protocol's cancel is sent). */
  signal?: AbortSignal;
  /** Folder relative paths (workspace, --config) are taken from. */
  callerCwd: string;
}

export interface McpOpts {
  workspace?: string;
  json?: boolean;
  config?: string[];
  elicitation?: ElicitationMode;
}

interface Ctx {
  out: Output;
  service: McpService;
  cmd: Command;
}

const DETAILS: readonly ToolDetail[] = ['name', 'summary', 'full'];
const IMPORT_KINDS: readonly McpConfigSourceKind[] = ['vscode-mcp-json', 'roo', 'continue', 'cline', 'claude'];

export function registerMcpCommands(program: Command, deps: McpCliDeps): void {
  const { io, setExit } = deps;
  const mcp = program.command('mcp')
    .description('MCP servers: status, tools, resources, prompts, calls through the permission gate, grants')
    .option('--config <file>', 'also read MCP servers from this file (Claude/VS Code/Cline/Continue format; repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .addOption(new Option('--elicitation <mode>', 'how to answer a server asking for input: prompt (on a terminal; the default there), accept-defaults (every field\'s default; decline when a required field has none) or decline (the default elsewhere)').choices(['prompt', 'accept-defaults', 'decline']));

  // Every subcommand opens the service, runs, prints, then flushes the audit and stops every
  // server it started (no orphans), whatever happened.
  const action = <A extends unknown[]>(fn: (ctx: Ctx, ...args: A) => Promise<void>) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const o = cmd.optsWithGlobals() as McpOpts;
    const out = new Output(io, !!o.json);
    let service: McpService | undefined;
    try {
      service = await openService(o, out, deps);
      await fn({ out, service, cmd }, ...(args.slice(0, -1) as A));
      out.endProgress();
    } catch (err) {
      setExit(reportError(out, err, deps));
    } finally {
      if (service) {
        try {
          await service.dispose();
        } catch (err) {
          out.notice(`rusty: the MCP audit log could not be written: ${(err as Error).message}`);
          setExit(EXIT_REFUSED);
        }
      }
    }
  };

  mcp.command('servers')
    .description('start every configured server and show its status (with the last error)')
    .option('--no-start', 'only list the configured servers; start nothing')
    .action(action(async ({ out, service, cmd }) => {
      const start = (cmd.opts() as { start?: boolean }).start !== false;
      if (start) {
        out.progress('Starting MCP servers…');
        await service.start();
        out.endProgress();
      }
      const configs = new Map(service.serverConfigs().map((c) => [c.name, c]));
      const states = service.servers();
      out.result({
        servers: states.map((s) => ({ ...s, source: configs.get(s.name)?.source, ...(configs.get(s.name)?.disabled ? { disabled: true } : {}) })),
        configErrors: service.configErrors(),
        policyErrors: service.policyErrors(),
      }, () => {
        if (!states.length) return 'No MCP servers configured. Add one to .vscode/mcp.json or the rusty.mcp.servers setting, or pass --config FILE.';
        const rows = states.map((s) => {
          const c = configs.get(s.name);
          return [s.name, c?.disabled ? 'disabled' : s.status, s.connectedVia && s.connectedVia !== s.transport ? `${s.transport}→${s.connectedVia}` : s.transport,
            String(s.toolCount), String(s.resourceCount), String(s.promptCount), c ? (c.source.file ?? c.source.kind) : ''];
        });
        const lines = [table(['SERVER', 'STATUS', 'TRANSPORT', 'TOOLS', 'RESOURCES', 'PROMPTS', 'SOURCE'], rows)];
        for (const s of states.filter((x) => x.lastError)) lines.push('', ...serverProblem(s));
        return lines.join('\n');
      });
    }));

  mcp.command('tools')
    .description('list the tools of every server, or search them (--search)')
    .option('--search <query>', 'rank tools by relevance to this query')
    .addOption(new Option('--detail <level>', 'how much to show per tool').choices(DETAILS as string[]))
    .option('--server <name>', 'only this server')
    .option('--limit <n>', 'at most this many search hits (default 20)', positiveInt('--limit'))
    .action(action(async ({ out, service, cmd }) => {
      const o = cmd.opts() as { search?: string; detail?: ToolDetail; server?: string; limit?: number };
      const detail = o.detail ?? 'summary';
      const session = await fromSession<{ tools?: McpToolInfo[]; hits?: ToolSearchHit[]; servers: McpServerState[] }>(service, {
        method: 'tools', detail, limit: o.limit ?? 20, ...(o.server ? { server: o.server } : {}), ...(o.search !== undefined ? { search: o.search } : {}),
      });
      if (session) warnStates(out, session.servers, o.server);
      else await startFor(service, out, o.server);
      if (o.search !== undefined) {
        const hits = session?.hits ?? service.searchTools(o.search, { detail, limit: o.limit ?? 20, ...(o.server ? { server: o.server } : {}) });
        out.result({ query: o.search, detail, hits }, () => {
          if (!hits.length) return `No tools match "${safeLine(o.search ?? '')}".`;
          if (detail === 'name') return hits.map((h) => `${safeLine(h.server)}/${safeLine(h.name)}`).join('\n');
          if (detail === 'full') return hits.map((h) => fullToolBlock({ ...h, inputSchema: h.inputSchema ?? {} }, h.score)).join('\n\n');
          return table(['SCORE', 'SERVER', 'TOOL', 'CATEGORY', 'DESCRIPTION'], hits.map((h) => [h.score.toFixed(2), h.server, h.name, h.category, oneLine(h.description ?? h.title)]));
        });
        return;
      }
      const tools = session?.tools ?? service.tools(o.server);
      out.result({ detail, tools: tools.map((t) => toolAtDetail(t, detail)) }, () => {
        if (!tools.length) return o.server ? `Server ${o.server} offers no tools.` : 'No tools: no server is connected (see `rusty mcp servers`).';
        if (detail === 'name') return tools.map((t) => `${safeLine(t.server)}/${safeLine(t.name)}`).join('\n');
        if (detail === 'full') return tools.map((t) => fullToolBlock(t)).join('\n\n');
        return table(['SERVER', 'TOOL', 'HINTS', 'DESCRIPTION'], tools.map((t) => [t.server, t.name, hints(t), oneLine(t.description ?? t.title)]));
      });
    }));

  mcp.command('call')
    .description('call a tool through the permission gate; ARGS is a JSON object (or - to read it from stdin)')
    .argument('<server>').argument('<tool>').argument('[args]', 'JSON object of arguments (default {})')
    .option('--timeout <ms>', 'inactivity timeout in ms (progress resets it)', positiveInt('--timeout'))
    .option('--max-time <ms>', 'hard maximum in ms, however much progress arrives', positiveInt('--max-time'))
    .action(action(async ({ out, service, cmd }, server: string, tool: string, rawArgs: string | undefined) => {
      const o = cmd.opts() as { timeout?: number; maxTime?: number };
      const args = parseArgsJson(rawArgs);
      let result: McpCallResult;
      // A running `rusty mcp session` keeps the servers (and their state): the call goes there.
      const viaSession = await askSession(sessionSocket(service.stateFolder), {
        method: 'callTool', server, tool, args,
        ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {}), ...(o.maxTime !== undefined ? { maxTotalTimeoutMs: o.maxTime } : {}),
      });
      if (viaSession) result = sessionResult(viaSession);
      else try {
        result = await service.callTool(server, tool, args, {
          ...(o.timeout !== undefined ? { timeoutMs: o.timeout } : {}),
          ...(o.maxTime !== undefined ? { maxTotalTimeoutMs: o.maxTime } : {}),
          ...(deps.signal ? { signal: deps.signal } : {}),
          onProgress: (p) => out.progress(`${server}/${tool}: ${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? ` ${p.message}` : ''}`),
        });
      } finally {
        out.endProgress();
      }
      out.result(result, () => formatResult(result));
      if (result.isError) {
        out.notice(`rusty: ${tool} on ${server} returned an error (see its output above).`);
        setExit(EXIT_REFUSED);
      }
    }));

  mcp.command('resources')
    .description('list the resources and resource templates of every server (a failed listing is an error)')
    .option('--server <name>', 'only this server')
    .action(action(async ({ out, service, cmd }) => {
      const server = (cmd.opts() as { server?: string }).server;
      const session = await fromSession<{ resources: McpResourceInfo[]; resourceTemplates: McpResourceTemplateInfo[]; servers: McpServerState[] }>(service, {
        method: 'resources', ...(server ? { server } : {}),
      });
      if (session) warnStates(out, session.servers, server);
      else await startFor(service, out, server);
      const resources = session?.resources ?? service.resources(server);
      const templates = session?.resourceTemplates ?? service.resourceTemplates(server);
      const states = session?.servers ?? service.servers().filter((s) => server === undefined || s.name === server);
      const errors = listingErrors(states, ['resources', 'resourceTemplates']);
      out.result({ resources, resourceTemplates: templates, ...(errors.length ? { errors } : {}) }, () => {
        const parts: string[] = [];
        if (resources.length) parts.push(table(['SERVER', 'URI', 'NAME', 'MIME', 'DESCRIPTION'], resources.map((r) => [r.server, r.uri, r.name, r.mimeType ?? '', oneLine(r.description)])));
        if (templates.length) parts.push(table(['SERVER', 'URI TEMPLATE', 'NAME', 'MIME', 'DESCRIPTION'], templates.map((t) => [t.server, t.uriTemplate, t.name, t.mimeType ?? '', oneLine(t.description ?? t.title)])));
        if (!parts.length && !errors.length) parts.push('No resources.');
        return parts.join('\n\n');
      });
      for (const e of errors) out.notice(`rusty: ${safeLine(e.server)}: listing ${e.kind === 'resourceTemplates' ? 'resource templates' : e.kind} failed: ${safeLine(e.message)}`);
      // Nothing listed and something failed: an error, not an empty list.
      if (errors.length && !resources.length && !templates.length) setExit(EXIT_REFUSED);
    }));

  mcp.command('read')
    .description('read a resource (resources/read) and print its contents')
    .argument('<server>').argument('<uri>')
    .action(action(async ({ out, service }, server: string, uri: string) => {
      const result = (await fromSession(service, { method: 'read', server, uri })
        ?? await service.readResource(server, uri, deps.signal ? { signal: deps.signal } : {})) as { contents?: { uri?: string; mimeType?: string; text?: string; blob?: string }[] };
      out.result(result, () => {
        const contents = result.contents ?? [];
        if (!contents.length) return '(no contents)';
        return contents.map((c) => c.text !== undefined
          ? (contents.length > 1 ? `[${safeLine(c.uri ?? '')}${c.mimeType ? ` ${safeLine(c.mimeType)}` : ''}]\n` : '') + terminalText(c.text, { multiline: true })
          : `[${safeLine(c.uri ?? '')} ${safeLine(c.mimeType ?? 'binary')}, ${Math.floor(((c.blob?.length ?? 0) * 3) / 4)} bytes; use --json for the base64 data]`).join('\n');
      });
    }));

  mcp.command('prompt')
    .description('get a prompt (prompts/get); ARGS is a JSON object of string arguments (or - for stdin)')
    .argument('<server>').argument('<name>').argument('[args]', 'JSON object of arguments (default {})')
    .action(action(async ({ out, service }, server: string, name: string, rawArgs: string | undefined) => {
      const args = parseArgsJson(rawArgs);
      const bad = Object.entries(args).find(([, v]) => typeof v !== 'string');
      if (bad) throw new RustyError('usage', `Prompt arguments are strings; "${safeLine(bad[0])}" is ${JSON.stringify(bad[1])}. Pass it as "${safeLine(String(bad[1]))}".`);
      const result = (await fromSession(service, { method: 'prompt', server, name, args: args as Record<string, string> })
        ?? await service.getPrompt(server, name, args as Record<string, string>, deps.signal ? { signal: deps.signal } : {})) as {
        description?: string; messages?: { role?: string; content?: { type?: string; text?: string; mimeType?: string; resource?: { uri?: string; text?: string } } }[];
      };
      out.result(result, () => {
        const lines: string[] = [];
        if (result.description) lines.push(`# ${safeLine(result.description)}`);
        for (const m of result.messages ?? []) {
          const c = m.content ?? {};
          const body = c.type === 'text' && typeof c.text === 'string' ? terminalText(c.text, { multiline: true })
            : c.type === 'resource' && c.resource ? `[resource ${safeLine(c.resource.uri ?? '')}]${c.resource.text !== undefined ? `\n${terminalText(c.resource.text, { multiline: true })}` : ''}`
              : `[${safeLine(c.type ?? 'content')} ${safeLine(c.mimeType ?? '')}]`;
          lines.push(`${safeLine(m.role ?? '?')}: ${body}`);
        }
        return lines.join('\n') || '(empty prompt)';
      });
    }));

  mcp.command('prompts')
    .description('list the prompts of every server')
    .option('--server <name>', 'only this server')
    .action(action(async ({ out, service, cmd }) => {
      const server = (cmd.opts() as { server?: string }).server;
      const session = await fromSession<{ prompts: McpPromptInfo[]; servers: McpServerState[] }>(service, { method: 'prompts', ...(server ? { server } : {}) });
      if (session) warnStates(out, session.servers, server);
      else await startFor(service, out, server);
      const prompts = session?.prompts ?? service.prompts(server);
      const errors = listingErrors(session?.servers ?? service.servers().filter((s) => server === undefined || s.name === server), ['prompts']);
      out.result({ prompts, ...(errors.length ? { errors } : {}) }, () => prompts.length
        ? table(['SERVER', 'PROMPT', 'ARGUMENTS', 'DESCRIPTION'], prompts.map((p) => [p.server, p.name,
          (p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`).join(', '), oneLine(p.description)]))
        : errors.length ? '' : 'No prompts.');
      for (const e of errors) out.notice(`rusty: ${safeLine(e.server)}: listing prompts failed: ${safeLine(e.message)}`);
      if (errors.length && !prompts.length) setExit(EXIT_REFUSED);
    }));

  const session = mcp.command('session').description('a background session that keeps the MCP servers running across `rusty mcp call`s (end it with `rusty mcp stop`)');
  session.command('start')
    .description('start the session (servers start now; calls from this workspace reuse them)')
    .action(action(async ({ out, service, cmd }) => {
      const socket = sessionSocket(service.stateFolder);
      const running = await askSession(socket, { method: 'status' });
      if (running?.ok) {
        out.result({ running: true, ...(running.result as object) }, () => `An MCP session is already running (pid ${(running.result as { pid: number }).pid}).`);
        return;
      }
      const o = cmd.optsWithGlobals() as McpOpts;
      const args = [process.argv[1]!, 'mcp', 'session', 'serve', '-w', path.resolve(deps.callerCwd, o.workspace ?? deps.callerCwd),
        ...(o.config ?? []).flatMap((f) => ['--config', path.resolve(deps.callerCwd, f)]), ...(o.elicitation ? ['--elicitation', o.elicitation] : [])];
      const child = spawn(process.execPath, args, { detached: true, stdio: 'ignore', env: process.env });
      child.unref();
      for (let i = 0; i < 300; i++) {
        const status = await askSession(socket, { method: 'status' });
        if (status?.ok) {
          const r = status.result as { pid: number; servers: McpServerState[] };
          out.result({ running: true, ...r }, () => `MCP session running (pid ${r.pid}, ${r.servers.filter((s) => s.status === 'connected').length} of ${r.servers.length} servers connected). \`rusty mcp call\` reuses its servers; end it with \`rusty mcp stop\`.`);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new RustyError('io', `The MCP session did not start within 30 s; see the server logs in ${path.join(service.stateFolder, 'mcp', 'logs')}.`);
    }));
  session.command('serve', { hidden: true })
    .action(action(async ({ service }) => {
      await service.start();
      await serveSession(service, sessionSocket(service.stateFolder));
    }));

  mcp.command('stop')
    .description('end the background MCP session (its servers stop)')
    .action(action(async ({ out, service }) => {
      const reply = await askSession(sessionSocket(service.stateFolder), { method: 'shutdown' });
      out.result({ stopped: !!reply?.ok }, () => reply?.ok ? `MCP session (pid ${(reply.result as { pid: number }).pid}) stopped.` : 'No MCP session is running.');
    }));

  mcp.command('login')
    .description('sign in to a remote server (OAuth in your browser; $BROWSER or the platform opener; the URL is printed too)')
    .argument('<server>')
    .action(action(async ({ out, service }, server: string) => {
      const { signedIn } = await service.login(server);
      out.result({ server, signedIn }, () => signedIn
        ? `Signed in to ${safeLine(server)}; the sign-in is kept in Rusty's state folder (readable only by you). Sign out with: rusty mcp logout ${safeLine(server)}`
        : `${safeLine(server)} is connected and did not ask for a sign-in.`);
    }));

  mcp.command('logout')
    .description('forget the sign-in (tokens and client registration) of a remote server')
    .argument('<server>')
    .action(action(async ({ out, service }, server: string) => {
      const { removed } = await service.logout(server);
      out.result({ server, removed }, () => removed ? `Signed out of ${safeLine(server)}.` : `No sign-in was stored for ${safeLine(server)}.`);
    }));

  mcp.command('grants')
    .description('list the permissions granted from "ask" prompts that are still live')
    .action(action(async ({ out, service }) => {
      const grants = service.grants();
      out.result({ grants }, () => grants.length
        ? table(['ID', 'SERVER', 'TOOL', 'SCOPE', 'EXPIRES', 'CREATED'], grants.map((g) => [g.id, g.server, g.tool, g.scope, g.expiresAt ?? '', g.createdAt]))
        + '\nRevoke one with: rusty mcp revoke ID'
        : 'No live grants.');
    }));

  mcp.command('revoke')
    .description('revoke a grant (the next call asks again)')
    .argument('<id>')
    .action(action(async ({ out, service }, id: string) => {
      const grant = service.grants().find((g) => g.id === id);
      if (!(await service.revokeGrant(id))) {
        throw new RustyError('not-found', `No live grant with id ${id}. List them with \`rusty mcp grants\`.`);
      }
      out.result({ revoked: id, ...(grant ? { server: grant.server, tool: grant.tool, scope: grant.scope } : {}) },
        () => `Revoked ${id}${grant ? ` (${grant.scope} grant for ${safeLine(grant.server)}/${safeLine(grant.tool)})` : ''}: the next call asks again.`);
    }));

  mcp.command('codegen')
    .description('write typed wrappers for every tool: servers/<server>/ with one TypeScript file per tool, or a Python package')
    .option('--out <dir>', 'output folder (default .rusty/codegen in the workspace)')
    .addOption(new Option('--lang <lang>', 'TypeScript or Python').choices(['ts', 'py']).default('ts'))
    .option('--server <name>', 'only this server')
    .action(action(async ({ out, service, cmd }) => {
      const o = cmd.optsWithGlobals() as McpOpts & { out?: string; lang: 'ts' | 'py'; server?: string };
      await startFor(service, out, o.server);
      const { generate, writeGenerated } = await import('../core/codemode/codegen/generate');
      const workspace = path.resolve(deps.callerCwd, o.workspace ?? deps.callerCwd);
      const dir = o.out ? path.resolve(deps.callerCwd, o.out) : path.join(workspace, '.rusty', 'codegen');
      const tools = service.tools(o.server);
      const files = generate(tools, o.lang);
      const written = writeGenerated(dir, files);
      const servers = [...new Set(tools.map((t) => t.server))].sort();
      out.result({ out: dir, lang: o.lang, servers, tools: tools.length, files: files.size, written }, () =>
        `${o.lang === 'ts' ? 'TypeScript' : 'Python'} wrappers for ${tools.length} tools of ${servers.length} server${servers.length === 1 ? '' : 's'} (${servers.join(', ')}) in ${dir}: ${written.length} of ${files.size} files written${written.length ? '' : ' (all up to date)'}.`);
    }));

  mcp.command('stats')
    .description('token metrics of code-mode runs (rusty run): what the model saw against a direct tool-calling loop')
    .option('--last <n>', 'show this many recent runs (default 10)', positiveInt('--last'))
    .action(action(async ({ out, cmd }) => {
      const o = cmd.optsWithGlobals() as McpOpts & { last?: number };
      const workspace = path.resolve(deps.callerCwd, o.workspace ?? deps.callerCwd);
      const stateDir = workspaceStateDir(workspace, process.env, readWorkspaceSettings(workspace).settings.stateDir);
      const { readRunMetrics } = await import('../core/codemode/metrics');
      const s = readRunMetrics(stateDir, o.last ?? 10);
      const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
      out.result(s, () => s.runs
        ? [`${s.runs} code-mode runs (${s.succeeded} succeeded), ${s.toolCalls} tool calls (${s.cacheHits} from the cache).`,
          `Tokens the model saw: ${s.codeModeTokens} in code mode vs ${s.directTokens} for direct tool calls (${pct(s.saved)} fewer).`, '',
          table(['WHEN', 'SCRIPT', 'OK', 'CALLS', 'CODE-MODE', 'DIRECT', 'SAVED'], s.last.map((m) => [m.at, m.script, m.ok ? 'yes' : (m.errorKind ?? 'no'), String(m.toolCalls), String(m.codeModeTokens), String(m.directTokens), pct(m.saved)]))].join('\n')
        : 'No code-mode runs yet: run a script with `rusty run SCRIPT.ts`.');
    }));

  // `rusty mcp` alone prints its help; `rusty mcp foo` is a usage error (exit 2) naming the commands.
  mcp.allowExcessArguments(true).action((_opts: unknown, cmd: Command) => {
    if (cmd.args.length) {
      cmd.error(`error: unknown command 'mcp ${cmd.args[0]}'; use one of: ${mcp.commands.map((c) => c.name()).join(', ')}`, { code: 'commander.unknownCommand' });
    }
    mcp.outputHelp({ error: true });
    setExit(EXIT_USAGE);
  });
}

// ─── opening the service ─────────────────────────────────────────────────────────────────────

export async function openService(o: McpOpts, out: Output, deps: McpCliDeps): Promise<McpService> {
  const workspace = path.resolve(deps.callerCwd, o.workspace ?? deps.callerCwd);
  if (!fs.existsSync(workspace) || !fs.statSync(workspace).isDirectory()) throw new RustyError('usage', `Workspace folder ${workspace} does not exist.`);
  const configFiles = (o.config ?? []).map((f) => path.resolve(deps.callerCwd, f));
  for (const f of configFiles) {
    if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new RustyError('usage', `--config ${f}: no such file.`);
  }
  const { settings, warning } = readWorkspaceSettings(workspace);
  if (warning) out.notice(`rusty: ${warning}`);
  const mcpSettings = readMcpSettings(workspace, out);
  const stateDir = workspaceStateDir(workspace, process.env, settings.stateDir);
  // Loaded on demand: the SDK and the servers' code are not needed by the other commands.
  const { McpService } = await import('../core/mcp/service');
  const ask = terminalAsk(deps.io, out);
  const sampling = await cliSampling(workspace, stateDir, deps.io, out);
  const service = await McpService.create({
    workspace, stateDir, env: process.env, actor: process.env.RUSTY_ACTOR || 'cli',
    settings: mcpSettings,
    extraConfigFiles: configFiles,
    resolveInput: envInputResolver(process.env),
    ...(ask ? { ask } : {}),
    ...(sampling ? { sampling } : {}),
    signIn: { ui: terminalSignIn(out) },
    elicitation: terminalElicitation(deps.io, out, o.elicitation),
    onAuditError: (err) => out.notice(`rusty: warning: the MCP audit log could not be written yet (${err.message}); retrying before exit.`),
  });
  for (const e of service.configErrors()) {
    out.notice(`rusty: warning: ${e.source.file ?? settingName(e.source.kind)}${e.path ? ` (${e.path})` : ''}: ${e.message}`);
  }
  for (const e of service.policyErrors()) out.notice(`rusty: warning: ${e}`);
  return service;
}

function settingName(kind: McpConfigSourceKind): string {
  return kind === 'rusty-settings' ? 'rusty.mcp.servers' : kind;
}

/**
 * `rusty.mcp.trustedServers`, `rusty.mcp.rules` and `rusty.mcp.importFrom` from the workspace's
 * .vscode/settings.json (JSONC). Rules and trusted servers are validated by the policy loader,
 * which names the bad entry; `rusty.mcp.servers` is read by the config loader itself.
 */
export function readMcpSettings(workspace: string, out?: Output): McpServiceSettings {
  const { file, values: json } = readSettingsFile(workspace);
  const settings: McpServiceSettings = {};
  if (json['rusty.mcp.trustedServers'] !== undefined) settings.trustedServers = json['rusty.mcp.trustedServers'] as string[];
  if (json['rusty.mcp.rules'] !== undefined) settings.rules = json['rusty.mcp.rules'] as McpServiceSettings['rules'];
  const imports = json['rusty.mcp.importFrom'];
  if (Array.isArray(imports)) {
    settings.importFrom = [];
    for (const k of imports) {
      if (IMPORT_KINDS.includes(k as McpConfigSourceKind)) settings.importFrom.push(k as McpConfigSourceKind);
      else out?.notice(`rusty: warning: ${file}: rusty.mcp.importFrom entry ${JSON.stringify(k)} is ignored; use ${IMPORT_KINDS.join(', ')}.`);
    }
  } else if (imports !== undefined) {
    out?.notice(`rusty: warning: ${file}: rusty.mcp.importFrom must be an array of ${IMPORT_KINDS.join(', ')}; importing from all of them.`);
  }
  return settings;
}

/** The environment variable that answers `${input:id}` in the CLI. */
export function inputEnvName(id: string): string {
  return `RUSTY_MCP_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** `${input:id}` from `RUSTY_MCP_INPUT_<ID>`; otherwise that server gets an error naming the variable. */
export function envInputResolver(env: NodeJS.ProcessEnv): (spec: McpInputSpec) => Promise<string | undefined> {
  return async (spec) => {
    const name = inputEnvName(spec.id);
    const value = env[name];
    if (value !== undefined) return value;
    throw new Error(`the CLI reads inputs from the environment: set ${name} to its value`);
  };
}

/**
 * Elicitation: prompts on a terminal (unless a mode is given); elsewhere the mode, default decline.
 * The server's message and field texts are untrusted: printed through the escaping rule.
 */
function terminalElicitation(io: Io, out: Output, mode: ElicitationMode | undefined): McpElicitationHooks {
  const interactive = !out.json && io.isTty && !!process.stdin.isTTY;
  if (mode === 'accept-defaults' || mode === 'decline') return { mode };
  if (!interactive) return { mode: 'decline' };
  return {
    async ask(req: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer> {
      out.endProgress();
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      const question = (q: string) => new Promise<string>((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true });
        rl.question(q, resolve);
      });
      try {
        io.err(`\nRusty: ${safeLine(req.server)} asks for input:\n${terminalText(req.message, { multiline: true })}`);
        const first = (await question('[a]nswer / [d]ecline / [c]ancel: ')).trim().toLowerCase();
        if (first === 'd' || first === 'decline') return { action: 'decline' };
        if (first !== 'a' && first !== 'answer' && first !== '') return { action: 'cancel' };
        const content: Record<string, string | number | boolean | string[]> = {};
        for (const f of req.fields) {
          const label = safeLine(f.title ?? f.name);
          const choices = f.options ? ` (${f.options.map((o) => safeLine(o.value)).join(f.multiple ? ', ' : ' / ')}${f.multiple ? '; comma-separated' : ''})` : f.type === 'boolean' ? ' (yes/no)' : '';
          const dflt = f.default !== undefined ? ` [${safeLine(Array.isArray(f.default) ? f.default.join(',') : String(f.default))}]` : '';
          if (f.description) io.err(`  ${terminalLine(f.description, 200)}`);
          for (let tries = 0; ; tries++) {
            const text = await question(`${label}${f.required ? '' : ' (optional)'}${choices}${dflt}: `);
            if (text.trim() === '') {
              if (f.default !== undefined) content[f.name] = f.default;
              if (f.default !== undefined || !f.required) break;
              io.err('  required');
              continue;
            }
            const parsed = parseFieldValue(f, text);
            if ('value' in parsed) {
              content[f.name] = parsed.value;
              break;
            }
            io.err(`  ${parsed.error}`);
            if (tries >= 4) return { action: 'cancel' };
          }
        }
        return { action: 'accept', content };
      } finally {
        rl.close();
      }
    },
  };
}

/** Sign-in pages open in $BROWSER or the platform's opener; the URL is always printed (stderr). */
function terminalSignIn(out: Output): SignInUi {
  return {
    async open(server, url) {
      out.endProgress();
      out.notice(`rusty: sign in to ${safeLine(server)} in your browser: ${safeLine(url)}`);
      const { openBrowser } = await import('../core/mcp/auth/browser');
      if (!(await openBrowser(url))) out.notice('rusty: could not start a browser; open the address above yourself (or set $BROWSER).');
    },
    hint: (server) => `run \`rusty mcp login ${server}\` first.`,
  };
}

/** In a terminal (stdin and stderr both TTYs, no --json) the CLI can ask; elsewhere it refuses. */
function terminalAsk(io: Io, out: Output): McpAskPrompt | undefined {
  if (out.json || !io.isTty || !process.stdin.isTTY) return undefined;
  return {
    async ask(req: AskRequest): Promise<AskAnswer | undefined> {
      out.endProgress();
      io.err(safeBlock(`\nRusty: allow ${safeLine(req.tool)} on ${safeLine(req.server)}? (${safeLine(req.reason)})\nArguments: ${JSON.stringify(req.args, null, 2)}`));
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await new Promise<string>((resolve) => rl.question('[o]nce / [s]ession / [m N] for N minutes / [a]lways (writes .rusty/policy.json) / [d]eny: ', resolve));
        return parseAskAnswer(answer);
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * Sampling hooks when a model provider is configured (keys in the environment, an OpenAI base
 * URL, no probing): requests go through the AI runtime; on a terminal the user approves each
 * one, otherwise only servers in `.rusty/policy.json` "sampling.allow" may sample.
 */
async function cliSampling(workspace: string, stateDir: string, io: Io, out: Output): Promise<McpSamplingHooks | undefined> {
  const values = readSettingsFile(workspace).values;
  const { configuredProviders } = await import('../core/ai/providers');
  const { providers } = await configuredProviders({ env: process.env, settings: values, probeLocal: false });
  if (!providers.length) return undefined;
  const [{ AiRuntime }, { aiSamplingModel }] = await Promise.all([import('../core/ai/runtime'), import('../core/ai/sampling')]);
  const runtime = new AiRuntime({ aiDir: new StatePaths(stateDir).ai, env: process.env, settings: values, onWarning: (m) => out.notice(`rusty: warning: ${terminalLine(m, 300)}`) });
  const interactive = !out.json && io.isTty && process.stdin.isTTY;
  return {
    complete: aiSamplingModel(runtime),
    ...(interactive ? {
      approve: async (sum: SamplingSummary): Promise<SamplingDecision> => {
        out.endProgress();
        io.err(`\nRusty: ${terminalLine(sum.server, 80)} asks your AI model to answer (${sum.messages} message${sum.messages === 1 ? '' : 's'}, up to ${sum.maxTokens} tokens):\n${terminalText(sum.preview, { multiline: true })}`);
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        try {
          const a = (await new Promise<string>((resolve) => rl.question('[o]nce / [a]lways for this server (this run) / [d]eny: ', resolve))).trim().toLowerCase();
          return a === 'o' || a === 'once' ? 'once' : a === 'a' || a === 'always' ? 'always' : 'deny';
        } finally {
          rl.close();
        }
      },
    } : {}),
  };
}

export function parseAskAnswer(text: string): AskAnswer | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'o' || t === 'once') return { kind: 'once' };
  if (t === 's' || t === 'session') return { kind: 'session' };
  if (t === 'a' || t === 'always') return { kind: 'always' };
  const m = /^m(?:inutes)?\s*(\d+)$/.exec(t);
  if (m) return { kind: 'minutes', minutes: Number(m[1]) };
  return t === 'd' || t === 'deny' ? { kind: 'deny' } : undefined;
}

// ─── helpers ────────────────────────────────────────────────────────────────────────────────

function positiveInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`${flag} must be a whole number > 0, got ${v}`);
    return n;
  };
}

function parseArgsJson(raw: string | undefined): Record<string, unknown> {
  if (raw === undefined) return {};
  const text = raw === '-' ? fs.readFileSync(0, 'utf8') : raw;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RustyError('usage', `The tool arguments are not valid JSON (${(err as Error).message}); pass an object such as '{"message":"hi"}'.`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new RustyError('usage', `The tool arguments must be a JSON object such as '{"message":"hi"}', got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`);
  }
  return value as Record<string, unknown>;
}

/** Start one server (its failure is the command's error) or all (failures become warnings). */
async function startFor(service: McpService, out: Output, server: string | undefined): Promise<void> {
  out.progress(server ? `Starting ${server}…` : 'Starting MCP servers…');
  await service.start(server);
  out.endProgress();
  warnStates(out, service.servers(), server);
}

function warnStates(out: Output, states: McpServerState[], server: string | undefined): void {
  if (server) return;
  for (const s of states) {
    if (s.status === 'failed' || s.status === 'degraded') out.notice(`rusty: warning: server ${safeLine(s.name)} is ${s.status}${s.lastError ? `: ${safeLine(s.lastError)}` : ''}`);
  }
}

/** A running `rusty mcp session` answers instead (its servers keep their state); undefined when none runs. */
async function fromSession<T>(service: McpService, req: SessionRequest): Promise<T | undefined> {
  const reply = await askSession(sessionSocket(service.stateFolder), req);
  return reply ? sessionResult<T>(reply) : undefined;
}

function reportError(out: Output, err: unknown, deps: McpCliDeps): number {
  if (err instanceof McpError) {
    out.endProgress();
    if (err.kind === 'cancelled' && deps.signal?.aborted) {
      if (out.json) out.io.out(JSON.stringify({ error: { code: 'cancelled', message: err.message } }, null, 2));
      out.notice('rusty: call cancelled (Ctrl-C); the server was told to stop.');
      return EXIT_INTERRUPTED;
    }
    if (out.json) {
      const details = err.details ? { details: redactSecrets(err.details) } : {};
      out.io.out(JSON.stringify({ error: { code: err.kind, message: err.message, ...(err.server ? { server: err.server } : {}), ...(err.tool ? { tool: err.tool } : {}), ...details } }, null, 2));
    }
    out.notice(`rusty: ${err.message}`);
    return EXIT_REFUSED;
  }
  if (!isRustyError(err) && err instanceof Error && deps.signal?.aborted) {
    out.notice(`rusty: stopped (Ctrl-C): ${err.message}`);
    return EXIT_INTERRUPTED;
  }
  return out.error(err);
}

/** Columns padded to their widest cell; the last column is left ragged. Cells are one line each. */
export function table(headers: string[], rows: string[][]): string {
  const all = [headers, ...rows.map((r) => r.map(safeLine))];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function oneLine(text: string | undefined, max = 80): string {
  const line = (text ?? '').split('\n').find((l) => l.trim()) ?? '';
  const t = line.trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

function hints(t: McpToolInfo): string {
  const a = t.annotations;
  if (!a) return '';
  return [a.readOnlyHint ? 'read-only' : '', a.destructiveHint ? 'destructive' : '', a.idempotentHint ? 'idempotent' : '', a.openWorldHint ? 'open-world' : '']
    .filter(Boolean).join(',');
}

function toolAtDetail(t: McpToolInfo, detail: ToolDetail): Record<string, unknown> {
  if (detail === 'name') return { server: t.server, name: t.name };
  if (detail === 'summary') return { server: t.server, name: t.name, ...(t.title ? { title: t.title } : {}), ...(t.description ? { description: t.description } : {}), ...(t.annotations ? { annotations: t.annotations } : {}) };
  return { ...t };
}

function fullToolBlock(t: Omit<McpToolInfo, 'inputSchema'> & { inputSchema?: Record<string, unknown> }, score?: number): string {
  const lines = [`${safeLine(t.server)}/${safeLine(t.name)}${t.title ? `  (${safeLine(t.title)})` : ''}${score !== undefined ? `  score ${score.toFixed(2)}` : ''}`];
  if (t.description) for (const l of t.description.split('\n')) lines.push(`  ${l}`);
  const h = hints(t as McpToolInfo);
  if (h) lines.push(`  hints: ${h}`);
  if (t.inputSchema) lines.push(`  input: ${JSON.stringify(t.inputSchema)}`);
  if (t.outputSchema) lines.push(`  output: ${JSON.stringify(t.outputSchema)}`);
  return lines.join('\n');
}

/** Per-server listing failures of the given kinds, for `mcp resources` / `mcp prompts`. */
function listingErrors(states: McpServerState[], kinds: McpListKind[]): { server: string; kind: McpListKind; message: string }[] {
  const errors: { server: string; kind: McpListKind; message: string }[] = [];
  for (const s of states) {
    for (const kind of kinds) {
      const message = s.listErrors?.[kind];
      if (message) errors.push({ server: s.name, kind, message });
    }
  }
  return errors;
}

function serverProblem(s: McpServerState): string[] {
  const lines = [`${safeLine(s.name)}: ${safeLine(s.lastError ?? '')}`];
  for (const l of s.stderrTail.slice(-5)) lines.push(`  stderr| ${safeLine(l)}`);
  if (s.logFile) lines.push(`  full log: ${safeLine(s.logFile)}`);
  return lines;
}

/** Text blocks as text; everything else as a one-line description; a saved result by its file. */
export function formatResult(r: McpCallResult): string {
  const lines: string[] = [];
  for (const block of r.content) {
    const b = block as { type?: string; text?: string; mimeType?: string; data?: string; uri?: string; resource?: { uri?: string; text?: string; mimeType?: string } };
    if (b.type === 'text' && typeof b.text === 'string') lines.push(b.text);
    else if (b.type === 'image' || b.type === 'audio') lines.push(`[${b.type} ${b.mimeType ?? ''}, ${Math.floor(((b.data?.length ?? 0) * 3) / 4)} bytes]`);
    else if (b.type === 'resource' && b.resource) lines.push(`[resource ${b.resource.uri ?? ''}]${b.resource.text !== undefined ? `\n${b.resource.text}` : ''}`);
    else if (b.type === 'resource_link') lines.push(`[resource link ${b.uri ?? ''}]`);
    else lines.push(JSON.stringify(block));
  }
  if (r.structuredContent !== undefined && !lines.length) lines.push(JSON.stringify(r.structuredContent, null, 2));
  if (r.savedTo) lines.push(`(The full result, ${r.bytes} bytes, was saved to ${r.savedTo}.)`);
  if (!lines.length) lines.push('(empty result)');
  return lines.join('\n');
}
