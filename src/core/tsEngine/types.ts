// Plain types shared with reports (impact, analysis) and the webview protocol: no imports.

/** Which compiler produced a report. */
export interface CompilerInfo {
  /** `native`: TypeScript ≥ 7 through its API; `bundled`: Rusty's TypeScript through ts-morph. */
  engine: 'native' | 'bundled';
  version: string;
  /** Where a native compiler came from: the workspace's node_modules, or Rusty's own copy. */
  source?: 'workspace' | 'rusty';
}

/** "TypeScript 7.0.2 (native, the workspace's)" / "TypeScript 6.0.2 (bundled)". */
export function describeCompiler(c: CompilerInfo): string {
  return `TypeScript ${c.version} (${c.engine}${c.source === 'workspace' ? ", the workspace's" : c.source === 'rusty' ? ", Rusty's" : ''})`;
}
