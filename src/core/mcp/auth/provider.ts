// Rusty's OAuthClientProvider for one remote server, on the SDK's client auth (discovery, PKCE,
// DCR, resource indicators, refresh, step-up): a pre-registered client from the server entry, else
// a Client ID Metadata Document URL when the server supports it, else dynamic registration; a
// loopback redirect with `state` checked; tokens kept only after a completed exchange.
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider, OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { McpError, type McpOAuthConfig } from '../types';
import { LoopbackRedirect } from './loopback';
import type { OAuthRecord, OAuthStore } from './store';

/**
 * When the browser may be opened: `always` (an explicit sign-in), `if-signed-in` (step-up and
 * re-authorization for a server the user signed in to before), `never`.
 */
export type SignInMode = 'always' | 'if-signed-in' | 'never';

export interface SignInUi {
  /** Shows the URL (always) and opens it in the browser. */
  open(server: string, url: string): Promise<void>;
  /** How to sign in from this front end, for "needs sign-in" errors. */
  hint(server: string): string;
}

export interface OAuthProviderOptions {
  server: string;
  url: string;
  oauth?: McpOAuthConfig;
  store: OAuthStore;
  ui: SignInUi;
  mode: () => SignInMode;
  /** How long to wait for the browser's answer [5 min]. */
  timeoutMs?: number;
  clientName?: string;
}

export class RustyOAuthProvider implements OAuthClientProvider {
  private readonly loopback = new LoopbackRedirect();
  private record: OAuthRecord;
  private signedInBefore = false;
  private verifier: string | undefined;
  private expectedState: string | undefined;
  private pending: Promise<string> | undefined;
  private discovery: OAuthDiscoveryState | undefined;
  /** Authorization rounds for the current request; the retry limit for step-up. */
  rounds = 0;

  constructor(private readonly opts: OAuthProviderOptions) {
    this.record = { url: opts.url };
  }

  /** Loads the stored sign-in and binds the loopback listener (before connecting). */
  async prepare(): Promise<void> {
    this.record = (await this.opts.store.load(this.opts.server, this.opts.url)) ?? { url: this.opts.url };
    this.signedInBefore = this.record.tokens !== undefined;
    const port = this.record.redirectUri ? Number(new URL(this.record.redirectUri).port) || undefined : undefined;
    await this.loopback.open(port);
  }

  close(): void {
    this.loopback.close();
  }

  get redirectUrl(): string {
    return this.loopback.url;
  }

  get clientMetadataUrl(): string | undefined {
    return this.opts.oauth?.clientMetadataUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    const secret = this.opts.oauth?.clientSecret !== undefined;
    return {
      client_name: this.opts.clientName ?? 'Rusty',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: secret ? 'client_secret_basic' : 'none',
      ...(this.opts.oauth?.scopes?.length ? { scope: this.opts.oauth.scopes.join(' ') } : {}),
    };
  }

  state(): string {
    this.expectedState = randomBytes(24).toString('base64url');
    return this.expectedState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    const o = this.opts.oauth;
    if (o?.clientId) return { client_id: o.clientId, ...(o.clientSecret !== undefined ? { client_secret: o.clientSecret } : {}) };
    const client = this.record.client;
    if (!client) return undefined;
    // A dynamically registered client is bound to its redirect URI; on another port, register again.
    if (this.record.redirectUri && this.record.redirectUri !== this.redirectUrl && !client.client_id.startsWith('https://')) return undefined;
    return client;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    // Kept in memory until tokens arrive: an abandoned sign-in stores nothing.
    this.record = { ...this.record, client: info, redirectUri: this.redirectUrl };
  }

  tokens(): OAuthTokens | undefined {
    return this.record.tokens;
  }

  async saveTokens(tokens: OAuthTokens): Promise<void> {
    this.record = { ...this.record, tokens, savedAt: new Date().toISOString() };
    if (!this.opts.oauth?.clientId && this.record.client && !this.record.redirectUri) this.record.redirectUri = this.redirectUrl;
    this.signedInBefore = true;
    await this.opts.store.save(this.opts.server, this.record);
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new McpError('auth', `Server "${this.opts.server}": no sign-in is in progress.`, this.opts.server);
    return this.verifier;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.discovery = state;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.discovery;
  }

  async invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): Promise<void> {
    if (scope === 'verifier') {
      this.verifier = undefined;
      return;
    }
    if (scope === 'discovery' || scope === 'all') this.discovery = undefined;
    if (scope === 'discovery') return;
    const { client: _client, redirectUri: _redirect, tokens: _tokens, ...rest } = this.record;
    if (scope === 'all') this.record = rest;
    else if (scope === 'client') this.record = { ...rest, ...(this.record.tokens ? { tokens: this.record.tokens } : {}) };
    else this.record = { ...rest, ...(this.record.client ? { client: this.record.client } : {}), ...(this.record.redirectUri ? { redirectUri: this.record.redirectUri } : {}) };
    if (this.record.tokens) await this.opts.store.save(this.opts.server, this.record);
    else await this.opts.store.remove(this.opts.server, this.opts.url);
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const { server, ui } = this.opts;
    const mode = this.opts.mode();
    if (mode === 'never' || (mode === 'if-signed-in' && !this.signedInBefore)) {
      throw new McpError('auth', `Server "${server}" needs sign-in: ${ui.hint(server)}`, server, undefined, 'escalate', { notSent: true });
    }
    const state = this.expectedState ?? authorizationUrl.searchParams.get('state') ?? '';
    const waiting = this.loopback.wait(state, this.opts.timeoutMs ?? 5 * 60_000);
    this.pending = waiting.then(
      (r) => {
        if ('code' in r) return r.code;
        const why = r.error === 'access_denied' ? 'access was denied or the sign-in was cancelled' : r.error;
        throw new McpError('auth', `Sign-in to "${server}" did not complete: ${why}${r.description ? ` (${r.description})` : ''}. Nothing was stored.`, server);
      },
      (e: Error) => {
        throw new McpError('auth', `Sign-in to "${server}" did not complete: ${e.message}. Nothing was stored.`, server);
      },
    );
    this.pending.catch(() => undefined);
    await ui.open(server, authorizationUrl.href);
  }

  /** Whether a browser sign-in was started and its answer is awaited. */
  hasPendingSignIn(): boolean {
    return this.pending !== undefined;
  }

  /** The authorization code from the browser (once). */
  async takeCode(): Promise<string> {
    const pending = this.pending;
    this.pending = undefined;
    if (!pending) throw new McpError('auth', `Server "${this.opts.server}": no sign-in is in progress.`, this.opts.server);
    return pending;
  }
}
