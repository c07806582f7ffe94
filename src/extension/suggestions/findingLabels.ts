// Short labels for the Findings view: the sidebar is narrow, so the label and description lead
// with what tells items apart and the tooltip keeps the full text. Pure (unit-tested in Node).
import type { FunctionEntry } from '../../core/analysis/types';

const baseName = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** A hot spot's label: its name, or for an unnamed function where it is (the analysis could not name it). */
export function hotSpotLabel(fn: Pick<FunctionEntry, 'name' | 'file' | 'line'>): string {
  return fn.name === '<anonymous>' ? `function at ${baseName(fn.file)}:${fn.line}` : fn.name;
}

/** `complexity 12 · 40 lines · util.ts:123`: the numbers first, the file by its base name (the tooltip has the path). */
export function hotSpotDescription(fn: Pick<FunctionEntry, 'complexity' | 'lines' | 'file' | 'line'>, edited: boolean): string {
  return `complexity ${fn.complexity} · ${fn.lines} lines · ${baseName(fn.file)}:${fn.line}${edited ? ' (edited)' : ''}`;
}

export function hotSpotTooltip(fn: Pick<FunctionEntry, 'name' | 'complexity' | 'lines' | 'file' | 'line'>): string {
  const name = fn.name === '<anonymous>' ? 'An unnamed function' : fn.name;
  return `${name} in ${fn.file}:${fn.line}: cyclomatic complexity ${fn.complexity}, ${fn.lines} lines.`;
}
