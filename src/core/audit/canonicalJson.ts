// Deterministic JSON for hashing: the same data must hash the same in every process and
// Node version, whatever order its keys were inserted in. Keys are sorted recursively by
// UTF-16 code units (Array#sort default), no whitespace; otherwise JSON.stringify semantics
// (undefined/functions dropped from objects, become null in arrays; NaN/Infinity → null).

export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function encode(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value) as string | undefined;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return encode(toJSON.call(value));
  if (Array.isArray(value)) {
    return `[${value.map((v) => encode(v) ?? 'null').join(',')}]`;
  }
  const parts: string[] = [];
  for (const key of Object.keys(value).sort()) {
    const encoded = encode((value as Record<string, unknown>)[key]);
    if (encoded !== undefined) parts.push(`${JSON.stringify(key)}:${encoded}`);
  }
  return `{${parts.join(',')}}`;
}
