// A server's elicitation request as a form of quick inputs, each prefilled with its default:
// first the message with Answer / Decline (Escape cancels), then one input or pick per field.
// The server's texts are shown as plain text (quick inputs render no markup). Every step is a
// quick input (no modal dialog), so a server cannot block the window and each step can be
// answered from the keyboard.
import * as vscode from 'vscode';
import type { ElicitationAnswer, ElicitationField, ElicitationRequest } from '../../core/mcp/elicitation';
import { parseFieldValue } from '../../core/mcp/elicitation';

export async function askElicitation(req: ElicitationRequest, signal: AbortSignal): Promise<ElicitationAnswer> {
  const cts = new vscode.CancellationTokenSource();
  signal.addEventListener('abort', () => cts.cancel(), { once: true });
  try {
    const first = await vscode.window.showQuickPick([
      { label: 'Answer', description: `${req.fields.length} field(s)`, detail: req.message, action: 'accept' as const },
      { label: 'Decline', description: 'the server is told you declined', action: 'decline' as const },
    ], { title: `MCP server "${req.server}" asks for input`, placeHolder: req.message, ignoreFocusOut: true }, cts.token);
    if (first?.action === 'decline') return { action: 'decline' };
    if (first?.action !== 'accept') return { action: 'cancel' };
    const content: Record<string, string | number | boolean | string[]> = {};
    for (const [i, f] of req.fields.entries()) {
      const value = await askField(f, `${req.server}: ${i + 1}/${req.fields.length}`, cts.token);
      if (value === null) return { action: 'cancel' };
      if (value !== undefined) content[f.name] = value;
    }
    return { action: 'accept', content };
  } finally {
    cts.dispose();
  }
}

/** The value; undefined = left empty (optional); null = cancelled. */
async function askField(f: ElicitationField, step: string, token: vscode.CancellationToken): Promise<string | number | boolean | string[] | undefined | null> {
  const title = `${f.title ?? f.name}${f.required ? '' : ' (optional)'} — ${step}`;
  if (f.type === 'boolean' || f.options) {
    const options = f.type === 'boolean' ? [{ value: 'true', title: 'Yes' }, { value: 'false', title: 'No' }] : f.options!;
    const defaults = new Set((Array.isArray(f.default) ? f.default : f.default !== undefined ? [String(f.default)] : []).map(String));
    const items = options.map((o) => ({ label: o.title ?? o.value, description: o.title ? o.value : undefined, value: o.value, picked: defaults.has(o.value) }));
    const sorted = f.multiple ? items : [...items.filter((x) => x.picked), ...items.filter((x) => !x.picked)];
    if (f.multiple) {
      const picks = await vscode.window.showQuickPick(sorted, { title, placeHolder: f.description, canPickMany: true, ignoreFocusOut: true }, token);
      return picks ? picks.map((p) => p.value) : null;
    }
    const pick = await vscode.window.showQuickPick(sorted, { title, placeHolder: f.description, ignoreFocusOut: true }, token);
    if (!pick) return null;
    return f.type === 'boolean' ? pick.value === 'true' : pick.value;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: f.description,
    value: f.default !== undefined ? String(f.default) : '',
    ignoreFocusOut: true,
    password: f.format === 'password',
    validateInput: (t) => {
      if (t.trim() === '') return f.required ? 'Required' : undefined;
      const r = parseFieldValue(f, t);
      return 'error' in r ? r.error : undefined;
    },
  }, token);
  if (text === undefined) return null;
  if (text.trim() === '') return undefined;
  const r = parseFieldValue(f, text);
  return 'value' in r ? r.value : null;
}
