import { describe, expect, it } from 'vitest';
import { summarize } from '../../core/mcp/sampling';
import { samplingPromptText } from './samplingText';

describe('the sampling approval prompt', () => {
  it('names the server, outlines the messages, shows model preferences and max tokens; secrets and control characters do not pass', () => {
    const summary = summarize('docs\u001b[31m', {
      messages: [
        { role: 'user', content: { type: 'text', text: 'Summarize the README.\nIt is long.' } },
        { role: 'assistant', content: { type: 'text', text: 'Which part?' } },
        { role: 'user', content: { type: 'text', text: 'The install part. My key is sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789\u202e' } },
        { role: 'user', content: { type: 'image', data: 'AAAA', mimeType: 'image/png' } },
      ],
      systemPrompt: 'You are a docs helper.',
      modelPreferences: { hints: [{ name: 'claude-3-sonnet' }, { name: 'gpt-4o' }], intelligencePriority: 0.8, speedPriority: 0.25 },
      maxTokens: 500,
    });
    expect(summary.modelPreferences).toBe('hints: claude-3-sonnet, gpt-4o; priorities: speed 0.25, intelligence 0.8');
    const { message, detail } = samplingPromptText(summary);
    expect(message).toBe('MCP server "docs [31m" asks your AI model to answer (4 messages, up to 500 tokens).');
    const lines = detail.split('\n');
    expect(lines).toContain('System prompt: You are a docs helper.');
    expect(lines).toContain('  user: Summarize the README.');
    expect(lines).toContain('  assistant: Which part?');
    expect(lines).toContain('  user: [image content omitted]');
    expect(lines).toContain('Model preferences: hints: claude-3-sonnet, gpt-4o; priorities: speed 0.25, intelligence 0.8 (Rusty\'s router chooses among your configured models).');
    expect(lines.some((l) => l.startsWith('Max tokens: 500.'))).toBe(true);
    expect(detail).not.toContain('sk-ant-api03');
    // eslint-disable-next-line no-control-regex
    expect(detail).not.toMatch(/[\u001b\u202e]/);
  });

  it('a long conversation shows its last ten messages and says how many came before; no preferences say so', () => {
    const messages = Array.from({ length: 13 }, (_, i) => ({ role: 'user' as const, content: { type: 'text' as const, text: `message ${i + 1}` } }));
    const { detail } = samplingPromptText(summarize('s', { messages, maxTokens: 10 }));
    expect(detail).toContain('  … 3 earlier message(s)\n  user: message 4\n');
    expect(detail).toContain('  user: message 13');
    expect(detail).toContain('Model preferences: none given');
  });
});
