// Child process of soak R1: one approve / rollback / redo through the real core, SIGKILLed by
// itself right after the k-th file of the transaction is in place (k = 0: never; the parent may
// still kill it at a random moment). Bundled by the test with esbuild; not part of any product bundle.
//   node killChild.mjs <approve|rollback|redo> <workspace> <proposal id> <k>
import { RustyCore } from '../rustyCore';

const [op, workspace, id, killAfter] = process.argv.slice(2);
const k = Number(killAfter);
const core = new RustyCore({
  workspace: workspace!,
  actor: 'soak',
  env: process.env,
  onFileWritten: (done) => {
    if (done === k) process.kill(process.pid, 'SIGKILL');
  },
});
await (op === 'approve' ? core.approve(id!) : op === 'rollback' ? core.rollback(id!) : core.redo(id!));
