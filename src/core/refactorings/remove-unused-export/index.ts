// Remove unused export: registered as `proposeRemoveUnusedExport` (the Refactor contract in
// ../api.ts); `removeUnusedExport` also says whether the declaration itself went and which imports.
import type { Refactor, RemoveUnusedExportParams } from '../api';
import { removeUnusedExport } from './removeUnusedExport';

export { removeUnusedExport, REMOVE_UNUSED_EXPORT_SOURCE, type ExportUser, type RemoveUnusedExportResult } from './removeUnusedExport';

export const proposeRemoveUnusedExport: Refactor<RemoveUnusedExportParams> = async (ctx, params) => (await removeUnusedExport(ctx, params)).changeSet;
