// The same extension-host suite through @vscode/test-electron, for machines that can download
// desktop VS Code (RUSTY_TEST_ELECTRON=1 npm run test:host). Like the offline host, it installs
// the packaged VSIX into a fresh --extensions-dir and gives --extensionDevelopmentPath the
// scripted chat-model fixture (VS Code only runs extension tests in an Extension Development Host),
// so the extension under test is the installed one. On Linux without a display, run it under xvfb-run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { log, elapsed, LM_FIXTURE_ID } from './host.mjs';

/** Runs the suite in desktop VS Code; resolves when VS Code has exited (results are in sandbox.results). */
export async function runInElectron({ vsix, suiteEntry, sandbox }) {
  const { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } = await import('@vscode/test-electron');
  const version = process.env.RUSTY_VSCODE_VERSION ?? 'stable';
  let t0 = Date.now();
  const exe = await downloadAndUnzipVSCode(version);
  log(`VS Code ${version} at ${exe} (${elapsed(t0)})`);
  const profile = [`--extensions-dir=${sandbox.extensions}`, `--user-data-dir=${sandbox.userData}`];

  t0 = Date.now();
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(exe, { reuseMachineInstall: true });
  const r = spawnSync(cli, [...cliArgs, ...profile, '--install-extension', vsix], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  const installed = readdirSync(sandbox.extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
  if (r.status !== 0 || installed.length === 0) {
    throw new Error(`code --install-extension failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  }
  log(`installed the VSIX as ${installed.join(', ')} (${elapsed(t0)})`);

  const exitCode = await runTests({
    vscodeExecutablePath: exe,
    extensionDevelopmentPath: sandbox.devExtension,
    extensionTestsPath: suiteEntry,
    launchArgs: [sandbox.workspace, ...profile, '--disable-gpu', '--disable-telemetry', '--enable-proposed-api', LM_FIXTURE_ID],
    extensionTestsEnv: {
      RUSTY_TEST_RESULTS: sandbox.results,
      RUSTY_STATE_DIR: sandbox.state,
      RUSTY_TEST_WORKSPACE: sandbox.workspace,
      RUSTY_TEST_EXTENSIONS_DIR: sandbox.extensions,
      ...(process.env.RUSTY_TEST_GREP ? { RUSTY_TEST_GREP: process.env.RUSTY_TEST_GREP } : {}),
    },
  }).catch((err) => {
    // runTests rejects when VS Code exits non-zero (failed tests); the results file says why.
    log(`VS Code exited with an error: ${err instanceof Error ? err.message : err}`);
    return 1;
  });
  return exitCode;
}
