// Where the analysis keeps its disk cache in a state folder, in a module of its own so the
// extension's activation bundle can look for it without bundling the analysis.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ANALYSIS_CACHE_FILE = 'analysis-cache.json';

/** Whether an analysis saved its results in `dir` (one ran there before: a reload can restore it cheaply). */
export function analysisCacheExists(dir: string): boolean {
  return fs.existsSync(path.join(dir, ANALYSIS_CACHE_FILE));
}
