// Preloaded (`node --import`) into a timed ESLint CLI process: prints the CPU time the whole process used, start-up
// included, on its last line of standard error.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  writeSync(2, `\nlambda-rds-bench-cpu-ms ${(user + system) / 1000}\n`);
});
