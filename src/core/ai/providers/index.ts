// The vendor providers behind one registry. Keys come from the environment (CLI) or the Secrets
// port (VS Code SecretStorage), never from settings; settings only say where servers are and
// which models to offer. The VS Code language models provider lives in src/extension (a port).
// Creating a provider loads no SDK: each one imports its SDK on its first request.
import type { Secrets } from '../../ports/secrets';
import type { ModelProvider, ProviderId } from '../types';
import { AnthropicProvider } from './anthropic';
import type { VendorProviderOptions } from './common';
import { GeminiProvider } from './gemini';
import { OLLAMA_BASE_URL, OPENAI_BASE_URL, OpenAiProvider, isLocalBaseUrl } from './openai';

export type { VendorProviderOptions } from './common';
export { AnthropicProvider } from './anthropic';
export { GeminiProvider } from './gemini';
export { OpenAiProvider, isLocalBaseUrl } from './openai';

export type VendorId = Extract<ProviderId, 'anthropic' | 'openai' | 'gemini'>;
export const VENDOR_IDS: readonly VendorId[] = ['anthropic', 'openai', 'gemini'];

/** Where each vendor's key lives in the Secrets port ("Rusty: Set API Key…" writes these). */
export const SECRET_KEYS: Readonly<Record<VendorId, string>> = {
  anthropic: 'ai.key.anthropic',
  openai: 'ai.key.openai',
  gemini: 'ai.key.gemini',
};

export const ENV_KEYS: Readonly<Record<VendorId, string>> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
  gemini: 'GEMINI_API_KEY',
};

/** OpenAI-compatible servers commonly running on this machine: Ollama, LM Studio. */
export const DEFAULT_LOCAL_BASE_URLS = [OLLAMA_BASE_URL, 'http://127.0.0.1:1234/v1'];

export function createProvider(id: VendorId, config: VendorProviderOptions): ModelProvider {
  switch (id) {
    case 'anthropic': return new AnthropicProvider(config);
    case 'openai': return new OpenAiProvider(config);
    case 'gemini': return new GeminiProvider(config);
  }
}

export interface ConfiguredProvider {
  /** Distinguishes several servers of one protocol: "openai", "ollama", "lm-studio", "openai-compatible:<url>". */
  name: string;
  id: VendorId;
  provider: ModelProvider;
  /** Runs on this machine: no key, no cost (prices.ts `local`). */
  local: boolean;
  /** Where the key came from (never the key itself). */
  keySource: 'env' | 'secrets' | 'none';
}

export interface ProviderSources {
  /** The CLI passes process.env; the extension passes nothing (keys come from `secrets`). */
  env?: Readonly<Record<string, string | undefined>>;
  secrets?: Secrets;
  /** The `rusty.*` settings as key → value (VS Code configuration or .vscode/settings.json). */
  settings?: Readonly<Record<string, unknown>>;
  /** Look for local OpenAI-compatible servers (a GET /models each, `probeTimeoutMs`). */
  probeLocal?: boolean;
  probeTimeoutMs?: number;
  maxRetries?: number;
}

/**
 * The providers usable now: a vendor appears when it has a key; the OpenAI protocol also for a
 * local base URL (no key); local servers (Ollama, LM Studio) when `probeLocal` finds them.
 * `warnings` are one line each (an API key found in settings is refused, a bad URL ignored).
 */
