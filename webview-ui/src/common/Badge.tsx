import type { ReactNode } from 'react';
import VscodeBadge from '@vscode-elements/react-elements/dist/components/VscodeBadge.js';
import type { StatusTone } from './statusActions';

/** vscode-elements badge; the tone class re-points its colour variables (see common.css). */
export function Badge({ tone = 'neutral', title, children }: { tone?: StatusTone; title?: string; children: ReactNode }) {
  return (
    <VscodeBadge className={`r-badge r-badge--${tone}`} title={title}>
      {children}
    </VscodeBadge>
  );
}
