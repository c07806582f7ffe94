// `rusty gateway clients|add|revoke`: the agents allowed to use `rusty serve`. A token is printed
// once, at `add`; only its sha256 is kept (0600 file in the workspace's state folder).
import type { Command } from 'commander';
import { Option } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import { CLIENT_SCOPES, ClientRegistry, type ClientScope } from '../core/gateway/clients';
import { GatewayPaths } from '../core/gateway/paths';
import { Output, type Io } from './output';
import { safeLine } from '../core/util/terminalText';

export interface GatewayCliDeps {
  io: Io;
  setExit: (code: number) => void;
  callerCwd: string;
  openCore: (workspace: string, out: Output) => Promise<RustyCore>;
}

export function registerGatewayCommands(program: Command, deps: GatewayCliDeps): void {
  const { io, setExit } = deps;
  const gateway = program.command('gateway').description('manage the agents that may use the gateway (rusty serve)');
  const run = (fn: (registry: ClientRegistry, out: Output, cmd: Command, ...args: string[]) => Promise<void> | void) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals() as { workspace?: string; json?: boolean };
      const out = new Output(io, !!g.json);
      try {
        const core = await deps.openCore(g.workspace ?? deps.callerCwd, out);
        await fn(new ClientRegistry(new GatewayPaths(core.stateDir).clients), out, cmd, ...(args.slice(0, -2) as string[]));
      } catch (err) {
        setExit(out.error(err));
      }
    };

  gateway.command('clients')
    .description('list gateway clients and their scopes')
    .action(run((registry, out) => {
      const clients = registry.list();
      out.result({ clients: clients.map(({ tokenHash: _h, ...c }) => c) }, () => clients.length
        ? clients.map((c) => `${safeLine(c.name)}\t${c.scope}\tcreated ${c.createdAt}${c.revokedAt ? `\trevoked ${c.revokedAt}` : ''}`).join('\n')
        : 'No gateway clients. Add one with: rusty gateway add NAME --scope propose');
    }));

  gateway.command('add')
    .description('create a client and print its token (shown once)')
    .argument('<name>', 'lowercase letters, digits, . _ -')
    .addOption(new Option('--scope <scope>', 'read-only (look, analyze, follow proposals) or propose (also submit changes)').choices([...CLIENT_SCOPES]).default('read-only'))
    .action(run((registry, out, cmd, name) => {
      const scope = (cmd.opts() as { scope: ClientScope }).scope;
      const { client, token } = registry.add(name!, scope);
      out.result({ name: client.name, scope: client.scope, token }, () => [
        `Created gateway client ${client.name} (${client.scope}). Its token (shown only now; keep it secret):`,
        '',
        `  ${token}`,
        '',
        'HTTP: send it as "Authorization: Bearer <token>" to rusty serve --http; stdio: set RUSTY_GATEWAY_TOKEN for rusty serve --stdio.',
        `Revoke with: rusty gateway revoke ${client.name}`,
      ].join('\n'));
    }));

  gateway.command('revoke')
    .description('revoke a client: its token stops working at once, on running gateways too')
    .argument('<name>')
    .action(run((registry, out, _cmd, name) => {
      const c = registry.revoke(name!);
      out.result({ name: c.name, revokedAt: c.revokedAt }, () => `Revoked gateway client ${safeLine(c.name)}.`);
    }));
}
