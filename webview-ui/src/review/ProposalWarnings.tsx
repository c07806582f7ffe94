import type { ProposalWarningView } from '../protocol';
import { Icon } from '../common/Icon';
import { VisibleText } from '../common/VisibleText';

const HEADINGS: Record<ProposalWarningView['kind'], string> = {
  bidi: 'Bidirectional control characters',
  invisible: 'Invisible characters',
  control: 'Control characters',
  'diff-simplified': 'Diff simplified',
};

/** What the diff may hide: hidden characters (marked in the diff too) and simplified diffs. */
export function ProposalWarnings({ warnings }: { warnings: readonly ProposalWarningView[] | undefined }) {
  if (!warnings?.length) return null;
  const hidden = warnings.some((w) => w.kind !== 'diff-simplified');
  return (
    <section className="r-banner r-banner--warning review-warnings" aria-labelledby="warnings-heading">
      <Icon name="warning" />
      <div className="r-banner__text">
        <h2 id="warnings-heading">{hidden ? 'This proposal contains characters that can hide what the code does' : 'Warnings'}</h2>
        <ul className="review-warnings__list">
          {warnings.map((w, i) => (
            <li key={i} className={`review-warnings__item review-warnings__item--${w.kind}`}>
              <strong>{HEADINGS[w.kind]}:</strong> <VisibleText text={w.message} />
            </li>
          ))}
        </ul>
        {hidden && <p className="r-muted">They are shown as marked code points (e.g. U+202E) in the diff below.</p>}
      </div>
    </section>
  );
}
