// TypeScript → JavaScript for the sandbox: types are erased (transpileModule, no type check), the
// ES module shape and top-level await are kept. Syntax errors come back as one clear line.
// TypeScript comes through ts-morph, so the extension's bundles share the one copy in engines.js.
import type { ts as TS } from 'ts-morph';

let ts: Promise<typeof TS> | undefined;
const load = (): Promise<typeof TS> => (ts ??= import('ts-morph').then((m) => m.ts ?? (m as unknown as { default: { ts: typeof TS } }).default.ts));

export class TranspileError extends Error {
  override readonly name = 'TranspileError';
}

export async function transpileScript(source: string, fileName: string, format: 'module' | 'commonjs' = 'module'): Promise<string> {
  const t = await load();
  const out = t.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: t.ScriptTarget.ES2022,
      module: format === 'module' ? t.ModuleKind.ESNext : t.ModuleKind.CommonJS,
      sourceMap: false,
      removeComments: false,
      isolatedModules: true,
      verbatimModuleSyntax: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === t.DiagnosticCategory.Error);
  if (errors.length) {
    const d = errors[0]!;
    const where = d.file && d.start !== undefined ? (() => {
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${fileName}:${line + 1}:${character + 1}: `;
    })() : '';
    throw new TranspileError(`${where}${t.flattenDiagnosticMessageText(d.messageText, ' ')}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`);
  }
  return out.outputText;
}
