// Messages between the sandbox runner (host thread) and its worker. Only JSON text and numbers
// cross: no host object ever reaches the QuickJS heap.

export interface SandboxLimits {
  /** Wall-clock budget for the whole run (ms). */
  timeoutMs: number;
  /** QuickJS heap limit (bytes). */
  memoryBytes: number;
  /** QuickJS stack limit (bytes). */
  stackBytes: number;
  /** console.log output kept (UTF-8 bytes); the rest is counted and dropped. */
  maxOutputBytes: number;
  /** callTool calls allowed per run. */
  maxToolCalls: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  timeoutMs: 30_000,
  memoryBytes: 64 * 1024 * 1024,
  stackBytes: 512 * 1024,
  maxOutputBytes: 64 * 1024,
  maxToolCalls: 200,
};

/** The first message to the sandbox worker (its workerData is only the WASM module). */
export interface WorkerInit {
  /** The script, already plain JavaScript (an ES module). */
  code: string;
  fileName: string;
  /** The script's budget (ms), counted from when it starts (not from the thread's start-up). */
  timeoutMs: number;
  limits: Omit<SandboxLimits, 'timeoutMs' | 'maxToolCalls'>;
  /** Host operations the prelude exposes (`callTool`, `workspace.read`, …). */
  ops: readonly string[];
  /** Modules the script may import (specifier → JavaScript), e.g. the generated tool wrappers. */
  modules?: Record<string, string>;
}

export type SandboxErrorKind = 'timeout' | 'memory' | 'stack' | 'script' | 'limit' | 'syntax' | 'internal';

export type WorkerToHost =
  | { t: 'started'; deadline: number }
  | { t: 'call'; id: number; op: string; args: string }
  | { t: 'done'; ok: true; output: RunOutput }
  | { t: 'done'; ok: false; kind: SandboxErrorKind; message: string; output: RunOutput };

/** console.log output kept (up to the cap) and the bytes dropped after it. */
export interface RunOutput { text: string; dropped: number }

export type HostToWorker =
  | { t: 'reply'; id: number; ok: true; value: string }
  | { t: 'reply'; id: number; ok: false; message: string };
