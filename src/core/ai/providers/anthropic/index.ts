export { AnthropicProvider, ANTHROPIC_BASE_URL, ANTHROPIC_DEFAULT_MODELS } from './anthropicProvider';
