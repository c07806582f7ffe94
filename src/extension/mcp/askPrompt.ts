// The "ask" decision in VS Code: a modal warning that names the server and tool, the server's
// hints, why Rusty asks, and the full arguments (long ones open in a read-only document first).
// Once / this session / N minutes / always / deny; closing the dialog denies.
import * as vscode from 'vscode';
import type { AskAnswer, AskRequest, McpAskPrompt } from '../../core/mcp/types';
import { describeAsk, parseMinutes } from './askText';
import type { ReadonlyDocs } from './readonlyDocs';

const ONCE = 'Allow Once';
const SESSION = 'Allow for This Session';
const MINUTES = 'Allow for N Minutes…';
const ALWAYS = 'Always Allow';
const DENY = 'Deny';
const SHOW = 'Show Arguments';

export class VscodeAskPrompt implements McpAskPrompt {
  constructor(private readonly docs: ReadonlyDocs, private readonly log: vscode.LogOutputChannel) {}

  async ask(req: AskRequest): Promise<AskAnswer | undefined> {
    const text = describeAsk(req);
    for (;;) {
      const buttons = [ONCE, SESSION, MINUTES, ALWAYS, DENY, ...(text.truncated ? [SHOW] : [])];
      const pick = await vscode.window.showWarningMessage(text.message, { modal: true, detail: text.detail }, ...buttons);
      switch (pick) {
        case ONCE: return { kind: 'once' };
        case SESSION: return { kind: 'session' };
        case ALWAYS: return { kind: 'always' };
        case DENY: return { kind: 'deny' };
        case SHOW:
          await this.docs.show(`${req.server}-${req.tool}-arguments.json`, text.fullArgs, 'json');
          continue;
        case MINUTES: {
          const value = await vscode.window.showInputBox({
            title: `Allow ${req.server}/${req.tool} for how many minutes?`,
            value: '15',
            prompt: 'The grant expires after this many minutes; it is listed under "Rusty: MCP Grants" until then.',
            validateInput: (v) => { const r = parseMinutes(v); return r.ok ? undefined : r.message; },
            ignoreFocusOut: true,
          });
          if (value === undefined) continue; // back to the question rather than a silent deny
          const r = parseMinutes(value);
          if (r.ok) return { kind: 'minutes', minutes: r.minutes };
          continue;
        }
        default:
          this.log.info(`MCP: the prompt for ${req.server}/${req.tool} was dismissed; denied.`);
          return undefined;
      }
    }
  }
}
