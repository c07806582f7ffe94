// What "Call Tool…" prefills and explains: a JSON skeleton built from a tool's inputSchema (required
// properties with a placeholder of the right type, optional ones only when they have a default) and
// a one-line summary of each property. Pure, so it is unit-tested in Node.

type Schema = Record<string, unknown>;

function asSchema(v: unknown): Schema | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Schema) : undefined;
}

function firstType(s: Schema): string | undefined {
  if (typeof s.type === 'string') return s.type;
  if (Array.isArray(s.type)) return s.type.find((t): t is string => typeof t === 'string' && t !== 'null');
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alts = s[key];
    if (Array.isArray(alts)) {
      for (const alt of alts) {
        const t = asSchema(alt) && firstType(alt as Schema);
        if (t && t !== 'null') return t;
      }
    }
  }
  if (asSchema(s.properties)) return 'object';
  return undefined;
}

/** A placeholder value for one schema, `depth` guards self-referencing schemas. */
export function placeholderFor(schema: unknown, depth = 0): unknown {
  const s = asSchema(schema);
  if (!s) return null;
  if ('default' in s) return s.default;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  switch (firstType(s)) {
    case 'string': return '';
    case 'number':
    case 'integer': return typeof s.minimum === 'number' ? s.minimum : 0;
    case 'boolean': return false;
    case 'array': return [];
    case 'object': return depth > 4 ? {} : skeletonFor(s, depth + 1);
    default: return null;
  }
}

/** The arguments object to prefill for a tool with this inputSchema. */
export function skeletonFor(inputSchema: unknown, depth = 0): Record<string, unknown> {
  const s = asSchema(inputSchema);
  const props = asSchema(s?.properties);
  if (!s || !props) return {};
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  const out: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    if (required.has(name)) out[name] = placeholderFor(prop, depth);
    else if (asSchema(prop) && 'default' in (prop as Schema)) out[name] = (prop as Schema).default;
  }
  return out;
}

/** `message: string (required) — Message to echo`, one line per property, for the input prompt. */
export function describeProperties(inputSchema: unknown): string[] {
  const s = asSchema(inputSchema);
  const props = asSchema(s?.properties);
  if (!s || !props) return [];
  const required = new Set(Array.isArray(s.required) ? s.required : []);
  return Object.entries(props).map(([name, prop]) => {
    const p = asSchema(prop) ?? {};
    const type = Array.isArray(p.enum) ? p.enum.map((e) => JSON.stringify(e)).join(' | ') : firstType(p) ?? 'any';
    const desc = typeof p.description === 'string' ? ` — ${p.description.split('\n')[0]}` : '';
    return `${name}: ${type}${required.has(name) ? ' (required)' : ''}${desc}`;
  });
}

/** Parses what the user typed: a JSON object, or an actionable message. */
export function parseArguments(text: string): { ok: true; args: Record<string, unknown> } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: true, args: {} };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (err) {
    return { ok: false, message: `Not valid JSON: ${(err as Error).message}. Type the arguments as a JSON object, e.g. {"message": "hello"}.` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, message: `The arguments must be a JSON object ({…}), not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.` };
  }
  return { ok: true, args: value as Record<string, unknown> };
}
