// Secrets (API keys for model providers, MCP server tokens) live in VS Code's SecretStorage
// (the OS keychain), never in settings or Rusty's state folder. Nothing stores secrets yet; this is
// the port and its thin adapter so the first provider has one place to go.
import type * as vscode from 'vscode';

export interface Secrets {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class VscodeSecrets implements Secrets {
  constructor(private readonly storage: vscode.SecretStorage, private readonly prefix = 'rusty.') {}

  async get(key: string): Promise<string | undefined> {
    return this.storage.get(this.prefix + key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.storage.store(this.prefix + key, value);
  }

  async delete(key: string): Promise<void> {
    await this.storage.delete(this.prefix + key);
  }
}
