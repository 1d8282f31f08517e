import { z } from 'zod';
import { parseHardBounceCategories } from './acct/bounce-class.ts';
import { ianaZone } from './filters.ts';

const positiveInt = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be positive`)
    .default(fallback);

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a port number`)
    .min(1, `${name} must be a port number (1–65535)`)
    .max(65535, `${name} must be a port number (1–65535)`)
    .default(fallback);

/** The levels LOG_LEVEL takes (lib/logger.ts falls back to info on another, which parseEnv refuses). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
    .optional(),
  ACCT_DIRS: z.string().trim().min(1, 'ACCT_DIRS must not be empty when set').optional(),
  PORT: port('PORT', 3000),
  // The address npm start's web server listens on (next start -H); unset: every interface.
  HOST: z.string().trim().min(1, 'HOST must not be empty when set').optional(),
  // The API's and screens' default zone (lib/filters.ts DEFAULT_TIME_ZONE). A name Node does not
  // know was taken silently as UTC.
  TZ: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || ianaZone(v) !== undefined, {
      message: 'TZ must be an IANA time zone name, e.g. Europe/Paris or UTC',
    }),
  ACCT_PROVIDERS_FILE: z.string().optional(),
  ACCT_PROVIDER_CODES_FILE: z.string().optional(),
  ACCT_HARD_BOUNCE_CATEGORIES: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v === undefined) return;
      try {
        parseHardBounceCategories(v);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: (error as Error).message.replace(/^ACCT_HARD_BOUNCE_CATEGORIES: /, ''),
        });
      }
    }),
  RAW_RETENTION_DAYS: z.coerce
    .number({ error: 'RAW_RETENTION_DAYS must be a number of days' })
    .int('RAW_RETENTION_DAYS must be a whole number of days')
    .min(0, 'RAW_RETENTION_DAYS must be 0 (keep forever) or more')
    .default(0),
  MINUTE_ROLLUP_RETENTION_DAYS: z.coerce
    .number({ error: 'MINUTE_ROLLUP_RETENTION_DAYS must be a number of days' })
    .int('MINUTE_ROLLUP_RETENTION_DAYS must be a whole number of days')
    .min(0, 'MINUTE_ROLLUP_RETENTION_DAYS must be 0 (keep forever) or more')
    .default(0),
  EMBEDDED_PG_PORT: port('EMBEDDED_PG_PORT', 54329),
  DATA_DIR: z.string().default('.data'),
  INCIDENT_WINDOW_MINUTES: positiveInt('INCIDENT_WINDOW_MINUTES', 30),
  INCIDENT_BASELINE_DAYS: positiveInt('INCIDENT_BASELINE_DAYS', 7),
  INCIDENT_INTERVAL_SECONDS: positiveInt('INCIDENT_INTERVAL_SECONDS', 60),
  INCIDENT_WEBHOOK_URLS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.url({ protocol: /^https?$/, error: 'INCIDENT_WEBHOOK_URLS must be http(s) URLs, comma-separated' }),
      ),
    ),
  INCIDENTS: z.enum(['on', 'off'], { error: 'INCIDENTS must be on or off' }).default('on'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  // npm start's demo (without ACCT_DIRS): the history written into an empty demo folder, and the
  // live traffic appended after it. 1 message/s (~2 records/s) is about twice the default
  // history's average, so the live hour continues it instead of dwarfing it.
  DEMO_RECORDS: positiveInt('DEMO_RECORDS', 300_000),
  DEMO_DAYS: positiveInt('DEMO_DAYS', 7),
  DEMO_RATE: z.coerce
    .number({ error: 'DEMO_RATE must be a number of messages per second' })
    .positive('DEMO_RATE must be more than 0 messages per second')
    .default(1),
});

export type Env = z.infer<typeof schema>;

/**
 * What the variables that are each valid say together that cannot work: minute rollups kept
 * shorter than the raw records (whole minutes of a range older than the minute rollups come from
 * neither), or than the incident monitor reads them (its baseline ends where its window starts,
 * and both have minute edges).
 */
function conflicts(env: Env): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const minuteDays = env.MINUTE_ROLLUP_RETENTION_DAYS;
  if (minuteDays === 0) return out;
  if (env.RAW_RETENTION_DAYS > 0 && minuteDays < env.RAW_RETENTION_DAYS)
    out.push({
      path: 'MINUTE_ROLLUP_RETENTION_DAYS',
      message:
        `MINUTE_ROLLUP_RETENTION_DAYS (${minuteDays}) must not be smaller than RAW_RETENTION_DAYS ` +
        `(${env.RAW_RETENTION_DAYS}): the raw records are the bigger data, and exact counts of older ` +
        'ranges read their whole minutes from the minute rollups',
    });
  const incidentMinutes = env.INCIDENT_BASELINE_DAYS * 1440 + env.INCIDENT_WINDOW_MINUTES;
  if (env.INCIDENTS === 'on' && minuteDays * 1440 < incidentMinutes)
    out.push({
      path: 'MINUTE_ROLLUP_RETENTION_DAYS',
      message:
        `MINUTE_ROLLUP_RETENTION_DAYS (${minuteDays}) must cover the incident monitor's baseline and window ` +
        `(INCIDENT_BASELINE_DAYS ${env.INCIDENT_BASELINE_DAYS} days + INCIDENT_WINDOW_MINUTES ` +
        `${env.INCIDENT_WINDOW_MINUTES}), which it reads from the minute rollups: ` +
        `${Math.ceil(incidentMinutes / 1440)} days or more, or INCIDENTS=off`,
    });
  return out;
}

/** Validates the environment once; throws one message listing every bad variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = schema.safeParse(source);
  const issues = result.success
    ? conflicts(result.data)
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  if (issues.length > 0 || !result.success) {
    const lines = issues.map((i) => `  ${i.path}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** One source of acct files: a folder or glob, optionally labelled with the PowerMTA host name. */
export interface AcctDir {
  source: string;
  pattern: string;
}

/** The entries of an `ACCT_DIRS` value: comma-separated, blanks around each ignored. */
export function splitAcctDirs(value: string): string[] {
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Parses folder entries, each `path` or `label=path`: every `--dir` value as given (a path may
 * hold a comma), or the entries of `ACCT_DIRS` (splitAcctDirs). A folder means every `*.csv` in it
 * (PowerMTA names them acct-YYYY-MM-DD-NNNN.csv); a value with `*`, `?` or `[` is used as a glob.
 */
export function parseAcctDirs(values: string[], defaultSource: string): AcctDir[] {
  const entries = values.filter((v) => v.trim() !== '');
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const dir =
      eq > 0 && !entry.slice(0, eq).includes('/')
        ? { source: entry.slice(0, eq), pattern: entry.slice(eq + 1) }
        : { source: defaultSource, pattern: entry };
    // The label is a value of every record's dimensions, whose keys control characters delimit.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
    if (/[\u0000-\u001f\u007f]/.test(dir.source))
      throw new Error(
        `Invalid configuration: the source label ${JSON.stringify(dir.source)} holds a control character`,
      );
    return dir;
  });
}

/** The incident monitor's settings from the environment. */
export function incidentOptions(env: Env) {
  return {
    windowMinutes: env.INCIDENT_WINDOW_MINUTES,
    baselineDays: env.INCIDENT_BASELINE_DAYS,
    intervalMs: env.INCIDENT_INTERVAL_SECONDS * 1000,
    webhookUrls: env.INCIDENT_WEBHOOK_URLS,
  };
}
