// `${input:id}` values for MCP configs: asked once (a password box for secrets), then kept in VS
// Code's SecretStorage through the core's Secrets port — never in settings or Rusty's state. The
// ids (not the values) are remembered in globalState, because SecretStorage cannot list its keys
// and "Forget MCP Input Values" must find every value it stored.
import * as vscode from 'vscode';
import type { McpInputSpec } from '../../core/mcp/types';
import type { Secrets } from '../../core/ports/secrets';

const KEYS_STATE = 'rusty.mcp.inputSecretKeys';

/** Asks the user for one input: a quick pick for `pickString`, an input box (masked if `password`) otherwise. */
export async function askInput(spec: McpInputSpec): Promise<string | undefined> {
  const title = `MCP input "${spec.id}"`;
  if (spec.type === 'pickString' && spec.options?.length) {
    const items = spec.options.map((o) => ({ label: o, ...(o === spec.default ? { description: 'default' } : {}) }));
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: spec.description ?? `Choose a value for ${spec.id}`, ignoreFocusOut: true });
    return picked?.label;
  }
  return vscode.window.showInputBox({
    title,
    prompt: `${spec.description ?? `Value for \${input:${spec.id}}`} — kept in VS Code's secret storage; "Rusty: Forget MCP Input Values" clears it.`,
    password: spec.password ?? false,
    ...(spec.default !== undefined ? { value: spec.default } : {}),
    ignoreFocusOut: true,
  });
}

/** The Secrets port, remembering which keys it stored so they can be forgotten. */
export class TrackedSecrets implements Secrets {
  constructor(private readonly inner: Secrets, private readonly memento: vscode.Memento) {}

  keys(): string[] {
    const v = this.memento.get<unknown>(KEYS_STATE);
    return Array.isArray(v) ? v.filter((k): k is string => typeof k === 'string') : [];
  }

  get(key: string): Promise<string | undefined> {
    return this.inner.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    await this.inner.store(key, value);
    const keys = this.keys();
    if (!keys.includes(key)) await this.memento.update(KEYS_STATE, [...keys, key]);
  }

  async delete(key: string): Promise<void> {
    await this.inner.delete(key);
    await this.memento.update(KEYS_STATE, this.keys().filter((k) => k !== key));
  }

  /** Deletes every stored key plus `extra` (the inputs of the current configs); returns how many were deleted. */
  async forgetAll(extra: string[] = []): Promise<string[]> {
    const all = [...new Set([...this.keys(), ...extra])];
    const forgotten: string[] = [];
    for (const key of all) {
      if ((await this.inner.get(key)) !== undefined) forgotten.push(key);
      await this.inner.delete(key);
    }
    await this.memento.update(KEYS_STATE, []);
    return forgotten;
  }
}

/** The key secretInputResolver (src/core/mcp/config) keeps an input under. */
export { mcpInputSecretKey as inputSecretKey } from '../../core/mcp/types';
