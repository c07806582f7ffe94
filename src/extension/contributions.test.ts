// package.json's contributions agree with the code: every typed command id is contributed (and
// nothing else), menus name real commands, settings exist with the defaults the code assumes,
// and activation happens only on Rusty's own commands, views and panels.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AiCommands, Commands, GatewayCommands, GitHubCommands, McpCommands, RefactorCommands, TestDebugCommands, Views } from './commands/ids';
import { GATEWAY_SETTING_DEFAULTS } from './gateway/settings';
import { IMPORT_SOURCES, readMcpSettings } from './mcp/mcpSettings';
import { readSettings } from './workspace/settings';
import { ENGINE_SETTINGS, parseEngineSetting } from '../core/tsEngine/select';
import { readAiSettings } from '../core/ai/router/settings';
import { DEFAULT_LOCAL_BASE_URLS } from '../core/ai/providers';
import { readGitHubSettings } from '../core/github/settings';

const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
const contributes = pkg.contributes;
/** Every typed command id (the refactoring commands are registered by suggestions/register.ts). */
const allCommands: string[] = [...Object.values(Commands), ...Object.values(RefactorCommands), ...Object.values(McpCommands), ...Object.values(AiCommands), ...Object.values(GatewayCommands), ...Object.values(GitHubCommands), ...Object.values(TestDebugCommands)];

