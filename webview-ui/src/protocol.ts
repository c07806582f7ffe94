// The one door from the webview to the shared contract (src/shared). Webview code imports
// protocol types from here, never from src/core or src/extension (a lint rule enforces it).
export type {
  ErrorResponseMessage, HostToWebview, NotificationMessage, Protocol, ReadyMessage, RequestMessage,
  ResponseMessage, WebviewToHost,
} from '../../src/shared/messages';
export { INITIAL_SNAPSHOT_ID } from '../../src/shared/messages';
export type {
  AiRecordView, AlternativeView, AskEventView, AskingView, FileView, HunkView, PriorityView, ProgressStep, ProgressView, ProposalCardView, ProposalDetailView,
  ProposalStatusView, ProposalWarningView, PullRequestView, TestRunView, TestRunSideView, FilledCaseView,
} from '../../src/shared/proposalView';
export { splitHidden, visiblePlain, type TextPiece } from '../../src/shared/hiddenChars';
export type { ApprovalsProtocol, ApprovalsSnapshot, DeadLetterView } from '../../src/shared/approvalsProtocol';
export type { ApproveParams, AskingSnapshot, ReviewPanelSnapshot, ReviewProtocol, ReviewSnapshot } from '../../src/shared/reviewProtocol';
export type { AuditEntryView, AuditProtocol, AuditSnapshot } from '../../src/shared/auditProtocol';
