// The GitHub Action's entry point (dist/action.mjs, as action.yml runs it) against the local GitHub
// server: a dry run opens nothing, a real run opens one PR per proposal, and the checkout is left
// exactly as it was either way; the job summary and the output are written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { childEnv, REPO_ROOT } from '../core/testing/cli';
import { tempWorkspace, type TempWorkspace } from '../core/testing/tempWorkspace';
import { FakeGitHub } from '../core/github/testing/fakeGitHub';
import { splitArgs } from './action';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' };
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });

let ws: TempWorkspace;
let hub: FakeGitHub;
const FILES = { 'src/a.ts': 'export const a = 1;\n', 'src/b.ts': 'export const b = 1;\n' };
beforeEach(async () => {
  ws = tempWorkspace(FILES);
  git(ws.root, 'init', '-q', '-b', 'main');
  git(ws.root, 'add', '-A');
  git(ws.root, 'commit', '-q', '-m', 'init');
  git(ws.root, 'remote', 'add', 'origin', 'https://github.com/owner/repo.git');
  hub = new FakeGitHub();
  hub.seed(FILES);
  await hub.start();
  const cs = (p: string, content: string, title: string) => ({ title, source: 'campaign', edits: [{ kind: 'modify', path: p, baseHash: ws.hash(p), content }] });
  fs.writeFileSync(path.join(ws.stateRoot, '..', 'a.json'), JSON.stringify(cs('src/a.ts', 'export const a = 2;\n', 'Bump a')));
});
afterEach(async () => {
  await hub.stop();
  ws.cleanup();
});

function runAction(inputs: Record<string, string>): Promise<{ code: number | null; stdout: string; summary: string; output: string }> {
  const dir = path.join(ws.stateRoot, '..');
  const summary = path.join(dir, 'summary.md');
  const output = path.join(dir, 'output.txt');
  const env = childEnv({
    GITHUB_WORKSPACE: ws.root, GITHUB_API_URL: hub.url, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_REF_NAME: 'main', GITHUB_REF_TYPE: 'branch', RUNNER_TEMP: dir, RUSTY_GITHUB_THROTTLE: '0', GITHUB_TOKEN: '', GH_TOKEN: '',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'action.mjs')], { cwd: ws.root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, summary: fs.existsSync(summary) ? fs.readFileSync(summary, 'utf8') : '', output: fs.existsSync(output) ? fs.readFileSync(output, 'utf8') : '' }));
  });
}

// The index's staged entries (git status itself refreshes the stat cache in .git/index after the
// apply and rollback touched the files' mtimes, so its raw bytes are compared apart from that).
const gitState = () => ({ status: git(ws.root, 'status', '--porcelain=v1', '-uall'), head: git(ws.root, 'rev-parse', 'HEAD'), branch: git(ws.root, 'symbolic-ref', 'HEAD'), staged: git(ws.root, 'ls-files', '-s') });
const tree = () => new Map([...ws.snapshot()].filter(([k]) => k !== '.git/index'));

describe('the GitHub Action entry point', () => {
  it('dry run: applies, describes and rolls back; no GitHub writes; summary with the audit', async () => {
    const before = gitState();
    const files = tree();
    const r = await runAction({ 'change-set': '../a.json', token: hub.token, 'dry-run': 'true', labels: 'rusty, campaign' });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/would open main ← rusty\/[\w-]+-bump-a/);
    expect(hub.requests.filter((q) => q.method !== 'GET')).toHaveLength(0);
    expect(r.summary).toContain('## Rusty (dry run) — owner/repo');
    expect(r.summary).toMatch(/\| Bump a \| 1 \| low \(\d+\) \| dry run: `rusty\/[\w-]+-bump-a` → `main` \|/);
    expect(r.summary).toContain('<summary>Audit log</summary>');
    for (const a of ['created', 'approved', 'applied', 'rolled-back']) expect(r.summary).toContain(`| ${a} |`);
    expect(JSON.parse(r.output.replace(/^pull-requests=/, ''))[0]).toMatchObject({ title: 'Bump a', dryRun: { base: 'main' } });
    expect(gitState()).toEqual(before);
    expect(tree()).toEqual(files);
  }, 120_000);

  it('real run: one pull request per proposal, with labels; the checkout is unchanged', async () => {
    const before = gitState();
    const files = tree();
    const r = await runAction({ 'change-set': '../a.json', token: hub.token, labels: 'rusty', draft: 'true' });
    expect(r.code, r.stdout).toBe(0);
    expect(hub.pulls).toHaveLength(1);
    expect(hub.pulls[0]).toMatchObject({ base: 'main', draft: true, labels: ['rusty'] });
    expect(hub.files(hub.pulls[0]!.head).get('src/a.ts')!.text).toBe('export const a = 2;\n');
    expect(r.summary).toContain('[#1](https://github.com/owner/repo/pull/1)');
    expect(r.summary).toContain('| pr.opened |');
    expect(gitState()).toEqual(before);
    expect(tree()).toEqual(files);
  }, 120_000);

  it('a refused token fails the step with GitHub\'s reason in the summary', async () => {
    const r = await runAction({ 'change-set': '../a.json', token: 'wrong' });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('::warning::');
    expect(r.summary).toMatch(/failed: pull request: Could not read repository owner\/repo: GitHub rejected the token \\\(401 Bad credentials\\\)/);
  }, 120_000);

  it('refactoring input is split like a shell', () => {
    expect(splitArgs('rename "src/my file.ts:3:14" newName')).toEqual(['rename', 'src/my file.ts:3:14', 'newName']);
  });
});
