/** A codicon glyph (font bundled locally from @vscode/codicons). Decorative: names go on the control. */
export function Icon({ name, className = '' }: { name: string; className?: string }) {
  return <span className={`codicon codicon-${name} ${className}`.trim()} aria-hidden="true" />;
}
