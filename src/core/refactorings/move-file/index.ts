// Move file: registered as `proposeMoveFile` (the Refactor contract in ../api.ts); `moveFile`
// also reports every updated reference and which ones TypeScript's getEditsForFileRename left out.
import type { MoveFileParams, Refactor } from '../api';
import { moveFile } from './moveFile';

export { moveFile, MOVE_FILE_SOURCE, type MoveFileResult, type UpdatedReference } from './moveFile';

export const proposeMoveFile: Refactor<MoveFileParams> = async (ctx, params) => (await moveFile(ctx, params)).changeSet;
