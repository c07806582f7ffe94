export { createHostClient, DEFAULT_REQUEST_TIMEOUT_MS, HostRequestError, LONG_REQUEST_TIMEOUT_MS } from './hostClient';
export type { HostClient, RequestMethod, RequestOptions, RequestParams, RequestResult, SnapshotOf, SnapshotProtocol } from './hostClient';
export type { HostTransport } from './transport';
export { vscodeTransport } from './vscodeTransport';
export { HostProvider, useHost, useSnapshot } from './HostContext';
export { usePersistentState } from './usePersistentState';
export { useHostRequest, type RequestOutcome } from './useHostRequest';
