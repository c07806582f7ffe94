import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createHostClient, HostProvider, vscodeTransport, type SnapshotOf, type SnapshotProtocol } from '../host';

/**
 * Starts a webview app: connects to VS Code, renders into #root (created if the host's HTML has
 * none), then sends `ready` so the host starts posting snapshots.
 */
export function mountApp<P extends SnapshotProtocol>(app: ReactElement, isSnapshot: (value: unknown) => value is SnapshotOf<P>, options: { editorBackground?: boolean } = {}): void {
  const client = createHostClient<P>(vscodeTransport(), { isSnapshot });
  if (options.editorBackground) document.body.classList.add('r-editor');
  let container = document.getElementById('root');
  if (!container) {
    container = document.createElement('div');
    container.id = 'root';
    document.body.appendChild(container);
  }
  createRoot(container).render(
    <StrictMode>
      <HostProvider client={client}>{app}</HostProvider>
    </StrictMode>,
  );
  client.ready();
}
