// Text of a sampling request, without the MCP SDK: what the AI side (dist/ai.js) needs to turn a
// server's messages into chat messages, and what an approval prompt shows.
import type { CreateMessageRequest } from '@modelcontextprotocol/sdk/types.js';

export type SamplingParams = CreateMessageRequest['params'];

/** Text content as is; other content (images, audio) as a placeholder. */
export function messageText(content: unknown): string {
  const parts = Array.isArray(content) ? content : [content];
  return parts.map((c) => {
    const x = c as { type?: string; text?: unknown };
    return x?.type === 'text' && typeof x.text === 'string' ? x.text : `[${x?.type ?? 'unknown'} content omitted]`;
  }).join('\n');
}

/**
 * The server's model preferences in one line ("hints: claude-3-sonnet, gpt-4o; intelligence 0.8,
 * speed 0.5"), or undefined when it gave none. Hints are names the server suggests; Rusty's router
 * still chooses among the configured models.
 */
export function describeModelPreferences(prefs: SamplingParams['modelPreferences']): string | undefined {
  if (!prefs) return undefined;
  const parts: string[] = [];
  const hints = (prefs.hints ?? []).map((h) => (typeof h?.name === 'string' ? h.name.trim() : '')).filter(Boolean).slice(0, 5);
  if (hints.length) parts.push(`hints: ${hints.join(', ')}`);
  const p = (label: string, v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? `${label} ${Math.round(v * 100) / 100}` : undefined);
  const priorities = [p('cost', prefs.costPriority), p('speed', prefs.speedPriority), p('intelligence', prefs.intelligencePriority)].filter((x): x is string => !!x);
  if (priorities.length) parts.push(`priorities: ${priorities.join(', ')}`);
  return parts.length ? parts.join('; ') : undefined;
}
