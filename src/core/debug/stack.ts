// Stack traces as text, in the formats of V8 (Node, Chrome, Edge, Deno, Bun: `at fn (file:1:2)`;
// vitest's `❯ fn file:1:2`)
// and of SpiderMonkey and JavaScriptCore (Firefox, Safari: `fn@file:1:2`), with the error line
// above them. Lines that are not frames (test runner output, YAML, log lines) are skipped.

export interface StackFrame {
  /** Function as printed (`Object.<anonymous>`, `async main`, `new Foo`); undefined for anonymous code. */
  fn?: string;
  /** Location as printed: a path, a file: URL, an http(s) URL, `node:internal/…`, `<anonymous>`. */
  location: string;
  line?: number;
  column?: number;
  format: 'v8' | 'gecko-webkit';
  /** The raw line (untrusted; escape before printing). */
  raw: string;
}

export interface ParsedTrace {
  /** `TypeError`, `AssertionError`, …; undefined when the text has no error line. */
  errorName?: string;
  message?: string;
  frames: StackFrame[];
}

const V8_PAREN = /^\s*at (?:(async) )?(.*?) \((.*)\)\s*$/;
const V8_BARE = /^\s*at (?:(async) )?(\S.*?)\s*$/;
const GECKO = /^\s*([^@\s][^@]*?)?@(.+?)\s*$/;
// vitest's condensed V8 frames: `❯ greet src/user.js:7:29`, `❯ test/user.test.js:5:55` (paths relative to its root).
const VITEST = /^\s*❯ (?:(\S.*?) )?(\S+:\d+:\d+)\s*$/;
const LOC = /^(.*?):(\d+)(?::(\d+))?$/;
// Prefixes: browsers' consoles, Deno (`error: Uncaught`), jsc (`Exception: `), gjs (`… JS ERROR: `).
const ERROR_LINE = /^\s*(?:Uncaught (?:\(in promise\) )?|Unhandled Rejection:? |error: Uncaught (?:\(in promise\) )?|Exception: |.*\bJS ERROR: )?((?:[A-Z][A-Za-z]*)?(?:Error|Exception)|Error \[[A-Z_]+\])(?::\s*(.*))?$/;

function splitLocation(loc: string): { location: string; line?: number; column?: number } {
  const m = LOC.exec(loc);
  return m ? { location: m[1]!, line: Number(m[2]), ...(m[3] ? { column: Number(m[3]) } : {}) } : { location: loc };
}

export function parseFrameLine(raw: string): StackFrame | undefined {
  let m = V8_PAREN.exec(raw);
  if (m) {
    const fn = `${m[1] ? 'async ' : ''}${m[2]!}`.trim();
    return { ...(fn ? { fn } : {}), ...splitLocation(m[3]!.replace(/^eval at .*?, /, '')), format: 'v8', raw };
  }
  m = V8_BARE.exec(raw);
  if (m) return { ...(m[1] ? { fn: 'async' } : {}), ...splitLocation(m[2]!), format: 'v8', raw };
  m = VITEST.exec(raw);
  if (m) return { ...(m[1] ? { fn: m[1] } : {}), ...splitLocation(m[2]!), format: 'v8', raw };
  m = GECKO.exec(raw);
  if (m && (/:\d+(:\d+)?$/.test(m[2]!) || /^(https?|file|webpack|moz-extension|chrome-extension):/.test(m[2]!))) {
    const fn = m[1]?.trim();
    return { ...(fn ? { fn } : {}), ...splitLocation(m[2]!), format: 'gecko-webkit', raw };
  }
  return undefined;
}

export function parseStack(text: string): ParsedTrace {
  const trace: ParsedTrace = { frames: [] };
  // node:test's TAP output: `error: '…'`, `name: 'TypeError'`, and `stack: |-` with frames lacking "at ".
  let yamlStackIndent = -1;
  for (const line of text.split(/\r?\n/)) {
    const indent = /^\s*/.exec(line)![0].length;
    if (yamlStackIndent >= 0) {
      if (line.trim() && indent > yamlStackIndent) {
        const frame = parseFrameLine(`at ${line.trim()}`);
        if (frame) { trace.frames.push({ ...frame, raw: line }); continue; }
      }
      yamlStackIndent = -1;
    }
    if (/^\s*stack:\s*\|-?\s*$/.test(line)) { yamlStackIndent = indent; continue; }
    const frame = parseFrameLine(line);
    if (frame) { trace.frames.push(frame); continue; }
    if (trace.frames.length) continue;
    const yaml = /^\s*(error|name):\s*(['"])(.*)\2\s*$/.exec(line);
    if (yaml) {
      if (yaml[1] === 'name' && trace.errorName === undefined) trace.errorName = yaml[3]!;
      else if (yaml[1] === 'error' && trace.message === undefined) trace.message = yaml[3]!;
      continue;
    }
    if (trace.errorName === undefined) {
      const e = ERROR_LINE.exec(line.replace(/^\s*[>|]?\s*/, ''));
      if (e) { trace.errorName = e[1]!; if (e[2]) trace.message = e[2]; }
    }
  }
  return trace;
}
