// The router, its task classifier and the routed model session (see route.ts for the formula).
export { classifyTask, classifyTaskDetailed, type Classification, type TaskContext, type TaskScope } from './classify';
export { route, MIN_RATE, MIN_SAMPLES, WEIGHTS, type Excluded, type RankedModel, type RouteInput, type RouteOverride, type RoutePlan } from './route';
export { createModelSession, type ProviderLookup, type RoutedSession, type SessionBudgets, type SessionEvent, type SessionOptions } from './session';
export { capabilitiesOf, catalogFromProviders, costUsd, providerResolver, type ConfiguredLike, maxOutputFor, DEFAULT_MAX_OUTPUT_TOKENS, type CatalogEntry, type ModelCapabilities, type ModelPrice, type ProviderCatalog } from './catalog';
export { readAiSettings, type AiSettings } from './settings';
export { countRequestTokens, countTokens, loadTokenizer } from './tokens';
