// OAuth authorization for remote MCP servers (on the SDK's client auth): provider, loopback
// redirect, browser opener and the sign-in store.
export { RustyOAuthProvider, type SignInMode, type SignInUi, type OAuthProviderOptions } from './provider';
export { OAuthStore, FileSecrets, type OAuthRecord } from './store';
export { LoopbackRedirect } from './loopback';
export { browserCommand, openBrowser } from './browser';
