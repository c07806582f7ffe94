// Entry point of dist/mcp.js: the MCP client framework (@modelcontextprotocol/sdk, the config
// readers, the permission gate, tool search) for the extension. Built as its own CommonJS bundle
// and loaded with require() on first use (./loadMcp.ts), so activation never parses the SDK.
// Must not import 'vscode': the extension passes its UI in as callbacks (ask prompt, inputs).
import type { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { createSchemaValidator, withSchemaDefaults } from '../../core/mcp/client/schemaCheck';
import { McpService, type McpServiceOptions } from '../../core/mcp/service';

export { secretInputResolver } from '../../core/mcp/config';

export async function createMcpService(opts: McpServiceOptions): Promise<McpService> {
  return McpService.create(opts);
}

let validator: AjvJsonSchemaValidator | undefined;
/** Compiled once per schema object: the input box validates on every keystroke. */
const compiled = new WeakMap<object, ReturnType<AjvJsonSchemaValidator['getValidator']> | null>();

/** "Call Tool…" checks the arguments against the tool's inputSchema before calling: [] = valid. */
export function validateArguments(inputSchema: Record<string, unknown>, args: unknown): string[] {
  validator ??= createSchemaValidator();
  let check = compiled.get(inputSchema);
  if (check === undefined) {
    try {
      check = validator.getValidator(inputSchema as Parameters<AjvJsonSchemaValidator['getValidator']>[0]);
    } catch {
      // A schema Ajv cannot compile is the server's problem; the server still validates on its side.
      check = null;
    }
    compiled.set(inputSchema, check);
  }
  if (!check) return [];
  const r = check(withSchemaDefaults(inputSchema, args));
  if (r.valid) return [];
  // Ajv joins its messages as "data/a/b must be string, data must have required property 'x'".
  return r.errorMessage.split(/,\s(?=data\b)/).map((m) => m.trim().replace(/^data\/(\S+)/, (_, p: string) => p.split('/').join('.')).replace(/^data\b/, 'arguments')).filter(Boolean);
}
