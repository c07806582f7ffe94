import type { PullRequestView } from '../protocol';
import { Badge } from './Badge';
import type { StatusTone } from './statusActions';
import { VisibleText } from './VisibleText';

const CI_TONE: Record<NonNullable<PullRequestView['ci']>['state'], StatusTone> = { success: 'success', failure: 'error', pending: 'info', none: 'neutral' };
const CI_LABEL: Record<NonNullable<PullRequestView['ci']>['state'], string> = { success: 'CI passed', failure: 'CI failed', pending: 'CI running', none: 'No CI' };

/** Only web links are made clickable (a status's target URL comes from whoever set it). */
function webUrl(url: string | undefined): string | undefined {
  return url && /^https:\/\//i.test(url) ? url : undefined;
}

/** The pull request of an applied proposal and its CI (check runs and commit statuses), with links. */
export function PullRequestStatus({ pr, detailed = false }: { pr: PullRequestView; detailed?: boolean }) {
  const ci = pr.ci;
  const link = webUrl(pr.url);
  return (
    <div className="r-pull-request">
      <span>
        {link ? <a href={link}>Pull request #{pr.number}</a> : <>Pull request #{pr.number}</>}
        {pr.draft ? ' (draft)' : ''}{' '}
        <span className="r-muted">
          <VisibleText text={`${pr.base} ← ${pr.branch}`} />
        </span>
      </span>
      {ci && (
        <Badge tone={CI_TONE[ci.state]} title={`${ci.total} checks: ${ci.failed} failed, ${ci.pending} running`}>
          {CI_LABEL[ci.state]}
          {ci.total ? ` (${ci.total - ci.pending - ci.failed}/${ci.total})` : ''}
        </Badge>
      )}
      {detailed && ci && ci.checks.length > 0 && (
        <ul className="r-pull-request__checks" aria-label="Checks">
          {ci.checks.map((c, i) => {
            const href = webUrl(c.url);
            const name = <VisibleText text={c.name} />;
            return (
              <li key={i}>
                <span className="r-mono">{c.conclusion ?? c.status}</span> {href ? <a href={href}>{name}</a> : name}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
