// Small formatting helpers shared by the three views. Pure, so they are tested without a DOM.
import type { PriorityView, ProposalStatusView } from '../protocol';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "5m ago", "3h ago", "2d ago", then the date. Empty for an unreadable time. */
export function formatAge(iso: string, now: number): string {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const elapsed = Math.max(0, now - then);
  if (elapsed < MINUTE) return 'just now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m ago`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)}h ago`;
  if (elapsed < 30 * DAY) return `${Math.floor(elapsed / DAY)}d ago`;
  return formatDate(then);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local date and time to the second, for the audit table and tooltips. */
export function formatTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

const STATUS_LABELS: Record<ProposalStatusView, string> = {
  pending: 'Pending',
  approved: 'Approved',
  'partially-approved': 'Partially approved',
  'partially-applied': 'Partially applied',
  applying: 'Applying',
  applied: 'Applied',
  'rolled-back': 'Rolled back',
  redone: 'Redone',
  rejected: 'Rejected',
  conflicted: 'Conflicted',
  stale: 'Stale',
  failed: 'Failed',
};

export function statusLabel(status: ProposalStatusView): string {
  return STATUS_LABELS[status] ?? status;
}

const PRIORITY_LABELS: Record<PriorityView, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export function priorityLabel(priority: PriorityView): string {
  return PRIORITY_LABELS[priority] ?? priority;
}

/** Change counts with a real minus sign, e.g. "+12 −3". */
export function formatLineCounts(added: number, removed: number): string {
  return `+${added} \u2212${removed}`;
}
