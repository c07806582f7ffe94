// `rusty` — the command line over the same core and state as the extension.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RustyCore } from '../core/rustyCore';
import { readSettingsFile, readWorkspaceSettings } from '../core/state/settings';
import { parseEngineSetting, type EngineSetting } from '../core/tsEngine/select';
import { PROPOSAL_STATUSES, type ProposalStatus } from '../core/proposals/model';
import { isRustyError, RustyError } from '../core/util/errors';
import { invalidUtf8Offset } from '../core/util/text';
import { EXIT_OK, EXIT_USAGE, Output, processIo, type Io } from './output';
import { fileLabel, impactLines, partLines, proposalBlock, summary, unifiedDiff, warningLines } from './format';
import { safeLine } from '../core/util/terminalText';
import { testRunShowLines } from './testRunFormat';
import { reviewWorkspace } from '../core/review';
import { formatReviewAnalysis } from './analyze';
import type { RefactoringName, RefactoringParams } from '../core/refactorings/registry';
import { parseDiagnosticCode, parseFilePosition, parsePosition } from './refactorArgs';
import { registerMcpCommands } from './mcp';
import { registerAiCommands } from './ai';
import { registerRunCommands } from './run';
import { registerAskCommand } from './ask';
import { aiLines } from './aiFormat';
import { quarantineWarning, registerDoctorCommand } from './doctor';
import { registerPrCommand } from './pr';
import { CHAIN_LIMITS } from '../core/audit';
import { registerServeCommand } from './serve';
import { registerGatewayCommands } from './gateway';
import { registerGenTestsCommand } from './genTests';
import { registerDebugCommand } from './debug';

interface GlobalOpts { workspace?: string; json?: boolean; engine?: string }

/** `--engine` of the running command; else the workspace's `rusty.typescript.engine`; else auto. */
let engineFlag: string | undefined;
function engineSetting(dir: string): EngineSetting {
  if (engineFlag !== undefined) return parseEngineSetting(engineFlag, '--engine');
  return parseEngineSetting(readSettingsFile(dir).values['rusty.typescript.engine'], 'rusty.typescript.engine in .vscode/settings.json');
}

/** `npm run rusty -- …` runs in the package folder; relative paths mean the caller's folder. */
const callerCwd = process.env.npm_lifecycle_event === 'rusty' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();

function openCore(workspace: string, out: Output): RustyCore {
  const dir = path.resolve(callerCwd, workspace);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new RustyError('usage', `Workspace folder ${dir} does not exist.`);
  const { settings, warning } = readWorkspaceSettings(dir);
  if (warning) out.notice(`rusty: ${warning}`);
  const core = new RustyCore({
    workspace: dir,
    actor: process.env.RUSTY_ACTOR || 'cli',
    settings,
    onFileWritten: (done, total, file) => out.progress(`Writing ${done}/${total} ${file}`),
    // Impact (references, dependents, type-check delta, risk) loads ts-morph: only when a proposal is made.
    // On the project's TypeScript 7 when it has one (or --engine native), else the bundled TypeScript.
    impactProvider: async (cs, _p, { wfs, ...ctx }) => (await import('../core/tsEngine/impact')).impactOnEngine(cs, { ...ctx, fs: (await import('../core/engine/context')).workspaceReader(wfs, ctx.signal), engine: engineSetting(dir), ...typeCheckLimit(), onPhase: (ph) => out.progress(`Impact: ${ph}`) }),
    onRecovered: (reports) => {
      for (const r of reports) {
        const skipped = r.skipped?.length ? ` Left alone (not safe to write now): ${r.skipped.map((x) => `${JSON.stringify(x.path)} (${safeLine(x.reason)})`).join(', ')}.` : '';
        out.notice(`rusty: recovered an interrupted ${r.kind} of ${safeLine(r.proposalId)}: ${r.outcome === 'completed' ? 'completed it' : 'restored the files to before it'} (${r.files.length} files).${skipped}`);
      }
    },
  });
  return core;
}

/** RUSTY_MAX_TYPECHECK_FILES: the bundled engine's type-check size limit (default 400; tests lower it). */
function typeCheckLimit(): { limits?: { maxTypeCheckFiles: number } } {
  const n = Number(process.env.RUSTY_MAX_TYPECHECK_FILES);
  return Number.isInteger(n) && n > 0 ? { limits: { maxTypeCheckFiles: n } } : {};
}

