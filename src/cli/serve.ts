// `rusty serve --stdio | --http [--port P]`: Rusty as the approval gateway for other agents (an
// MCP server; see src/core/gateway). `rusty gateway clients|add|revoke` lives in gateway.ts.
import * as fs from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { RustyError } from '../core/util/errors';
import { Output, type Io } from './output';
import { terminalLine } from './terminalText';

export interface ServeCliDeps {
  io: Io;
  setExit: (code: number) => void;
  signal?: AbortSignal;
  callerCwd: string;
  /** Opens the workspace's core (recovering an interrupted apply first). */
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
}

/** The version in package.json next to the bundle (dist/cli/… → package.json), or 'dev'. */
export function rustyVersion(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const v = (JSON.parse(fs.readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string });
      if (v.name === 'rusty' && v.version) return v.version;
    } catch {
      // try the next
    }
  }
  return 'dev';
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`--port must be a whole number 0–65535, got ${v}`);
  return n;
}

export function registerServeCommand(program: Command, deps: ServeCliDeps): void {
  const { io, setExit } = deps;
  program.command('serve')
    .description('serve Rusty as an MCP server for other agents: what they send becomes proposals a person approves')
    .option('--stdio', 'speak MCP on stdin/stdout (the client is named by the token in RUSTY_GATEWAY_TOKEN)')
    .option('--http', 'Streamable HTTP on 127.0.0.1 (bearer tokens from `rusty gateway add`)')
    .addOption(new Option('--port <n>', 'HTTP port (default 7767; 0 picks a free one)').argParser(port))
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { stdio?: boolean; http?: boolean; port?: number; workspace?: string; json?: boolean };
      // stdout is the protocol with --stdio: everything else goes to stderr.
      const out = new Output(g.stdio ? { ...io, out: io.err } : io, !!g.json);
      try {
        if (!!g.stdio === !!g.http) throw new RustyError('usage', 'Choose one transport: rusty serve --stdio, or rusty serve --http [--port P].');
        if (g.stdio && g.port !== undefined) throw new RustyError('usage', '--port goes with --http.');
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        const { Gateway, serveStdio, startHttpGateway, TOKEN_ENV } = await import('../core/gateway');
        // Code mode (execute_code, search_tools): the MCP servers start on first use; no terminal
        // prompts (stdin may be the protocol), so "ask" tools are refused with how to grant them.
        const { codeModeGatewayTools } = await import('../core/codemode');
        const codeTools = codeModeGatewayTools({
          openMcp: async () => {
            const [{ McpService }, { readMcpSettings }] = await Promise.all([import('../core/mcp/service'), import('./mcp')]);
            return McpService.create({ workspace: core.wfs.root, stateDir: core.stateDir, env: process.env, actor: 'gateway', settings: readMcpSettings(core.wfs.root, out) });
          },
        });
        const gw = new Gateway({ core, version: rustyVersion(), log: (line) => out.notice(terminalLine(line, 400)), extraTools: [codeTools.provider] });
        gw.start();
        const stopped = new Promise<void>((resolve) => {
          const stop = () => resolve();
          deps.signal?.addEventListener('abort', stop, { once: true });
          process.once('SIGTERM', stop);
          if (g.stdio) process.stdin.once('close', stop).once('end', stop);
        });
        if (g.stdio) {
          await serveStdio(gw, process.env[TOKEN_ENV]);
          out.notice(`rusty: gateway on stdio for ${terminalLine(core.wfs.root)}`);
          await stopped;
        } else {
          const wanted = g.port ?? 7767;
          const server = await startHttpGateway(gw, { port: wanted }).catch(async (err: NodeJS.ErrnoException) => {
            await gw.close();
            if (err.code === 'EADDRINUSE') throw new RustyError('usage', `Port ${wanted} is in use (another gateway?); choose another with --port P, or --port 0 for any free one.`);
            throw err;
          });
          out.notice(`rusty: gateway listening on ${server.url} for ${terminalLine(core.wfs.root)} (Ctrl-C stops it)`);
          if (out.json) io.out(JSON.stringify({ url: server.url, port: server.port, host: server.host }));
          await stopped;
          await server.close();
        }
        await gw.close();
        await codeTools.dispose();
        out.notice('rusty: gateway stopped; queued submissions stay in the state folder and are processed at the next start.');
      } catch (err) {
        setExit(out.error(err));
      }
    });
}
