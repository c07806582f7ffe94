// Gateway clients: a name, a scope and the sha256 of a bearer token. The token itself is shown
// once (at `add`) and never stored; the file is 0600 in the state folder. The file is read again
// when it changes, so `rusty gateway revoke` takes effect on a running gateway at once.
import * as fs from 'node:fs';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { sha256 } from '../util/hash';
import { writeFileDurable } from '../util/fsx';
import { RustyError } from '../util/errors';
import { readStateFile } from '../state/schemas';

export const CLIENT_SCOPES = ['read-only', 'propose'] as const;
export type ClientScope = (typeof CLIENT_SCOPES)[number];

export const CLIENT_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const gatewayClientSchema = z.looseObject({
  name: z.string().regex(CLIENT_NAME),
  scope: z.enum(CLIENT_SCOPES),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
});
export const clientsFileSchema = z.looseObject({ version: z.literal(1), clients: z.array(gatewayClientSchema) });

export type GatewayClient = z.infer<typeof gatewayClientSchema>;
export interface AuthenticatedClient { name: string; scope: ClientScope }

const TOKEN_PREFIX = 'rgw_';

export function clientNameProblem(name: string): string | undefined {
  return CLIENT_NAME.test(name) ? undefined : `Client name ${JSON.stringify(name.slice(0, 80))} is not allowed: use 1–64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.`;
}

export class ClientRegistry {
  private cache: { mtimeMs: number; size: number; clients: GatewayClient[] } | undefined;

  constructor(readonly file: string, private readonly now: () => Date = () => new Date()) {}

  list(): GatewayClient[] {
    let st: fs.Stats;
    try {
      st = fs.statSync(this.file);
    } catch {
      return [];
    }
    if (this.cache && this.cache.mtimeMs === st.mtimeMs && this.cache.size === st.size) return this.cache.clients;
    const r = readStateFile<z.infer<typeof clientsFileSchema>>(this.file, clientsFileSchema);
    if (r.status === 'corrupt') throw new RustyError('io', `Gateway clients file ${this.file} is damaged (${r.reason}); no client can connect until it is fixed or removed.`);
    const clients = r.status === 'ok' ? r.value.clients : [];
    this.cache = { mtimeMs: st.mtimeMs, size: st.size, clients };
    return clients;
  }

  active(): GatewayClient[] {
    return this.list().filter((c) => !c.revokedAt);
  }

  /** Create a client; returns the token (shown once; only its hash is kept). */
  add(name: string, scope: ClientScope): { client: GatewayClient; token: string } {
    const problem = clientNameProblem(name);
    if (problem) throw new RustyError('usage', problem);
    if (!(CLIENT_SCOPES as readonly string[]).includes(scope)) throw new RustyError('usage', `Unknown scope ${JSON.stringify(scope)}; use read-only or propose.`);
    const all = this.list();
    if (all.some((c) => c.name === name && !c.revokedAt)) throw new RustyError('usage', `A client named ${name} exists; revoke it first (rusty gateway revoke ${name}) or pick another name.`);
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    const client: GatewayClient = { name, scope, tokenHash: sha256(token), createdAt: this.now().toISOString() };
    this.write([...all.filter((c) => c.name !== name), client]);
    return { client, token };
  }

  revoke(name: string): GatewayClient {
    const all = this.list();
    const c = all.find((x) => x.name === name && !x.revokedAt);
    if (!c) throw new RustyError('not-found', `No active gateway client named ${JSON.stringify(name.slice(0, 80))}; see rusty gateway clients.`);
    const revoked = { ...c, revokedAt: this.now().toISOString() };
    this.write(all.map((x) => (x === c ? revoked : x)));
    return revoked;
  }

  /** The active client a bearer token belongs to (constant-time comparison of hashes). */
  authenticate(token: string | undefined): AuthenticatedClient | undefined {
    if (!token || !token.startsWith(TOKEN_PREFIX) || token.length > 200) return undefined;
    const want = Buffer.from(sha256(token), 'hex');
    let found: GatewayClient | undefined;
    for (const c of this.active()) {
      if (timingSafeEqual(want, Buffer.from(c.tokenHash, 'hex'))) found = c;
    }
    return found ? { name: found.name, scope: found.scope } : undefined;
  }

  private write(clients: GatewayClient[]): void {
    writeFileDurable(this.file, JSON.stringify({ version: 1, clients }, null, 2) + '\n', { mode: 0o600 });
    this.cache = undefined;
  }
}
