// JSON Schema → TypeScript and Python type text, for the generated tool wrappers. Covers what MCP
// tool schemas use (types, properties/required, items, enum/const, anyOf/oneOf/allOf, nullable
// type arrays, additionalProperties); anything else becomes `unknown` / `Any`. Deterministic.

type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);
const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A doc comment body safe inside a block comment. */
export function docText(text: string): string {
  return text.replace(/\*\//g, '*\\/').replace(/\r\n?/g, '\n').trim();
}

export function tsDoc(text: string | undefined, indent = ''): string {
  if (!text || !text.trim()) return '';
  const lines = docText(text).split('\n');
  return `${indent}/**\n${lines.map((l) => `${indent} *${l ? ` ${l}` : ''}`).join('\n')}\n${indent} */\n`;
}

const literal = (v: unknown): string => JSON.stringify(v) ?? 'null';

export function tsType(schema: unknown, indent = ''): string {
  if (schema === true || schema === undefined) return 'unknown';
  if (schema === false) return 'never';
  if (!isSchema(schema)) return 'unknown';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.length ? schema.enum.map(literal).join(' | ') : 'never';
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length) return [...new Set(list.map((s) => wrap(tsType(s, indent))))].join(' | ');
  }
  if (Array.isArray(schema.allOf) && schema.allOf.length) return schema.allOf.map((s) => wrap(tsType(s, indent))).join(' & ');
  const type = schema.type;
  if (Array.isArray(type)) return [...new Set(type.map((t) => tsType({ ...schema, type: t }, indent)))].join(' | ');
  switch (type) {
    case 'string': return 'string';
    case 'number': case 'integer': return 'number';
    case 'boolean': return 'boolean';
    case 'null': return 'null';
    case 'array': return `Array<${tsType(schema.items, indent)}>`;
    case 'object': return tsObject(schema, indent);
    default: return isSchema(schema.properties) ? tsObject(schema, indent) : 'unknown';
  }
}

function wrap(t: string): string {
  return /^[\w$<>[\]"'.-]+$/.test(t) || t.startsWith('{') || t.startsWith('Array<') ? t : `(${t})`;
}

export function tsObject(schema: Schema, indent = ''): string {
  const props = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : []);
  const inner = `${indent}  `;
  const lines: string[] = [];
  for (const [name, sub] of Object.entries(props)) {
    const doc = isSchema(sub) && typeof sub.description === 'string' ? tsDoc(sub.description, inner) : '';
    lines.push(`${doc}${inner}${IDENT.test(name) ? name : JSON.stringify(name)}${required.has(name) ? '' : '?'}: ${tsType(sub, inner)};`);
  }
  const extra = schema.additionalProperties;
  if (isSchema(extra)) lines.push(`${inner}[key: string]: ${tsType(extra, inner)};`);
  else if (!lines.length && extra !== false) return 'Record<string, unknown>';
  return lines.length ? `{\n${lines.join('\n')}\n${indent}}` : '{}';
}

// ─── Python ──────────────────────────────────────────────────────────────────────────────────

export function pyType(schema: unknown): string {
  if (!isSchema(schema)) return 'Any';
  if ('const' in schema) return `Literal[${pyLiteral(schema.const)}]`;
  if (Array.isArray(schema.enum) && schema.enum.length) return `Literal[${schema.enum.map(pyLiteral).join(', ')}]`;
  for (const key of ['anyOf', 'oneOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list) && list.length) return union(list.map(pyType));
  }
  const type = schema.type;
  if (Array.isArray(type)) return union(type.map((t) => pyType({ ...schema, type: t })));
  switch (type) {
    case 'string': return 'str';
    case 'number': return 'float';
    case 'integer': return 'int';
    case 'boolean': return 'bool';
    case 'null': return 'None';
    case 'array': return `List[${pyType(schema.items)}]`;
    case 'object': return 'Dict[str, Any]';
    default: return 'Any';
  }
}

function union(types: string[]): string {
  const u = [...new Set(types)];
  return u.length === 1 ? u[0]! : `Union[${u.join(', ')}]`;
}

function pyLiteral(v: unknown): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return String(v);
  return JSON.stringify(String(v));
}

/** `read_text_file` → `ReadTextFile`; `get-sum` → `GetSum`. */
export function pascal(name: string): string {
  const p = name.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(p) ? p : `T${p}`;
}

const TS_RESERVED = new Set(['await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield']);

/** `read_text_file` → `readTextFile`; a reserved word gets an underscore (`delete` → `delete_`). */
export function camel(name: string): string {
  const p = pascal(name);
  const c = p[0]!.toLowerCase() + p.slice(1);
  return TS_RESERVED.has(c) ? `${c}_` : c;
}

const PY_KEYWORDS = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** `get-sum` → `get_sum`; a keyword or a leading digit gets an underscore. */
export function snake(name: string): string {
  let s = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').toLowerCase() || 'tool';
  if (/^\d/.test(s)) s = `_${s}`;
  return PY_KEYWORDS.has(s) ? `${s}_` : s;
}