/** Every command starts by finishing or undoing an interrupted apply (read-only ones included). */
async function openRecovered(workspace: string, out: Output): Promise<RustyCore> {
  const core = openCore(workspace, out);
  await core.recoverIfInterrupted();
  return core;
}

/** Accept paths relative to the current folder or to the workspace; refuse ones outside it. */
function toWorkspacePath(root: string, file: string): string {
  const fromCwd = path.resolve(callerCwd, file);
  const candidate = fs.existsSync(fromCwd) ? fromCwd : path.resolve(root, file);
  const rel = path.relative(root, fs.existsSync(candidate) ? fs.realpathSync(candidate) : candidate);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new RustyError('path-refused', `${file} is outside the workspace ${root}.`);
  return rel.split(path.sep).join('/');
}

function readStdin(): Buffer {
  return fs.readFileSync(0);
}

function readChangeSetInput(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? readStdin() : fs.readFileSync(path.resolve(callerCwd, file));
  } catch (err) {
    throw new RustyError('usage', `Cannot read ${file}: ${(err as Error).message}`);
  }
  // Decoding leniently would turn bad bytes into U+FFFD, i.e. propose text nobody wrote.
  const bad = invalidUtf8Offset(bytes);
  if (bad !== undefined) {
    throw new RustyError('invalid-change-set', `${file === '-' ? 'Standard input' : file} is not valid UTF-8 (first bad byte 0x${bytes[bad]?.toString(16).padStart(2, '0') ?? '??'} at byte offset ${bad}); save the change set as UTF-8.`);
  }
  const raw = bytes.toString('utf8');
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new RustyError('invalid-change-set', `${file === '-' ? 'Standard input' : file} is not valid JSON: ${(err as Error).message}`);
  }
}

function parseStatuses(value: string | undefined): ProposalStatus[] | undefined {
  if (!value) return undefined;
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of list) {
    if (!(PROPOSAL_STATUSES as readonly string[]).includes(s)) throw new RustyError('usage', `Unknown status ${s}; use one of ${PROPOSAL_STATUSES.join(', ')}.`);
  }
  return list as ProposalStatus[];
}

