// Loads dist/engines.js (built next to dist/extension.js) on first use. A plain require of a
// computed path: esbuild leaves it alone, so ts-morph stays out of the activation bundle.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RustyError } from '../../core/util/errors';
import type * as EnginesModule from '../engines';

export type Engines = typeof EnginesModule;

let cached: Engines | undefined;

export function enginesBundlePath(): string {
  return path.join(__dirname, 'engines.js');
}

export function loadEngines(): Engines {
  if (cached) return cached;
  const file = enginesBundlePath();
  if (!fs.existsSync(file)) {
    throw new RustyError('io', `Rusty's engines bundle is missing (${file}), so nothing can be proposed. Reinstall the extension, or rebuild it with "npm run build".`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cached = require(file) as Engines;
  return cached;
}
