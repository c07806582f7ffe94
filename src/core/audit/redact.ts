// Secret redaction for anything that is about to be persisted (the audit log above all).
// The audit log is append-only and hash-chained, so a secret written once can never be
// removed without breaking verification: redaction has to happen before the bytes exist.

export const REDACTED = '[REDACTED]';

/** Object keys whose values are secrets whatever they look like. */
const SECRET_KEY = /token|secret|password|passwd|api[-_]?key|authorization|cookie|credential|private[-_]?key/i;

// Query / assignment parameter names that carry secrets (`?access_token=…`, `password=…`, Azure `sig=`).
const SECRET_PARAM =
  /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]*(?:token|secret|password|passwd|pwd|api[-_]?key|apikey|credential|signature|private[-_]?key)[A-Za-z0-9_.-]*|sig)=([^&#\s"'<>]+)/gi;

/** A replacement step applied to every string. Order matters: broad shapes (PEM, URLs, headers) first. */
type Rule = [RegExp, string | ((match: string, ...groups: string[]) => string)];

const RULES: Rule[] = [
  // PEM private keys (RSA/EC/OPENSSH/ENCRYPTED/PGP…); an unterminated block is redacted to the end.
  [/-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g, REDACTED],
  // scheme://user:password@host → keep the user (useful context), drop the password.
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@:]*):([^\s/?#@]+)@/gi, `$1$2:${REDACTED}@`],
  [SECRET_PARAM, `$1=${REDACTED}`],
  // `Bearer <token>`: require a digit or token punctuation so prose ("Bearer authentication") survives.
  [/\b(Bearer)\s+([A-Za-z0-9._~+/-]+=*)/gi, (m, scheme, tok) =>
    tok.length >= 8 && /[0-9._~+/=-]/.test(tok) ? `${scheme} ${REDACTED}` : m],
  // `Basic <base64(user:pass)>`: only when it really decodes to something with a colon.
  [/\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})(?![A-Za-z0-9+/=])/gi, (m, scheme, b64) =>
    Buffer.from(b64, 'base64').toString('latin1').includes(':') ? `${scheme} ${REDACTED}` : m],
  // JWT: three base64url parts, header starts with `eyJ` ('{"'); the signature may be empty (alg none).
  [/(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // GitHub personal/OAuth/user/server/refresh tokens and fine-grained PATs.
  [/(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, REDACTED],
  // OpenAI / Anthropic (`sk-…`, `sk-proj-…`, `sk-ant-…`): demand a long random-looking run with a digit
  // so kebab-case names that happen to start with `sk-` are left alone.
  [/(?<![A-Za-z0-9_-])sk-[A-Za-z0-9_-]{20,}/g, (m) =>
    /[A-Za-z0-9]{12,}/.test(m.slice(3)) && /\d/.test(m) ? REDACTED : m],
  // Slack bot/app/user/refresh tokens.
  [/(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  // AWS access key ids (long-term AKIA, temporary ASIA).
  [/(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![0-9A-Za-z])/g, REDACTED],
  // Google API keys (Gemini, Maps…) and Google OAuth access tokens.
  [/(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}/g, REDACTED],
  [/(?<![A-Za-z0-9_-])ya29\.[0-9A-Za-z_-]{20,}/g, REDACTED],
  // Other model vendors: Groq `gsk_…`, xAI `xai-…`, Hugging Face `hf_…`.
  [/(?<![A-Za-z0-9_-])(?:gsk_[A-Za-z0-9]{40,}|xai-[A-Za-z0-9]{40,}|hf_[A-Za-z0-9]{30,})/g, REDACTED],
  // Key headers as they appear in logged requests (`x-api-key: …`, `x-goog-api-key: …`, Azure `api-key: …`,
  // also inside JSON text), whatever the key looks like: a proxy's key has no known shape.
  [/\b((?:x-(?:goog-)?)?api-key)(["']?\s*[:=]\s*["']?)([^\s"',}]{6,})/gi, (m, name, sep, value) =>
    value === REDACTED ? m : `${name}${sep}${REDACTED}`],
];

/**
 * A literal every rule above needs (case-insensitive, so a superset of what the rules match): most
 * strings (names, ids, dates, paths) have none, and then no rule can match. One test instead of
 * a regex pass per rule for every string keeps audit entries cheap.
 */
const MIGHT_HOLD_SECRET = /-----BEGIN |:\/\/|=|bearer|basic|eyJ|gh[pousr]_|github_pat_|sk-|xox[abprs]-|AKIA|ASIA|AIza|ya29\.|gsk_|xai-|hf_|api-key/i;

/** Replace known token shapes inside one string. */
export function redactString(text: string): string {
  if (!MIGHT_HOLD_SECRET.test(text)) return text;
  let out = text;
  for (const [re, replacement] of RULES) {
    re.lastIndex = 0;
    out = typeof replacement === 'string'
      ? out.replace(re, replacement)
      : out.replace(re, replacement as (substring: string, ...args: string[]) => string);
  }
  return out;
}

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * Deep-copies `value` into plain JSON-compatible data with secrets replaced by "[REDACTED]":
 * - any non-null, non-boolean value under a secret-looking key (the value's shape doesn't matter;
 *   booleans are kept because one bit such as `hasToken: true` leaks nothing and is useful context);
 * - known token shapes inside every string (and object key).
 * Also makes the result safe to JSON-encode: cycles → "[Circular]", bigint → string,
 * Error → { name, message, …own fields }, Map → object, Set → array, functions/symbols dropped.
 */
export function redactSecrets(value: unknown): unknown {
  return copy(value, new WeakSet());
}

function copy(value: unknown, seen: WeakSet<object>): unknown {
  switch (typeof value) {
    case 'string':
      return redactString(value);
    case 'number':
    case 'boolean':
    case 'undefined':
      return value;
    case 'bigint':
      return value.toString();
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return null;
  const obj = value as object;
  if (seen.has(obj)) return '[Circular]';
  seen.add(obj);
  try {
    if (Array.isArray(obj)) return obj.map((v) => copy(v, seen));
    if (obj instanceof Error) {
      return copyEntries([['name', obj.name], ['message', obj.message], ...Object.entries(obj)], seen);
    }
    if (obj instanceof Map) return copyEntries([...obj.entries()].map(([k, v]) => [String(k), v]), seen);
    if (obj instanceof Set) return [...obj].map((v) => copy(v, seen));
    // Date, Buffer, URL… know how to become JSON themselves.
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return copy(toJSON.call(obj), seen);
    return copyEntries(Object.entries(obj), seen);
  } finally {
    // Only ancestors count as cycles; the same object reached twice via siblings is copied twice.
    seen.delete(obj);
  }
}

function copyEntries(entries: [string, unknown][], seen: WeakSet<object>): Record<string, unknown> {
  // Object.fromEntries defines own properties, so a "__proto__" key stays data, never a prototype.
  return Object.fromEntries(entries.map(([k, v]) => [
    redactString(k),
    isSecretKey(k) && v !== null && v !== undefined && typeof v !== 'boolean' ? REDACTED : copy(v, seen),
  ]));
}
