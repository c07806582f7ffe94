import '@vscode/codicons/dist/codicon.css';
import '../common/common.css';
import './review.css';
import { mountApp } from '../common/mountApp';
import { isReviewSnapshot } from '../common/snapshotGuards';
import type { ReviewProtocol } from '../protocol';
import { ReviewApp } from './ReviewApp';

mountApp<ReviewProtocol>(<ReviewApp />, isReviewSnapshot, { editorBackground: true });
