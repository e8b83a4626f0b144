// `npm run cluster -- up|down|status|reset|stop <serviço>|start <serviço>|logs [serviço]|smoke|images save|load`
import { runCli } from './lib/cluster/cli.ts';

process.exitCode = await runCli(process.argv.slice(2));
