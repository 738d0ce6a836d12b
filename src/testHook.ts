/**
 * The one test hook of the crash tests: `SALESOPS_TEST_PAUSE=<phase>[:<count>]` makes the
 * process say `salesops: paused at <phase>` on stderr and stop itself (SIGSTOP) when it
 * reaches that phase (with a count, once it has reached it with at least that many rows),
 * so a test kills it exactly there on any machine, fast or loaded, instead of guessing with
 * a timer. Unset, it costs one comparison.
 */
const wanted = process.env.SALESOPS_TEST_PAUSE?.split(':');

export function pauseAt(phase: string, count = 0): void {
  if (!wanted || wanted[0] !== phase || count < Number(wanted[1] ?? 0)) return;
  wanted[0] = '';
  process.stderr.write(`salesops: paused at ${phase}\n`);
  process.kill(process.pid, 'SIGSTOP');
}
