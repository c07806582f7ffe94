export { OpenAiProvider, OPENAI_BASE_URL, OLLAMA_BASE_URL, OPENAI_DEFAULT_MODELS, isLocalBaseUrl } from './openaiProvider';
