// Deterministic task classification: which kind of task a request is (keywords, a stack trace,
// selection vs workspace), how much context it carries (counted with the tokenizer), whether the
// model needs tools to do it, and how urgent it is. Every decision names the rule that made it.
import type { TaskKind, TaskProfile } from '../types';
import { countTokens } from './tokens';

export interface TaskContext {
  /** The editor selection the request is about. */
  selection?: string;
  /** Files given with the request (--file, the active editor). */
  files?: readonly { path: string; text: string }[];
  /** Extra text the request will carry (diagnostics, an earlier rejection reason, …). */
  extra?: readonly string[];
  /** Tokens the caller will add beyond the texts above (e.g. the system prompt). */
  extraTokens?: number;
  /** Set by the caller when it knows (a background job, a CLI run without a terminal). */
  urgency?: TaskProfile['urgency'];
}

export type TaskScope = 'selection' | 'files' | 'workspace';

export interface Classification {
  profile: TaskProfile;
  scope: TaskScope;
  stackTrace: boolean;
  /** Why each field got its value, in words (shown by `rusty ai providers`). */
  reasons: string[];
}

// A JS/TS "    at f (file:1:2)" frame, a Python traceback, a Java/C# "at a.b.C(File.java:12)" frame.
const STACK_TRACE = [
  /^\s*at\s+(?:async\s+)?(?:[\w$.<>[\]]+\s+)?\(?(?:file:\/\/)?[^\s()]+:\d+(?::\d+)?\)?\s*$/m,
  /Traceback \(most recent call last\):/,
  /^\s*at\s+[\w$.]+\([\w$]+\.(?:java|kt|cs|scala):\d+\)/m,
];

interface Rule { kind: TaskKind; test: (t: string, trace: boolean) => boolean; why: string }

/** First match wins; the order settles overlaps ("fix the failing test" is a fix, not test generation). */
const RULES: Rule[] = [
  { kind: 'generate-tests', why: 'asks to write tests',
    test: (t) => /\b(?:write|add|generate|create|cover)\b[^.?!]*\b(?:tests?|specs?|test cases?|unit tests?|coverage)\b/.test(t) || /\b(?:test coverage|unit tests? for)\b/.test(t) },
  { kind: 'debug', why: 'carries a stack trace', test: (_t, trace) => trace },
  { kind: 'debug', why: 'asks to debug a crash or exception',
    test: (t) => /\b(?:debug|crash(?:es|ed|ing)?|segfault|exception|stack ?trace|hangs?|deadlock|memory leak)\b/.test(t) },
  { kind: 'explain', why: 'asks for an explanation',
    test: (t) => /^\s*(?:explain|describe|summari[sz]e|what|how|why|walk me through|tell me)\b/.test(t) || /\b(?:explain|what does|how does)\b/.test(t) },
  { kind: 'fix', why: 'asks to fix something broken',
    test: (t) => /\b(?:fix(?:es|ed)?|bug|broken|error|fails?|failing|wrong|incorrect|repair|typo|doesn'?t work|regression)\b/.test(t) },
  { kind: 'refactor', why: 'asks to restructure code',
    test: (t) => /\b(?:refactor|rename|extract|clean ?up|simplify|restructure|reorgani[sz]e|move|split|inline|dedupe|modernize|convert|migrate)\b/.test(t) },
];

export async function classifyTaskDetailed(text: string, context: TaskContext = {}): Promise<Classification> {
  const lower = text.toLowerCase();
  const texts = [text, context.selection ?? '', ...(context.files ?? []).map((f) => f.text), ...(context.extra ?? [])];
  const stackTrace = texts.some((t) => STACK_TRACE.some((re) => re.test(t)));
  const reasons: string[] = [];

  const rule = RULES.find((r) => r.test(lower, stackTrace));
  let kind: TaskKind;
  if (rule) {
    kind = rule.kind;
    reasons.push(`${kind}: the request ${rule.why}`);
  } else if (/\?\s*$/.test(text)) {
    kind = 'explain';
    reasons.push('explain: the request is a question');
  } else {
    kind = 'refactor';
    reasons.push('refactor: a change request with no fix, test or debug keyword');
  }

  const scope: TaskScope = context.selection ? 'selection' : context.files?.length ? 'files' : 'workspace';
  let contextTokens = context.extraTokens ?? 0;
  for (const t of texts) contextTokens += await countTokens(t);
  reasons.push(`${contextTokens} tokens of context (${scope})`);

  // The model has to look around when it is not handed the code, when it has to find where a
  // failure comes from, and when it writes tests (it needs the existing ones and the test setup).
  const needsTools = scope === 'workspace' || kind === 'debug' || kind === 'generate-tests';
  reasons.push(needsTools
    ? `needs tools: ${scope === 'workspace' ? 'no selection or file was given' : kind === 'debug' ? 'debugging means searching the code' : 'tests need the existing test setup'}`
    : `no tools needed: the ${scope === 'selection' ? 'selection' : 'files'} carry the context`);

  const urgency = context.urgency ?? (/\b(?:no rush|when you can|in the background|overnight|low priority)\b/.test(lower) ? 'background' : 'interactive');
  if (urgency === 'background') reasons.push('background: ' + (context.urgency ? 'set by the caller' : 'the request says there is no rush'));

  return { profile: { kind, contextTokens, needsTools, urgency }, scope, stackTrace, reasons };
}

export async function classifyTask(text: string, context: TaskContext = {}): Promise<TaskProfile> {
  return (await classifyTaskDetailed(text, context)).profile;
}
