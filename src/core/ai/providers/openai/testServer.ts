// Replies in the OpenAI Chat Completions streaming format (SSE `data:` lines holding
// chat.completion.chunk objects, tool calls in pieces keyed by index, a usage-only chunk with empty
// `choices` when include_usage is set, then `data: [DONE]`; JSON error bodies
// `{error:{message,type,param,code}}`) and the `GET /models` list, for ProtocolServer.
import { JSON_HEADERS, SSE_HEADERS, sseFrame, type Reply } from '../../testing/protocolServer';

export interface OpenAiScriptedTurn {
  model?: string;
  text?: string[];
  /** Tool calls; `json` is the arguments JSON cut into the pieces the server sends. */
  toolCalls?: { id: string; name: string; json: string[] }[];
  usage?: { prompt: number; completion: number; cached?: number };
  finishReason?: 'stop' | 'tool_calls' | 'length' | 'content_filter';
  /** Interleave the pieces of the tool calls (call 0 piece 0, call 1 piece 0, …), as parallel calls arrive. */
  interleave?: boolean;
}

export function openAiChunks(turn: OpenAiScriptedTurn): unknown[] {
  const base = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1_760_000_000, model: turn.model ?? 'gpt-4o-mini', system_fingerprint: 'fp_test' };
  const chunk = (delta: unknown, finish: string | null = null) =>
    ({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], usage: null });
  const chunks: unknown[] = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const text of turn.text ?? []) chunks.push(chunk({ content: text }));
  const calls = turn.toolCalls ?? [];
  const pieces: { index: number; first: boolean; piece: string }[] = [];
  if (turn.interleave) {
    const longest = Math.max(0, ...calls.map((c) => c.json.length));
    for (let p = 0; p < longest; p++) {
      calls.forEach((c, index) => { const piece = c.json[p]; if (piece !== undefined) pieces.push({ index, first: p === 0, piece }); });
    }
  } else {
    calls.forEach((c, index) => c.json.forEach((piece, p) => pieces.push({ index, first: p === 0, piece })));
  }
  for (const { index, first, piece } of pieces) {
    const call = calls[index]!;
    chunks.push(chunk({
      tool_calls: [first
        ? { index, id: call.id, type: 'function', function: { name: call.name, arguments: piece } }
        : { index, function: { arguments: piece } }],
    }));
  }
  chunks.push(chunk({}, turn.finishReason ?? (calls.length ? 'tool_calls' : 'stop')));
  const u = turn.usage ?? { prompt: 10, completion: 5 };
  chunks.push({
    ...base,
    choices: [],
    usage: {
      prompt_tokens: u.prompt, completion_tokens: u.completion, total_tokens: u.prompt + u.completion,
      prompt_tokens_details: { cached_tokens: u.cached ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
  });
  return chunks;
}

export function openAiStream(turn: OpenAiScriptedTurn, extra: Partial<Reply> = {}): Reply {
  return {
    status: 200,
    headers: { ...SSE_HEADERS, 'x-request-id': 'req_test' },
    chunks: [...openAiChunks(turn).map((c) => sseFrame(c)), 'data: [DONE]\n\n'],
    ...extra,
  };
}

export function openAiError(
  status: number, error: { message: string; type: string; code?: string | null; param?: string | null }, headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { ...JSON_HEADERS, 'x-request-id': 'req_test', ...headers },
    chunks: [JSON.stringify({ error: { param: null, code: null, ...error } })],
  };
}

/** `GET /models` as OpenAI, Ollama's /v1 and LM Studio answer it. */
export function openAiModels(ids: string[]): Reply {
  return {
    status: 200,
    headers: JSON_HEADERS,
    chunks: [JSON.stringify({ object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' })) })],
  };
}