describe('package.json contributions', () => {
  it('contribute exactly the typed command ids, each in the Rusty category', () => {
    const ids = contributes.commands.map((c: { command: string }) => c.command).sort();
    expect(ids).toEqual([...allCommands].sort());
    for (const c of contributes.commands) {
      expect(c.category).toBe('Rusty');
      expect(c.title).toBeTruthy();
    }
  });

  it('menus only name contributed commands', () => {
    const ids = new Set<string>(allCommands);
    for (const [menu, items] of Object.entries(contributes.menus as Record<string, { command: string }[]>)) {
      for (const item of items) expect(ids.has(item.command), `${menu}: ${item.command}`).toBe(true);
    }
  });

  it('declare the activity-bar container and the approvals webview view', () => {
    expect(contributes.viewsContainers.activitybar).toEqual([expect.objectContaining({ id: Views.container, title: 'Rusty', icon: 'media/rusty.svg' })]);
    expect(contributes.views[Views.container]).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'webview', id: Views.approvals }), expect.objectContaining({ id: Views.findings }), expect.objectContaining({ id: Views.mcpServers }), expect.objectContaining({ id: Views.aiModels })]));
    expect(fs.existsSync(path.join(__dirname, '..', '..', 'media', 'rusty.svg'))).toBe(true);
  });

  it('activate only on Rusty commands and views (implied), its own panels (serializers), and debugging (the exception tracker)', () => {
    expect(pkg.activationEvents).toEqual([`onWebviewPanel:${Views.reviewPanel}`, `onWebviewPanel:${Views.auditPanel}`, 'onDebug']);
  });

  it('contribute every setting the extension reads, with the defaults it assumes', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    const defaults = readSettings(() => undefined, '/ws');
    // rusty.suggestions.* are checked in suggestions/settings.test.ts.
    expect(Object.keys(props).filter((k) => !k.startsWith('rusty.suggestions.') && !k.startsWith('rusty.mcp.') && !k.startsWith('rusty.ai.') && !k.startsWith('rusty.gateway.') && !k.startsWith('rusty.github.')).sort()).toEqual(['rusty.checkpoints.retentionDays', 'rusty.codeLens.enabled', 'rusty.codeLens.generateTests', 'rusty.debug.askModel', 'rusty.maxFileSizeMB', 'rusty.saveAfterApply', 'rusty.stateDir', 'rusty.testGen.fillExpectations', 'rusty.typescript.engine']);
    expect(props['rusty.maxFileSizeMB']!.default).toBe(defaults.core.maxFileSizeMB);
    expect(props['rusty.checkpoints.retentionDays']!.default).toBe(defaults.core.retentionDays);
    expect(props['rusty.codeLens.enabled']!.default).toBe(defaults.codeLensEnabled);
    expect(props['rusty.codeLens.generateTests']!.default).toBe(true);
    expect(props['rusty.testGen.fillExpectations']).toMatchObject({ default: 'ask', enum: ['ask', 'model', 'skeleton'] });
    expect(props['rusty.debug.askModel']).toMatchObject({ default: 'ask', enum: ['ask', 'model', 'never'], scope: 'resource' });
    expect(props['rusty.saveAfterApply']!.default).toBe(defaults.saveAfterApply);
    expect(props['rusty.stateDir']!.default).toBe('');
    expect(props['rusty.typescript.engine']).toMatchObject({ default: parseEngineSetting(undefined, 'x'), enum: [...ENGINE_SETTINGS] });
    for (const p of Object.values(props)) expect(p.description ?? p.markdownDescription).toBeTruthy();
  });
  it('contribute the MCP settings with the defaults the extension assumes, nothing secret', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown; markdownDescription?: string; scope?: string }>;
    const defaults = readMcpSettings(() => undefined);
    expect(Object.keys(props).filter((k) => k.startsWith('rusty.mcp.')).sort()).toEqual(['rusty.mcp.importFrom', 'rusty.mcp.rules', 'rusty.mcp.servers', 'rusty.mcp.trustedServers']);
    expect(props['rusty.mcp.importFrom']!.default).toEqual(defaults.importFrom);
    expect(props['rusty.mcp.importFrom']!.default).toEqual([...IMPORT_SOURCES]);
    expect(props['rusty.mcp.rules']!.default).toEqual(defaults.rules);
    expect(props['rusty.mcp.trustedServers']!.default).toEqual(defaults.trustedServers);
    expect(props['rusty.mcp.servers']!.markdownDescription).toMatch(/\$\{input:/);
    expect(props['rusty.mcp.servers']!.scope).toBe('resource');
  });

  it('contribute the gateway settings with the defaults the extension assumes', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown }>;
    const gateway = Object.fromEntries(Object.keys(props).filter((k) => k.startsWith('rusty.gateway.')).map((k) => [k, props[k]!.default]));
    expect(gateway).toEqual(GATEWAY_SETTING_DEFAULTS);
  });

  it('contribute the GitHub settings with the defaults the core assumes, and no token setting', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown; scope?: string }>;
    const keys = Object.keys(props).filter((k) => k.startsWith('rusty.github.')).sort();
    expect(keys).toEqual(['rusty.github.enterpriseUrl', 'rusty.github.labels', 'rusty.github.remote']);
    expect(readGitHubSettings(Object.fromEntries(keys.map((k) => [k, props[k]!.default])))).toEqual({ labels: [] });
  });

  it('contribute the AI settings with the defaults the core assumes, and no key setting', () => {
    const props = contributes.configuration.properties as Record<string, { default: unknown; scope?: string }>;
    const ai = Object.keys(props).filter((k) => k.startsWith('rusty.ai.'));
    // Keys live in SecretStorage ("Rusty: Set API Key…"), never in settings.
    expect(ai.filter((k) => /key|token|secret/i.test(k.replace(/Tokens$/, '')))).toEqual([]);
    const defaults = Object.fromEntries(ai.map((k) => [k, props[k]!.default]));
    const { settings, warnings } = readAiSettings(defaults);
    expect(warnings).toEqual([]);
    expect(settings).toEqual(readAiSettings({}).settings);
    expect(props['rusty.ai.local.baseUrls']!.default).toEqual(DEFAULT_LOCAL_BASE_URLS);
    for (const k of ai) expect(props[k]!.scope).toBe('resource');
  });

  it('show the MCP view and its menus only where they apply', () => {
    expect(contributes.viewsWelcome).toEqual(expect.arrayContaining([expect.objectContaining({ view: Views.mcpServers })]));
    // Compact: one button line (Refresh is an inline link) and a short text, so the button stays in view.
    const welcome = (contributes.viewsWelcome as { view: string; contents: string }[]).find((w) => w.view === Views.mcpServers)!.contents;
    expect(welcome.split('\n').filter((l) => /^\[.*\]\(command:/.test(l))).toEqual(['[Add MCP Server](command:rusty.mcp.addServer)']);
    expect(welcome).toContain('(command:rusty.mcp.refresh)');
    expect(welcome.length).toBeLessThan(260);
    // The Approvals view opens tallest, so a card's Reject… is not below the fold.
    const views = (contributes.views as Record<string, { id: string; initialSize?: number }[]>).rusty!;
    const approvals = views.find((v) => v.id === Views.approvals)!;
    for (const v of views) if (v !== approvals) expect(approvals.initialSize!, v.id).toBeGreaterThan(v.initialSize ?? 1);
    const itemMenus = (contributes.menus['view/item/context'] as { command: string; when: string }[]).filter((m) => m.command.startsWith('rusty.mcp.'));
    expect(itemMenus.length).toBeGreaterThan(0);
    for (const m of itemMenus) expect(m.when).toMatch(/^view == rusty\.mcpServers && viewItem /);
    const palette = contributes.menus.commandPalette as { command: string; when?: string }[];
    for (const id of Object.values(McpCommands)) expect(palette.find((m) => m.command === id)?.when, id).toBeTruthy();
  });
});
