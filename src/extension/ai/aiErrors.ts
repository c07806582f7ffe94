// AI failures in words a person can act on, with the buttons that help: a missing or wrong key →
// "Set API Key…", a budget refusal names its cap → "Open Settings", nothing able to take the task
// → both. Pure (no vscode). Duck-typed on purpose: dist/ai.js has its own AiError and RustyError
// classes, so `instanceof` in the activation bundle would miss them.

export type AiErrorAction = 'Set API Key…' | 'Open Settings' | 'Show Log';

export interface AiUserError {
  kind: string;
  level: 'info' | 'error';
  message: string;
  actions: AiErrorAction[];
  /** The setting "Open Settings" opens. */
  setting?: string;
}

interface AiErrorLike { name: 'AiError'; kind: string; message: string; action?: string; provider?: string }

export function isAiErrorLike(err: unknown): err is Error & AiErrorLike {
  return err instanceof Error && err.name === 'AiError' && typeof (err as { kind?: unknown }).kind === 'string';
}

export function describeAiError(err: unknown): AiUserError {
  if (isAiErrorLike(err)) {
    const action = typeof err.action === 'string' && err.action ? ` ${err.action}` : '';
    const text = `${err.message}${action && !err.message.includes(err.action!) ? action : ''}`;
    switch (err.kind) {
      case 'cancelled':
        return { kind: err.kind, level: 'info', message: 'Cancelled: the model was stopped; nothing was proposed.', actions: [] };
      case 'auth':
        return { kind: err.kind, level: 'error', message: text, actions: err.provider === 'vscode-lm' ? ['Open Settings'] : ['Set API Key…'], ...(err.provider === 'vscode-lm' ? { setting: 'rusty.ai.provider' } : {}) };
      case 'budget': {
        const cap = /rusty\.ai\.budget\.\w+/.exec(err.message)?.[0];
        return { kind: err.kind, level: 'error', message: text, actions: ['Open Settings'], setting: cap ?? 'rusty.ai.budget' };
      }
      case 'unavailable':
        return { kind: err.kind, level: 'error', message: text, actions: ['Set API Key…', 'Open Settings'], setting: 'rusty.ai' };
      case 'bad-request':
      case 'context-too-long':
        return { kind: err.kind, level: 'error', message: text, actions: ['Open Settings'], setting: 'rusty.ai' };
      default:
        return { kind: err.kind, level: 'error', message: text, actions: ['Show Log'] };
    }
  }
  if (err instanceof Error && err.name === 'RustyError') {
    const code = String((err as { code?: unknown }).code ?? 'error');
    return { kind: code, level: code === 'cancelled' ? 'info' : 'error', message: err.message, actions: [] };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { kind: 'internal', level: 'error', message: `Rusty hit an unexpected error while asking the model: ${message}. Details are in the "Rusty" output channel.`, actions: ['Show Log'] };
}

/** A candidate that produced no proposal (ask() keeps its error as text): the same buttons where the text says which. */
export function describeCandidateFailure(text: string): AiUserError {
  const cap = /rusty\.ai\.budget\.\w+/.exec(text)?.[0];
  if (cap) return { kind: 'budget', level: 'error', message: text, actions: ['Open Settings'], setting: cap };
  if (/API key|Set API Key/i.test(text)) return { kind: 'auth', level: 'error', message: text, actions: ['Set API Key…'] };
  return { kind: 'no-change', level: 'error', message: text, actions: ['Show Log'] };
}
