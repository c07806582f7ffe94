// Baseline for the analysis benchmark: `tsc --noEmit` on a tsconfig, with the TypeScript that
// ts-morph bundles (same version, same lib files) — what `getPreEmitDiagnostics` of a program is.
// Plain Node, not bundled, loading typescript.js the way `tsc` does.
//
//   node scripts/bench/analysis-tsc.mjs <tsconfig.json>   → one JSON line on stdout
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const ts = require('@ts-morph/common/dist/typescript.js');
const { getLibFiles } = require('@ts-morph/common');

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const config = path.resolve(process.argv[2] ?? 'tsconfig.json');

// ts-morph serves its lib .d.ts files from memory; tsc needs them on disk: write them once.
const libDir = path.join(repo, '.cache', `ts-lib-${ts.version}`);
if (!fs.existsSync(path.join(libDir, '.done'))) {
  fs.mkdirSync(libDir, { recursive: true });
  for (const f of getLibFiles()) fs.writeFileSync(path.join(libDir, f.fileName), f.text);
  fs.writeFileSync(path.join(libDir, '.done'), ts.version);
}

const started = performance.now();
const parsed = ts.getParsedCommandLineOfConfigFile(config, undefined, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
const host = ts.createCompilerHost(parsed.options);
host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors; // what tsc's own host uses (executeCommandLine)
host.getDefaultLibLocation = () => libDir;
host.getDefaultLibFileName = (o) => path.join(libDir, ts.getDefaultLibFileName(o));
const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host, projectReferences: parsed.projectReferences, configFileParsingDiagnostics: parsed.errors });
const diagnostics = ts.getPreEmitDiagnostics(program);
const workMs = performance.now() - started;

process.stdout.write(JSON.stringify({
  typescript: ts.version,
  files: parsed.fileNames.length,
  diagnostics: diagnostics.length,
  workMs: Math.round(workMs),
  processMs: Math.round(performance.now()),
  maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}) + '\n');
