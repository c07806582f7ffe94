// What the sampling approval prompt says: which server asks the user's model, the request's
// messages (role and first line each), the server's model preferences and the output cap. Pure (no
// vscode) so it is tested in Node; the text is the server's, already redacted and truncated by
// summarize(), and flattened here so it cannot fake extra lines of the prompt.
import type { SamplingSummary } from '../../core/mcp/sampling';

export const SAMPLING_ONCE = 'Allow Once';
export const SAMPLING_ALWAYS = 'Always for This Server';
export const SAMPLING_DENY = 'Deny';

// eslint-disable-next-line no-control-regex
const flat = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();

export function samplingPromptText(s: SamplingSummary): { message: string; detail: string } {
  const n = `${s.messages} message${s.messages === 1 ? '' : 's'}`;
  const message = `MCP server "${flat(s.server)}" asks your AI model to answer (${n}, up to ${s.maxTokens} tokens).`;
  const lines: string[] = [];
  if (s.systemPrompt) lines.push(`System prompt: ${flat(s.systemPrompt)}`);
  lines.push('Messages:');
  if (s.outline.length < s.messages) lines.push(`  … ${s.messages - s.outline.length} earlier message(s)`);
  for (const o of s.outline) lines.push(`  ${flat(o)}`);
  lines.push(`Model preferences: ${s.modelPreferences ? flat(s.modelPreferences) : 'none given'} (Rusty's router chooses among your configured models).`);
  lines.push(`Max tokens: ${s.maxTokens}. The request counts against your AI budgets and is recorded in the audit log as mcp.sampling.`);
  lines.push(`"${SAMPLING_ALWAYS}" lasts until the window reloads; to allow it permanently add the server to "sampling": {"allow": [...]} in .rusty/policy.json.`);
  return { message, detail: lines.join('\n') };
}
