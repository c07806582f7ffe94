// Local protocol-level servers for the vendor SDKs (tests and benches only; nothing ships that imports this).
export { ProtocolServer, sseFrame, SSE_HEADERS, JSON_HEADERS, type RecordedRequest, type Reply, type Responder } from './protocolServer';
export { anthropicError, anthropicEvents, anthropicStream, anthropicStreamError, type AnthropicScriptedTurn } from '../providers/anthropic/testServer';
export { openAiChunks, openAiError, openAiModels, openAiStream, type OpenAiScriptedTurn } from '../providers/openai/testServer';
export { geminiChunks, geminiError, geminiFrame, geminiStream, type GeminiScriptedTurn } from '../providers/gemini/testServer';
