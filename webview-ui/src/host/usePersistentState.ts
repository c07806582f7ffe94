import { useEffect, useState, type Dispatch, type SetStateAction } from 'react';
import { useHost } from './HostContext';
import type { HostClient, SnapshotProtocol } from './hostClient';

function readAll(client: HostClient<SnapshotProtocol>): Record<string, unknown> {
  const state = client.getState();
  return typeof state === 'object' && state !== null && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
}

/**
 * useState kept in the webview state (vscode.setState), so it survives the view being hidden and
 * shown. Each key is one slot of the state object; `isValid` guards against state written by an
 * older version of the view.
 */
export function usePersistentState<T>(key: string, initial: T | (() => T), isValid: (value: unknown) => value is T): [T, Dispatch<SetStateAction<T>>] {
  const client = useHost();
  const [value, setValue] = useState<T>(() => {
    const stored = readAll(client)[key];
    if (isValid(stored)) return stored;
    return typeof initial === 'function' ? (initial as () => T)() : initial;
  });
  useEffect(() => {
    client.setState({ ...readAll(client), [key]: value });
  }, [client, key, value]);
  return [value, setValue];
}
