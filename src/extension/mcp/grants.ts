// "Rusty: MCP Grants": the grants answered "Allow…" made (once / session / N minutes), each with a
// Revoke button that asks for confirmation. The service revokes on the call path too, so a revoked
// grant allows nothing more.
import * as vscode from 'vscode';
import type { McpGrant } from '../../core/mcp/types';
import { grantDetail, grantLabel, grantScopeText } from './grantsText';
import type { McpHost } from './mcpHost';

const REVOKE: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: 'Revoke this grant' };

type GrantItem = vscode.QuickPickItem & { grant: McpGrant };

/** Shows the grants; resolves with the grants left when the pick closes. */
export async function showGrants(host: McpHost, log: vscode.LogOutputChannel): Promise<McpGrant[]> {
  const service = await host.service();
  if (service.grants().length === 0) {
    void vscode.window.showInformationMessage('No MCP grants. A grant is made when you answer "Allow once / for this session / for N minutes" to a tool call; "Always Allow" writes a rule to .rusty/policy.json instead.');
    return [];
  }
  const pick = vscode.window.createQuickPick<GrantItem>();
  pick.title = 'Rusty: MCP Grants';
  pick.placeholder = 'Tool calls you allowed without a policy rule. Use the trash button to revoke one.';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  // The revoke confirmation is a modal: keep the list open behind it.
  pick.ignoreFocusOut = true;
  const fill = () => {
    const now = new Date();
    pick.items = service.grants().map((grant) => ({
      label: grantLabel(grant),
      description: grantScopeText(grant, now),
      detail: grantDetail(grant),
      buttons: [REVOKE],
      grant,
    }));
    if (pick.items.length === 0) pick.placeholder = 'No grants left. Press Escape to close.';
  };
  fill();
  const revoke = async (grant: McpGrant) => {
    pick.busy = true;
    try {
      const ok = await vscode.window.showWarningMessage(
        `Revoke the grant for ${grantLabel(grant)}?`,
        { modal: true, detail: `Scope: ${grantScopeText(grant, new Date())}. The next call of this tool asks again (or follows the policy).` },
        'Revoke',
      );
      if (ok !== 'Revoke') return;
      const found = await service.revokeGrant(grant.id);
      log.info(`MCP: grant ${grant.id} (${grantLabel(grant)}) ${found ? 'revoked' : 'was already gone'}`);
      fill();
    } catch (err) {
      void vscode.window.showErrorMessage(`Could not revoke the grant: ${(err as Error).message}`);
    } finally {
      pick.busy = false;
    }
  };
  return new Promise<McpGrant[]>((resolve) => {
    pick.onDidTriggerItemButton((e) => void revoke(e.item.grant));
    // Enter on a grant offers to revoke it too (keyboard users).
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0];
      if (item) void revoke(item.grant);
    });
    pick.onDidHide(() => {
      pick.dispose();
      resolve(service.grants());
    });
    pick.show();
  });
}
