// package.json's contributions agree with the code: every typed command id is contributed (and
// nothing else), menus name real commands, settings exist with the defaults the code assumes,
// and activation happens only on Rusty's own commands, views and panels.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Commands, Views } from './commands/ids';
import { readSettings } from './workspace/settings';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributes = pkg.contributes;

describe('package.json contributions', () => {
  it('contribute exactly the typed command ids, each in the Rusty category', () => {
    const ids = contributes.commands.map((c: { command: string }) => c.command).sort();
    expect(ids).toEqual(Object.values(Commands).sort());
    for (const c of contributes.commands) {
      expect(c.category).toBe('Rusty');
      expect(c.title).toBeTruthy();
    }
  });

  it('menus only name contributed commands', () => {
    const ids = new Set<string>(Object.values(Commands));
    for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) expect(ids.has(item.command), `${menu}: ${item.command}`).toBe(true);
    }
  });

  it('declare the activity-bar container and the approvals webview view', () => {
    expect(contributes.viewsContainers.activitybar).toEqual([expect.objectContaining({ id: Views.container, title: 'Rusty', icon: 'media/rusty.svg' })]);
    expect(contributes.views[Views.container]).toEqual([expect.objectContaining({ type: 'webview', id: Views.approvals })]);
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'media', 'rusty.svg'))).toBe(true);
  });

  it('activate only on Rusty commands and views (implied) and its own panels (serializers)', () => {
    expect(pkg.activationEvents).toEqual([`onWebviewPanel:${Views.reviewPanel}`, `onWebviewPanel:${Views.auditPanel}`]);
  });

  it('contribute every setting the extension reads, with the defaults it assumes', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    const defaults = readSettings(() => undefined, '/ws');
    expect(Object.keys(props).sort()).toEqual(['rusty.checkpoints.retentionDays', 'rusty.codeLens.enabled', 'rusty.maxFileSizeMB', 'rusty.saveAfterApply', 'rusty.stateDir']);
    expect(props['rusty.maxFileSizeMB']!.default).toBe(defaults.core.maxFileSizeMB);
    expect(props['rusty.checkpoints.retentionDays']!.default).toBe(defaults.core.retentionDays);
    expect(props['rusty.codeLens.enabled']!.default).toBe(defaults.codeLensEnabled);
    expect(props['rusty.saveAfterApply']!.default).toBe(defaults.saveAfterApply);
    expect(props['rusty.stateDir']!.default).toBe('');
    for (const p of Object.values(props)) expect(p.description ?? p.markdownDescription).toBeTruthy();
  });
});
