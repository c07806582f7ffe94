// Loads a bundle built next to dist/extension.js on first use. A plain require of a computed path:
// esbuild leaves it alone, so what the bundle holds (ts-morph, the MCP SDK) stays out of the
// activation bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../../core/util/errors';

/** `label` and `missing` fill the sentence "Rusty's <label> bundle is missing (…), so <missing>." */
export function lazyBundle<T>(fileName: string, label: string, missing: string): () => T {
  let cached: T | undefined;
  return () => {
    if (cached) return cached;
    const file = path.join(__dirname, fileName);
    if (!fs.existsSync(file)) {
      throw new RustyError('io', `Rusty's ${label} bundle is missing (${file}), so ${missing}. Reinstall the extension, or rebuild it with "npm run build".`);
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cached = require(file) as T;
    return cached;
  };
}
