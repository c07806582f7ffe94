// Where the sandbox worker's code and the QuickJS WASM binary come from. The build puts
// codemodeWorker.mjs (and quickjs.wasm) next to the CLI bundle; running from source (tests,
// benchmarks) the worker is bundled once per process with esbuild into a temp folder.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import type * as Esbuild from 'esbuild';

export const WORKER_BUNDLE = 'codemodeWorker.mjs';
export const WASM_FILE = 'quickjs.wasm';

const here = (): string => path.dirname(fileURLToPath(import.meta.url));

let workerPath: Promise<string> | undefined;
let wasm: Promise<WebAssembly.Module> | undefined;

export function sandboxWorkerFile(): Promise<string> {
  workerPath ??= (async () => {
    const built = path.join(here(), WORKER_BUNDLE);
    if (fs.existsSync(built)) return built;
    const source = path.join(here(), 'worker.ts');
    if (!fs.existsSync(source)) throw new Error(`the sandbox worker is missing: neither ${built} nor ${source} exists; rebuild Rusty (npm run build)`);
    // From source only: esbuild is a dev dependency, never part of the shipped bundle.
    const esbuildName = 'esbuild';
    const { build } = (await import(/* @vite-ignore */ esbuildName)) as typeof Esbuild;
    const stamp = createHash('sha256').update(fs.readFileSync(source)).update(fs.readFileSync(path.join(here(), 'prelude.ts'))).update(fs.readFileSync(path.join(here(), 'protocol.ts'))).digest('hex').slice(0, 12);
    // One file per worker version, shared by test processes; written whole, then renamed.
    const out = path.join(os.tmpdir(), `rusty-codemode-worker-${stamp}.mjs`);
    if (fs.existsSync(out)) return out;
    const tmp = `${out}.${process.pid}.tmp.mjs`;
    await build({
      entryPoints: [source], outfile: tmp, bundle: true, platform: 'node', target: 'node20', format: 'esm', logLevel: 'error',
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    });
    fs.renameSync(tmp, out);
    return out;
  })();
  return workerPath;
}

/** The QuickJS WASM module, compiled once per process and handed to each worker (cold start is paid once). */
export function sandboxWasm(): Promise<WebAssembly.Module> {
  wasm ??= (async () => {
    const local = path.join(here(), WASM_FILE);
    const file = fs.existsSync(local) ? local : createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm');
    // The project's lib settings declare WebAssembly's types only; the global exists in Node.
    const wa = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }).WebAssembly;
    return wa.compile(await fs.promises.readFile(file));
  })();
  return wasm;
}
