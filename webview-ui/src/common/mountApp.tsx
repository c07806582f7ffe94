import { StrictMode, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { createHostClient, HostProvider, vscodeTransport, type SnapshotOf, type SnapshotProtocol } from '../host';
import { INITIAL_SNAPSHOT_ID } from '../protocol';

/** The first snapshot, when the host wrote it into the HTML (src/extension/webviews/html.ts). */
function initialSnapshot(): unknown {
  const text = document.getElementById(INITIAL_SNAPSHOT_ID)?.textContent;
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    console.warn('Rusty: ignored an unreadable snapshot in the page.');
    return undefined;
  }
}

/**
 * Starts a webview app: connects to VS Code, renders into #root (created if the host's HTML has
 * none) — with the snapshot in the HTML if there is one, so the first paint needs no round trip —
 * then sends `ready` so the host starts posting snapshots.
 */
export function mountApp<P extends SnapshotProtocol>(app: ReactElement, isSnapshot: (value: unknown) => value is SnapshotOf<P>, options: { editorBackground?: boolean } = {}): void {
  const initial = initialSnapshot();
  const client = createHostClient<P>(vscodeTransport(), { isSnapshot, ...(initial !== undefined ? { initialSnapshot: initial } : {}) });
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
