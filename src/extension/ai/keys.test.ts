import { describe, expect, it } from 'vitest';
import { SECRET_KEYS } from '../../core/ai/providers';
import { KEY_VENDORS, keyProblem } from './keys';

describe('API keys', () => {
  it('are stored under the names the provider registry reads', () => {
    expect(Object.fromEntries(KEY_VENDORS.map((v) => [v.id, v.secret]))).toEqual(SECRET_KEYS);
  });

  it('are checked for shape without echoing them', () => {
    expect(keyProblem('anthropic', '')).toMatch(/Paste the key/);
    expect(keyProblem('anthropic', 'sk-ant-abc def')).toMatch(/no spaces/);
    expect(keyProblem('openai', 'sk-1')).toMatch(/too short/);
    expect(keyProblem('anthropic', 'AIzaSyA1234567890')).toMatch(/Google/);
    expect(keyProblem('gemini', 'sk-proj-1234567890')).toMatch(/not a Gemini one/);
    expect(keyProblem('openai', 'sk-ant-api03-1234567890')).toMatch(/Anthropic key/);
    const secret = 'sk-ant-api03-SECRET-VALUE x';
    expect(keyProblem('anthropic', secret)).not.toContain('SECRET');
    expect(keyProblem('anthropic', '  sk-ant-api03-abcdefgh  ')).toBeUndefined();
    expect(keyProblem('openai', 'ollama-local-token')).toBeUndefined();
  });
});
