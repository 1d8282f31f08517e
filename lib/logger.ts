import pino from 'pino';
import { LOG_LEVELS } from './env.ts';

const wanted = process.env.LOG_LEVEL ?? 'info';

/**
 * The one logger: structured JSON lines (pino); level from LOG_LEVEL. Another value logs at info:
 * pino threw at import, a stack trace that did not name the variable; the program's configuration
 * check (parseEnv) refuses it with exit 2, naming it.
 */
export const logger = pino({
  level: (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : 'info',
  base: { app: 'acctscope' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
