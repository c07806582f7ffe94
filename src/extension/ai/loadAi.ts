// Loads dist/ai.js (the AI runtime, agent loop and model SDKs) on first use.
import type * as AiEngineModule from './aiEngine';
import { lazyBundle } from '../workspace/lazyBundle';

export type AiEngine = typeof AiEngineModule;

export const loadAi = lazyBundle<AiEngine>('ai.js', 'AI', 'Rusty cannot ask a model');