export function buildProgram(io: Io, setExit: (code: number) => void, signal?: AbortSignal): Command {
  const program = new Command('rusty')
    .description('Review every code change before it touches your workspace.')
    .option('-w, --workspace <dir>', 'workspace folder (default: current folder)')
    .option('--json', 'print machine-readable JSON on stdout')
    .option('--engine <engine>', "TypeScript for type checks: auto (the project's TypeScript 7 when it has one), native, bundled")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  // Each action gets the output channel and the workspace; errors become exit codes.
  const action = <A extends unknown[]>(fn: (ctx: { out: Output; workspace: string; cmd: Command }, ...args: A) => Promise<void> | void) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const g = cmd.optsWithGlobals() as GlobalOpts;
      const out = new Output(io, !!g.json);
      engineFlag = g.engine;
      try {
        if (g.engine !== undefined) parseEngineSetting(g.engine, '--engine');
        await fn({ out, workspace: g.workspace ?? callerCwd, cmd }, ...(args.slice(0, -1) as A));
        out.endProgress();
      } catch (err) {
        setExit(out.error(err));
      }
    };

  program.command('review')
    .description('run the embedded engines on a workspace and queue proposals (writes nothing to the workspace)')
    .argument('[dir]', 'workspace folder (default: --workspace or the current folder)')
    .action(action(async ({ out, workspace }, dir: string | undefined) => {
      const core = await openRecovered(dir ?? workspace, out);
      const started = Date.now();
      const run = await reviewWorkspace(core, { signal, onProgress: (d, t, f) => out.progress(`Analyzing ${d}/${t} ${f}`) });
      out.endProgress();
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      out.result({
        workspace: core.wfs.root,
        engines: run.engines,
        filesScanned: run.filesScanned,
        skipped: run.skipped,
        ...(run.analysis ? { analysis: run.analysis } : {}),
        ...(run.suggestions ? { suggestions: run.suggestions } : {}),
        proposals: run.proposals.map(({ proposal, existing }) => ({ ...summary(proposal), existing })),
      }, () => {
        const lines = [`Rusty review of ${core.wfs.root}`, `Engines: ${run.engines.join(', ')} · ${run.filesScanned} files scanned in ${seconds}s${run.skipped.length ? ` · ${run.skipped.length} skipped` : ''}`];
        for (const s of run.skipped.slice(0, 10)) lines.push(`  skipped ${safeLine(s.path)}: ${safeLine(s.reason)}`);
        const analysis = formatReviewAnalysis(run);
        if (analysis) lines.push('', analysis);
        if (!run.proposals.length) lines.push('', 'No changes to propose: nothing needs fixing.');
        else {
          lines.push('', `${run.proposals.length} proposal${run.proposals.length > 1 ? 's' : ''} (nothing has been written):`);
          for (const { proposal, existing } of run.proposals) lines.push(proposalBlock(proposal) + (existing ? '\n    (already queued; not added again)' : ''));
          const id = run.proposals[0]!.proposal.id;
          lines.push('', `Next: rusty show ${id} --diff · rusty approve ${id} · rusty reject ${id} --reason "…"`);
        }
        return lines.join('\n');
      });
    }));

  const propose = program.command('propose').description('run one embedded engine and queue its proposal');
  propose.command('organize-imports')
    .description('remove unused imports and sort the rest (TypeScript language service)')
    .option('--file <paths...>', 'only these files (workspace-relative)')
    .action(action(async ({ out, workspace, cmd }) => {
      const core = await openRecovered(workspace, out);
      const files = (cmd.opts() as { file?: string[] }).file?.map((f) => toWorkspacePath(core.wfs.root, f));
      const run = await reviewWorkspace(core, { only: ['organize-imports'], files, signal, onProgress: (d, t, f) => out.progress(`Analyzing ${d}/${t} ${f}`) });
      out.endProgress();
      for (const s of run.skipped) out.notice(`rusty: skipped ${safeLine(s.path)}: ${safeLine(s.reason)}`);
      out.result({ proposals: run.proposals.map(({ proposal, existing }) => ({ id: proposal.id, title: proposal.title, files: proposal.files.map(fileLabel), existing })) },
        () => run.proposals.length ? run.proposals.map(({ proposal }) => proposalBlock(proposal)).join('\n') : 'No changes to propose: imports are already organized.');
    }));

  program.command('analyze')
    .description('analyze the workspace: diagnostics, complexity hot spots, unused exports and files, import cycles, public API')
    .option('--syntactic', 'fast pass without the type checker: no semantic diagnostics; unused exports and the public API come from names alone (what large workspaces get first)')
    .option('--entry <files...>', 'entry points (files or globs, from here or the workspace) instead of package.json main/exports/bin')
    .action(action(async ({ out, workspace, cmd }) => {
      const core = await openRecovered(workspace, out);
      const o = cmd.opts() as { syntactic?: boolean; entry?: string[] };
      const { runAnalyze } = await import('./analyze');
      const r = await runAnalyze(core, {
        json: out.json, signal, mode: o.syntactic ? 'syntactic' : 'auto', engine: engineSetting(core.wfs.root),
        // Files from the caller's folder like every other path argument; globs stay workspace-relative.
        ...(o.entry ? { entries: o.entry.map((e) => (/[*?[{]/.test(e) ? e : toWorkspacePath(core.wfs.root, e))) } : {}),
        onProgress: (d, t, f, phase) => out.progress(`Analyzing: ${phase === 'checking' ? 'type-checking' : 'reading'} ${d}/${t} files ${f}`),
      });
      out.endProgress();
      out.result(r.json, () => r.text);
    }));

  const refactor = program.command('refactor').description('run one refactoring and queue its proposal (nothing is written until you approve)');
  // Shared by every refactoring: load the project (with progress), run, queue, print the ids.
  const runRefactor = async <N extends RefactoringName>(out: Output, workspace: string, name: N, params: (root: string) => RefactoringParams[N]) => {
    const core = await openRecovered(workspace, out);
    const { proposeRefactoring } = await import('../core/refactorings/registry');
    const { proposal, existing } = await proposeRefactoring(core, name, params(core.wfs.root), {
      signal, onProgress: (d, t, f) => out.progress(`Loading project ${d}/${t} ${f}`),
    });
    out.endProgress();
    out.result({ proposals: [{ id: proposal.id, title: proposal.title, files: proposal.files.map(fileLabel), existing }] },
      () => `${existing ? 'Already queued' : 'Queued'} ${proposalBlock(proposal)}\nNext: rusty show ${proposal.id} --diff · rusty approve ${proposal.id}`);
  };
  refactor.command('rename')
    .description('rename the symbol at FILE:LINE:COL (1-based) everywhere it is used')
    .argument('<position>', 'FILE:LINE:COL').argument('<newName>')
    .option('--comments', 'also rename in comments').option('--strings', 'also rename in strings')
    .action(action(async ({ out, workspace, cmd }, position: string, newName: string) => {
      const { file, at } = parseFilePosition(position);
      const o = cmd.opts() as { comments?: boolean; strings?: boolean };
      await runRefactor(out, workspace, 'rename', (root) => ({ file: toWorkspacePath(root, file), at, newName, inComments: !!o.comments, inStrings: !!o.strings }));
    }));
  refactor.command('extract-function')
    .description('extract the range START..END (LINE:COL, 1-based) of FILE into a new function NAME')
    .argument('<file>').argument('<start>', 'LINE:COL').argument('<end>', 'LINE:COL').argument('<name>')
    .option('--scope <scope>', "'module' (default) or the enclosing scope's index, 0 = innermost")
    .action(action(async ({ out, workspace, cmd }, file: string, start: string, end: string, name: string) => {
      const raw = (cmd.opts() as { scope?: string }).scope;
      const scope = raw === undefined || raw === 'module' ? 'module' : Number(raw);
      if (scope !== 'module' && (!Number.isInteger(scope) || scope < 0)) throw new RustyError('usage', `--scope must be 'module' or a whole number ≥ 0, got ${raw}.`);
      await runRefactor(out, workspace, 'extract-function', (root) => ({ file: toWorkspacePath(root, file), start: parsePosition(start), end: parsePosition(end), name, scope })).catch((err: unknown) => {
        // The engine lists the scopes it offers; how to pick one is the CLI's to say.
        const details = isRustyError(err) ? (err.details as { extractScopes?: unknown[] } | undefined) : undefined;
        if (isRustyError(err) && details?.extractScopes?.length) throw new RustyError(err.code, `${err.message} Pass one with --scope N.`, err.details);
        throw err;
      });
    }));
  refactor.command('move')
    .description('move a file and update every import of it (paths aliases, barrels, dynamic imports)')
    .argument('<from>').argument('<to>')
    .action(action(async ({ out, workspace }, from: string, to: string) => {
      await runRefactor(out, workspace, 'move', (root) => ({ from: toWorkspacePath(root, from), to: toWorkspacePath(root, to) }));
    }));
  refactor.command('fix-all')
    .description("apply TypeScript's fix-all for a diagnostic code, e.g. 6133 or TS6133")
    .argument('<code>')
    .option('--file <file>', 'only this file')
    .action(action(async ({ out, workspace, cmd }, code: string) => {
      const file = (cmd.opts() as { file?: string }).file;
      await runRefactor(out, workspace, 'fix-all', (root) => ({ code: parseDiagnosticCode(code), ...(file ? { file: toWorkspacePath(root, file) } : {}) }));
    }));
  refactor.command('inline-variable')
    .description('inline the variable at FILE:LINE:COL (1-based) into its uses')
    .argument('<position>', 'FILE:LINE:COL')
    .action(action(async ({ out, workspace }, position: string) => {
      const { file, at } = parseFilePosition(position);
      await runRefactor(out, workspace, 'inline-variable', (root) => ({ file: toWorkspacePath(root, file), at }));
    }));
  refactor.command('remove-unused-export')
    .description('remove an export nothing outside its file uses')
    .argument('<file>').argument('<name>')
    .action(action(async ({ out, workspace }, file: string, name: string) => {
      await runRefactor(out, workspace, 'remove-unused-export', (root) => ({ file: toWorkspacePath(root, file), name }));
    }));

  program.command('submit')
    .description('validate a change-set JSON file (or - for stdin) and queue it as a proposal')
    .argument('<file>', 'change-set JSON file, or - for standard input')
    .action(action(async ({ out, workspace }, file: string) => {
      const core = await openRecovered(workspace, out);
      const { proposal, existing } = await core.submit(readChangeSetInput(file));
      out.result({ id: proposal.id, status: proposal.status, existing }, () => `${existing ? 'Already queued' : 'Queued'} ${proposalBlock(proposal)}`);
    }));

  program.command('list')
    .description('list proposals (pending first, by priority)')
    .option('--status <statuses>', `only these statuses, comma-separated (${PROPOSAL_STATUSES.join(', ')})`)
    .action(action(async ({ out, workspace, cmd }) => {
      const core = await openRecovered(workspace, out);
      const proposals = core.list(parseStatuses((cmd.opts() as { status?: string }).status));
      const warning = quarantineWarning(core.proposals.quarantined());
      if (warning) out.notice(warning);
      out.result({ proposals: proposals.map(summary) }, () => proposals.length ? proposals.map(proposalBlock).join('\n') : 'No proposals. Run `rusty review` to create some.');
    }));

  program.command('show')
    .description('show a proposal; --diff adds the unified diff with hunk ids')
    .argument('<id>')
    .option('--diff', 'include the unified diff')
    .option('--check', 'first type-check it in full (no size limit), like `rusty check`')
    .action(action(async ({ out, workspace, cmd }, id: string) => {
      const core = await openRecovered(workspace, out);
      if ((cmd.opts() as { check?: boolean }).check) await core.refreshImpact(id, { fullCheck: true });
      const p = await core.markShown(id);
      const withDiff = !!(cmd.opts() as { diff?: boolean }).diff;
      out.result({ ...p, ...(withDiff ? { diff: unifiedDiff(p) } : {}) }, () => {
        const lines = [proposalBlock(p)];
        if (p.rationale) lines.push('', p.rationale);
        const parts = partLines(p);
        if (parts.length) lines.push('', ...parts);
        const warnings = warningLines(p);
        if (warnings.length) lines.push('', ...warnings);
        lines.push('', ...impactLines(p.impact, p.id));
        if (p.ai) lines.push('', ...aiLines(p.ai, core.stateDir));
        if (p.testRun) lines.push('', ...testRunShowLines(p.testRun));
        lines.push('', 'History:', ...p.history.map((h) => `  ${h.at}  ${h.status} by ${safeLine(h.actor)}${h.note ? ` — ${safeLine(h.note)}` : ''}`));
        if (withDiff) lines.push('', unifiedDiff(p, true));
        return lines.join('\n');
      });
    }));

  program.command('check')
    .description('type-check a proposal in full now (no size limit) and store the result with it')
    .argument('<id>')
    .action(action(async ({ out, workspace }, id: string) => {
      const core = await openRecovered(workspace, out);
      const p = await core.refreshImpact(id, { fullCheck: true });
      out.result({ id: p.id, impact: p.impact }, () => impactLines(p.impact, p.id).join('\n'));
    }));

  program.command('approve')
    .description('apply a proposal (all of it, or only some files / hunks), checkpointed and journaled')
    .argument('<id>')
    .option('--files <paths...>', 'approve only these files')
    .option('--hunks <ids...>', 'approve only these hunks (ids from `rusty show ID --diff`)')
    .action(action(async ({ out, workspace, cmd }, id: string) => {
      const core = await openRecovered(workspace, out);
      const o = cmd.opts() as { files?: string[]; hunks?: string[] };
      const r = await core.approve(id, { files: o.files, hunks: o.hunks });
      out.result({ id, status: r.proposal.status, applied: r.applied, checkpoint: r.checkpoint, merged: r.merged, partial: r.partial, ...(r.partial || r.part > 1 ? { part: r.part } : {}), ...(r.remaining ? { remaining: r.remaining } : {}), ...(r.superseded ? { superseded: r.superseded } : {}) },
        () => [`Applied ${id}${r.partial ? ' (partially)' : ''}${r.part > 1 ? ` part ${r.part}` : ''}: ${r.applied.length} file${r.applied.length === 1 ? '' : 's'} written, checkpoint ${r.checkpoint}.`,
          ...r.applied.map((f) => `  ${safeLine(f)}${r.merged.includes(f) ? '  (merged with your newer edits)' : ''}`),
          ...(r.superseded ? [`Rejected competing proposals (superseded by ${id}): ${r.superseded.join(', ')}`] : []),
          ...(r.remaining ? [`Still to approve: ${safeLine(r.remaining)} (rusty approve ${id} approves the rest).`] : []),
          `Undo with: rusty rollback ${id}${r.part > 1 || r.partial ? ` (undoes part ${r.part}; --part N picks another)` : ''}`].join('\n'));
    }));

  program.command('reject')
    .description('reject a proposal with a reason')
    .argument('<id>')
    .requiredOption('--reason <text>', 'why it is rejected (kept in the audit log)')
    .action(action(async ({ out, workspace, cmd }, id: string) => {
      const core = await openRecovered(workspace, out);
      const p = await core.reject(id, (cmd.opts() as { reason: string }).reason);
      out.result({ id, status: p.status, reason: p.statusReason }, () => `Rejected ${safeLine(id)}: ${safeLine(p.statusReason ?? '')}`);
    }));

  program.command('rollback')
    .description('undo an applied proposal, keeping edits made since (--force restores the checkpoint exactly)')
    .argument('<id>')
    .option('--force', 'restore the checkpoint exactly; your current files are checkpointed first')
    .option('--part <n>', 'of a proposal approved in parts, undo this part (1 = the first approval; default: the latest still applied)')
    .action(action(async ({ out, workspace, cmd }, id: string) => {
      const core = await openRecovered(workspace, out);
      const o = cmd.opts() as { force?: boolean; part?: string };
      const part = o.part === undefined ? undefined : Number(o.part);
      if (part !== undefined && !(Number.isInteger(part) && part > 0)) throw new RustyError('usage', `--part takes a part number (1, 2, …), not ${safeLine(o.part!)}.`);
      const r = await core.rollback(id, { force: !!o.force, ...(part ? { part } : {}) }).catch((err: unknown) => {
        const forceable = isRustyError(err) && (err.details as { forceable?: boolean } | undefined)?.forceable;
        throw forceable ? new RustyError(err.code, `${err.message} Run \`rusty rollback ${id}${part ? ` --part ${part}` : ''} --force\` to do that.`, err.details) : err;
      });
      out.result({ id, status: r.proposal.status, files: r.files, checkpoint: r.checkpoint, merged: r.merged, forced: r.forced, ...(r.parts > 1 ? { part: r.part, parts: r.parts } : {}) },
        () => [`Rolled back ${id}${r.parts > 1 ? ` part ${r.part} of ${r.parts}` : ''}${r.forced ? ' (forced)' : ''}: ${r.files.length} file${r.files.length === 1 ? '' : 's'} restored${r.proposal.status === 'partially-applied' ? '; other parts stay applied' : ''}.`,
          ...r.files.map((f) => `  ${safeLine(f)}${r.merged.includes(f) ? '  (your later edits kept)' : ''}`),
          `Redo with: rusty redo ${id}`].join('\n'));
    }));

  program.command('redo')
    .description('re-apply a rolled-back proposal')
    .argument('<id>')
    .action(action(async ({ out, workspace }, id: string) => {
      const core = await openRecovered(workspace, out);
      const r = await core.redo(id);
      out.result({ id, status: r.proposal.status, files: r.files, checkpoint: r.checkpoint, merged: r.merged, ...(r.parts > 1 ? { part: r.part, parts: r.parts } : {}) },
        () => [`Re-applied ${id}${r.parts > 1 ? ` part ${r.part} of ${r.parts}` : ''}: ${r.files.length} file${r.files.length === 1 ? '' : 's'} written.`, ...r.files.map((f) => `  ${safeLine(f)}`)].join('\n'));
    }));

  program.command('audit')
    .description('print the audit log; --verify checks its hash chain')
    .option('--verify', 'check that no line was edited, removed or reordered')
    .option('--proposal <id>', 'only entries of this proposal')
    .action(action(async ({ out, workspace, cmd }) => {
      const core = await openRecovered(workspace, out);
      const o = cmd.opts() as { verify?: boolean; proposal?: string };
      if (o.verify) {
        const v = core.verifyAudit();
        const witnesses = (v.witnesses ?? []).map((w) => `  ${w.name}: ${w.status}${w.seq !== undefined ? ` (seq ${w.seq})` : ''}`);
        if (!v.ok) {
          // Failures go to stderr (and the JSON result to stdout with --json).
          if (out.json) out.result({ ...v, limits: CHAIN_LIMITS }, () => '');
          io.err([`rusty: audit log FAILED verification (${core.paths.audit}): ${v.message}`, ...witnesses, `What this can prove: ${CHAIN_LIMITS}`].join('\n'));
          setExit(1);
          return;
        }
        out.result({ ...v, limits: CHAIN_LIMITS }, () => [`Audit log verified: ${v.entries} entries, hash chain intact (${core.paths.audit}).`, ...witnesses, `What this proves: ${CHAIN_LIMITS}`].join('\n'));
        return;
      }
      const entries = core.auditEntries(o.proposal ? { proposalId: o.proposal } : {});
      out.result({ entries }, () => entries.length
        ? entries.map((e) => `${e.seq}\t${e.time}\t${safeLine(e.actor)}\t${safeLine(e.action)}\t${safeLine(e.proposalId ?? '')}\t${JSON.stringify(e.details)}`).join('\n')
        : 'The audit log is empty.');
    }));

  program.command('recover')
    .description('finish or undo an interrupted apply (also done automatically before every command)')
    .action(action(async ({ out, workspace }) => {
      const core = openCore(workspace, out);
      const reports = await core.recover();
      out.result({ recovered: reports }, () => reports.length ? `Recovered ${reports.length} interrupted transaction(s).` : 'Nothing to recover: no interrupted apply.');
    }));

  program.command('gc')
    .description('remove checkpoints and finished proposals older than the retention period, and unreferenced blobs')
    .addOption(new Option('--retention-days <n>', 'override rusty.checkpoints.retentionDays').argParser((v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`--retention-days must be a number ≥ 0, got ${v}`);
      return n;
    }))
    .action(action(async ({ out, workspace, cmd }) => {
      const core = await openRecovered(workspace, out);
      const r = await core.gc({ retentionDays: (cmd.opts() as { retentionDays?: number }).retentionDays });
      out.result(r, () => `Removed ${r.removedProposals} proposals, ${r.removedCheckpoints} checkpoints, ${r.removedBlobs} blobs (${r.bytesFreed} bytes); kept ${r.keptBlobs} blobs (${r.bytesKept} bytes). Retention: ${r.retentionDays} days.`);
    }));

  registerMcpCommands(program, { io, setExit, signal, callerCwd });
  registerAiCommands(program, { io, setExit, callerCwd });
  registerAskCommand(program, { io, setExit, signal, callerCwd, openCore: openRecovered, toWorkspacePath });
  registerDoctorCommand(program, { io, setExit, callerCwd, open: (workspace, out) => openCore(workspace, out) });
  registerRunCommands(program, { io, setExit, signal, callerCwd, openCore: openRecovered });
  registerPrCommand(program, { io, setExit, signal, callerCwd, openCore: openRecovered });
  registerServeCommand(program, { io, setExit, signal, callerCwd, openCore: openRecovered });
  registerGatewayCommands(program, { io, setExit, callerCwd, openCore: openRecovered });
  registerGenTestsCommand(program, { io, setExit, signal, callerCwd, openCore: openRecovered, toWorkspacePath });
  registerDebugCommand(program, { io, setExit, signal, callerCwd, openCore: openRecovered, toWorkspacePath });

  return program;
}

export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  let code = EXIT_OK;
  // First Ctrl-C cancels long analysis; a running apply still finishes (it is seconds at most,
  // and stopping it half-way would only hand the work to recovery). A second Ctrl-C quits now.
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130);
    abort.abort();
    io.err('rusty: stopping… (an apply in progress finishes first; press Ctrl-C again to quit now — the next command recovers)');
  };
  process.on('SIGINT', onSigint);
  const program = buildProgram(io, (c) => { code = c; }, abort.signal);
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (argv.includes('--json') && err.exitCode !== 0) io.out(JSON.stringify({ error: { code: 'usage', message: err.message.replace(/^error: /, '') } }));
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
      return EXIT_USAGE;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}
