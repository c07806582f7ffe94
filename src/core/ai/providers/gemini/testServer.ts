// Replies in the Gemini API streaming format (`POST /v1beta/models/{model}:streamGenerateContent?alt=sse`:
// SSE `data:` lines, each a whole GenerateContentResponse JSON; no end marker — the last chunk has
// `finishReason` and the final `usageMetadata`; errors `{error:{code,message,status,details}}`),
// for ProtocolServer.
import { JSON_HEADERS, SSE_HEADERS, type Reply } from '../../testing/protocolServer';

export interface GeminiScriptedTurn {
  model?: string;
  text?: string[];
  /** Each call arrives whole, in a chunk of its own (the Gemini API does not split arguments). */
  toolCalls?: { name: string; args: Record<string, unknown>; id?: string; thoughtSignature?: string }[];
  usage?: { prompt: number; candidates: number; cached?: number; thoughts?: number };
  finishReason?: 'STOP' | 'MAX_TOKENS' | 'SAFETY';
}

/** Gemini separates events with CRLF CRLF. */
export function geminiFrame(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\r\n\r\n`;
}

export function geminiChunks(turn: GeminiScriptedTurn): unknown[] {
  const modelVersion = turn.model ?? 'gemini-2.5-flash';
  const u = turn.usage ?? { prompt: 10, candidates: 5 };
  const usage = (final: boolean) => ({
    promptTokenCount: u.prompt,
    ...(final ? { candidatesTokenCount: u.candidates } : {}),
    totalTokenCount: u.prompt + (final ? u.candidates + (u.thoughts ?? 0) : 0),
    ...(u.cached ? { cachedContentTokenCount: u.cached } : {}),
    ...(final && u.thoughts ? { thoughtsTokenCount: u.thoughts } : {}),
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: u.prompt }],
  });
  const parts: unknown[][] = [
    ...(turn.text ?? []).map((text) => [{ text }]),
    ...(turn.toolCalls ?? []).map((c) => [{
      functionCall: { name: c.name, args: c.args, ...(c.id ? { id: c.id } : {}) },
      ...(c.thoughtSignature ? { thoughtSignature: c.thoughtSignature } : {}),
    }]),
  ];
  if (parts.length === 0) parts.push([{ text: '' }]);
  return parts.map((p, i) => {
    const last = i === parts.length - 1;
    return {
      candidates: [{
        content: { parts: p, role: 'model' },
        index: 0,
        ...(last ? { finishReason: turn.finishReason ?? 'STOP' } : {}),
      }],
      usageMetadata: usage(last),
      modelVersion,
      responseId: 'resp_test',
    };
  });
}

export function geminiStream(turn: GeminiScriptedTurn, extra: Partial<Reply> = {}): Reply {
  return { status: 200, headers: SSE_HEADERS, chunks: geminiChunks(turn).map(geminiFrame), ...extra };
}

/**
 * A google.rpc.Status error body, with RetryInfo when `retryDelay` is given ("30s") and ErrorInfo
 * when `reason` is (a wrong key: 400 INVALID_ARGUMENT, reason API_KEY_INVALID).
 */
export function geminiError(code: number, status: string, message: string, retryDelay?: string, reason?: string): Reply {
  const details = [
    ...(reason ? [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason, domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com' } }] : []),
    ...(retryDelay ? [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }] : []),
  ];
  return {
    status: code,
    headers: JSON_HEADERS,
    chunks: [JSON.stringify({ error: { code, message, status, ...(details.length ? { details } : {}) } })],
  };
}
