// `npm run grade -- <arquivo-do-moodle.zip ou pasta> [--worksheet <planilha.csv>] --out <pasta>`
import { runGradeCommand } from './lib/grading/cli.ts';

process.exitCode = await runGradeCommand(process.argv.slice(2));
