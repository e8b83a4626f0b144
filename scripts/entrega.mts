// `npm run entrega [-- --nome "Seu Nome" --matricula 21100123]`
import { runEntregaCommand } from './lib/labs/entrega-command.ts';

process.exitCode = await runEntregaCommand(process.argv.slice(2));
