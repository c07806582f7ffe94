// Loads dist/engines.js (ts-morph and the engines) on first use.
import type * as EnginesModule from '../engines';
import { lazyBundle } from './lazyBundle';

export type Engines = typeof EnginesModule;

export const loadEngines = lazyBundle<Engines>('engines.js', 'engines', 'nothing can be proposed');
