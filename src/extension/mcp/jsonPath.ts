// Where a config problem's JSON path is in its file, so clicking the problem selects the entry.
// Paths are written as the config readers write them: `servers.github.args[0]`,
// `mcpServers["my.server"].command`. Pure (jsonc-parser), unit-tested in Node.
import { findNodeAtLocation, parseTree, type Node as JsonNode } from 'jsonc-parser';

/** `servers.github.args[0]` → ['servers', 'github', 'args', 0]; undefined when it is not such a path. */
export function parseJsonPath(jsonPath: string): (string | number)[] | undefined {
  const out: (string | number)[] = [];
  let i = 0;
  while (i < jsonPath.length) {
    const ch = jsonPath[i];
    if (ch === '.') {
      if (i === 0 || i === jsonPath.length - 1) return undefined;
      i++;
      continue;
    }
    if (ch === '[') {
      const close = jsonPath[i + 1] === '"' ? closingOfString(jsonPath, i + 1) : jsonPath.indexOf(']', i);
      if (close < 0) return undefined;
      const inner = jsonPath.slice(i + 1, jsonPath[i + 1] === '"' ? close + 1 : close);
      if (/^\d+$/.test(inner)) out.push(Number(inner));
      else {
        try {
          const key: unknown = JSON.parse(inner);
          if (typeof key !== 'string') return undefined;
          out.push(key);
        } catch {
          return undefined;
        }
      }
      i = (jsonPath[i + 1] === '"' ? close + 1 : close) + 1;
      continue;
    }
    const m = /^[^.[\]]+/.exec(jsonPath.slice(i));
    if (!m) return undefined;
    out.push(m[0]);
    i += m[0].length;
  }
  return out;
}

/** Index of the quote closing the JSON string that starts at `start`, or -1. */
function closingOfString(text: string, start: number): number {
  for (let j = start + 1; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '"') return text[j + 1] === ']' ? j : -1;
  }
  return -1;
}

/** The entry at `jsonPath`, or its closest parent that exists (the entry may be what is missing). */
export function locateJsonPath(text: string, jsonPath: string): { offset: number; length: number } | undefined {
  const root = parseTree(text, [], { allowTrailingComma: true });
  const segments = parseJsonPath(jsonPath);
  if (!root || !segments) return undefined;
  for (let n = segments.length; n > 0; n--) {
    const node: JsonNode | undefined = findNodeAtLocation(root, segments.slice(0, n));
    if (node) {
      // A property's value: select its key too, so the cursor lands on the name.
      const target = node.parent?.type === 'property' ? node.parent : node;
      return { offset: target.offset, length: target.length };
    }
  }
  return undefined;
}
