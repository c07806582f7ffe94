// VS Code language-model tools (Copilot agent mode): each maps to one gateway tool, so a model's
// writes become proposals reviewed in Rusty's panel. No `vscode` import: the messages and the
// mapping are tested in Node; package.json contributes.languageModelTools must list exactly these.

export interface LmToolSpec {
  name: string;
  /** The gateway tool it calls. */
  gatewayTool: string;
  /** Turn the model's input into the gateway tool's arguments. */
  args(input: Record<string, unknown>): Record<string, unknown>;
  /** Shown while it runs, and (for writes) what will happen, before it runs. */
  prepare(input: Record<string, unknown>): { invocationMessage: string; confirmation?: { title: string; message: string } };
}

const str = (v: unknown, max = 120): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v ?? '');
  // One line, no markdown links or code fences from the model's text.
  const one = s.replace(/[\r\n\t]+/g, ' ').replace(/[`[\]<>]/g, "'");
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

const files = (input: Record<string, unknown>): string[] => {
  const edits = Array.isArray(input.edits) ? input.edits as { path?: unknown }[] : [];
  return [...new Set(edits.map((e) => str(e?.path, 80)))];
};

export const LM_TOOLS: LmToolSpec[] = [
  {
    name: 'rusty_propose_change',
    gatewayTool: 'submit_change_set',
    args: (i) => ({ title: i.title, ...(i.rationale ? { rationale: i.rationale } : {}), edits: i.edits, wait: 60 }),
    prepare: (i) => {
      const f = files(i);
      return {
        invocationMessage: `Queuing "${str(i.title)}" for review in Rusty`,
        confirmation: {
          title: 'Propose a change through Rusty',
          message: `"${str(i.title)}" edits ${f.length} file${f.length === 1 ? '' : 's'} (${f.slice(0, 5).join(', ')}${f.length > 5 ? ', …' : ''}). It becomes a proposal in Rusty's review panel; nothing is written until you approve it there.`,
        },
      };
    },
  },
  {
    name: 'rusty_get_proposal',
    gatewayTool: 'get_proposal',
    args: (i) => ({ id: i.id, ...(typeof i.waitSeconds === 'number' ? { wait: i.waitSeconds } : {}) }),
    prepare: (i) => ({ invocationMessage: typeof i.waitSeconds === 'number' && i.waitSeconds > 0 ? `Waiting for your decision on Rusty proposal ${str(i.id, 40)}` : `Reading Rusty proposal ${str(i.id, 40)}` }),
  },
  {
    name: 'rusty_analyze',
    gatewayTool: 'analyze',
    args: (i) => ({ ...(i.path ? { path: i.path } : {}), limit: 50 }),
    prepare: (i) => ({ invocationMessage: `Analyzing ${i.path ? str(i.path, 80) : 'the workspace'} with Rusty (read-only)` }),
  },
  {
    name: 'rusty_refactor',
    gatewayTool: 'propose_refactoring',
    args: (i) => ({ refactoring: i.refactoring, params: i.params ?? {}, wait: 120 }),
    prepare: (i) => ({
      invocationMessage: `Running Rusty's ${str(i.refactoring, 40)} refactoring`,
      confirmation: {
        title: `Rusty: ${str(i.refactoring, 40)}`,
        message: `Rusty computes the ${str(i.refactoring, 40)} refactoring (${str(i.params, 200)}) and queues it as a proposal; nothing is written until you approve it in the review panel.`,
      },
    }),
  },
];
