// The model behind MCP sampling: a server's messages go through the AI runtime (router, budgets,
// fallbacks, metrics) like any other task; the task kind comes from the last user message.
import type { AiRuntime } from '../runtime';
import type { ChatMessage } from '../types';
import type { McpSamplingHooks, SamplingAnswer } from '../../mcp/sampling';
import { messageText, type SamplingParams } from '../../mcp/sampling/text';

const STOP: Record<string, string> = { end_turn: 'endTurn', stop: 'endTurn', max_tokens: 'maxTokens', length: 'maxTokens', stop_sequence: 'stopSequence' };

export function aiSamplingModel(runtime: AiRuntime): McpSamplingHooks['complete'] {
  return async (params: SamplingParams, signal: AbortSignal): Promise<SamplingAnswer> => {
    const messages: ChatMessage[] = params.messages.map((m) => ({ role: m.role, content: messageText(m.content) }));
    const task = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    const plan = await runtime.plan({ task, extra: messages.map((m) => m.content), signal });
    const [session] = runtime.sessions(plan, 1);
    const result = await session!.chat({
      messages, maxTokens: params.maxTokens, signal,
      ...(params.systemPrompt ? { system: params.systemPrompt } : {}),
      ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    });
    const reason = (result as { stopReason?: string }).stopReason;
    return {
      text: result.text, model: `${session!.choice.provider}/${session!.choice.model}`,
      stopReason: reason ? STOP[reason] ?? reason : 'endTurn',
      tokensIn: result.usage.inputTokens, tokensOut: result.usage.outputTokens, costUsd: session!.spent.usd,
    };
  };
}
