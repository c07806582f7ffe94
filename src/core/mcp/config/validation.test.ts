// Precedence, clashes and every kind of bad entry: each gets a precise error, none stops the others.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { McpConfigError } from '../types';
import { sandbox, type Sandbox } from './fixtures/sandbox';
import { loadMcpConfig, type McpConfigLoadOptions } from './index';

let sb: Sandbox;
beforeEach(() => { sb = sandbox(); });
afterEach(() => sb.cleanup());

const load = (opts: Partial<McpConfigLoadOptions> = {}) =>
  loadMcpConfig({ workspace: sb.workspace, home: sb.home, env: {}, platform: 'linux', ...opts });

/** Loads one `rusty.mcp.servers` entry and returns its errors (path + message). */
async function errorsFor(entry: unknown, env: NodeJS.ProcessEnv = {}): Promise<Pick<McpConfigError, 'path' | 'message'>[]> {
  const loaded = await load({ settingsServers: { bad: entry, good: { command: 'node' } }, env });
  expect(loaded.servers.map((s) => s.name)).toEqual(['good']);
  return loaded.errors.map(({ path, message }) => ({ path, message }));
}

describe('precedence', () => {
  it('keeps the highest-precedence entry of a name and reports each loser naming both files', async () => {
    const entry = (tag: string) => ({ command: tag });
    const claudeFile = sb.write('ws/.mcp.json', JSON.stringify({ mcpServers: { shared: entry('claude') } }));
    const clineFile = sb.write('home/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      JSON.stringify({ mcpServers: { shared: entry('cline') } }));
    const continueFile = sb.write('ws/.continue/mcpServers/s.yaml', 'mcpServers:\n  - name: shared\n    command: continue\n');
    const rooFile = sb.write('ws/.roo/mcp.json', JSON.stringify({ mcpServers: { shared: entry('roo') } }));
    const vscodeFile = sb.write('ws/.vscode/mcp.json', JSON.stringify({ servers: { shared: entry('vscode') } }));
    const extraFile = sb.write('extra.json', JSON.stringify({ mcpServers: { shared: entry('extra') } }));
    const settingsFile = sb.write('ws/.vscode/settings.json', JSON.stringify({ 'rusty.mcp.servers': { shared: entry('rusty') } }));

    const all = await load({ extraFiles: [extraFile] });
    expect(all.servers).toEqual([{ name: 'shared', transport: 'stdio', command: 'rusty', source: { kind: 'rusty-settings', file: settingsFile } }]);
    const losers = [extraFile, vscodeFile, rooFile, continueFile, clineFile, claudeFile];
    expect(all.errors.map((e) => e.source.file)).toEqual(losers);
    for (const error of all.errors) {
      expect(error.server).toBe('shared');
      expect(error.message).toContain(`server "shared" in ${error.source.file} is ignored: ${settingsFile} also defines "shared"`);
      expect(error.message).toContain('rename one of them');
    }
    expect(all.errors[0]?.path).toBe('mcpServers.shared');
    expect(all.errors[3]?.path).toBe('mcpServers[0]');

    // Without Rusty's own entries the next one down wins.
    const withoutRusty = await load({ settingsServers: {}, importFrom: ['claude', 'cline', 'continue'] });
    expect(withoutRusty.servers[0]?.command).toBe('continue');
    expect(withoutRusty.errors.map((e) => e.source.file)).toEqual([clineFile, claudeFile]);
  });

  it('lets an invalid higher-precedence entry keep its name rather than silently using another tool\'s', async () => {
    sb.write('ws/.mcp.json', JSON.stringify({ mcpServers: { db: { command: 'node' } } }));
    const loaded = await load({ settingsServers: { db: { command: 42 } } });
    expect(loaded.servers).toEqual([]);
    expect(loaded.errors.map((e) => e.path)).toEqual(['rusty.mcp.servers.db.command', 'mcpServers.db']);
  });

  it('reports two Continue blocks defining the same name', async () => {
    sb.write('ws/.continue/mcpServers/a.yaml', 'mcpServers:\n  - name: x\n    command: a\n');
    const second = sb.write('ws/.continue/mcpServers/b.yaml', 'mcpServers:\n  - name: x\n    command: b\n');
    const loaded = await load();
    expect(loaded.servers.map((s) => s.command)).toEqual(['a']);
    expect(loaded.errors).toEqual([expect.objectContaining({ source: { kind: 'continue', file: second }, path: 'mcpServers[0]', server: 'x' })]);
  });
});

describe('invalid entries', () => {
  it.each([
    ['neither command nor url', { args: ['x'] }, 'rusty.mcp.servers.bad', 'server "bad" needs "command" (a local stdio server, e.g. "command": "npx") or "url" (a remote HTTP server)'],
    ['both command and url', { command: 'node', url: 'https://x.example' }, 'rusty.mcp.servers.bad', 'server "bad" has both "command" and "url"; keep "command" for a local stdio server or "url" for a remote one'],
    ['a command that is not a string', { command: 42 }, 'rusty.mcp.servers.bad.command', '"command" must be a non-empty string: the program to start, e.g. "npx" or "node", found the number 42 (server "bad")'],
    ['an empty command', { command: '' }, 'rusty.mcp.servers.bad.command', '"command" must be a non-empty string: the program to start, e.g. "npx" or "node", found an empty string (server "bad")'],
    ['args that are not an array', { command: 'node', args: 'server.js' }, 'rusty.mcp.servers.bad.args', '"args" must be an array of strings, found a string (server "bad")'],
    ['an arg that is an object', { command: 'node', args: ['ok', { x: 1 }] }, 'rusty.mcp.servers.bad.args[1]', '"args[1]" must be a string, found an object (server "bad")'],
    ['env as an array', { command: 'node', env: ['A=1'] }, 'rusty.mcp.servers.bad.env', '"env" must be an object of NAME: "value" pairs, found an array (server "bad")'],
    ['an env value that is an object', { command: 'node', env: { TOKEN: { secret: 'x' } } }, 'rusty.mcp.servers.bad.env.TOKEN', '"env.TOKEN" must be a string, found an object (server "bad")'],
    ['a header value that is an array', { url: 'https://x.example', headers: { Authorization: ['a'] } }, 'rusty.mcp.servers.bad.headers.Authorization', '"headers.Authorization" must be a string, found an array (server "bad")'],
    ['disabled as a string', { command: 'node', disabled: 'yes' }, 'rusty.mcp.servers.bad.disabled', '"disabled" must be true or false, found a string (server "bad")'],
    ['a negative timeout', { command: 'node', timeoutMs: -5 }, 'rusty.mcp.servers.bad.timeoutMs', '"timeoutMs" must be a positive number of milliseconds, found the number -5 (server "bad")'],
    ['an unknown type', { type: 'websocket', url: 'wss://x.example' }, 'rusty.mcp.servers.bad.type', 'unknown transport type "websocket"; use "stdio" (with "command"), "http" (Streamable HTTP, with "url") or "sse" (with "url")'],
    ['type http with a command', { type: 'http', command: 'node' }, 'rusty.mcp.servers.bad.type', '"type" is "http" but the entry has "command"; a command runs over stdio — use "type": "stdio" or replace "command" with "url"'],
    ['type stdio with a url', { type: 'stdio', url: 'https://x.example' }, 'rusty.mcp.servers.bad.type', '"type" is "stdio" but the entry has "url" instead of "command"; use "type": "http" (or "sse") for a URL'],
    ['a url that is not a URL', { url: 'localhost:3000/mcp' }, 'rusty.mcp.servers.bad.url', '"url" "localhost:3000/mcp" uses localhost:, but MCP servers are reached over http or https (server "bad")'],
    ['a url without a scheme', { url: 'not a url' }, 'rusty.mcp.servers.bad.url', '"url" "not a url" is not a valid URL; write the full address, e.g. "https://example.com/mcp" (server "bad")'],
    ['a non-http url', { type: 'sse', url: 'ftp://files.example/mcp' }, 'rusty.mcp.servers.bad.url', '"url" "ftp://files.example/mcp" uses ftp:, but MCP servers are reached over http or https (server "bad")'],
    ['an entry that is not an object', 'npx server', 'rusty.mcp.servers.bad', 'server "bad" must be an object with "command" (stdio) or "url" (HTTP), found a string'],
    ['a missing envFile', { command: 'node', envFile: '.env.missing' }, 'rusty.mcp.servers.bad.envFile', 'does not exist; create it or remove "envFile" (server "bad")'],
  ])('reports %s', async (_what, entry, path, message) => {
    const errors = await errorsFor(entry);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe(path);
    expect(errors[0]?.message).toContain(message);
  });

  it('accepts the transport spellings other tools write, and infers the transport when type is absent', async () => {
    const loaded = await load({
      settingsServers: {
        a: { type: 'streamableHttp', url: 'https://a.example/mcp' },
        b: { type: 'streamable-http', url: 'https://b.example/mcp' },
        c: { type: 'SSE', url: 'https://c.example/sse' },
        d: { url: 'https://d.example/mcp' },
        e: { command: 'node', args: [1, true] },
      },
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers.map((s) => s.transport)).toEqual(['http', 'http', 'sse', 'http', 'stdio']);
    expect(loaded.servers[4]?.args).toEqual(['1', 'true']);
  });

  it('reports a JSON syntax error with line:column, skips that file and still loads the others', async () => {
    const broken = sb.write('ws/.vscode/mcp.json', '{\n  "servers": {\n    "a": { "command": "node" }\n    "b": {}\n  }\n}\n');
    sb.write('ws/.roo/mcp.json', JSON.stringify({ mcpServers: { roo: { command: 'node' } } }));
    const loaded = await load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['roo']);
    expect(loaded.errors).toEqual([{
      source: { kind: 'vscode-mcp-json', file: broken }, path: '',
      message: 'JSON syntax error at 4:5 (CommaExpected); fix the file — none of its servers are loaded until then',
    }]);
  });

  it('reports a YAML syntax error with line:column and still loads the other Continue blocks', async () => {
    const broken = sb.write('ws/.continue/mcpServers/a.yaml', 'mcpServers:\n  - name: a\n    command: [node\n');
    sb.write('ws/.continue/mcpServers/b.yaml', 'mcpServers:\n  - name: b\n    command: node\n');
    const loaded = await load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['b']);
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ source: { kind: 'continue', file: broken }, path: '' });
    expect(loaded.errors[0]?.message).toMatch(/^YAML syntax error at \d+:\d+ \(.+\); fix the file/);
  });

  it('reports malformed file structure: servers not an object, Continue item without a name, bad inputs', async () => {
    const vscode = sb.write('ws/.vscode/mcp.json', JSON.stringify({
      servers: { ok: { command: 'node' } },
      inputs: [{ id: 'a', type: 'command', command: 'x.y' }, { type: 'promptString' }, { id: 'p', type: 'pickString' }],
    }));
    const roo = sb.write('ws/.roo/mcp.json', JSON.stringify({ mcpServers: ['not', 'a', 'map'] }));
    const cont = sb.write('ws/.continue/mcpServers/x.yaml', 'mcpServers:\n  - command: node\n  - name: fine\n    command: node\n');
    const loaded = await load();
    expect(loaded.servers.map((s) => s.name)).toEqual(['ok', 'fine']);
    expect(loaded.errors).toEqual([
      { source: { kind: 'vscode-mcp-json', file: vscode }, path: 'inputs[0].type', message: 'input "a" has type "command"; Rusty supports "promptString" and "pickString"' },
      { source: { kind: 'vscode-mcp-json', file: vscode }, path: 'inputs[1].id', message: 'input 2 needs an "id" (the name used in ${input:id})' },
      { source: { kind: 'vscode-mcp-json', file: vscode }, path: 'inputs[2].options', message: 'input "p" is a pickString and needs "options": an array of strings' },
      { source: { kind: 'roo', file: roo }, path: 'mcpServers', message: '"mcpServers" must be an object mapping server names to entries, found an array' },
      { source: { kind: 'continue', file: cont }, path: 'mcpServers[0].name', message: 'server 1 in "mcpServers" needs a "name" (a non-empty string)' },
    ]);
  });

  it('takes "trusted" only from Rusty\'s own setting and --config files, never from other tools\' files', async () => {
    sb.write('ws/.vscode/mcp.json', JSON.stringify({ servers: { repo: { command: 'node', trusted: true } } }));
    sb.write('ws/.mcp.json', JSON.stringify({ mcpServers: { claude: { command: 'node', trusted: true } } }));
    const extra = sb.write('extra.json', JSON.stringify({ mcpServers: { cli: { command: 'node', trusted: true } } }));
    const loaded = await load({ settingsServers: { mine: { command: 'node', trusted: true } }, extraFiles: [extra] });
    expect(loaded.servers.map((s) => [s.name, s.trusted])).toEqual([['mine', true], ['cli', true], ['repo', undefined], ['claude', undefined]]);
  });

  it('reports a setting that is not an object', async () => {
    const loaded = await load({ settingsServers: ['everything'] });
    expect(loaded.errors).toEqual([{ source: { kind: 'rusty-settings' }, path: 'rusty.mcp.servers', message: '"rusty.mcp.servers" must be an object mapping server names to entries, found an array' }]);
  });

  it('never echoes env or header values in errors', async () => {
    const errors = await errorsFor({ url: 'https://x.example', headers: { Authorization: 12345678901 }, env: { T: { v: 'hunter2' } } });
    expect(JSON.stringify(errors)).not.toContain('hunter2');
  });
});

