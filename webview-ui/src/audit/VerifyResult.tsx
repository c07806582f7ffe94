import type { AuditSnapshot } from '../protocol';
import { Icon } from '../common/Icon';
import { plural } from '../common/format';

type Verification = NonNullable<AuditSnapshot['verify']>;

/** The hash-chain check: a quiet confirmation, or the first bad line, loud. */
export function VerifyResult({ result }: { result: Verification }) {
  if (result.ok) {
    return (
      <div role="status" className="r-banner r-banner--success audit-verify">
        <Icon name="pass-filled" />
        <span className="r-banner__text">Audit log verified: {plural(result.entries, 'entry', 'entries')}, hash chain intact.</span>
      </div>
    );
  }
  return (
    <div role="alert" className="r-banner r-banner--error audit-verify audit-verify--failed">
      <Icon name="error" />
      <div className="r-banner__text">
        <strong className="audit-verify__headline">Audit log verification failed at line {result.line}</strong>
        <p className="audit-verify__message">{result.message}</p>
        <p className="r-muted">
          Problem: <code>{result.problem}</code>. {plural(result.entries, 'entry', 'entries')} before it verified. The log has been edited, truncated or damaged
          since it was written; keep a copy before changing anything.
        </p>
      </div>
    </div>
  );
}
