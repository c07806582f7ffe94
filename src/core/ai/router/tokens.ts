// Token counts with a real BPE tokenizer (gpt-tokenizer, o200k_base), loaded on first use. Other
// vendors tokenize differently: for Claude and Gemini this is an estimate (within ~15% on code),
// which is what budgets and context-window checks need — never an exact bill.
import type * as GptTokenizer from 'gpt-tokenizer';
import type { ChatRequest } from '../types';

type Tokenizer = typeof GptTokenizer;
let loading: Promise<Tokenizer> | undefined;
let loaded: Tokenizer | undefined;

export async function loadTokenizer(): Promise<Tokenizer> {
  loading ??= import('gpt-tokenizer').then((m) => (loaded = m));
  return loading;
}

export async function countTokens(text: string): Promise<number> {
  if (!text) return 0;
  return (loaded ?? (await loadTokenizer())).countTokens(text);
}

/** Per-message framing the chat formats add (role markers, separators). */
const MESSAGE_OVERHEAD = 4;

/** Input tokens a request will carry: system, messages, tool results and the tool schemas. */
export async function countRequestTokens(req: Pick<ChatRequest, 'system' | 'messages' | 'tools'>): Promise<number> {
  let total = await countTokens(req.system ?? '');
  for (const m of req.messages) {
    total += MESSAGE_OVERHEAD + (await countTokens(m.content));
    if (m.role === 'assistant' && m.toolCalls?.length) total += await countTokens(JSON.stringify(m.toolCalls));
  }
  if (req.tools?.length) total += await countTokens(JSON.stringify(req.tools));
  return total;
}
