// Secrets (model API keys, MCP `promptString` inputs, server tokens) live only in a secret store:
// VS Code's SecretStorage (the OS keychain) in the extension. The core sees this port and nothing
// else, so no secret ever reaches settings, Rusty's state folder, logs or the audit log.
export interface Secrets {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** In-memory store for the CLI session and tests (nothing is persisted). */
export class MemorySecrets implements Secrets {
  private readonly map = new Map<string, string>();
  async get(key: string): Promise<string | undefined> { return this.map.get(key); }
  async store(key: string, value: string): Promise<void> { this.map.set(key, value); }
  async delete(key: string): Promise<void> { this.map.delete(key); }
}
