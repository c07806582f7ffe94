// Plain types shared with reports (impact, analysis) and the webview protocol: no imports.

/** Which compiler produced a report. */
export interface CompilerInfo {
  /** `native`: TypeScript ≥ 7 through its API; `bundled`: Rusty's TypeScript through ts-morph. */
  engine: 'native' | 'bundled';
  version: string;
  /** Where a native compiler came from: the workspace's node_modules, or Rusty's own copy. */
  source?: 'workspace' | 'rusty';
}
