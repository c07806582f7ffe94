// Words of tool names and descriptions: `read_text_file`, `get-sum`, `getTinyImage`,
// `github.createIssue` all become lower-case words, so a query for "tiny image" or "create issue"
// finds them.

/** Splits on anything not a letter or digit, and at camelCase / letter-digit boundaries. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const chunk of text.split(/[^\p{L}\p{N}]+/u)) {
    if (!chunk) continue;
    // "getHTTPResponse2x" → get, HTTP, Response, 2, x
    for (const w of chunk.split(/(?<=\p{Ll})(?=\p{Lu})|(?<=\p{Lu})(?=\p{Lu}\p{Ll})|(?<=\p{L})(?=\p{N})|(?<=\p{N})(?=\p{L})/u)) {
      if (w) words.push(w.toLowerCase());
    }
  }
  return words;
}

/** Words too common in tool descriptions to rank anything. */
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'can', 'for', 'from', 'has', 'in', 'into', 'is', 'it', 'its',
  'of', 'on', 'or', 'that', 'the', 'this', 'to', 'with', 'will', 'use', 'used', 'using',
]);

export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  return STOP_WORDS.has(t) ? null : t;
}

/** Name without separators or case, so `read-file`, `readFile` and `read_file` compare equal. */
export function normalizeName(name: string): string {
  return splitWords(name).join('');
}
