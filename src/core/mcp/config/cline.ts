// Cline's `cline_mcp_settings.json` in VS Code's globalStorage (`saoudrizwan.claude-dev/settings/`).
// Its entries add `disabled`, `timeout` (seconds), `type`/`transportType` and `autoApprove`; the
// last is ignored on purpose — Rusty's permission gate decides what runs without asking.
import { clineSettingsCandidates } from './locations';
import { emptyResult, readJsonFile, type ReaderContext, type SourceResult } from './files';
import { readVsCodeExtensionDocument } from './roo';

export async function readCline(ctx: ReaderContext): Promise<SourceResult> {
  // The first VS Code flavour that has the file wins; reading all would report every server twice.
  for (const file of clineSettingsCandidates(ctx)) {
    const source = { kind: 'cline' as const, file };
    const read = await readJsonFile(file, source);
    if (read.kind === 'missing') continue;
    if (read.kind === 'error') return { ...emptyResult(), errors: [read.error] };
    return readVsCodeExtensionDocument(read.value, source);
  }
  return emptyResult();
}
