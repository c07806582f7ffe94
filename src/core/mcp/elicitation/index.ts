// Elicitation (form mode): a server asks the user for a few typed values during a call. The front
// end answers (a form in VS Code, prompts on a terminal); without one the answer follows the mode:
// `decline`, or `accept-defaults` (every field's default; decline when a required field has none).
// Every request is audited as `mcp.elicitation` with the values redacted.

export type ElicitationMode = 'prompt' | 'accept-defaults' | 'decline';

export interface ElicitationField {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  description?: string;
  required: boolean;
  default?: string | number | boolean | string[];
  /** Allowed values (enum / oneOf const), with their display titles when given. */
  options?: { value: string; title?: string }[];
  /** Several values (an array of enum strings). */
  multiple?: boolean;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

export interface ElicitationRequest {
  server: string;
  message: string;
  fields: ElicitationField[];
}

export type ElicitationAnswer =
  | { action: 'accept'; content: Record<string, string | number | boolean | string[]> }
  | { action: 'decline' }
  | { action: 'cancel' };

export interface McpElicitationHooks {
  /** Ask the user (a form, terminal prompts). Absent = no one to ask: `mode` decides. */
  ask?: (req: ElicitationRequest, signal: AbortSignal) => Promise<ElicitationAnswer>;
  /** What happens without `ask` (default `decline`). */
  mode?: Exclude<ElicitationMode, 'prompt'>;
}

/** The requested schema (a flat object of primitive fields, as the protocol allows) → fields. */
export function elicitationFields(schema: unknown): ElicitationField[] {
  const s = (schema ?? {}) as { properties?: Record<string, Record<string, unknown>>; required?: unknown };
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(s.properties ?? {}).map(([name, p]) => {
    const t = p.type;
    const items = p.items as Record<string, unknown> | undefined;
    const multiple = t === 'array';
    const type: ElicitationField['type'] = t === 'number' || t === 'integer' || t === 'boolean' ? t : 'string';
    const field: ElicitationField = { name, type, required: required.has(name), ...(multiple ? { multiple } : {}) };
    for (const k of ['title', 'description', 'format'] as const) if (typeof p[k] === 'string') field[k] = p[k] as string;
    for (const k of ['minimum', 'maximum', 'minLength', 'maxLength'] as const) if (typeof p[k] === 'number') field[k] = p[k] as number;
    const d = p.default;
    if (typeof d === 'string' || typeof d === 'number' || typeof d === 'boolean' || (Array.isArray(d) && d.every((x) => typeof x === 'string'))) field.default = d as ElicitationField['default'];
    const source = multiple ? items ?? {} : p;
    const options = enumOptions(source);
    if (options) field.options = options;
    return field;
  });
}

function enumOptions(p: Record<string, unknown>): { value: string; title?: string }[] | undefined {
  if (Array.isArray(p.enum)) {
    const names = Array.isArray(p.enumNames) ? p.enumNames : [];
    return p.enum.map((v, i) => ({ value: String(v), ...(typeof names[i] === 'string' ? { title: names[i] as string } : {}) }));
  }
  const list = (Array.isArray(p.oneOf) ? p.oneOf : Array.isArray(p.anyOf) ? p.anyOf : undefined) as Record<string, unknown>[] | undefined;
  if (list?.every((o) => o && 'const' in o)) return list.map((o) => ({ value: String(o.const), ...(typeof o.title === 'string' ? { title: o.title } : {}) }));
  return undefined;
}

/** Every field's default; undefined when a required field has none (then the answer is decline). */
export function defaultsAnswer(fields: ElicitationField[]): Record<string, string | number | boolean | string[]> | undefined {
  const content: Record<string, string | number | boolean | string[]> = {};
  for (const f of fields) {
    if (f.default !== undefined) content[f.name] = f.default;
    else if (f.required) return undefined;
  }
  return content;
}

/** A typed value from text the user typed; a message when it does not fit the field. */
export function parseFieldValue(field: ElicitationField, text: string): { value: string | number | boolean | string[] } | { error: string } {
  const t = text.trim();
  if (field.multiple) {
    const values = t.split(',').map((v) => v.trim()).filter(Boolean);
    const bad = field.options ? values.find((v) => !field.options!.some((o) => o.value === v)) : undefined;
    return bad !== undefined ? { error: `"${bad}" is not one of ${field.options!.map((o) => o.value).join(', ')}` } : { value: values };
  }
  if (field.type === 'boolean') {
    if (/^(y|yes|true|1)$/i.test(t)) return { value: true };
    if (/^(n|no|false|0)$/i.test(t)) return { value: false };
    return { error: 'answer yes or no' };
  }
  if (field.type === 'number' || field.type === 'integer') {
    const n = Number(t);
    if (t === '' || !Number.isFinite(n)) return { error: 'enter a number' };
    if (field.type === 'integer' && !Number.isInteger(n)) return { error: 'enter a whole number' };
    if (field.minimum !== undefined && n < field.minimum) return { error: `at least ${field.minimum}` };
    if (field.maximum !== undefined && n > field.maximum) return { error: `at most ${field.maximum}` };
    return { value: n };
  }
  if (field.options && !field.options.some((o) => o.value === t)) {
    const byTitle = field.options.find((o) => o.title === t);
    if (byTitle) return { value: byTitle.value };
    return { error: `choose one of ${field.options.map((o) => o.value).join(', ')}` };
  }
  if (field.minLength !== undefined && t.length < field.minLength) return { error: `at least ${field.minLength} characters` };
  if (field.maxLength !== undefined && t.length > field.maxLength) return { error: `at most ${field.maxLength} characters` };
  if (field.format === 'email' && t && !/^[^@\s]+@[^@\s]+$/.test(t)) return { error: 'enter an email address' };
  return { value: t };
}

export interface ElicitationHandlerOptions {
  hooks: McpElicitationHooks;
  audit: (details: Record<string, unknown>) => void;
}

export type ElicitationHandler = (server: string, params: { message?: string; requestedSchema?: unknown; mode?: string }, signal: AbortSignal) => Promise<ElicitationAnswer>;

/** The connection's answer to `elicitation/create` (form mode; URL mode is declined). */
export function createElicitationHandler(opts: ElicitationHandlerOptions): ElicitationHandler {
  return async (server, params, signal) => {
    const fields = elicitationFields(params.requestedSchema);
    const req: ElicitationRequest = { server, message: params.message ?? '', fields };
    let answer: ElicitationAnswer;
    let by: string;
    if (params.mode === 'url') {
      answer = { action: 'decline' };
      by = 'url-mode-unsupported';
    } else if (opts.hooks.ask) {
      try {
        answer = await opts.hooks.ask(req, signal);
      } catch {
        answer = { action: 'cancel' };
      }
      by = 'user';
    } else if (opts.hooks.mode === 'accept-defaults') {
      const content = defaultsAnswer(fields);
      answer = content ? { action: 'accept', content } : { action: 'decline' };
      by = 'accept-defaults';
    } else {
      answer = { action: 'decline' };
      by = 'no-prompt';
    }
    opts.audit({
      server,
      fields: fields.map((f) => f.name),
      action: answer.action,
      by,
      ...(answer.action === 'accept' ? { values: Object.fromEntries(Object.keys(answer.content).map((k) => [k, '[redacted]'])) } : {}),
    });
    return answer;
  };
}
