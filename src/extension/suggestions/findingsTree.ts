// The "Findings" view in Rusty's sidebar: the last analysis of each folder as a tree — hot spots,
// unused exports, diagnostics by code, unused files, import cycles — where a click opens the place
// and the inline actions propose the fix (Extract function…, Remove, Fix all). Rebuilt from the
// findings whenever they change; the summary line is the view's message.
import * as vscode from 'vscode';
import type { DiagnosticEntry, FunctionEntry, UnusedExportEntry } from '../../core/analysis/types';
import type { AnalysisController, FolderAnalysis } from './analysisController';
import { describeSummary, type DiagnosticGroup } from './findings';
import { hotSpotDescription, hotSpotLabel, hotSpotTooltip } from './findingLabels';

type Group = 'hotSpots' | 'unusedExports' | 'diagnostics' | 'unusedFiles' | 'cycles';

/** Tree elements. `commandArgs` is what an inline action passes to its "Propose: …" command. */
export type FindingNode =
  | { type: 'folder'; state: FolderAnalysis }
  | { type: 'group'; state: FolderAnalysis; group: Group }
  | { type: 'hotSpot'; state: FolderAnalysis; fn: FunctionEntry; commandArgs: { uri: string; hotSpot: { line: number; lines: number; name: string } } }
  | { type: 'unusedExport'; state: FolderAnalysis; entry: UnusedExportEntry; commandArgs: { uri: string; name: string } }
  | { type: 'code'; state: FolderAnalysis; group: DiagnosticGroup; commandArgs: { uri: string; code: number; scope: 'workspace' } }
  | { type: 'diagnostic'; state: FolderAnalysis; entry: DiagnosticEntry }
  | { type: 'file'; state: FolderAnalysis; rel: string }
  | { type: 'cycle'; state: FolderAnalysis; files: string[] };

const GROUPS: { group: Group; label: string; icon: string }[] = [
  { group: 'hotSpots', label: 'Complexity hot spots', icon: 'flame' },
  { group: 'unusedExports', label: 'Unused exports', icon: 'export' },
  { group: 'diagnostics', label: 'Diagnostics', icon: 'warning' },
  { group: 'unusedFiles', label: 'Unused files', icon: 'file' },
  { group: 'cycles', label: 'Import cycles', icon: 'sync' },
];

function groupSize(state: FolderAnalysis, group: Group): number {
  const f = state.findings;
  return group === 'diagnostics' ? f.diagnostics.reduce((n, g) => n + g.entries.length, 0) : f[group].length;
}

function openAt(state: FolderAnalysis, rel: string, line?: number | null, column?: number | null): vscode.Command {
  const pos = new vscode.Position(Math.max(0, (line ?? 1) - 1), Math.max(0, (column ?? 1) - 1));
  return { title: 'Open', command: 'vscode.open', arguments: [state.ws.uri(rel), { selection: new vscode.Range(pos, pos), preview: true }] };
}

