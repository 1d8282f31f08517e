import pino from 'pino';
import { LOG_LEVELS } from './env.ts';

const wanted = process.env.LOG_LEVEL ?? 'info';

let beforeLog: (() => void) | null = null;

/**
 * Runs `fn` before each line is logged: the worker's progress bar, drawn on the terminal without a
 * line break, clears itself so that a log line does not start at the end of the bar.
 */
export function onBeforeLog(fn: (() => void) | null): void {
  beforeLog = fn;
}

/**
 * The one logger: structured JSON lines (pino); level from LOG_LEVEL. Another value logs at info:
 * pino threw at import, a stack trace that did not name the variable; the program's configuration
 * check (parseEnv) refuses it with exit 2, naming it.
 */
export const logger = pino({
  level: (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : 'info',
  hooks: {
    logMethod(args, method) {
      beforeLog?.();
      return method.apply(this, args);
    },
  },
  base: { app: 'acctscope' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
