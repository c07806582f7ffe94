// Guess a file's own formatting so the import lines TypeScript prints look like the rest of it:
// indentation (tabs or N spaces) and spaces inside import braces (`{ a }` vs `{a}`).
// Quotes and semicolons are detected by TypeScript itself.

export interface DetectedStyle {
  convertTabsToSpaces: boolean;
  indentSize: number;
  spacesInBraces: boolean;
}

export function detectStyle(text: string): DetectedStyle {
  const lines = text.split('\n');
  let tabLines = 0;
  let spaceLines = 0;
  const deltas = new Map<number, number>();
  let previous = 0;
  let inBlockComment = false;
  for (const line of lines) {
    if (inBlockComment) {
      if (line.includes('*/')) inBlockComment = false;
      continue;
    }
    if (/^\s*\/\*/.test(line) && !line.includes('*/')) inBlockComment = true;
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (indent.startsWith('\t')) tabLines++;
    else if (indent.length > 0) spaceLines++;
    if (!indent.includes('\t')) {
      const delta = indent.length - previous;
      if (delta >= 2 && delta <= 8) deltas.set(delta, (deltas.get(delta) ?? 0) + 1);
      previous = indent.length;
    }
  }
  let indentSize = 4;
  let best = 0;
  for (const [size, count] of deltas) {
    if (count > best || (count === best && size < indentSize)) {
      best = count;
      indentSize = size;
    }
  }

  let spaced = 0;
  let tight = 0;
  const braces = /^\s*(?:import|export)\b[^\n{;]*\{([^\n]?)/gm;
  for (let m = braces.exec(text); m; m = braces.exec(text)) {
    const next = m[1] ?? '';
    if (next === ' ') spaced++;
    else if (next !== '' && next !== '}') tight++;
  }

  return {
    convertTabsToSpaces: !(tabLines > spaceLines),
    indentSize,
    spacesInBraces: !(tight > spaced),
  };
}
