export { GeminiProvider, GEMINI_BASE_URL, GEMINI_DEFAULT_MODELS } from './geminiProvider';
