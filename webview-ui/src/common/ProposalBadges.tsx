import type { PriorityView, ProposalCardView, ProposalStatusView } from '../protocol';
import { Badge } from './Badge';
import { priorityLabel, statusLabel } from './format';
import { statusTone } from './statusActions';

export function StatusBadge({ status, reason }: { status: ProposalStatusView; reason?: string }) {
  return (
    <Badge tone={statusTone(status)} title={reason}>
      {statusLabel(status)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: PriorityView }) {
  const tone = priority === 'urgent' ? 'error' : priority === 'high' ? 'warning' : 'neutral';
  return <Badge tone={tone}>{`${priorityLabel(priority)} priority`}</Badge>;
}

/** Shown only when the impact analysis computed a risk; never guessed. */
export function RiskBadge({ risk }: { risk: NonNullable<ProposalCardView['risk']> }) {
  const tone = risk.level === 'high' ? 'error' : risk.level === 'medium' ? 'warning' : 'success';
  return (
    <Badge tone={tone} title={risk.reasons.join('\n')}>
      {`Risk ${risk.level} (${risk.score})`}
    </Badge>
  );
}
