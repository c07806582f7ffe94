// Entry of dist/action.mjs (action.yml): the CLI bundle next to it does the work.
import { runAction, type RunCli } from './action';

const cli = (await import(new URL('./cli/main.mjs', import.meta.url).href)) as { runCli: RunCli };
process.exitCode = await runAction(cli.runCli);
