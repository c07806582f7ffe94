// Budget caps, checked before a request is sent: per task (one ModelSession) and per local day,
// in tokens and in dollars. The worst case is counted — the request's input tokens (tokenizer)
// plus its max output tokens, priced at the model's rates — so a request that passes the check
// cannot overshoot by more than the estimate's error. The day's spend the check sees includes the
// reservations of requests still in flight in any process (SpendLedger.reserve). A model whose
// price is unknown is not held to the dollar caps; the token caps still apply.
import { AiError } from '../types';
import type { RouteChoice } from '../types';

export interface BudgetCaps {
  perTaskTokens?: number;
  perTaskUsd?: number;
  perDayTokens?: number;
  perDayUsd?: number;
}

export interface Spent { tokens: number; usd: number }

export interface RequestEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  /** Undefined when the model's price is unknown. */
  usd?: number;
}

const SETTING: Record<keyof BudgetCaps, string> = {
  perTaskTokens: 'rusty.ai.budget.perTaskTokens',
  perTaskUsd: 'rusty.ai.budget.perTaskUsd',
  perDayTokens: 'rusty.ai.budget.perDayTokens',
  perDayUsd: 'rusty.ai.budget.perDayUsd',
};

const tokens = (n: number) => `${Math.round(n).toLocaleString('en-US')} tokens`;
const usd = (n: number) => `$${n >= 100 ? n.toFixed(0) : String(Number(n.toFixed(4)))}`;

/** The first cap the request would break, as an AiError 'budget' naming the cap and the numbers; else undefined. */
export function checkBudget(caps: BudgetCaps, task: Spent, day: Spent, est: RequestEstimate, to: RouteChoice): AiError | undefined {
  const need = est.inputTokens + est.maxOutputTokens;
  const what = `${to.provider}/${to.model} needs up to ${tokens(need)} (${tokens(est.inputTokens)} in + ${tokens(est.maxOutputTokens)} max out)`;
  const costWhat = est.usd !== undefined ? `${to.provider}/${to.model} may cost up to ${usd(est.usd)}` : '';
  const checks: [keyof BudgetCaps, number, number | undefined, string, (n: number) => string][] = [
    ['perTaskTokens', task.tokens, need, what, tokens],
    ['perTaskUsd', task.usd, est.usd, costWhat, usd],
    ['perDayTokens', day.tokens, need, what, tokens],
    ['perDayUsd', day.usd, est.usd, costWhat, usd],
  ];
  for (const [cap, spent, add, desc, fmt] of checks) {
    const limit = caps[cap];
    if (limit === undefined || add === undefined || spent + add <= limit) continue;
    const scope = cap.startsWith('perTask') ? 'this task has used' : 'today has used';
    return new AiError('budget',
      `Not sent: ${desc}, and ${scope} ${fmt(spent)} of its ${fmt(limit)} cap (${SETTING[cap]}).`,
      to.provider, { action: `Raise ${SETTING[cap]}${cap.startsWith('perDay') ? ' or wait for tomorrow' : ''}, or ask with less context.` });
  }
  return undefined;
}
