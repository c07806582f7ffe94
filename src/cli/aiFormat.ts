// The AI section of `rusty show`: who made the proposal, how many turns and repairs, tokens and
// cost, its rank among competing candidates, and where the redacted transcript is.
import type { AiRecord } from '../core/proposals/model';
import { terminalLine } from './terminalText';

export function aiLines(ai: AiRecord | undefined, stateDir: string): string[] {
  if (!ai) return [];
  const lines = [`AI: ${terminalLine(`${ai.provider}/${ai.model}`, 80)}${ai.thread ? `, thread ${terminalLine(ai.thread, 80)}` : ''} — ${ai.rounds} model turn${ai.rounds === 1 ? '' : 's'}, tokens ${ai.usage.inputTokens} in / ${ai.usage.outputTokens} out${ai.costUsd !== undefined ? `, $${ai.costUsd.toFixed(4)}` : ''}`];
  if (ai.route) lines.push(`  route: ${terminalLine(ai.route, 200)}`);
  lines.push(`  task: ${terminalLine(ai.task, 200)}`);
  for (const r of ai.repairs) lines.push(`  turn ${r.round} refused (${r.kind}): ${terminalLine(r.message, 160)}`);
  if (ai.group) lines.push(`  candidate #${ai.group.rank} of ${ai.group.siblings.length + 1}, score ${ai.group.score} (${ai.group.formula}); others: ${ai.group.siblings.join(', ')}`);
  if (ai.transcript) lines.push(`  transcript (redacted): ${stateDir}/${ai.transcript.path}`);
  return lines;
}
