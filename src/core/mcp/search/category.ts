// A coarse category per tool, for grouping in search results and the tree view.
//
// Rule: the tool name's verb decides — the first word of the name found in the verb table below
// (`delete_entities` → delete, `repo_search` → search, `directory_tree` → no verb). With no verb
// in the name, the annotations decide: readOnlyHint → read; destructiveHint → write (a tool that
// destroys but does not say "delete" most often overwrites). Otherwise: other.
// Categories: read | search | write | delete | execute | other.
import type { McpToolAnnotations } from '../types';
import { splitWords } from './tokenize';

export type ToolCategory = 'read' | 'search' | 'write' | 'delete' | 'execute' | 'other';

const VERBS: Record<Exclude<ToolCategory, 'other'>, readonly string[]> = {
  delete: ['delete', 'remove', 'rm', 'del', 'drop', 'destroy', 'purge', 'erase', 'unlink', 'truncate', 'wipe', 'clear', 'revoke', 'archive'],
  search: ['search', 'find', 'query', 'lookup', 'grep', 'locate', 'match', 'filter', 'browse', 'discover'],
  read: ['get', 'read', 'list', 'fetch', 'show', 'view', 'describe', 'load', 'open', 'download', 'cat', 'head', 'tail', 'inspect', 'info', 'stat', 'status', 'count', 'print', 'retrieve', 'lookup', 'check', 'diff', 'export', 'preview', 'summarize'],
  write: ['write', 'create', 'update', 'set', 'put', 'add', 'edit', 'modify', 'insert', 'save', 'upload', 'patch', 'append', 'rename', 'move', 'copy', 'mkdir', 'upsert', 'replace', 'post', 'send', 'commit', 'push', 'merge', 'import', 'assign', 'close', 'comment', 'reply', 'toggle', 'enable', 'disable', 'register', 'publish', 'tag', 'label', 'mark', 'fork', 'apply'],
  execute: ['run', 'exec', 'execute', 'invoke', 'call', 'start', 'stop', 'restart', 'trigger', 'launch', 'eval', 'evaluate', 'build', 'deploy', 'test', 'simulate', 'spawn', 'kill', 'schedule', 'dispatch', 'compile', 'install', 'navigate', 'click', 'type', 'screenshot'],
};

const VERB_CATEGORY = new Map<string, ToolCategory>();
// Earlier tables win a clash (search's "lookup" over read's).
for (const [category, verbs] of Object.entries(VERBS) as [ToolCategory, readonly string[]][]) {
  for (const v of verbs) if (!VERB_CATEGORY.has(v)) VERB_CATEGORY.set(v, category);
}

export function toolCategory(name: string, annotations?: McpToolAnnotations): ToolCategory {
  for (const word of splitWords(name)) {
    const c = VERB_CATEGORY.get(word);
    if (c) return c;
  }
  if (annotations?.readOnlyHint === true) return 'read';
  if (annotations?.destructiveHint === true) return 'write';
  return 'other';
}
