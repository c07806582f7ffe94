// The API keys "Rusty: Set API Key…" stores: one per vendor, in VS Code's SecretStorage under the
// names the core's provider registry reads (SECRET_KEYS, checked by keys.test.ts). Pure (no
// vscode): the validation runs on every keystroke of the password box.

export const KEY_VENDORS = [
  { id: 'anthropic', label: 'Anthropic', secret: 'ai.key.anthropic', env: 'ANTHROPIC_API_KEY', example: 'sk-ant-…' },
  { id: 'openai', label: 'OpenAI (or an OpenAI-compatible server)', secret: 'ai.key.openai', env: 'OPENAI_API_KEY', example: 'sk-…' },
  { id: 'gemini', label: 'Gemini', secret: 'ai.key.gemini', env: 'GEMINI_API_KEY', example: 'AIza…' },
] as const;

export type KeyVendor = (typeof KEY_VENDORS)[number]['id'];

export function keyVendor(id: unknown): (typeof KEY_VENDORS)[number] | undefined {
  return KEY_VENDORS.find((v) => v.id === id);
}

/** Why a typed key cannot be right (undefined: accept). Never echoes the key. */
export function keyProblem(vendor: KeyVendor, value: string): string | undefined {
  const key = value.trim();
  if (!key) return 'Paste the key (it is stored in VS Code\'s secret storage, never in settings).';
  if (/\s/.test(key)) return 'A key has no spaces or line breaks.';
  if (key.length < 8) return 'This is too short to be an API key.';
  if (key.length > 512) return 'This is too long to be an API key.';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'A key has no control characters.';
  if (vendor === 'anthropic' && key.startsWith('AIza')) return 'This looks like a Google (Gemini) key, not an Anthropic one.';
  if (vendor === 'gemini' && /^sk-/.test(key)) return 'This looks like an OpenAI or Anthropic key, not a Gemini one.';
  if (vendor === 'openai' && key.startsWith('sk-ant-')) return 'This looks like an Anthropic key, not an OpenAI one.';
  return undefined;
}
