/** The variable `npm start` sets on the processes it starts: its own pid. */
export const PARENT_PID_ENV = 'ACCTSCOPE_PARENT_PID';

/**
 * Calls `onGone` once when the process that started this one (named by ACCTSCOPE_PARENT_PID) is
 * gone: `npm start` killed with SIGKILL cannot stop its worker and web server, which then kept
 * running, holding the port the next `npm start` needed. Checked every `everyMs`: a parent that
 * died leaves its children to another process (process.ppid changes). Does nothing without the
 * variable (a worker or app started on its own).
 */
export function watchParent(
  onGone: () => void,
  everyMs = 1000,
  env: Record<string, string | undefined> = process.env,
): void {
  const expected = Number(env[PARENT_PID_ENV]);
  if (!Number.isInteger(expected) || expected <= 0) return;
  const timer = setInterval(() => {
    if (process.ppid === expected) return;
    clearInterval(timer);
    onGone();
  }, everyMs);
  timer.unref();
}
