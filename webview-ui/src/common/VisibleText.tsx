import { splitHidden } from '../protocol';

const KIND_NAMES = { bidi: 'bidirectional control character', invisible: 'invisible character', control: 'control character' } as const;

/**
 * Untrusted text with every bidirectional, invisible or control character shown as a marked
 * `U+202E` chip instead of acting on the text around it ("Trojan Source"). Tabs stay, and
 * newlines too when `multiline`.
 */
export function VisibleText({ text, multiline = false }: { text: string; multiline?: boolean }) {
  const pieces = splitHidden(text).map((p) => (multiline && typeof p !== 'string' && p.ch === '\n' ? '\n' : p));
  if (pieces.length === 1 && typeof pieces[0] === 'string') return <>{text}</>;
  return (
    <>
      {pieces.map((p, i) =>
        typeof p === 'string' ? (
          p
        ) : (
          <mark key={i} className={`r-hidden-char r-hidden-char--${p.kind}`} title={`${p.label}: ${KIND_NAMES[p.kind]}`}>
            {p.label}
          </mark>
        ),
      )}
    </>
  );
}
