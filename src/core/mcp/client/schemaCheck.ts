// JSON-schema checking for tool arguments and results, never stricter than the servers: the SDK's
// ajv provider with the common formats registered and its warnings kept out of the terminal, and
// schema defaults applied before checking (servers mark defaulted fields `required` and fill them in).
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

/** Formats servers use that ajv-formats does not know; anything else unknown is ignored quietly. */
const EXTRA_FORMATS: Record<string, true | ((s: string) => boolean)> = {
  json: (s) => {
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  color: true,
  path: true,
  'file-path': true,
  textarea: true,
  markdown: true,
  html: true,
  phone: true,
  'uri-template': true,
};

interface AjvLike {
  logger: typeof SILENT;
  addFormat(name: string, format: true | ((s: string) => boolean)): unknown;
  formats: Record<string, unknown>;
}

export function createSchemaValidator(): AjvJsonSchemaValidator {
  const validator = new AjvJsonSchemaValidator();
  // The provider keeps its ajv instance private; its logger and formats are ajv's public API.
  const ajv = (validator as unknown as { _ajv?: AjvLike })._ajv;
  if (ajv) {
    ajv.logger = SILENT;
    for (const [name, format] of Object.entries(EXTRA_FORMATS)) if (!(name in ajv.formats)) ajv.addFormat(name, format);
  }
  return validator;
}

/**
 * A copy of `value` with the schema's `default`s filled in for missing object properties (nested
 * objects too), for checking only: the arguments sent stay the caller's, as the SDK client sends them.
 */
export function withSchemaDefaults(schema: unknown, value: unknown, depth = 0): unknown {
  if (depth > 20 || !isObject(schema) || !isObject(value)) return value;
  const props = schema.properties;
  if (!isObject(props)) return value;
  let out: Record<string, unknown> | undefined;
  for (const [key, sub] of Object.entries(props)) {
    if (!isObject(sub)) continue;
    const present = Object.prototype.hasOwnProperty.call(value, key);
    const next = present ? withSchemaDefaults(sub, value[key], depth + 1) : 'default' in sub ? structuredClone(sub.default) : undefined;
    if ((present && next !== value[key]) || (!present && 'default' in sub)) {
      out ??= { ...value };
      out[key] = next;
    }
  }
  return out ?? value;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
