// Shape of the results file the suite writes and the host runners read.
export interface HostTestResults {
  passed: number;
  failed: number;
  pending: number;
  failures: { title: string; error: string }[];
  /** The Mocha report as text (suites, ✓/✗ lines, then each failure with its stack). */
  report: string;
  durationMs: number;
  /** Test files that were loaded, relative to test/suite. */
  files: string[];
}

/** Key in the workspace's .vscode/settings.json that names the results file (fallback channel). */
export const RESULTS_SETTING = 'rustyTest.resultsFile';
