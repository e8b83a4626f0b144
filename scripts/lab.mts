// `npm run lab:NN [-- --demo]`
import { runLabCommand } from './lib/labs/lab-command.ts';

process.exitCode = await runLabCommand(process.argv.slice(2));
