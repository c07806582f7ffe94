// The vendor SDKs load on a provider's first request, never at CLI startup: in the CLI's split ESM
// bundle the registry's chunk holds no SDK code and reaches each SDK through a dynamic import only.
import * as path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain .mjs build settings, no types
import { esmNodeBundle } from '../../../../scripts/esbuild-options.mjs';

const root = path.join(__dirname, '..', '..', '..', '..');
const SDK = /node_modules\/(?:@anthropic-ai\/sdk|openai|@google\/genai)\//;

describe('provider SDKs in the CLI bundle', () => {
  it('stay out of the entry chunk and are reached through dynamic imports', async () => {
    const result = await build({
      ...(esmNodeBundle as object),
      absWorkingDir: root,
      stdin: { contents: "export { configuredProviders } from './src/core/ai/providers/index';", resolveDir: root, loader: 'ts' },
      outdir: path.join(root, 'dist', 'sdk-check'),
      splitting: true,
      write: false,
      metafile: true,
      sourcemap: false,
      logLevel: 'silent',
    });
    const outputs = result.metafile.outputs;
    const entryPath = Object.keys(outputs).find((p) => outputs[p]!.entryPoint === '<stdin>');
    expect(entryPath).toBeDefined();
    const entry = outputs[entryPath!]!;
    // Everything loaded at startup: the entry chunk and the chunks it imports statically (esbuild's helpers).
    const startup = new Set<string>();
    const visit = (p: string) => {
      if (startup.has(p)) return;
      startup.add(p);
      for (const i of outputs[p]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
    };
    visit(entryPath!);
    const sdkAtStartup = [...startup].flatMap((p) => Object.keys(outputs[p]!.inputs)).filter((i) => SDK.test(i));
    expect(sdkAtStartup).toEqual([]);
    const dynamic = entry!.imports.filter((i) => i.kind === 'dynamic-import');
    expect(dynamic).toHaveLength(3);
    // Each SDK is in the build, behind those imports (Gemini's node build, not its web one).
    const all = Object.values(outputs).flatMap((o) => Object.keys(o.inputs));
    for (const sdk of ['node_modules/@anthropic-ai/sdk/', 'node_modules/openai/', 'node_modules/@google/genai/dist/node/']) {
      expect(all.some((i) => i.includes(sdk))).toBe(true);
    }
  });
});
