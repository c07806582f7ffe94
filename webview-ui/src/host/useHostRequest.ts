import { useCallback, useRef, useState } from 'react';
import { useHost } from './HostContext';
import { HostRequestError, type RequestMethod, type RequestOptions, type RequestParams, type RequestResult, type SnapshotProtocol } from './hostClient';

export type RequestOutcome<R> = { ok: true; result: R } | { ok: false; error: HostRequestError };

/**
 * Sends requests on behalf of a view: remembers which one is running (to show busy state and
 * disable buttons) and the last error (to show a banner). Never throws; callers get the outcome.
 */
export function useHostRequest<P extends SnapshotProtocol>() {
  const client = useHost<P>();
  const [running, setRunning] = useState<RequestMethod<P> | undefined>();
  const [error, setError] = useState<HostRequestError | undefined>();
  const latestCall = useRef(0);

  const send = useCallback(
    async <M extends RequestMethod<P>>(method: M, params: RequestParams<P, M>, options?: RequestOptions): Promise<RequestOutcome<RequestResult<P, M>>> => {
      const call = ++latestCall.current;
      setRunning(method);
      setError(undefined);
      try {
        const result = await client.request(method, params, options);
        return { ok: true, result };
      } catch (err) {
        const failure = err instanceof HostRequestError ? err : new HostRequestError('unknown', String((err as Error)?.message ?? err), method);
        if (call === latestCall.current) setError(failure);
        return { ok: false, error: failure };
      } finally {
        if (call === latestCall.current) setRunning(undefined);
      }
    },
    [client],
  );

  const clearError = useCallback(() => setError(undefined), []);
  return { send, running, error, clearError };
}
