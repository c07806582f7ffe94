// The only module that touches `acquireVsCodeApi`. Everything else talks to a HostClient.
import type { HostTransport } from './transport';

interface VsCodeWebviewApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeWebviewApi;

// VS Code allows acquireVsCodeApi() once per webview; a second call throws.
let api: VsCodeWebviewApi | undefined;

export function vscodeTransport(target: Window = window): HostTransport {
  const vscode = (api ??= acquireVsCodeApi());
  return {
    postMessage: (message) => vscode.postMessage(message),
    getState: () => vscode.getState(),
    setState: (state) => vscode.setState(state),
    onMessage(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      target.addEventListener('message', handler);
      return () => target.removeEventListener('message', handler);
    },
  };
}
