// The sandbox worker: one QuickJS runtime (WASM) per run, in its own thread. The script reaches
// the host only through `__rustyHost(op, json)` (a promise answered by the runner over the worker
// port) and `__rustyLog(text)`. Limits: the interrupt handler (deadline), the heap and stack
// limits, the output cap; the runner terminates this thread if the interrupt is not honoured.
import { parentPort, workerData } from 'node:worker_threads';
import {
  newQuickJSWASMModule, newVariant, RELEASE_SYNC,
  type QuickJSContext, type QuickJSDeferredPromise, type QuickJSHandle, type QuickJSRuntime,
} from 'quickjs-emscripten';
import { PRELUDE } from './prelude';
import type { HostToWorker, SandboxErrorKind, WorkerInit, WorkerToHost } from './protocol';

const port = parentPort!;
// The WASM module comes as workerData (QuickJS is instantiated at once); the script comes as the
// first message, so a spare started in advance is ready when a run needs it.
const { wasm } = workerData as { wasm: WebAssembly.Module };
const initMessage = new Promise<WorkerInit>((resolve) => port.once('message', (m: { t: 'init'; init: WorkerInit }) => resolve(m.init)));
let init: WorkerInit;
/** Epoch ms at which the script is interrupted; set when it starts. */
let deadline = Infinity;
const post = (m: WorkerToHost): void => port.postMessage(m);

let finished = false;
let outputBytes = 0;
/** Kept here and sent with `done` (one message, not one per line). */
const output: string[] = [];
let dropped = 0;
let interrupted = false;

function finish(m: { ok: true } | { ok: false; kind: SandboxErrorKind; message: string }): void {
  if (finished) return;
  finished = true;
  post({ t: 'done', ...m, output: { text: output.join(''), dropped } } as WorkerToHost);
  // Nothing else runs in this thread: the runner terminates it.
  port.close();
}

function classify(err: { name?: string; message?: string } | undefined, fallback: SandboxErrorKind = 'script'): { kind: SandboxErrorKind; message: string } {
  const name = err?.name ?? 'Error';
  const message = err?.message ?? String(err);
  if (interrupted || /^interrupted$/.test(message)) return { kind: 'timeout', message: 'the script ran past its deadline and was interrupted' };
  if (/out of memory/i.test(message)) return { kind: 'memory', message: `the script ran out of memory (limit ${Math.round(init.limits.memoryBytes / 1048576)} MB)` };
  if (/stack overflow|call stack/i.test(message)) return { kind: 'stack', message: `the script overflowed its stack (limit ${Math.round(init.limits.stackBytes / 1024)} KB): too deep a recursion` };
  if (name === 'SyntaxError') return { kind: 'syntax', message: `${name}: ${message}` };
  return { kind: fallback, message: `${name}: ${message}` };
}

async function main(): Promise<void> {
  const QuickJS = await newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmModule: wasm }));
  init = await initMessage;
  const runtime: QuickJSRuntime = QuickJS.newRuntime();
  runtime.setMemoryLimit(init.limits.memoryBytes);
  runtime.setMaxStackSize(init.limits.stackBytes);
  runtime.setInterruptHandler(() => {
    if (Date.now() >= deadline) interrupted = true;
    return interrupted;
  });
  const modules = init.modules ?? {};
  runtime.setModuleLoader((name) => {
    const code = modules[name];
    if (code === undefined) {
      const servers = Object.keys(modules).filter((m) => /^servers\/[^/]+$/.test(m)).sort();
      return { error: new Error(`cannot import "${name}": a sandboxed script can import nothing${servers.length ? ` but the tool wrappers (${servers.join(', ')})` : ''}`) };
    }
    return code;
  });
  const vm: QuickJSContext = runtime.newContext();

  const pending = new Map<number, QuickJSDeferredPromise>();
  let seq = 0;
  const allowed = new Set(init.ops);
  const hostFn = vm.newFunction('__rustyHost', (opH, argsH) => {
    const op = vm.getString(opH);
    const args = vm.getString(argsH);
    const d = vm.newPromise();
    if (!allowed.has(op)) {
      d.reject(vm.newError(`unknown operation ${op}`));
    } else {
      const id = ++seq;
      pending.set(id, d);
      post({ t: 'call', id, op, args });
    }
    return d.handle;
  });
  vm.setProp(vm.global, '__rustyHost', hostFn);
  hostFn.dispose();
  const logFn = vm.newFunction('__rustyLog', (textH) => {
    const text = vm.getString(textH) + '\n';
    const bytes = Buffer.byteLength(text);
    if (dropped === 0 && outputBytes + bytes <= init.limits.maxOutputBytes) {
      outputBytes += bytes;
      output.push(text);
    } else {
      dropped += bytes;
    }
  });
  vm.setProp(vm.global, '__rustyLog', logFn);
  logFn.dispose();
  vm.unwrapResult(vm.evalCode(PRELUDE, 'rusty-prelude.js')).dispose();

  deadline = Date.now() + init.timeoutMs;
  post({ t: 'started', deadline });
  const evaluated = vm.evalCode(init.code, init.fileName, { type: 'module' });
  if (evaluated.error) {
    const err = vm.dump(evaluated.error) as { name?: string; message?: string };
    evaluated.error.dispose();
    finish({ ok: false, ...classify(err) });
    return;
  }
  const script = evaluated.value;

  // Runs every queued job, then looks at the script's promise.
  const pump = (): void => {
    if (finished) return;
    const jobs = runtime.executePendingJobs(-1);
    // An interrupt inside a job can leave the script's promise pending with no error reported.
    if (interrupted) {
      if (jobs.error) jobs.error.dispose();
      finish({ ok: false, kind: 'timeout', message: 'the script ran past its deadline and was interrupted' });
      return;
    }
    if (jobs.error) {
      const err = vm.dump(jobs.error) as { name?: string; message?: string };
      jobs.error.dispose();
      finish({ ok: false, ...classify(err) });
      return;
    }
    const state = vm.getPromiseState(script);
    if (state.type === 'fulfilled') {
      state.value.dispose();
      finish({ ok: true });
    } else if (state.type === 'rejected') {
      const err = vm.dump(state.error) as { name?: string; message?: string } | string;
      state.error.dispose();
      finish({ ok: false, ...classify(typeof err === 'object' && err !== null ? err : { name: 'Error', message: String(err) }) });
    } else if (pending.size === 0 && !runtime.hasPendingJob()) {
      finish({ ok: false, kind: 'script', message: 'the script is waiting for a promise that nothing will settle' });
    }
  };

  port.on('message', (m: HostToWorker) => {
    if (finished || m.t !== 'reply') return;
    const d = pending.get(m.id);
    if (!d) return;
    pending.delete(m.id);
    if (m.ok) {
      const h: QuickJSHandle = vm.newString(m.value);
      d.resolve(h);
      h.dispose();
    } else {
      const h = vm.newError(m.message);
      d.reject(h);
      h.dispose();
    }
    d.dispose();
    pump();
  });
  // While the script waits on the host, the interrupt handler does not run: this timer is the deadline.
  setTimeout(() => {
    interrupted = true;
    finish({ ok: false, kind: 'timeout', message: 'the script ran past its deadline and was interrupted' });
  }, Math.max(0, deadline - Date.now()));
  pump();
}

main().catch((err: unknown) => finish({ ok: false, ...classify(err as Error, 'internal') }));
