import '@vscode/codicons/dist/codicon.css';
import '../common/common.css';
import './audit.css';
import { mountApp } from '../common/mountApp';
import { isAuditSnapshot } from '../common/snapshotGuards';
import type { AuditProtocol } from '../protocol';
import { AuditApp } from './AuditApp';

mountApp<AuditProtocol>(<AuditApp />, isAuditSnapshot, { editorBackground: true });
