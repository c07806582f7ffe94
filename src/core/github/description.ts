// The pull request's title and body: summary, impact, risk and its reasons, the type-check delta,
// the audit entries and how to roll back, honouring the repository's pull request template.
// Untrusted text (titles, rationales, diagnostics) is escaped so it cannot add markdown, HTML or
// @-mentions to the page.
import type { Proposal } from '../proposals/model';
import type { AuditEntry } from '../audit';
import { isImpactFailure } from '../impact/types';
import type { CommitFile } from './changes';
import { safeLine } from '../util/terminalText';

/** Where GitHub looks for a single pull request template, in its order. */
export const PR_TEMPLATE_PATHS = [
  '.github/pull_request_template.md', '.github/PULL_REQUEST_TEMPLATE.md',
  'pull_request_template.md', 'PULL_REQUEST_TEMPLATE.md',
  'docs/pull_request_template.md', 'docs/PULL_REQUEST_TEMPLATE.md',
];

/** Where Rusty's section goes when the template has this marker; otherwise after the template. */
export const TEMPLATE_MARKER = '<!-- rusty -->';

/** Untrusted text as inert markdown on one line. */
export function md(text: string): string {
  return safeLine(text)
    // Inline markdown only: the callers never put untrusted text at the start of a line.
    .replace(/[\\`*_{}[\]()#|~>]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/@/g, '&#64;');
}

/** A path or identifier in a code span (backticks inside are replaced). */
export function code(text: string): string {
  return `\`${safeLine(text).replace(/`/g, "'")}\``;
}

export interface DescriptionInput {
  proposal: Proposal;
  files: CommitFile[];
  audit: AuditEntry[];
  template?: string;
  /** The CLI command that rolls the change back locally, e.g. `rusty rollback ID`. */
  branch: string;
}

function fileLine(f: CommitFile): string {
  const exec = f.mode === '100755' ? ' (executable)' : '';
  if (f.kind === 'rename' && f.renamedFrom) return `- renamed ${code(f.renamedFrom)} → ${code(f.path)}${exec}`;
  if (f.kind === 'rename') return '';
  return `- ${f.kind === 'create' ? 'created' : f.kind === 'delete' ? 'deleted' : 'modified'} ${code(f.path)}${exec}`;
}

export function pullRequestTitle(p: Proposal): string {
  const t = safeLine(p.title).trim() || `Rusty proposal ${p.id}`;
  return t.length > 240 ? `${t.slice(0, 239)}…` : t;
}

export function pullRequestBody(input: DescriptionInput): string {
  const { proposal: p, files, audit } = input;
  const out: string[] = ['## Rusty proposal', ''];
  out.push(`**${md(p.title)}** (proposal ${code(p.id)}, from ${code(p.source)}, created by ${md(p.createdBy)})`);
  if (p.rationale) out.push('', ...p.rationale.split(/\r?\n/).slice(0, 20).map((l) => `> ${md(l)}`));
  out.push('', '### Files', ...files.map(fileLine).filter(Boolean));
  const impact = p.impact;
  out.push('', '### Impact');
  if (!impact) out.push('Impact was not computed for this proposal.');
  else if (isImpactFailure(impact)) out.push(`Impact could not be computed: ${md(impact.error)}`);
  else {
    out.push(`**Risk: ${impact.risk.level}** (${impact.risk.score}/100)`);
    for (const r of impact.risk.reasons) out.push(`- ${r.points ? `+${r.points} ` : ''}${md(r.text)}`);
    const tc = impact.typeCheck;
    out.push('', '**Type check**: ' + (tc.status === 'skipped'
      ? `not run (${md(tc.reason ?? 'skipped')})`
      : `${tc.checkedFiles} files checked${tc.status === 'partial' ? ' (partial)' : ''}; ${tc.introduced.length} new error${tc.introduced.length === 1 ? '' : 's'}, ${tc.removed.length} fixed`));
    for (const d of tc.introduced.slice(0, 10)) out.push(`- new: ${code(`${d.file}:${d.line}`)} TS${d.code} ${md(d.message.split('\n')[0] ?? '')}`);
    for (const d of tc.removed.slice(0, 10)) out.push(`- fixed: ${code(`${d.file}:${d.line}`)} TS${d.code} ${md(d.message.split('\n')[0] ?? '')}`);
    out.push('', `Dependents: ${impact.dependents.total}${impact.dependents.truncated ? '+' : ''} · tests reaching the change: ${impact.tests.length} · public API changes: ${impact.publicApi.changes.length}`);
  }
  if (p.warnings?.length) {
    out.push('', '### Warnings');
    for (const w of p.warnings) out.push(`- ${md(w.message)}`);
  }
  out.push('', '### Audit trail', '', '| # | time | actor | action |', '|---|---|---|---|');
  for (const e of audit.slice(-30)) out.push(`| ${e.seq} | ${e.time} | ${md(e.actor)} | ${md(String(e.action))} |`);
  if (audit.length) out.push('', `Chain head: ${code(audit[audit.length - 1]!.hash)} (verify with \`rusty audit --verify\`).`);
  out.push('', '### Roll back',
    `- Before merging: close this pull request and delete the branch ${code(input.branch)}.`,
    '- After merging: revert the merge commit (GitHub\'s **Revert** button, or `git revert`).',
    `- In the workspace it was applied to: \`rusty rollback ${p.id}\` (keeps edits made since).`);
  const section = out.join('\n');
  const template = input.template?.trim();
  if (!template) return section;
  return template.includes(TEMPLATE_MARKER) ? template.replace(TEMPLATE_MARKER, section) : `${template}\n\n${section}`;
}

/** `rusty/<id>-<slug>` from the proposal's id and title. */
export function branchName(p: Proposal): string {
  const slug = p.title.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40).replace(/-+$/, '');
  return `rusty/${p.id}${slug ? `-${slug}` : ''}`;
}

/** Why `name` is not a usable branch name (git check-ref-format rules), or undefined. */
export function branchNameProblem(name: string): string | undefined {
  if (!name || name.length > 200) return 'it must be 1–200 characters';
  // eslint-disable-next-line no-control-regex -- git refuses control characters in ref names
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'it contains a space, control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..') || name.includes('@{') || name.includes('//')) return "it contains '..', '@{' or '//'";
  if (name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock') || name.startsWith('-')) return "it starts with '/' or '-', or ends with '/', '.' or '.lock'";
  if (name.split('/').some((c) => c.startsWith('.'))) return "a component starts with '.'";
  if (name === '@') return "it is '@'";
  return undefined;
}
