import type { HostToWebview } from '../protocol';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the envelope of anything posted to the webview. Returns undefined for messages that are
 * not ours or are malformed, so a bad message is dropped instead of crashing the view.
 */
export function parseHostMessage(data: unknown): HostToWebview | undefined {
  if (!isRecord(data)) return undefined;
  if (data.kind === 'notification') {
    return typeof data.method === 'string' ? (data as unknown as HostToWebview) : undefined;
  }
  if (data.kind !== 'response' || !Number.isSafeInteger(data.id)) return undefined;
  if (data.ok === true) return data as unknown as HostToWebview;
  if (data.ok !== false || !isRecord(data.error)) return undefined;
  const { code, message } = data.error;
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  return data as unknown as HostToWebview;
}
