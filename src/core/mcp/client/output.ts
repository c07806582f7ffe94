// What a tool result becomes for Rusty: structuredContent checked against the tool's outputSchema,
// and results larger than the cap written to a file and replaced by a short pointer.
import fs from 'node:fs';
import type { JsonSchemaType, JsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { McpError, type McpCallResult } from '../types';
import { OVERSIZED_META, type OversizedInfo } from './transports/errors';
import { spillFileName } from './transports/stdio';
import { createSchemaValidator, withSchemaDefaults } from './schemaCheck';

export interface RawToolResult {
  content?: unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FinishContext {
  server: string;
  tool: string;
  outputSchema?: Record<string, unknown>;
  capBytes: number;
  outputDir: string;
  durationMs: number;
  attempts: number;
  validators: SchemaValidators;
}

/** Compiled JSON-schema validators (the SDK's ajv provider), cached per schema object. */
export class SchemaValidators {
  private readonly ajv = createSchemaValidator();
  private readonly cache = new WeakMap<object, JsonSchemaValidator<unknown> | null>();

  /** undefined when the schema cannot be compiled (then nothing is checked against it). */
  get(schema: Record<string, unknown>): JsonSchemaValidator<unknown> | undefined {
    if (!this.cache.has(schema)) {
      try {
        this.cache.set(schema, this.ajv.getValidator(schema as JsonSchemaType));
      } catch {
        this.cache.set(schema, null);
      }
    }
    return this.cache.get(schema) ?? undefined;
  }
}

export function finishToolResult(raw: RawToolResult, ctx: FinishContext): McpCallResult {
  const base = { server: ctx.server, tool: ctx.tool, durationMs: ctx.durationMs, attempts: ctx.attempts, isError: raw.isError === true };
  const oversized = raw._meta?.[OVERSIZED_META] as OversizedInfo | undefined;
  if (oversized) {
    // Already on disk (the transport never held it in memory): no schema check is possible here.
    return { ...base, content: raw.content ?? [], bytes: oversized.bytes, savedTo: oversized.savedTo };
  }

  if (ctx.outputSchema && !base.isError) checkStructuredContent(raw.structuredContent, ctx);

  const json = JSON.stringify(raw);
  const bytes = Buffer.byteLength(json);
  if (bytes <= ctx.capBytes) {
    const result: McpCallResult = { ...base, content: raw.content ?? [], bytes };
    if (raw.structuredContent !== undefined) result.structuredContent = raw.structuredContent;
    return result;
  }
  fs.mkdirSync(ctx.outputDir, { recursive: true });
  const savedTo = spillFileName(ctx.outputDir, ctx.server, ctx.tool, '.json');
  fs.writeFileSync(savedTo, json);
  const text = `The result was ${bytes} bytes, more than the ${ctx.capBytes}-byte cap; the full result is saved in ${savedTo}`;
  return { ...base, content: [{ type: 'text', text }], bytes, savedTo };
}

function checkStructuredContent(structured: unknown, ctx: FinishContext): void {
  if (structured === undefined) {
    throw new McpError('output-invalid', `Server "${ctx.server}", tool "${ctx.tool}" declares an outputSchema but returned no structuredContent.`, ctx.server, ctx.tool, 'escalate');
  }
  const validate = ctx.validators.get(ctx.outputSchema!);
  if (!validate) return;
  const verdict = validate(structured);
  if (!verdict.valid) {
    throw new McpError('output-invalid', `Server "${ctx.server}", tool "${ctx.tool}" returned structuredContent that does not match its outputSchema: ${verdict.errorMessage}`, ctx.server, ctx.tool, 'escalate', { validation: verdict.errorMessage });
  }
}

/** Arguments checked against the tool's inputSchema (its defaults applied) before anything is sent. */
export function checkArguments(args: Record<string, unknown>, inputSchema: Record<string, unknown>, ctx: { server: string; tool: string; validators: SchemaValidators }): void {
  const validate = ctx.validators.get(inputSchema);
  if (!validate) return;
  const verdict = validate(withSchemaDefaults(inputSchema, args));
  if (!verdict.valid) {
    throw new McpError('invalid-params', `Server "${ctx.server}", tool "${ctx.tool}": the arguments do not match its inputSchema: ${verdict.errorMessage}`, ctx.server, ctx.tool, 'return-to-caller', { validation: verdict.errorMessage });
  }
}
