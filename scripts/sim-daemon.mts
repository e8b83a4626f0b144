// The background simulator: started detached by `npm run cluster -- up --backend sim`.
import { runDaemon } from './lib/cluster/sim/daemon.ts';

await runDaemon();
