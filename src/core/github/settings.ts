// GitHub settings shared by the CLI, the extension and the action (`rusty.github.*`; no tokens).
export interface GitHubSettings {
  /** GitHub Enterprise Server URL, e.g. https://github.example.com. */
  enterpriseUrl?: string;
  /** Labels added to every pull request Rusty opens. */
  labels: string[];
  /** Git remote to use (default origin, else the first GitHub remote). */
  remote?: string;
}

/** From `rusty.github.*` values (VS Code settings or .vscode/settings.json) and RUSTY_GITHUB_* variables. */
export function readGitHubSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): GitHubSettings & { apiUrl?: string } {
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
  const labels = Array.isArray(values['rusty.github.labels']) ? (values['rusty.github.labels'] as unknown[]).filter((l): l is string => typeof l === 'string' && !!l.trim()).map((l) => l.trim()) : [];
  const enterpriseUrl = str(env.RUSTY_GITHUB_ENTERPRISE_URL) ?? str(values['rusty.github.enterpriseUrl']);
  const remote = str(values['rusty.github.remote']);
  const apiUrl = str(env.RUSTY_GITHUB_API_URL);
  return { labels, ...(enterpriseUrl ? { enterpriseUrl } : {}), ...(remote ? { remote } : {}), ...(apiUrl ? { apiUrl } : {}) };
}
