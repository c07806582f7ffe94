// What kind of failure a trace shows, from the error's name and message (V8, SpiderMonkey and
// JavaScriptCore word them differently).
import type { ParsedTrace } from './stack';

// `ts-diagnostic`: none of the others, and TypeScript reports an error on the failing line (set by analyze.ts).
export const FAILURE_KINDS = ['null-access', 'not-a-function', 'unhandled-rejection', 'missing-await', 'module-not-found', 'assertion', 'ts-diagnostic', 'other'] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

const RULES: [FailureKind, RegExp][] = [
  ['module-not-found', /Cannot find (module|package)|ERR_MODULE_NOT_FOUND|Module not found|error loading dynamically imported module|Importing a module script failed/i],
  ['assertion', /AssertionError|ERR_ASSERTION|expected .* to (be|equal|deep)|Expected values to be strictly/i],
  ['not-a-function', /is not a function|is not a constructor|not a function \(evaluating/i],
  ['null-access', /Cannot read propert(y|ies) of (undefined|null)|Cannot set propert(y|ies) of (undefined|null)|is (undefined|null)$|undefined is not an object|null is not an object|can't access property .* (is|of) (undefined|null)/im],
  ['unhandled-rejection', /unhandled ?rejection|Uncaught \(in promise\)|ERR_UNHANDLED_REJECTION/i],
];

export function classify(trace: ParsedTrace, text: string): FailureKind {
  const head = `${trace.errorName ?? ''}: ${trace.message ?? ''}\n${text.slice(0, 2000)}`;
  for (const [kind, re] of RULES) if (re.test(head)) return kind;
  return 'other';
}
