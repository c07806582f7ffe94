// OAuth sign-in through McpService against a real local authorization server + MCP server (the
// SDK's McpServer over Streamable HTTP, behind a bearer check): success, a sign-in cancelled half
// way, a forged `state`, an expired refresh token, and a server whose metadata changes. The browser
// is a fetch that follows the authorization redirect to Rusty's loopback listener.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { McpService, mcpStatePaths } from '../service';
import { FileSecrets, OAuthStore } from './store';
import type { SignInUi } from './provider';

interface AuthServerOptions {
  /** What /authorize answers: a code, the user cancelling, or a redirect with a forged state. */
  authorize: 'ok' | 'cancel' | 'forged-state';
  /** invalid_grant for refresh_token grants. */
  refreshExpired: boolean;
  /** Access tokens accepted by /mcp (others get 401). */
  valid: Set<string>;
  /** The issuer (and AS) the protected resource metadata names. */
  issuerPath: string;
  log: string[];
}

const servers: http.Server[] = [];
const temps: string[] = [];
const services: McpService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.dispose();
  for (const s of servers.splice(0)) s.close();
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

async function startServer(o: AuthServerOptions): Promise<string> {
  let base = '';
  let n = 0;
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const issuer = `${base}${o.issuerPath}`;
    if (url.pathname === '/.well-known/oauth-protected-resource/mcp') return json(200, { resource: `${base}/mcp`, authorization_servers: [issuer] });
    if (url.pathname === `/.well-known/oauth-authorization-server${o.issuerPath}`) {
      return json(200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, registration_endpoint: `${issuer}/register`,
        response_types_supported: ['code'], code_challenge_methods_supported: ['S256'], token_endpoint_auth_methods_supported: ['none'],
      });
    }
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (url.pathname === `${o.issuerPath}/register`) return json(201, { ...JSON.parse(body), client_id: `client-${++n}` });
      if (url.pathname === `${o.issuerPath}/authorize`) {
        const back = new URL(url.searchParams.get('redirect_uri')!);
        if (o.authorize === 'cancel') back.searchParams.set('error', 'access_denied');
        else back.searchParams.set('code', 'the-code');
        back.searchParams.set('state', o.authorize === 'forged-state' ? 'forged' : url.searchParams.get('state')!);
        res.writeHead(302, { location: back.href });
        return res.end();
      }
      if (url.pathname === `${o.issuerPath}/token`) {
        const form = new URLSearchParams(body);
        o.log.push(`token ${form.get('grant_type')}`);
        if (form.get('grant_type') === 'refresh_token' && o.refreshExpired) return json(400, { error: 'invalid_grant', error_description: 'refresh token expired' });
        const access = `at-${++n}`;
        o.valid.add(access);
        return json(200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: `rt-${n}` });
      }
      if (url.pathname === '/mcp') {
        const token = req.headers.authorization?.replace(/^Bearer /, '');
        if (!token || !o.valid.has(token)) {
          return json(401, { error: 'invalid_token' }, { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` });
        }
        const server = new McpServer({ name: 'oauth-test', version: '1.0.0' });
        server.registerTool('whoami', { description: 'who' }, async () => ({ content: [{ type: 'text', text: `token ok` }] }));
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        void server.connect(transport).then(() => transport.handleRequest(req, res, body ? JSON.parse(body) : undefined));
        res.on('close', () => void server.close());
        return undefined;
      }
      res.writeHead(404).end();
      return undefined;
    });
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  servers.push(srv);
  base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return base;
}

/** The "browser": follows the authorization redirect to the loopback listener. */
const browser = (opened: string[]): SignInUi => ({
  open: async (_server, url) => {
    opened.push(url);
    await fetch(url).catch(() => undefined);
  },
  hint: (server) => `sign in to ${server}.`,
});

async function setup(o: Partial<AuthServerOptions> = {}, timeoutMs = 10_000) {
  const opts: AuthServerOptions = { authorize: 'ok', refreshExpired: false, valid: new Set(), issuerPath: '/as', log: [], ...o };
  const base = await startServer(opts);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rusty-oauth-'));
  temps.push(dir);
  const opened: string[] = [];
  const open = async () => {
    const service = await McpService.create({
      workspace: dir, stateDir: path.join(dir, 'state'), env: {}, actor: 'test', home: dir,
      settings: { servers: { remote: { type: 'http', url: `${base}/mcp` } }, importFrom: [] },
      client: { pingIntervalMs: 0, retry: { maxAttempts: 1 } },
      signIn: { ui: browser(opened), timeoutMs },
    });
    services.push(service);
    return service;
  };
  const file = mcpStatePaths(path.join(dir, 'state')).oauth;
  const stored = () => new OAuthStore(new FileSecrets(file)).load('remote', `${base}/mcp`);
  return { opts, base, open, opened, file, stored, dir };
}

describe('OAuth sign-in', () => {
  it('signs in with DCR, PKCE S256, state and the resource parameter; keeps the sign-in in a 0600 file; calls use it', async () => {
    const t = await setup();
    const service = await t.open();
    const before = await service.callTool('remote', 'whoami', {}).catch((e: Error) => e);
    expect((before as Error).message).toBe('Server "remote" needs sign-in: sign in to remote.');
    expect(await service.login('remote')).toEqual({ signedIn: true });
    const auth = new URL(t.opened[0]!);
    expect(auth.searchParams.get('code_challenge_method')).toBe('S256');
    expect(auth.searchParams.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(auth.searchParams.get('resource')).toBe(`${t.base}/mcp`);
    expect(new URL(auth.searchParams.get('redirect_uri')!).hostname).toBe('127.0.0.1');
    expect(fs.statSync(t.file).mode & 0o777).toBe(0o600);
    expect((await t.stored())?.tokens?.access_token).toMatch(/^at-/);
    const r = await service.callTool('remote', 'whoami', {}).catch((e: unknown) => e);
    // No policy allows it and no one can be asked: the gate refuses, after the server listed its tools for the token.
    expect(service.tools('remote').map((x) => x.name)).toEqual(['whoami']);
    expect(r).toMatchObject({ kind: 'ask-refused' });
    await service.flushAudit();
    const audit = fs.readFileSync(path.join(t.dir, 'state', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('mcp.signin');
    expect(audit).not.toMatch(/at-\d|rt-\d/);
    // A second process reuses the stored sign-in without a browser.
    const again = await t.open();
    await again.start('remote');
    expect(again.servers().find((s) => s.name === 'remote')?.status).toBe('connected');
    expect(t.opened).toHaveLength(1);
    expect(await again.logout('remote')).toEqual({ removed: true });
    expect(await t.stored()).toBeUndefined();
  });

  it('a sign-in cancelled half way: a clear error, nothing stored', async () => {
    const t = await setup({ authorize: 'cancel' });
    const service = await t.open();
    await expect(service.login('remote')).rejects.toThrow('Sign-in to "remote" did not complete: access was denied or the sign-in was cancelled. Nothing was stored.');
    expect(await t.stored()).toBeUndefined();
    expect(t.opts.log).toEqual([]);
  });

  it('a forged state is refused before any code exchange: nothing stored', async () => {
    const t = await setup({ authorize: 'forged-state' }, 3000);
    const service = await t.open();
    await expect(service.login('remote')).rejects.toThrow(/state does not match the request.*Nothing was stored/);
    expect(t.opts.log).toEqual([]);
    expect(await t.stored()).toBeUndefined();
  });

  it('an expired refresh token: the stale sign-in is dropped and the call says to sign in again', async () => {
    const t = await setup();
    await (await t.open()).login('remote');
    t.opts.valid.clear(); // the access token expired on the server
    t.opts.refreshExpired = true;
    t.opts.authorize = 'cancel'; // and the user does not complete the new sign-in
    const service = await t.open();
    const err = await service.start('remote').catch((e: Error) => e);
    expect(t.opts.log).toContain('token refresh_token');
    expect((err as Error).message).toMatch(/Sign-in to "remote" did not complete.*Nothing was stored/);
    expect((await t.stored())?.tokens).toBeUndefined();
  });

  it('a server whose metadata names another authorization server: old tokens are not presented there', async () => {
    const t = await setup();
    await (await t.open()).login('remote');
    const old = (await t.stored())!.tokens!.refresh_token;
    t.opts.valid.clear();
    t.opts.issuerPath = '/other-as';
    t.opts.authorize = 'cancel';
    const service = await t.open();
    const err = await service.start('remote').catch((e: Error) => e);
    expect((err as Error).message).toMatch(/Sign-in to "remote" did not complete/);
    // The refresh token issued by /as was never sent to /other-as.
    expect(t.opts.log.filter((l) => l === 'token refresh_token')).toEqual([]);
    expect(old).toMatch(/^rt-/);
  });
});