export async function configuredProviders(src: ProviderSources): Promise<{ providers: ConfiguredProvider[]; warnings: string[] }> {
  const settings = src.settings ?? {};
  const warnings: string[] = [];
  for (const key of Object.keys(settings)) {
    // The setting's last segment names a credential ("apiKey", "token", "secret"); budget caps such as
    // "perTaskTokens" are not one.
    if (/^rusty\.ai\.(?:.*\.)?[a-z]*(?:api[-_.]?key|token|secret)$/i.test(key)) {
      warnings.push(`Setting "${key}" ignored: API keys are never read from settings. Use "Rusty: Set API Key…" (VS Code) or the environment variable (CLI).`);
    }
  }
  const str = (k: string): string | undefined => {
    const v = settings[k];
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const list = (k: string): string[] | undefined => {
    const v = settings[k];
    return Array.isArray(v) && v.every((x) => typeof x === 'string') && v.length ? (v as string[]) : undefined;
  };
  const url = (k: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    try {
      const u = new URL(value);
      if (u.protocol === 'http:' || u.protocol === 'https:') return value.replace(/\/+$/, '');
    } catch { /* fall through */ }
    warnings.push(`${k} ignored: "${value}" is not an http(s) URL.`);
    return undefined;
  };

  const keyOf = async (id: VendorId): Promise<{ key?: string; source: ConfiguredProvider['keySource'] }> => {
    const fromEnv = src.env?.[ENV_KEYS[id]]?.trim();
    if (fromEnv) return { key: fromEnv, source: 'env' };
    const fromSecrets = (await src.secrets?.get(SECRET_KEYS[id]))?.trim();
    if (fromSecrets) return { key: fromSecrets, source: 'secrets' };
    return { source: 'none' };
  };

  const base = { ...(src.maxRetries !== undefined ? { maxRetries: src.maxRetries } : {}) };
  const out: ConfiguredProvider[] = [];

  for (const id of ['anthropic', 'gemini'] as const) {
    const { key, source } = await keyOf(id);
    if (!key) continue;
    const baseUrl = url(`rusty.ai.${id}.baseUrl`, str(`rusty.ai.${id}.baseUrl`));
    const models = list(`rusty.ai.${id}.models`);
    out.push({
      name: id, id, local: false, keySource: source,
      provider: createProvider(id, { ...base, apiKey: key, ...(baseUrl ? { baseUrl } : {}), ...(models ? { models } : {}) }),
    });
  }

  const openaiUrl = url('OPENAI_BASE_URL', src.env?.OPENAI_BASE_URL?.trim() || undefined)
    ?? url('rusty.ai.openai.baseUrl', str('rusty.ai.openai.baseUrl'));
  const { key: openaiKey, source: openaiSource } = await keyOf('openai');
  const openaiLocal = isLocalBaseUrl(openaiUrl);
  if (openaiKey || openaiLocal) {
    const models = list('rusty.ai.openai.models');
    out.push({
      name: !openaiUrl || openaiUrl === OPENAI_BASE_URL ? 'openai' : nameForLocal(openaiUrl),
      id: 'openai', local: openaiLocal, keySource: openaiKey ? openaiSource : 'none',
      provider: new OpenAiProvider({ ...base, ...(openaiKey ? { apiKey: openaiKey } : {}), ...(openaiUrl ? { baseUrl: openaiUrl } : {}), ...(models ? { models } : {}) }),
    });
  }

  if (src.probeLocal) {
    const candidates = (list('rusty.ai.local.baseUrls') ?? DEFAULT_LOCAL_BASE_URLS)
      .map((u) => url('rusty.ai.local.baseUrls', u))
      .filter((u): u is string => u !== undefined && u !== openaiUrl);
    const found = await Promise.all(candidates.map(async (baseUrl) => {
      const provider = new OpenAiProvider({ ...base, baseUrl });
      return (await provider.probe(src.probeTimeoutMs ?? 500)) ? { baseUrl, provider } : undefined;
    }));
    for (const f of found) {
      if (!f) continue;
      out.push({ name: nameForLocal(f.baseUrl), id: 'openai', local: isLocalBaseUrl(f.baseUrl), keySource: 'none', provider: f.provider });
    }
  }
  return { providers: out, warnings };
}

function nameForLocal(baseUrl: string): string {
  if (/:11434(\/|$)/.test(baseUrl)) return 'ollama';
  if (/:1234(\/|$)/.test(baseUrl)) return 'lm-studio';
  return `openai-compatible:${baseUrl}`;
}
