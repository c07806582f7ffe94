// Syntax highlighting for the review panel's diff: Shiki's core with the JavaScript regex engine
// (no WASM, no eval: the webview's CSP allows neither) and only the grammars reviews need most.
// Built into its own script (dist/webview/highlight.js) that the review panel loads after its
// first paint, so none of this is in review.js.
import { createHighlighterCoreSync, type GrammarState, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import typescript from 'shiki/langs/typescript.mjs';
import tsx from 'shiki/langs/tsx.mjs';
import json from 'shiki/langs/json.mjs';
import css from 'shiki/langs/css.mjs';
import { tokenClass, VSCODE_TOKEN_THEME } from './theme';
import type { HighlightChunk, RustyHighlighter, Token } from './types';

// JavaScript (with or without JSX) is read with the TSX grammar: the JavaScript grammars are the
// same grammar generated for another scope name, and leaving them out saves about 370 kB.
const LANGUAGES: Record<string, string> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'tsx', mjs: 'tsx', cjs: 'tsx', jsx: 'tsx',
  json: 'json', jsonc: 'json',
  css: 'css',
};

/** Lines longer than this are left plain (minified files would stall the tokenizer). */
const MAX_LINE_LENGTH = 2000;
/**
 * Per line. The JavaScript engine compiles a grammar's patterns on first use, which can take
 * seconds on a busy machine, and a line that runs out of time keeps one colour to its end.
 */
const LINE_TIME_LIMIT_MS = 10_000;

export function languageOf(path: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ? LANGUAGES[ext] : undefined;
}

export function createRustyHighlighter(): RustyHighlighter {
  let core: HighlighterCore | undefined;
  const highlighter = () =>
    (core ??= createHighlighterCoreSync({
      themes: [VSCODE_TOKEN_THEME],
      langs: [typescript, tsx, json, css],
      engine: createJavaScriptRegexEngine(),
    }));
  return {
    languageOf,
    tokenize(lines: readonly string[], lang: string, state?: unknown): HighlightChunk {
      const h = highlighter();
      const code = lines.join('\n');
      const tokens = h.codeToTokensBase(code, {
        lang,
        theme: VSCODE_TOKEN_THEME.name!,
        tokenizeMaxLineLength: MAX_LINE_LENGTH,
        tokenizeTimeLimit: LINE_TIME_LIMIT_MS,
        ...(state ? { grammarState: state as GrammarState } : {}),
      });
      const out: Token[][] = lines.map((text, i) => {
        const line = tokens[i] ?? [];
        const merged: Token[] = [];
        for (const t of line) {
          const cls = tokenClass(t.color);
          const last = merged[merged.length - 1];
          if (last && last.cls === cls) last.text += t.content;
          else merged.push({ text: t.content, cls });
        }
        // Never show text other than the line's own: anything else stays plain.
        return merged.map((t) => t.text).join('') === text ? merged : [{ text, cls: '' }];
      });
      return { lines: out, state: tokens.length > 0 ? h.getLastGrammarState(tokens) : state };
    },
  };
}
