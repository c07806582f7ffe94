// The extension-host test entry point (`extensionTestsPath`). Both hosts call its run() inside a
// real extension host: @vscode/test-electron (desktop VS Code) and the offline code-server host
// (scripts/vscode-host/run-tests.mjs). It runs the Mocha suite bundled with it and writes a JSON
// results file, because a browser window does not exit by itself when the tests are done.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import Mocha from 'mocha';
import { loadTestFiles } from 'rusty:test-files';
import { RESULTS_SETTING, type HostTestResults } from './results';

/**
 * Where to write the results. The runners pass RUSTY_TEST_RESULTS in the extension host's
 * environment; as a fallback (a host whose extension host does not inherit the launcher's
 * environment) the runner also writes the path into the workspace's .vscode/settings.json.
 */
function resultsFile(): string | undefined {
  const fromEnv = process.env.RUSTY_TEST_RESULTS;
  if (fromEnv) return fromEnv;
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') continue;
    try {
      const settings = JSON.parse(fs.readFileSync(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
      const value = settings[RESULTS_SETTING];
      if (typeof value === 'string' && value) return value;
    } catch {
      // no settings file, or not plain JSON: try the next folder
    }
  }
  return undefined;
}

function writeResults(results: HostTestResults): void {
  const file = resultsFile();
  if (!file) {
    console.error('[rusty-tests] no results file configured (RUSTY_TEST_RESULTS); results:', JSON.stringify(results));
    return;
  }
  // Written to a temp name and renamed, so the runner never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(results, null, 2));
  fs.renameSync(tmp, file);
}

function errorText(err: unknown): string {
  // The message and the first frames are enough; the rest is Mocha's own machinery.
  if (err instanceof Error) {
    let frames = 0;
    return (err.stack ?? `${err.name}: ${err.message}`)
      .split('\n')
      .filter((line) => !/^\s+at /.test(line) || ++frames <= 6)
      .join('\n');
  }
  return String(err);
}

export async function run(): Promise<void> {
  const started = Date.now();
  const lines: string[] = [];
  const results: HostTestResults = { passed: 0, failed: 0, pending: 0, failures: [], report: '', durationMs: 0, files: [] };
  try {
    // Tests titled "(multi-root)" run only in a window with several folders, and only they run there
    // (scripts/vscode-host/run-tests.mjs opens such a window in a second run).
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const userGrep = process.env.RUSTY_TEST_GREP ? `(?=.*(?:${process.env.RUSTY_TEST_GREP}))` : '';
    const grep = `^${multiRoot ? '(?=.*\\(multi-root\\))' : '(?!.*\\(multi-root\\))'}${userGrep}`;
    const mocha = new Mocha({ ui: 'tdd', timeout: 60_000, color: false, reporter: 'spec', grep });
    // The test files are bundled into this module: give them Mocha's tdd globals, then load them.
    mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'bundle', mocha);
    results.files = loadTestFiles();

    const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;
    let depth = 0;
    await new Promise<void>((resolve) => {
      const runner = mocha.run(() => resolve());
      runner.on(EVENT_SUITE_BEGIN, (s: Mocha.Suite) => {
        if (s.title) lines.push(`${'  '.repeat(depth)}${s.title}`);
        if (s.title) depth++;
      });
      runner.on(EVENT_SUITE_END, (s: Mocha.Suite) => {
        if (s.title) depth--;
      });
      runner.on(EVENT_TEST_PASS, (t: Mocha.Test) => {
        results.passed++;
        lines.push(`${'  '.repeat(depth)}✓ ${t.title} (${t.duration ?? 0} ms)`);
      });
      runner.on(EVENT_TEST_PENDING, (t: Mocha.Test) => {
        results.pending++;
        lines.push(`${'  '.repeat(depth)}- ${t.title} (skipped)`);
      });
      runner.on(EVENT_TEST_FAIL, (t: Mocha.Runnable, err: unknown) => {
        results.failed++;
        results.failures.push({ title: t.fullTitle(), error: errorText(err) });
        lines.push(`${'  '.repeat(depth)}✗ ${t.title}`);
      });
    });
  } catch (err) {
    results.failed++;
    results.failures.push({ title: 'loading or running the suite', error: errorText(err) });
  } finally {
    results.durationMs = Date.now() - started;
    results.failures.forEach((f, i) => lines.push('', `${i + 1}) ${f.title}`, f.error));
    results.report = lines.join('\n');
    writeResults(results);
  }
  if (results.failed > 0) throw new Error(`${results.failed} extension-host test(s) failed`);
}
