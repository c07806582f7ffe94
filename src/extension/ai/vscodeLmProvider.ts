// The VS Code language models (`vscode.lm`: Copilot or any extension's chat model) as a core
// ModelProvider. No key: VS Code asks the user for consent on the first request, which must follow
// a user action (a command). The core never sees `vscode`; it sees this object through the
// ModelProvider interface (src/core/ai/types.ts).
import * as vscode from 'vscode';
import {
  AiError, type ChatMessage, type ChatRequest, type ChatResult, type ModelInfo, type ModelProvider,
  type StreamEvent, type ToolCall,
} from '../../core/ai/types';

/** `vendor/id` names a model uniquely across vendors; a bare id or family also matches. */
export function lmModelKey(m: Pick<vscode.LanguageModelChat, 'vendor' | 'id'>): string {
  return `${m.vendor}/${m.id}`;
}

export class VscodeLmProvider implements ModelProvider {
  readonly id = 'vscode-lm' as const;
  readonly label = 'VS Code language models';

  constructor(private readonly justification = 'Rusty turns the model\'s answer into a proposal you review before anything is written.') {}

  async listModels(): Promise<ModelInfo[]> {
    const models = await vscode.lm.selectChatModels();
    return models.map((m) => ({ id: lmModelKey(m), label: `${m.name} (${m.vendor})`, contextWindow: m.maxInputTokens, supportsTools: true }));
  }

  private async pick(model: string): Promise<vscode.LanguageModelChat> {
    const all = await vscode.lm.selectChatModels();
    const found = all.find((m) => lmModelKey(m) === model) ?? all.find((m) => m.id === model || m.family === model) ?? (model === '' || model === 'default' ? all[0] : undefined);
    if (!found) {
      throw new AiError('unavailable', all.length ? `No VS Code language model named ${model}; available: ${all.map(lmModelKey).join(', ')}.` : 'No VS Code language model is available.', this.id, {
        action: all.length ? 'Choose one of the available models.' : 'Install and sign in to an extension that provides chat models (for example GitHub Copilot Chat), or configure another provider.',
      });
    }
    return found;
  }

  async chat(req: ChatRequest, onEvent?: (e: StreamEvent) => void): Promise<ChatResult> {
    const started = Date.now();
    const model = await this.pick(req.model);
    const cts = new vscode.CancellationTokenSource();
    const onAbort = (): void => cts.cancel();
    req.signal?.addEventListener('abort', onAbort, { once: true });
    const cancelled = (): AiError => new AiError('cancelled', 'Cancelled; nothing was proposed.', this.id);
    try {
      if (req.signal?.aborted) throw cancelled();
      const messages = toLmMessages(req);
      const options: vscode.LanguageModelChatRequestOptions = {
        justification: this.justification,
        ...(req.tools?.length ? { tools: req.tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })) } : {}),
      };
      let response: vscode.LanguageModelChatResponse;
      try {
        response = await model.sendRequest(messages, options, cts.token);
      } catch (err) {
        throw classifyLmError(err, req.signal);
      }
      let text = '';
      let firstTokenMs: number | undefined;
      const toolCalls: ToolCall[] = [];
      try {
        for await (const part of response.stream) {
          if (req.signal?.aborted) throw cancelled();
          firstTokenMs ??= Date.now() - started;
          if (part instanceof vscode.LanguageModelTextPart) {
            text += part.value;
            onEvent?.({ type: 'text', text: part.value });
          } else if (part instanceof vscode.LanguageModelToolCallPart) {
            const call: ToolCall = { id: part.callId, name: part.name, arguments: (part.input ?? {}) as Record<string, unknown> };
            toolCalls.push(call);
            onEvent?.({ type: 'tool-call', call });
          }
        }
      } catch (err) {
        if (err instanceof AiError) throw err;
        throw classifyLmError(err, req.signal);
      }
      if (req.signal?.aborted) throw cancelled();
      // vscode.lm reports no usage: count with the model's own tokenizer (an estimate of what was billed).
      const inputTokens = await sumTokens(model, messages, cts.token);
      const outputTokens = text ? await model.countTokens(text, cts.token) : 0;
      const usage = { inputTokens, outputTokens, estimated: true };
      onEvent?.({ type: 'usage', usage });
      return {
        provider: this.id, model: lmModelKey(model), text, toolCalls, usage,
        stopReason: toolCalls.length ? 'tool-use' : 'end', latencyMs: Date.now() - started,
        ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
      };
    } finally {
      req.signal?.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}

async function sumTokens(model: vscode.LanguageModelChat, messages: vscode.LanguageModelChatMessage[], token: vscode.CancellationToken): Promise<number> {
  let n = 0;
  for (const m of messages) n += await model.countTokens(m, token);
  return n;
}

/** The stable API has no system role: the system prompt leads the first user message. */
export function toLmMessages(req: Pick<ChatRequest, 'system' | 'messages'>): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let system = req.system;
  const pendingResults: vscode.LanguageModelToolResultPart[] = [];
  const flushResults = (): void => {
    if (pendingResults.length) out.push(vscode.LanguageModelChatMessage.User(pendingResults.splice(0)));
  };
  for (const m of req.messages as ChatMessage[]) {
    if (m.role === 'tool') {
      pendingResults.push(new vscode.LanguageModelToolResultPart(m.toolCallId, [new vscode.LanguageModelTextPart(m.isError ? `Error: ${m.content}` : m.content)]));
      continue;
    }
    flushResults();
    if (m.role === 'user') {
      out.push(vscode.LanguageModelChatMessage.User(system ? `${system}\n\n${m.content}` : m.content));
      system = undefined;
    } else {
      const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
      if (m.content) parts.push(new vscode.LanguageModelTextPart(m.content));
      for (const c of m.toolCalls ?? []) parts.push(new vscode.LanguageModelToolCallPart(c.id, c.name, c.arguments));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts));
    }
  }
  flushResults();
  if (system) out.unshift(vscode.LanguageModelChatMessage.User(system));
  return out;
}

export function classifyLmError(err: unknown, signal?: AbortSignal): AiError {
  if (signal?.aborted || err instanceof vscode.CancellationError) return new AiError('cancelled', 'Cancelled; nothing was proposed.', 'vscode-lm', { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof vscode.LanguageModelError) {
    switch (err.code) {
      case vscode.LanguageModelError.NoPermissions.name:
        return new AiError('auth', `VS Code did not allow Rusty to use this language model: ${message}`, 'vscode-lm', { cause: err, action: 'Run the command again and allow Rusty to use the model when VS Code asks, or choose another provider.' });
      case vscode.LanguageModelError.Blocked.name:
        return new AiError('rate-limit', `The language model refused the request (quota or rate limit): ${message}`, 'vscode-lm', { cause: err });
      case vscode.LanguageModelError.NotFound.name:
        return new AiError('unavailable', `The language model is no longer available: ${message}`, 'vscode-lm', { cause: err });
    }
    if (/context|too long|token limit/i.test(message)) return new AiError('context-too-long', message, 'vscode-lm', { cause: err });
  }
  return new AiError('server', `The language model failed: ${message}`, 'vscode-lm', { cause: err });
}
