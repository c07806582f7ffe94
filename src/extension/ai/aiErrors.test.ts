import { describe, expect, it } from 'vitest';
import { checkBudget } from '../../core/ai/budget/caps';
import { AiError } from '../../core/ai/types';
import { RustyError } from '../../core/util/errors';
import { describeAiError } from './aiErrors';

describe('AI errors in VS Code', () => {
  it('a wrong key offers "Set API Key…" with the provider\'s action text', () => {
    const e = describeAiError(new AiError('auth', 'anthropic refused the key (401).', 'anthropic'));
    expect(e).toMatchObject({ kind: 'auth', level: 'error', actions: ['Set API Key…'] });
    expect(e.message).toMatch(/401\)\. Set a valid API key for anthropic \(VS Code: "Rusty: Set API Key…"/);
  });

  it('a budget refusal names its cap and opens that setting', () => {
    const refusal = checkBudget({ perTaskTokens: 100 }, { tokens: 0, usd: 0 }, { tokens: 0, usd: 0 }, { inputTokens: 400, maxOutputTokens: 100 } as never, { provider: 'openai', model: 'gpt-4.1', rationale: '' });
    expect(refusal).toBeDefined();
    const e = describeAiError(refusal);
    expect(e.message).toMatch(/rusty\.ai\.budget\.perTaskTokens/);
    expect(e.kind).toBe('budget');
    expect(e.actions).toEqual(['Open Settings']);
    expect(e.setting).toBe('rusty.ai.budget.perTaskTokens');
  });

  it('nothing configured offers both a key and the settings; a cancel is quiet', () => {
    expect(describeAiError(new AiError('unavailable', 'No model provider is configured.', undefined)).actions).toEqual(['Set API Key…', 'Open Settings']);
    expect(describeAiError(new AiError('cancelled', 'x', 'openai'))).toMatchObject({ level: 'info', actions: [] });
    expect(describeAiError(new RustyError('cancelled', 'Cancelled: the model was stopped; nothing was proposed.'))).toMatchObject({ kind: 'cancelled', level: 'info' });
    expect(describeAiError(new Error('boom'))).toMatchObject({ kind: 'internal', actions: ['Show Log'] });
  });
});
