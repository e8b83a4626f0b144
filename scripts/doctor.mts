// npm run doctor [-- --json]: the preflight of the real cluster, with what to do for each problem.
import { doctorMain } from './lib/doctor/main.ts';

const { output, code } = await doctorMain(process.argv.slice(2));
console.log(output);
process.exitCode = code;
