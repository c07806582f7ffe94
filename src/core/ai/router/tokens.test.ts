import { countTokens as o200k } from 'gpt-tokenizer';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { countRequestTokens, estimateTokens, tokenMethodFor } from './tokens';

const CODE = `export function paginate<T>(items: readonly T[], page: number, size = 20): T[] {\n  const start = (page - 1) * size;\n  return items.slice(start, start + size); // 1-based pages\n}\n// Größenänderung der Seite: 日本語のテキストを処理する\nconst 変数 = "ページ";\n`;

describe('token counts per vendor', () => {
  it('OpenAI models use their own encoding: o200k_base for GPT-4o/4.1/5 and o-series, cl100k_base for GPT-4 and 3.5', async () => {
    for (const model of ['gpt-4o-mini', 'gpt-4.1', 'gpt-5', 'o3', 'o4-mini']) {
      expect(tokenMethodFor('openai', model)).toMatchObject({ method: 'o200k_base', estimate: false });
      expect(await estimateTokens(CODE, 'openai', model)).toBe(o200k(CODE));
    }
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-4-0613', 'gpt-3.5-turbo']) {
      expect(tokenMethodFor('openai', model)).toMatchObject({ method: 'cl100k_base', estimate: false });
      expect(await estimateTokens(CODE, 'openai', model)).toBe(cl100k(CODE));
    }
    // The two encodings really differ on code, so the choice matters.
    expect(o200k(CODE)).not.toBe(cl100k(CODE));
  });

  it('other models over the OpenAI protocol (Ollama, LM Studio) get o200k_base, labelled an estimate', () => {
    expect(tokenMethodFor('openai', 'qwen2.5-coder:7b')).toMatchObject({ method: 'o200k_base', estimate: true });
    expect(tokenMethodFor('openai', 'qwen2.5-coder:7b').label).toMatch(/^estimate/);
  });

  it('Anthropic: about 3.5 characters per token; Gemini: about 4 — both labelled estimates', async () => {
    expect(tokenMethodFor('anthropic', 'claude-sonnet-4-5')).toMatchObject({ method: 'chars/3.5', estimate: true });
    expect(tokenMethodFor('anthropic', 'claude-sonnet-4-5').label).toMatch(/^estimate: about 3\.5 characters per token \(Anthropic/);
    expect(await estimateTokens(CODE, 'anthropic', 'claude-sonnet-4-5')).toBe(Math.ceil(CODE.length / 3.5));
    expect(tokenMethodFor('gemini', 'gemini-2.5-flash')).toMatchObject({ method: 'chars/4', estimate: true });
    expect(await estimateTokens(CODE, 'gemini', 'models/gemini-2.5-flash')).toBe(Math.ceil(CODE.length / 4));
    expect(await estimateTokens('', 'gemini')).toBe(0);
  });

  it('a request is counted with its vendor\'s method (system, messages, tool calls, tool schemas)', async () => {
    const req = {
      system: 'You are careful.',
      messages: [{ role: 'user' as const, content: CODE }, { role: 'assistant' as const, content: '', toolCalls: [{ id: 'c1', name: 'read_file', arguments: { path: 'src/a.ts' } }] }],
      tools: [{ name: 'read_file', description: 'Read a file', inputSchema: { type: 'object' } }],
    };
    const chars = (per: number) => [req.system, CODE, '', JSON.stringify(req.messages[1]!.toolCalls), JSON.stringify(req.tools)].reduce((n, t) => n + Math.ceil(t.length / per), 0) + 2 * 4;
    expect(await countRequestTokens(req, 'anthropic', 'claude-haiku-4-5')).toBe(chars(3.5));
    expect(await countRequestTokens(req, 'gemini', 'gemini-2.5-pro')).toBe(chars(4));
    const bpe = [req.system, CODE, '', JSON.stringify(req.messages[1]!.toolCalls), JSON.stringify(req.tools)].reduce((n, t) => n + (t ? cl100k(t) : 0), 0) + 2 * 4;
    expect(await countRequestTokens(req, 'openai', 'gpt-4')).toBe(bpe);
  });
});
