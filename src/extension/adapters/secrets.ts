// The core's Secrets port backed by VS Code's SecretStorage (the OS keychain).
import type * as vscode from 'vscode';
import type { Secrets } from '../../core/ports/secrets';

export type { Secrets };

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