export class FindingsTreeProvider implements vscode.TreeDataProvider<FindingNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<FindingNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<FindingNode> | undefined;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly analysis: AnalysisController) {
    this.subscriptions = [this.changed, analysis.onDidChange(() => this.refresh())];
  }

  attach(view: vscode.TreeView<FindingNode>): void {
    this.view = view;
    this.refresh();
  }

  private refresh(): void {
    const states = this.analysis.all();
    if (this.view) {
      const stale = states.reduce((n, s) => n + s.stale.size, 0);
      const messages = states.map((s) => `${states.length > 1 ? `${s.ws.name}: ` : ''}${describeSummary(s.summary())}`);
      if (stale) messages.push(`${stale} edited file${stale === 1 ? '' : 's'} being re-analysed.`);
      this.view.message = messages.join('\n') || undefined;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: FindingNode): FindingNode[] {
    if (!node) {
      const states = this.analysis.all();
      if (states.length === 1) return this.getChildren({ type: 'folder', state: states[0]! });
      return states.map((state) => ({ type: 'folder', state }));
    }
    const { state } = node;
    const uri = state.ws.folder.uri.toString();
    switch (node.type) {
      case 'folder':
        return GROUPS.filter((g) => groupSize(state, g.group) > 0).map((g) => ({ type: 'group', state, group: g.group }));
      case 'group':
        switch (node.group) {
          case 'hotSpots':
            return state.findings.hotSpots.map((fn) => ({ type: 'hotSpot', state, fn, commandArgs: { uri: state.ws.uri(fn.file).toString(), hotSpot: { line: fn.line, lines: fn.lines, name: fn.name } } }));
          case 'unusedExports':
            return state.findings.unusedExports.map((entry) => ({ type: 'unusedExport', state, entry, commandArgs: { uri: state.ws.uri(entry.file).toString(), name: entry.name } }));
          case 'diagnostics':
            return state.findings.diagnostics.map((group) => ({ type: 'code', state, group, commandArgs: { uri, code: group.code, scope: 'workspace' } }));
          case 'unusedFiles':
            return state.findings.unusedFiles.map((rel) => ({ type: 'file', state, rel }));
          case 'cycles':
            return state.findings.cycles.map((files) => ({ type: 'cycle', state, files }));
        }
        return [];
      case 'code':
        return node.group.entries.map((entry) => ({ type: 'diagnostic', state, entry }));
      case 'cycle':
        return node.files.map((rel) => ({ type: 'file', state, rel }));
      default:
        return [];
    }
  }

  getTreeItem(node: FindingNode): vscode.TreeItem {
    const { state } = node;
    switch (node.type) {
      case 'folder': {
        const item = new vscode.TreeItem(state.ws.name, vscode.TreeItemCollapsibleState.Expanded);
        item.description = describeSummary(state.summary());
        item.iconPath = new vscode.ThemeIcon('root-folder');
        return item;
      }
      case 'group': {
        const g = GROUPS.find((x) => x.group === node.group)!;
        const item = new vscode.TreeItem(g.label, node.group === 'hotSpots' || node.group === 'unusedExports' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        const compiler = node.group === 'diagnostics' ? state.summary().compiler : undefined;
        item.description = `${groupSize(state, node.group)}${compiler ? ` · ${compiler}` : ''}`;
        if (compiler) item.tooltip = `Diagnostics from ${compiler}`;
        item.iconPath = new vscode.ThemeIcon(g.icon);
        item.id = `${state.ws.folder.uri.toString()}#${node.group}`;
        return item;
      }
      case 'hotSpot': {
        const { fn } = node;
        const item = new vscode.TreeItem(hotSpotLabel(fn), vscode.TreeItemCollapsibleState.None);
        item.description = hotSpotDescription(fn, state.stale.has(fn.file));
        item.tooltip = hotSpotTooltip(fn);
        item.iconPath = new vscode.ThemeIcon('symbol-function');
        item.contextValue = 'rusty.finding.hotSpot';
        item.resourceUri = state.ws.uri(fn.file);
        item.command = openAt(state, fn.file, fn.line);
        return item;
      }
      case 'unusedExport': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
        item.description = `${entry.kind} · ${entry.file}:${entry.line}`;
        item.tooltip = `Nothing outside ${entry.file} uses the export \`${entry.name}\`.`;
        item.iconPath = new vscode.ThemeIcon('symbol-interface');
        item.contextValue = 'rusty.finding.unusedExport';
        item.command = openAt(state, entry.file, entry.line);
        return item;
      }
      case 'code': {
        const { group } = node;
        const item = new vscode.TreeItem(`TS${group.code}`, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${group.entries.length} × ${group.entries[0]?.message.split('\n')[0] ?? ''}`;
        // The description is cut at the sidebar's edge; the tooltip repeats the message in full.
        item.tooltip = `${group.entries[0]?.message.split('\n')[0] ?? ''}\n${group.entries.length} diagnostic${group.entries.length === 1 ? '' : 's'} TS${group.code}${FIXES_NOTE[group.fixes]}`;
        item.iconPath = new vscode.ThemeIcon(group.entries.some((d) => d.category === 'error') ? 'error' : 'warning');
        item.contextValue = group.fixable ? 'rusty.finding.fixableCode' : 'rusty.finding.code';
        return item;
      }
      case 'diagnostic': {
        const { entry } = node;
        const item = new vscode.TreeItem(entry.message.split('\n')[0] ?? '', vscode.TreeItemCollapsibleState.None);
        item.description = entry.file ? `${entry.file}:${entry.line ?? 1}` : '(project)';
        item.tooltip = entry.message;
        if (entry.file) item.command = openAt(state, entry.file, entry.line, entry.column);
        return item;
      }
      case 'file': {
        const item = new vscode.TreeItem(state.ws.uri(node.rel), vscode.TreeItemCollapsibleState.None);
        item.description = node.rel;
        item.command = openAt(state, node.rel);
        return item;
      }
      case 'cycle': {
        const item = new vscode.TreeItem(node.files.map((f) => f.split('/').pop()).join(' → '), vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${node.files.length} files`;
        item.iconPath = new vscode.ThemeIcon('sync');
        return item;
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** What the tooltip of a code says about fixing it, from what the analysis found TypeScript can do. */
const FIXES_NOTE: Record<DiagnosticGroup['fixes'], string> = {
  all: ' — TypeScript can fix these: "Fix all" proposes its fix-all for the whole workspace.',
  each: ' — TypeScript has a quick fix for these but no fix-all: "Fix all" proposes the quick fix of each, as one proposal.',
  none: ' — TypeScript has no fix that edits code for these.',
  unknown: '',
};
