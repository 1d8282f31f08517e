import pino from 'pino';

/** The one logger: structured JSON lines (pino); level from LOG_LEVEL. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'acctscope' },
  timestamp: pino.stdTimeFunctions.isoTime,
});
