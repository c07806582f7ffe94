// Tool index and progressive discovery (`searchTools` with name | summary | full detail).
export { ToolIndex, firstSentence, DEFAULT_SEARCH_LIMIT, type ToolSearchOptions } from './toolIndex';
export { toolCategory, type ToolCategory } from './category';
export { splitWords, normalizeName } from './tokenize';
