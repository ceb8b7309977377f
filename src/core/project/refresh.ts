/**
 * When cached project knowledge is checked against the disk again.
 *
 * An entry is trusted for the refresh interval (one second), measured on the project knowledge's own clock. That
 * clock is real time, except while the project knowledge is asked back to back (calls less than a second apart: a
 * command-line run, a pre-commit hook, an editor linting a whole folder): then it stands at the start of the run,
 * so a run checks each folder and file once instead of once a second, and it moves on after `MAX_RUN_MS` at the
 * latest. An editor lints after the user pauses, or after a switch to another file such as the descriptor: the
 * next lint sees what changed on disk.
 */

let refreshMs = 1000;

/** Calls of the clock closer together than this belong to one run of linting. */
const RUN_GAP_MS = 1000;
/** The clock of a long run moves on after this long at the latest. */
const MAX_RUN_MS = 10_000;

let runStart = Number.NEGATIVE_INFINITY;
let lastCall = Number.NEGATIVE_INFINITY;

/** Sets the refresh interval (tests use 0 to see every change at once: the clock is then real time). */
export function setRefreshInterval(ms: number): void {
  refreshMs = ms;
  runStart = Number.NEGATIVE_INFINITY;
}

/** The project knowledge's clock, in `performance.now()` milliseconds (see the module comment). */
export function projectClock(): number {
  const real = performance.now();
  if (refreshMs === 0 || real - lastCall > RUN_GAP_MS || real - runStart > MAX_RUN_MS) runStart = real;
  lastCall = real;
  return runStart;
}

/** Whether an entry checked at `checkedAt` (on the project clock) is still trusted at `time`. */
export function isFresh(checkedAt: number, time: number): boolean {
  return time - checkedAt <= refreshMs;
}
