import '@vscode/codicons/dist/codicon.css';
import '../common/common.css';
import './approvals.css';
import { mountApp } from '../common/mountApp';
import { isApprovalsSnapshot } from '../common/snapshotGuards';
import type { ApprovalsProtocol } from '../protocol';
import { ApprovalsApp } from './ApprovalsApp';

mountApp<ApprovalsProtocol>(<ApprovalsApp />, isApprovalsSnapshot);
