// Where the "Generate tests" CodeLenses go: exported function and class declarations found by a
// line scan of the document text (no TypeScript at lens time, so nothing heavy loads for a lens).
// `symbol` is the export name generateTests() takes ('default' for a default export).

export interface TestLensTarget {
  /** 0-based line of the declaration. */
  line: number;
  /** What generateTests() is asked for: the export name, or 'default'. */
  symbol: string;
  /** What the lens says (the declared name). */
  name: string;
  kind: 'function' | 'class';
}

const ID = '[A-Za-z_$][\\w$]*';
const FUNCTION = new RegExp(`^export\\s+(default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*(${ID})?\\s*[<(]`);
const CLASS = new RegExp(`^export\\s+(default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?class(?:\\s+(${ID}))?[\\s{<]`);
const ARROW = new RegExp(`^export\\s+(?:const|let|var)\\s+(${ID})\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function\\b|\\([^)]*\\)\\s*(?::[^=]+)?=>|\\(|${ID}\\s*=>)`);

/** Files the command and the lenses accept. */
export const TEST_SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;

/** Test files get no lens (tests of tests are not wanted). */
const TEST_FILE = /\.(?:test|spec)\.(?:[cm]?[jt]s|[jt]sx)$/;

export function isTestGenSource(rel: string): boolean {
  return TEST_SOURCE.test(rel) && !TEST_FILE.test(rel) && !/\.d\.[cm]?ts$/.test(rel) && !rel.split('/').includes('node_modules');
}

export function testLensTargets(text: string): TestLensTarget[] {
  const out: TestLensTarget[] = [];
  let inComment = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (inComment) {
      if (line.includes('*/')) inComment = false;
      continue;
    }
    if (/^\s*\/\*/.test(line) && !line.includes('*/')) {
      inComment = true;
      continue;
    }
    if (!line.startsWith('export')) continue;
    let m = FUNCTION.exec(line);
    if (m && (m[1] || m[2])) {
      out.push({ line: i, symbol: m[1] ? 'default' : m[2]!, name: m[2] ?? 'default', kind: 'function' });
      continue;
    }
    m = CLASS.exec(`${line} `);
    if (m && (m[1] || m[2])) {
      out.push({ line: i, symbol: m[1] ? 'default' : m[2]!, name: m[2] ?? 'default', kind: 'class' });
      continue;
    }
    m = ARROW.exec(line);
    if (m) out.push({ line: i, symbol: m[1]!, name: m[1]!, kind: 'function' });
  }
  return out;
}

/**
 * The export the command acts on from the editor: a selected or cursor word that names an export,
 * else the export declared on the cursor's line; undefined means the whole file.
 */
export function symbolAt(targets: readonly TestLensTarget[], word: string | undefined, line: number): string | undefined {
  if (word) {
    const named = targets.find((t) => t.name === word || t.symbol === word);
    if (named) return named.symbol;
  }
  return targets.find((t) => t.line === line)?.symbol;
}
