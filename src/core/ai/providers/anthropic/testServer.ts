// Replies in the Anthropic Messages streaming format (SSE: message_start, content_block_start /
// content_block_delta / content_block_stop, message_delta with usage, message_stop; `event: error`
// mid-stream; JSON error bodies `{type:"error", error:{type, message}}`), for ProtocolServer.
import { JSON_HEADERS, SSE_HEADERS, sseFrame, type Reply } from '../../testing/protocolServer';

export interface AnthropicScriptedTurn {
  model?: string;
  /** Text deltas, in order (one content block). */
  text?: string[];
  /** Tool calls; `json` is the arguments JSON cut into the pieces the server sends. */
  toolCalls?: { id: string; name: string; json: string[] }[];
  usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
  stopReason?: 'end_turn' | 'tool_use' | 'max_tokens' | 'refusal';
}

/** The documented event sequence for one assistant turn (with a `ping`, as the API sends). */
export function anthropicEvents(turn: AnthropicScriptedTurn): { event: string; data: unknown }[] {
  const usage = turn.usage ?? { input: 10, output: 5 };
  const events: { event: string; data: unknown }[] = [];
  events.push({
    event: 'message_start',
    data: {
      type: 'message_start',
      message: {
        id: 'msg_01TestServer', type: 'message', role: 'assistant', content: [], model: turn.model ?? 'claude-sonnet-4-5',
        stop_reason: null, stop_sequence: null,
        usage: {
          input_tokens: usage.input, output_tokens: 1,
          cache_creation_input_tokens: usage.cacheWrite ?? 0, cache_read_input_tokens: usage.cacheRead ?? 0,
        },
      },
    },
  });
  events.push({ event: 'ping', data: { type: 'ping' } });
  let index = 0;
  if (turn.text?.length) {
    events.push({ event: 'content_block_start', data: { type: 'content_block_start', index, content_block: { type: 'text', text: '' } } });
    for (const text of turn.text) {
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'text_delta', text } } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    index++;
  }
  for (const call of turn.toolCalls ?? []) {
    events.push({
      event: 'content_block_start',
      data: { type: 'content_block_start', index, content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} } },
    });
    for (const piece of call.json) {
      events.push({ event: 'content_block_delta', data: { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } } });
    }
    events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
    index++;
  }
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: turn.stopReason ?? (turn.toolCalls?.length ? 'tool_use' : 'end_turn'), stop_sequence: null },
      usage: { output_tokens: usage.output },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

export function anthropicStream(turn: AnthropicScriptedTurn, extra: Partial<Reply> = {}): Reply {
  return {
    status: 200,
    headers: { ...SSE_HEADERS, 'request-id': 'req_test' },
    chunks: anthropicEvents(turn).map((e) => sseFrame(e.data, e.event)),
    ...extra,
  };
}

/** An HTTP error in the documented shape. */
export function anthropicError(status: number, type: string, message: string, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { ...JSON_HEADERS, 'request-id': 'req_test', ...headers },
    chunks: [JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_test' })],
  };
}

/** `event: error` after the stream started (how Anthropic reports overload mid-stream). */
export function anthropicStreamError(type: string, message: string): string {
  return sseFrame({ type: 'error', error: { type, message } }, 'error');
}
