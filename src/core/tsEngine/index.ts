// The project's TypeScript compiler (issue 16): which one (select.ts), the native one through its
// API (native.ts), and a per-workspace holder that keeps one warm engine and follows the setting.
import { selectEngine, type CompilerInfo, type EngineChoice, type EngineSetting, type TypeScriptInstall } from './select';
import { NativeTsEngine } from './native';
import type { WorkspaceReader } from '../engine/context';

export { ENGINE_SETTINGS, parseEngineSetting, selectEngine, workspaceTypeScript, rustyNativeTypeScript, describeTypeScript } from './select';
export type { CompilerInfo, EngineChoice, EngineSetting, TypeScriptInstall } from './select';
export { NativeTsEngine } from './native';

/** What the type-check delta needs from a compiler (NativeTsEngine implements it). */
export type ProjectTypeChecker = Pick<NativeTsEngine, 'compiler' | 'checkWithOverlay'>;

/** The compiler info of the bundled engine (ts-morph's TypeScript). */
export async function bundledCompiler(): Promise<CompilerInfo> {
  const { ts } = await import('ts-morph');
  return { engine: 'bundled', version: ts.version };
}

/**
 * One workspace's engine across a session: `get(setting)` re-selects each time, reuses the open
 * native engine while the choice stays the same, and closes it when the setting moves away.
 */
export class TsEngines {
  private current: { key: string; engine: Promise<NativeTsEngine> } | undefined;

  constructor(private readonly root: string, private readonly opts: { tsconfig?: string; rustyNative?: TypeScriptInstall | null; fs?: Pick<WorkspaceReader, 'unsaved'> } = {}) {}

  /** Files a file watcher saw created, changed or deleted: the open engine picks them up on its next check. */
  filesChanged(paths: Iterable<string>): void {
    const list = [...paths];
    void this.current?.engine.then((e) => e.filesChanged(list), () => undefined);
  }

  /** The native engine to use, or undefined for the bundled one (with the choice that decided). */
  async get(setting: EngineSetting): Promise<{ choice: EngineChoice; native?: NativeTsEngine }> {
    const choice = selectEngine({ setting, root: this.root, ...(this.opts.rustyNative !== undefined ? { rustyNative: this.opts.rustyNative } : {}) });
    if (choice.engine === 'bundled') {
      await this.close();
      return { choice };
    }
    const key = choice.apiPath;
    if (this.current?.key !== key) {
      await this.close();
      const engine = NativeTsEngine.open({ root: this.root, apiPath: choice.apiPath, version: choice.version, source: choice.source, ...(this.opts.tsconfig ? { tsconfig: this.opts.tsconfig } : {}), ...(this.opts.fs ? { fs: this.opts.fs } : {}) });
      this.current = { key, engine };
      engine.catch(() => { if (this.current?.engine === engine) this.current = undefined; });
    }
    return { choice, native: await this.current!.engine };
  }

  async close(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (c) await (await c.engine.catch(() => undefined))?.close();
  }
}
