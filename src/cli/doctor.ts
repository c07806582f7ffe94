// `rusty doctor [--repair]` — check the whole state folder and report each problem with its file
// and a fix; --repair quarantines bad files, removes stale temp and lock files, finishes or undoes
// interrupted transactions, and says what it did. Exit 1 while problems remain.
import type { Command } from 'commander';
import type { RustyCore } from '../core/rustyCore';
import type { DoctorReport } from '../core/doctor/doctor';
import type { QuarantineRecord } from '../core/state/quarantine';
import { EXIT_REFUSED, Output, type Io } from './output';
import { safeLine } from '../core/util/terminalText';

export interface DoctorCliDeps {
  io: Io;
  setExit: (code: number) => void;
  /** Opens the workspace's core without running recovery first (a damaged journal must not stop doctor). */
  open: (workspace: string, out: Output) => RustyCore;
  callerCwd: string;
}

/** Paths and reasons on a terminal: the CLI's one escaping rule (a file name is untrusted text). */
const printable = safeLine;

/** The one-line warning `list` prints while proposal files sit in quarantine. */
export function quarantineWarning(records: QuarantineRecord[]): string | undefined {
  if (!records.length) return undefined;
  const names = records.slice(0, 3).map((r) => printable(r.original)).join(', ') + (records.length > 3 ? ` and ${records.length - 3} more` : '');
  return `rusty: warning: ${records.length} corrupt proposal file${records.length === 1 ? ' was' : 's were'} quarantined (${names}); the others are listed. Run \`rusty doctor\` for details.`;
}

function describe(r: DoctorReport, repair: boolean): string {
  const c = r.checked;
  const lines = [`Rusty state folder ${printable(r.stateDir)}`,
    `Checked ${c.proposals} proposals, ${c.checkpoints} checkpoints, ${c.blobs} blobs, ${c.journal} journal records, ${c.auditEntries} audit entries.`];
  if (r.repaired.length) {
    lines.push('', 'Repaired:');
    for (const a of r.repaired) lines.push(`  ${printable(a.file)}: ${printable(a.action)}`);
  }
  if (r.problems.length) {
    lines.push('', `${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}${repair ? ' remain' : ''}:`);
    for (const p of r.problems) {
      lines.push(`  ${printable(p.file)}`, `    problem: ${printable(p.problem)}`, `    fix: ${printable(p.fix)}${p.repair && !repair ? ' (`rusty doctor --repair` does this)' : ''}`);
    }
  } else lines.push('', 'No problems found.');
  if (r.quarantined.length) {
    lines.push('', `Quarantined (kept for you to inspect; delete them when done): ${r.quarantined.length}`);
    for (const q of r.quarantined) lines.push(`  ${printable(q.original)} → ${printable(q.movedTo)} (${printable(q.reason)})`);
  }
  return lines.join('\n');
}

export function registerDoctorCommand(program: Command, deps: DoctorCliDeps): void {
  program.command('doctor')
    .description('check the state folder (proposals, checkpoints, blobs, journal, audit chain, grants, lock, temp files); --repair fixes what it can')
    .option('--repair', 'quarantine bad files, remove stale temp and lock files, finish or undo interrupted transactions')
    .action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const o = cmd.optsWithGlobals() as { workspace?: string; json?: boolean; repair?: boolean };
      const out = new Output(deps.io, !!o.json);
      try {
        const core = deps.open(o.workspace ?? deps.callerCwd, out);
        const report = await core.doctor({ repair: !!o.repair });
        out.result(report, () => describe(report, !!o.repair));
        if (!report.ok) deps.setExit(EXIT_REFUSED);
      } catch (err) {
        deps.setExit(out.error(err));
      }
    });
}
