import { createContext, useContext, useSyncExternalStore, type ReactNode } from 'react';
import type { HostClient, SnapshotOf, SnapshotProtocol } from './hostClient';

// The context holds whichever protocol's client the app was started with; each app reads it
// back with its own protocol type through useHost<P>().
const HostContext = createContext<HostClient<SnapshotProtocol> | undefined>(undefined);

export function HostProvider<P extends SnapshotProtocol>({ client, children }: { client: HostClient<P>; children: ReactNode }) {
  return <HostContext.Provider value={client as unknown as HostClient<SnapshotProtocol>}>{children}</HostContext.Provider>;
}

export function useHost<P extends SnapshotProtocol>(): HostClient<P> {
  const client = useContext(HostContext);
  if (!client) throw new Error('useHost() needs a <HostProvider> above it.');
  return client as unknown as HostClient<P>;
}

/** The latest snapshot from the host, re-rendering on every new one; undefined until the first. */
export function useSnapshot<P extends SnapshotProtocol>(): SnapshotOf<P> | undefined {
  const client = useHost<P>();
  return useSyncExternalStore(
    (onChange) => client.onSnapshot(onChange),
    () => client.snapshot,
  );
}
