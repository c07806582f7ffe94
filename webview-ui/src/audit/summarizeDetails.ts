// One line per audit entry for the table; the full JSON is one click away. The keys people look
// for first (why, what failed, which files) lead.

const LEADING_KEYS = ['reason', 'error', 'operation', 'status', 'files', 'hunks', 'merged', 'partial', 'forced', 'conflicts'];
const MAX_ITEMS = 3;
const MAX_TEXT = 80;

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function summarizeValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return truncate(value, MAX_TEXT);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      const shown = value.slice(0, MAX_ITEMS).join(', ');
      return value.length > MAX_ITEMS ? `${shown} +${value.length - MAX_ITEMS} more` : shown;
    }
    return `${value.length} ${value.length === 1 ? 'item' : 'items'}`;
  }
  if (typeof value === 'object') return summarizeObject(value as Record<string, unknown>);
  return undefined;
}

/**
 * A nested object by its values, not its field names: a risk as `high 45 (3 reasons)`, anything
 * else as `key value` pairs (lists counted, deeper objects named only).
 */
function summarizeObject(value: Record<string, unknown>): string | undefined {
  const { level, score, reasons } = value;
  if (typeof level === 'string' && typeof score === 'number') {
    const n = Array.isArray(reasons) ? reasons.length : undefined;
    return `${level} ${score}${n === undefined ? '' : ` (${n} ${n === 1 ? 'reason' : 'reasons'})`}`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') parts.push(`${k} ${truncate(String(v), 40)}`);
    else if (Array.isArray(v)) parts.push(`${v.length} ${k}`);
    else parts.push(k);
  }
  return parts.length === 0 ? undefined : truncate(parts.join(', '), MAX_TEXT);
}

export function summarizeDetails(details: Record<string, unknown>, maxLength = 160): string {
  const keys = [...LEADING_KEYS.filter((k) => k in details), ...Object.keys(details).filter((k) => !LEADING_KEYS.includes(k))];
  const parts: string[] = [];
  for (const key of keys) {
    const summary = summarizeValue(details[key]);
    if (summary !== undefined) parts.push(`${key}: ${summary}`);
  }
  return truncate(parts.join('; '), maxLength);
}
