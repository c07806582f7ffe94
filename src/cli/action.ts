// The GitHub Action (action.yml, dist/action.mjs): runs the `rusty` CLI in-process on the
// checked-out repository — analyze and propose the safe fixes, or one refactoring, or a change
// set from a file — then, for each proposal: approve (apply), open a pull request, roll back, so
// every PR holds only its own change and the checkout ends as it began. Writes a job summary with
// the audit trail and a `pull-requests` output. Inputs arrive as INPUT_* variables.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Io } from './output';
import { md, code } from '../core/github/description';

export type RunCli = (argv: string[], io: Io) => Promise<number>;

interface Inputs {
  mode: 'fixes' | 'refactor' | 'change-set';
  refactoring?: string;
  changeSet?: string;
  token?: string;
  base?: string;
  draft: boolean;
  labels: string[];
  dryRun: boolean;
  maxPullRequests: number;
  workspace: string;
}

export interface ActionResult {
  proposal: string;
  title: string;
  files: number;
  risk?: string;
  pullRequest?: { number: number; url: string; branch: string };
  dryRun?: { branch: string; base: string };
  error?: string;
}

/** An input as GitHub passes it (`INPUT_` + name upper-cased, spaces as `_`). */
function input(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`]?.trim();
  return v ? v : undefined;
}

function readInputs(env: NodeJS.ProcessEnv): Inputs {
  const mode = (input(env, 'mode') ?? (input(env, 'change-set') ? 'change-set' : input(env, 'refactoring') ? 'refactor' : 'fixes')) as Inputs['mode'];
  if (!['fixes', 'refactor', 'change-set'].includes(mode)) throw new Error(`Input mode must be fixes, refactor or change-set, got ${JSON.stringify(mode)}.`);
  const bool = (name: string) => /^(true|yes|1|on)$/i.test(input(env, name) ?? '');
  const max = Number(input(env, 'max-pull-requests') ?? '10');
  if (!Number.isInteger(max) || max < 1) throw new Error(`Input max-pull-requests must be a whole number ≥ 1, got ${input(env, 'max-pull-requests')}.`);
  const r: Inputs = {
    mode, draft: bool('draft'), dryRun: bool('dry-run'), maxPullRequests: max,
    labels: (input(env, 'labels') ?? '').split(/[,\n]/).map((l) => l.trim()).filter(Boolean),
    workspace: path.resolve(env.GITHUB_WORKSPACE ?? process.cwd(), input(env, 'working-directory') ?? '.'),
  };
  const refactoring = input(env, 'refactoring');
  const changeSet = input(env, 'change-set');
  const token = input(env, 'token');
  const base = input(env, 'base') ?? (env.GITHUB_REF_TYPE === 'branch' || !env.GITHUB_REF_TYPE ? env.GITHUB_REF_NAME : undefined);
  if (mode === 'refactor' && !refactoring) throw new Error('Input refactoring is required with mode refactor, e.g. "rename src/a.ts:3:14 newName".');
  if (mode === 'change-set' && !changeSet) throw new Error('Input change-set is required with mode change-set (a change-set JSON file).');
  return { ...r, ...(refactoring ? { refactoring } : {}), ...(changeSet ? { changeSet: path.resolve(r.workspace, changeSet) } : {}), ...(token ? { token } : {}), ...(base ? { base } : {}) };
}

/** Split a refactoring input into arguments (double quotes group words). */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!);
  return out;
}

export async function runAction(runCli: RunCli, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  let inputs: Inputs;
  try {
    inputs = readInputs(env);
  } catch (err) {
    log(`::error::${(err as Error).message}`);
    return 1;
  }
  // The CLI reads its token, API URL and state folder from the environment.
  if (inputs.token) process.env.GITHUB_TOKEN = inputs.token;
  if (env.GITHUB_API_URL) process.env.RUSTY_GITHUB_API_URL = env.GITHUB_API_URL;
  process.env.RUSTY_STATE_DIR ??= path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'rusty-state');
  process.env.RUSTY_ACTOR ??= 'github-action';

  const call = async (argv: string[]): Promise<{ code: number; json: Record<string, unknown> }> => {
    let stdout = '';
    const io: Io = { out: (t) => { stdout += t; }, err: (t) => log(t.replace(/^rusty: /, '').split('\n').map((l) => `  ${l}`).join('\n')), isTty: false };
    const code = await runCli(['--workspace', inputs.workspace, ...argv, '--json'], io);
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      // no JSON (help text)
    }
    return { code, json };
  };
  const failure = (r: { json: Record<string, unknown> }) => ((r.json.error as { message?: string } | undefined)?.message ?? 'failed');

  log(`Rusty: ${inputs.mode}${inputs.dryRun ? ' (dry run: no pull request is opened)' : ''} in ${inputs.workspace}`);
  const made = inputs.mode === 'fixes' ? await call(['review'])
    : inputs.mode === 'refactor' ? await call(['refactor', ...splitArgs(inputs.refactoring!)])
    : await call(['submit', inputs.changeSet!]);
  if (made.code !== 0) {
    log(`::error::Rusty could not make proposals: ${failure(made)}`);
    writeSummary(env, inputs, [], []);
    return 1;
  }
  const ids: string[] = inputs.mode === 'change-set' ? [String(made.json.id)] : ((made.json.proposals as { id: string; existing?: boolean }[] | undefined) ?? []).map((p) => p.id);
  const results: ActionResult[] = [];
  for (const id of ids.slice(0, inputs.maxPullRequests)) {
    const shown = await call(['show', id]);
    const p = shown.json as { title?: string; files?: unknown[]; impact?: { risk?: { level: string; score: number } } };
    const result: ActionResult = { proposal: id, title: String(p.title ?? id), files: p.files?.length ?? 0, ...(p.impact?.risk ? { risk: `${p.impact.risk.level} (${p.impact.risk.score})` } : {}) };
    results.push(result);
    const approved = await call(['approve', id]);
    if (approved.code !== 0) {
      result.error = `approve: ${failure(approved)}`;
      continue;
    }
    const prArgs = ['pr', id, ...(inputs.base ? ['--base', inputs.base] : []), ...(inputs.draft ? ['--draft'] : []), ...(inputs.labels.length ? ['--label', ...inputs.labels] : []), ...(inputs.dryRun ? ['--dry-run'] : [])];
    const pr = await call(prArgs);
    if (pr.code !== 0) result.error = `pull request: ${failure(pr)}`;
    else if (inputs.dryRun) result.dryRun = { branch: String(pr.json.branch), base: String(pr.json.base) };
    else result.pullRequest = { number: Number(pr.json.number), url: String(pr.json.url), branch: String(pr.json.branch) };
    // Undo the apply: the next proposal starts from the checkout as it was, and so does the next step.
    const back = await call(['rollback', id, '--force']);
    if (back.code !== 0) result.error = `${result.error ? `${result.error}; ` : ''}rollback: ${failure(back)}`;
    log(result.error ? `::warning::${id}: ${result.error}` : `${id}: ${result.pullRequest ? result.pullRequest.url : `would open ${result.dryRun?.base} ← ${result.dryRun?.branch}`}`);
  }
  if (ids.length > inputs.maxPullRequests) log(`::notice::${ids.length - inputs.maxPullRequests} more proposals were left alone (max-pull-requests is ${inputs.maxPullRequests}).`);
  const audit = await call(['audit']);
  writeSummary(env, inputs, results, (audit.json.entries as AuditLine[] | undefined) ?? []);
  if (env.GITHUB_OUTPUT) fs.appendFileSync(env.GITHUB_OUTPUT, `pull-requests=${JSON.stringify(results)}\n`);
  return results.some((r) => r.error) ? 1 : 0;
}

interface AuditLine { seq: number; time: string; actor: string; action: string; proposalId?: string }

function writeSummary(env: NodeJS.ProcessEnv, inputs: Inputs, results: ActionResult[], audit: AuditLine[]): void {
  if (!env.GITHUB_STEP_SUMMARY) return;
  const lines = [`## Rusty ${inputs.dryRun ? '(dry run) ' : ''}— ${env.GITHUB_REPOSITORY ?? path.basename(inputs.workspace)}`, ''];
  if (!results.length) lines.push('No proposals: nothing needed changing.');
  else {
    lines.push('| proposal | title | files | risk | pull request |', '|---|---|---|---|---|');
    for (const r of results) {
      const pr = r.pullRequest ? `[#${r.pullRequest.number}](${r.pullRequest.url})` : r.dryRun ? `dry run: ${code(r.dryRun.branch)} → ${code(r.dryRun.base)}` : `failed: ${md(r.error ?? '')}`;
      lines.push(`| ${code(r.proposal)} | ${md(r.title)} | ${r.files} | ${r.risk ?? '—'} | ${pr} |`);
    }
  }
  if (audit.length) {
    lines.push('', '<details><summary>Audit log</summary>', '', '| # | time | actor | action | proposal |', '|---|---|---|---|---|');
    for (const e of audit) lines.push(`| ${e.seq} | ${e.time} | ${md(e.actor)} | ${md(e.action)} | ${e.proposalId ? code(e.proposalId) : ''} |`);
    lines.push('', '</details>');
  }
  fs.appendFileSync(env.GITHUB_STEP_SUMMARY, `${lines.join('\n')}\n`);
}
