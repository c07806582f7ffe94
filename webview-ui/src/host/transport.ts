import type { WebviewToHost } from '../protocol';

/**
 * What the client needs from its surroundings. In a webview this is VS Code's API plus the window's
 * message events (vscodeTransport); tests hand in a fake host instead (DESIGN convention 5).
 */
export interface HostTransport {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
  /** Calls `listener` with every message posted to the webview; returns the unsubscribe function. */
  onMessage(listener: (data: unknown) => void): () => void;
}
