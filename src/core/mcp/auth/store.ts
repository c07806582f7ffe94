// Where OAuth sign-ins are kept: one record per server and URL (client registration + tokens) in
// the Secrets port — VS Code's SecretStorage, or in the CLI a JSON file readable only by the user.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { Secrets } from '../../ports/secrets';

export interface OAuthRecord {
  /** The server URL the sign-in belongs to (a changed URL never reuses it). */
  url: string;
  client?: OAuthClientInformationMixed;
  /** The loopback redirect the client was registered with (DCR), to reuse its port. */
  redirectUri?: string;
  tokens?: OAuthTokens;
  savedAt?: string;
}

export class OAuthStore {
  constructor(private readonly secrets: Secrets) {}

  static key(server: string, url: string): string {
    return `mcp.oauth.${server}.${createHash('sha256').update(url).digest('hex').slice(0, 16)}`;
  }

  async load(server: string, url: string): Promise<OAuthRecord | undefined> {
    const text = await this.secrets.get(OAuthStore.key(server, url));
    if (!text) return undefined;
    try {
      const record = JSON.parse(text) as OAuthRecord;
      return record.url === url ? record : undefined;
    } catch {
      return undefined;
    }
  }

  async save(server: string, record: OAuthRecord): Promise<void> {
    await this.secrets.store(OAuthStore.key(server, record.url), JSON.stringify(record));
  }

  async remove(server: string, url: string): Promise<boolean> {
    const had = (await this.secrets.get(OAuthStore.key(server, url))) !== undefined;
    await this.secrets.delete(OAuthStore.key(server, url));
    return had;
  }
}

/** Secrets in one JSON file created with mode 0600 and replaced atomically (the CLI's SecretStorage). */
export class FileSecrets implements Secrets {
  constructor(readonly file: string) {}

  async get(key: string): Promise<string | undefined> {
    return this.read()[key];
  }

  async store(key: string, value: string): Promise<void> {
    this.write({ ...this.read(), [key]: value });
  }

  async delete(key: string): Promise<void> {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    this.write(all);
  }

  private read(): Record<string, string> {
    try {
      const value = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, string>) : {};
    } catch {
      return {};
    }
  }

  private write(all: Record<string, string>): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${randomBytes(6).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(all, null, 2), { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.file);
  }
}