describe('variables', () => {
  it('expands env, workspace, home and path separator variables in every field', async () => {
    const loaded = await load({
      env: { TOKEN: 't0k', BIN: 'mcp-bin', PORT: '8080' },
      settingsServers: {
        local: { command: '${env:BIN}', args: ['--root=${workspaceFolder}', '${workspaceFolderBasename}'], env: { T: '${env:TOKEN}', H: '${userHome}${pathSeparator}x' }, cwd: '${userHome}' },
        remote: { url: 'http://localhost:${env:PORT}/mcp', headers: { Authorization: 'Bearer ${env:TOKEN}' } },
        relative: { command: 'node', cwd: 'sub/dir' },
      },
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers[0]).toMatchObject({
      command: 'mcp-bin', args: [`--root=${sb.workspace}`, 'ws'], env: { T: 't0k', H: `${sb.home}/x` }, cwd: sb.home,
    });
    expect(loaded.servers[1]).toMatchObject({ url: 'http://localhost:8080/mcp', headers: { Authorization: 'Bearer t0k' } });
    expect(loaded.servers[2]?.cwd).toBe(`${sb.workspace}/sub/dir`);
  });

  it('reports a missing environment variable with the variable and where it is used', async () => {
    const errors = await errorsFor({ command: 'node', env: { GITHUB_TOKEN: '${env:GITHUB_TOKEN}' } });
    expect(errors).toEqual([{
      path: 'rusty.mcp.servers.bad.env.GITHUB_TOKEN',
      message: '${env:GITHUB_TOKEN} needs the environment variable GITHUB_TOKEN, which is not set; set it before starting VS Code or the CLI (server "bad")',
    }]);
  });

  it('reports an unknown variable, including bare ${VAR} outside Claude\'s files', async () => {
    expect(await errorsFor({ command: 'node', args: ['${workspaceRoot}'] })).toEqual([{
      path: 'rusty.mcp.servers.bad.args[0]',
      message: 'unknown variable ${workspaceRoot}; supported: ${env:VAR}, ${workspaceFolder}, ${workspaceFolderBasename}, ${userHome}, ${pathSeparator}, ${input:id} (server "bad")',
    }]);
    const bare = await errorsFor({ url: 'https://${HOST}/mcp' }, { HOST: 'x.example' });
    expect(bare[0]).toMatchObject({ path: 'rusty.mcp.servers.bad.url', message: expect.stringContaining('unknown variable ${HOST}') });
  });

  it('reports every bad variable of an entry, not just the first', async () => {
    const errors = await errorsFor({ command: '${env:A}', args: ['${env:B}'], cwd: '${nope}' });
    expect(errors.map((e) => e.path)).toEqual(['rusty.mcp.servers.bad.command', 'rusty.mcp.servers.bad.args[0]', 'rusty.mcp.servers.bad.cwd']);
  });

  it('reads Claude\'s ${VAR} and ${VAR:-default}, and reports an unset ${VAR} without default', async () => {
    const file = sb.write('ws/.mcp.json', JSON.stringify({
      mcpServers: {
        ok: { command: 'node', env: { A: '${A}', B: '${B:-fallback}' } },
        missing: { type: 'http', url: 'https://api.example/mcp', headers: { Authorization: 'Bearer ${API_KEY}' } },
      },
    }));
    const loaded = await load({ env: { A: 'a' } });
    expect(loaded.servers).toEqual([{ name: 'ok', transport: 'stdio', command: 'node', env: { A: 'a', B: 'fallback' }, source: { kind: 'claude', file } }]);
    expect(loaded.errors).toEqual([{
      source: { kind: 'claude', file }, server: 'missing', path: 'mcpServers.missing.headers.Authorization',
      message: '${API_KEY} needs the environment variable API_KEY, which is not set; set it before starting VS Code or the CLI (server "missing")',
    }]);
  });

  it('reads Continue\'s ${{ secrets.NAME }} from the environment and reports other templates', async () => {
    sb.write('ws/.continue/mcpServers/a.yaml', [
      'mcpServers:',
      '  - name: ok',
      '    command: node',
      '    env: { KEY: "${{ secrets.KEY }}" }',
      '  - name: unset',
      '    command: node',
      '    env: { KEY: "${{ secrets.OTHER }}" }',
      '  - name: odd',
      '    command: node',
      '    args: ["${{ inputs.thing }}"]',
    ].join('\n'));
    const loaded = await load({ env: { KEY: 'k' } });
    expect(loaded.servers).toEqual([expect.objectContaining({ name: 'ok', env: { KEY: 'k' } })]);
    expect(loaded.errors.map((e) => [e.path, e.message.split(';')[0]])).toEqual([
      ['mcpServers[1].env.KEY', '${{ secrets.OTHER }} needs the environment variable OTHER, which is not set'],
      ['mcpServers[2].args[0]', 'unknown variable ${{ inputs.thing }}'],
    ]);
  });

  it('keeps a disabled server without failing on variables it cannot resolve yet', async () => {
    const loaded = await load({ settingsServers: { off: { command: 'node', env: { T: '${env:NOPE}', I: '${input:tok}' }, disabled: true } } });
    expect(loaded.errors).toEqual([]);
    expect(loaded.servers).toEqual([{ name: 'off', transport: 'stdio', command: 'node', env: { T: '${env:NOPE}', I: '${input:tok}' }, disabled: true, source: { kind: 'rusty-settings' } }]);
  });
});
