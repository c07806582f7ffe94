// Activation stays light: the extension bundle (dist/extension.js) is the activation stub alone; the
// container bundle (dist/container.js, require()d right after activation) must not contain ts-morph, the AI
// SDKs, TypeScript, the MCP SDK or the engines — they are separate bundles (dist/engines.js, …) that are
// require()d on first use — and the engines bundle must not need the VS Code API.
import * as path from 'node:path';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: a plain .mjs build script without types
import { tsMorphFromEngines, zodEnglishOnly } from '../../scripts/esbuild-options.mjs';
import { describe, expect, it } from 'vitest';

const root = path.join(__dirname, '..', '..');

async function inputsOf(entry: string, plugins: Plugin[] = []): Promise<string[]> {
  const result = await build({
    plugins,
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['vscode'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

describe('bundles', () => {
  it('the activation bundle is the stub alone: no core, no zod, no container', async () => {
    expect(await inputsOf('src/extension/extension.ts')).toEqual(['src/extension/extension.ts']);
  });

  it('the container bundle has no ts-morph, TypeScript, engines or file lister', async () => {
    const inputs = await inputsOf('src/extension/container.ts');
    const heavy = inputs.filter((i) => /node_modules\/(?:ts-morph|@ts-morph|typescript|tinyglobby|fdir|ignore|@modelcontextprotocol|ajv|yaml|minisearch|@anthropic-ai|openai|@google\/genai)\//.test(i) || /src\/core\/(?:refactorings|workspace|review|mcp\/(?!types\.ts|policy\/grants\.ts|elicitation\/index\.ts))/.test(i));
    // (mcp/policy/grants.ts is plain fs + zod: `rusty doctor` in the core checks the grants file;
    // mcp/elicitation/index.ts is plain types and value parsing for the elicitation form.)
    expect(heavy).toEqual([]);
    expect(inputs).toContain('src/core/rustyCore.ts');
  });

  it('the container bundle keeps zod\'s English messages only (the other locales are 270 KB of parsing)', async () => {
    const inputs = await inputsOf('src/extension/container.ts', [zodEnglishOnly as Plugin]);
    expect(inputs.some((i) => i.startsWith('node_modules/zod/v4/core/'))).toBe(true);
    expect(inputs.filter((i) => /node_modules\/zod\/v4\/locales\//.test(i))).toEqual(['node_modules/zod/v4/locales/en.js']);
    // Without the plugin every locale comes in: the check above can fail.
    expect((await inputsOf('src/extension/container.ts')).filter((i) => i.includes('node_modules/zod/v4/locales/')).length).toBeGreaterThan(30);
  });

  it('the MCP bundle has the SDK and the MCP core, and nothing of VS Code or the extension UI', async () => {
    const inputs = await inputsOf('src/extension/mcp/mcpEngine.ts');
    expect(inputs.some((i) => i.includes('node_modules/@modelcontextprotocol/sdk/'))).toBe(true);
    expect(inputs).toContain('src/core/mcp/service.ts');
    expect(inputs.filter((i) => i.startsWith('src/extension/') && i !== 'src/extension/mcp/mcpEngine.ts')).toEqual([]);
    expect(inputs.some((i) => i.includes('src/core/rustyCore.ts'))).toBe(false);
  });

  it('the AI bundle has the runtime, the agent and the SDKs, and takes ts-morph from the engines bundle', async () => {
    const inputs = await inputsOf('src/extension/ai/aiEngine.ts', [tsMorphFromEngines as Plugin]);
    for (const sdk of ['@anthropic-ai/sdk', 'openai', '@google/genai']) expect(inputs.some((i) => i.includes(`node_modules/${sdk}/`)), sdk).toBe(true);
    expect(inputs).toContain('src/core/ai/runtime.ts');
    expect(inputs).toContain('src/core/ai/agent/ask.ts');
    expect(inputs).toContain('rusty-engines:ts-morph');
    expect(inputs).toContain('rusty-engines:@ts-morph/common/dist/typescript.js');
    expect(inputs.filter((i) => /node_modules\/(?:ts-morph|@ts-morph|typescript)\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith('src/extension/') && !i.startsWith('src/extension/ai/'))).toEqual([]);
  });

  it('the gateway bundle has the MCP server and the gateway core, and takes ts-morph from the engines bundle', async () => {
    const inputs = await inputsOf('src/extension/gateway/gatewayEngine.ts', [tsMorphFromEngines as Plugin]);
    expect(inputs.some((i) => i.includes('node_modules/@modelcontextprotocol/sdk/dist/cjs/server/streamableHttp.js') || i.includes('node_modules/@modelcontextprotocol/sdk/dist/esm/server/streamableHttp.js'))).toBe(true);
    expect(inputs).toContain('src/core/gateway/gateway.ts');
    expect(inputs.filter((i) => /node_modules\/(?:ts-morph|@ts-morph|typescript)\//.test(i))).toEqual([]);
    expect(inputs.filter((i) => i.startsWith('src/extension/') && !i.startsWith('src/extension/gateway/'))).toEqual([]);
  });

  it('the engines bundle has the engines and nothing of VS Code or the extension UI', async () => {
    const inputs = await inputsOf('src/extension/engines.ts');
    expect(inputs.some((i) => i.includes('node_modules/ts-morph/'))).toBe(true);
    expect(inputs.filter((i) => i.startsWith('src/extension/') && i !== 'src/extension/engines.ts')).toEqual([]);
    expect(inputs.some((i) => i.includes('src/core/rustyCore.ts'))).toBe(false);
  });

  it('no bundle carries TypeScript 7 or its native compiler: the native engine loads the workspace\'s at run time', async () => {
    const engines = await inputsOf('src/extension/engines.ts');
    expect(engines).toContain('src/core/tsEngine/native.ts');
    const all = [...engines, ...(await inputsOf('src/extension/container.ts')), ...(await inputsOf('src/extension/mcp/mcpEngine.ts')), ...(await inputsOf('src/extension/ai/aiEngine.ts', [tsMorphFromEngines as Plugin]))];
    expect(all.filter((i) => /node_modules\/(?:typescript-native|@typescript)\//.test(i))).toEqual([]);
    expect((await inputsOf('src/extension/container.ts')).filter((i) => i.startsWith('src/core/tsEngine/') && !/\/(?:select|types)\.ts$/.test(i))).toEqual([]);
  });
});
