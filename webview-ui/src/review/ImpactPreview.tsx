import { useState, type ReactNode } from 'react';
import type { ProposalDetailView } from '../protocol';
import { Button } from '../common/Button';
import { plural } from '../common/format';

type Impact = NonNullable<ProposalDetailView['impact']>;
type TypeIssue = NonNullable<Impact['typeCheck']>['introduced'][number];
/** The computed facts (notes and error describe the analysis itself; publicApiChanges details publicApi; checkNow is an offer). */
type ImpactField = Exclude<keyof Impact, 'notes' | 'error' | 'publicApiChanges' | 'checkNow'>;

const FIELD_LABELS: Record<ImpactField, string> = {
  symbols: 'changed symbols',
  references: 'references',
  dependents: 'dependent files',
  tests: 'affected tests',
  publicApi: 'public API',
  typeCheck: 'type check',
};

const LIST_PREVIEW = 8;

/**
 * Risk and impact exactly as the analysis reported them. Anything not computed is named as such,
 * never filled in with a guess.
 */
export function ImpactPreview({ proposal, onOpenFile, onCheckNow, checking = false }: { proposal: ProposalDetailView; onOpenFile: (path: string, line?: number) => void; onCheckNow?: () => void; checking?: boolean }) {
  const { impact, risk } = proposal;
  const missing = impact && !impact.error ? (Object.keys(FIELD_LABELS) as ImpactField[]).filter((k) => impact[k] === undefined) : [];
  return (
    <section className="impact" aria-labelledby="impact-heading">
      <h2 id="impact-heading">Impact</h2>
      {risk ? (
        <div className={`impact__risk impact__risk--${risk.level}`}>
          <strong>
            Risk: {risk.level} ({risk.score}/100)
          </strong>
          {risk.reasons.length > 0 && (
            <ul>
              {risk.reasons.map((reason, i) => (
                <li key={i}>{reason}</li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p className="r-muted">Risk not computed for this proposal.</p>
      )}
      {!impact ? (
        <p className="r-muted">Impact analysis not available for this proposal.</p>
      ) : impact.error !== undefined ? (
        <p className="impact__bad" role="status">
          <strong>Impact analysis failed:</strong> {impact.error}
        </p>
      ) : (
        <dl className="impact__facts">
          {impact.symbols && (
            <Fact label="Changed symbols">
              <ExpandableList items={impact.symbols} noun="symbol" render={(s) => <code>{s}</code>} />
            </Fact>
          )}
          {impact.references !== undefined && <Fact label="References">{plural(impact.references, 'reference')} to the changed code</Fact>}
          {impact.dependents && (
            <Fact label="Dependent files">
              <ExpandableList items={impact.dependents} noun="file" render={(p) => <FileLink path={p} onOpenFile={onOpenFile} />} />
            </Fact>
          )}
          {impact.tests && (
            <Fact label="Affected tests">
              <ExpandableList items={impact.tests} noun="test" render={(t) => <code>{t}</code>} />
            </Fact>
          )}
          {impact.publicApi && (
            <Fact label="Public API">
              {impact.publicApi.length === 0 ? (
                'No public API changes.'
              ) : impact.publicApiChanges ? (
                <ExpandableList items={impact.publicApiChanges} noun="export" render={(c) => <ApiChange change={c} />} />
              ) : (
                <ExpandableList items={impact.publicApi} noun="export" render={(s) => <code>{s}</code>} />
              )}
            </Fact>
          )}
          {impact.typeCheck && (
            <Fact label="Type check">
              <TypeCheckResult introduced={impact.typeCheck.introduced} removed={impact.typeCheck.removed} onOpenFile={onOpenFile} />
            </Fact>
          )}
        </dl>
      )}
      {impact?.notes && impact.notes.length > 0 && (
        <ul className="impact__notes r-muted" aria-label="Analysis notes">
          {impact.notes.map((note, i) => (
            <li key={i}>{note}</li>
          ))}
        </ul>
      )}
      {impact?.checkNow && onCheckNow && (
        <p className="impact__check-now">
          The type check was narrowed or skipped for size.{' '}
          <Button onClick={onCheckNow} disabled={checking}>
            {checking ? 'Type-checking in full…' : 'Check now'}
          </Button>
        </p>
      )}
      {missing.length > 0 && <p className="r-muted">Not computed yet: {missing.map((k) => FIELD_LABELS[k]).join(', ')}.</p>}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function FileLink({ path, line, onOpenFile }: { path: string; line?: number; onOpenFile: (path: string, line?: number) => void }) {
  const where = line === undefined ? path : `${path}:${line}`;
  return (
    <button type="button" className="r-link r-mono" onClick={() => onOpenFile(path, line)} aria-label={`Open ${where}`}>
      {where}
    </button>
  );
}

type ApiChangeView = NonNullable<NonNullable<ProposalDetailView['impact']>['publicApiChanges']>[number];

/** "changed util (namespace) — lost member x": the type text only when asked for. */
function ApiChange({ change: c }: { change: ApiChangeView }) {
  const types = c.before || c.after;
  return (
    <>
      {c.change} <code>{c.name}</code>
      {c.kind && <span className="r-muted"> ({c.kind})</span>}
      {c.summary && <> — {c.summary}</>}
      <span className="r-muted"> in {c.entry}</span>
      {types && (
        <details className="impact__types">
          <summary>Type text</summary>
          {c.before && (
            <div>
              <span className="r-muted">before: </span>
              <code>{c.before}</code>
            </div>
          )}
          {c.after && (
            <div>
              <span className="r-muted">after: </span>
              <code>{c.after}</code>
            </div>
          )}
        </details>
      )}
    </>
  );
}

function ExpandableList<T>({ items, noun, render }: { items: readonly T[]; noun: string; render: (item: T) => ReactNode }) {
  const [all, setAll] = useState(false);
  if (items.length === 0) return <span className="r-muted">none</span>;
  const shown = all ? items : items.slice(0, LIST_PREVIEW);
  return (
    <>
      <ul className="impact__list">
        {shown.map((item, i) => (
          <li key={i}>{render(item)}</li>
        ))}
      </ul>
      {items.length > LIST_PREVIEW && (
        <Button variant="icon" onClick={() => setAll(!all)} aria-expanded={all}>
          {all ? 'Show fewer' : `Show all ${plural(items.length, noun)}`}
        </Button>
      )}
    </>
  );
}

function TypeCheckResult({ introduced, removed, onOpenFile }: { introduced: TypeIssue[]; removed: TypeIssue[]; onOpenFile: (path: string, line?: number) => void }) {
  const renderIssue = (issue: TypeIssue) => (
    <>
      <FileLink path={issue.file} line={issue.line} onOpenFile={onOpenFile} /> <span className="r-mono">TS{issue.code}</span> {issue.message}
    </>
  );
  return (
    <>
      {introduced.length === 0 ? (
        <p className="impact__ok">No new type errors.</p>
      ) : (
        <div className="impact__bad">
          <strong>{plural(introduced.length, 'new type error')}</strong>
          <ExpandableList items={introduced} noun="error" render={renderIssue} />
        </div>
      )}
      {removed.length > 0 && (
        <div>
          <span>{plural(removed.length, 'type error')} fixed</span>
          <ExpandableList items={removed} noun="error" render={renderIssue} />
        </div>
      )}
    </>
  );
}
