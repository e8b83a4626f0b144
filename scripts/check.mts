// `npm run check [-- NN]`
import { runCheckCommand } from './lib/labs/check-command.ts';

process.exitCode = await runCheckCommand(process.argv.slice(2));
