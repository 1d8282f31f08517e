import { parseArgs } from 'node:util';
import { parseZoneOffset } from './csv.ts';
import { generateFiles } from './generator.ts';
import { startLiveGenerator } from './live.ts';

const USAGE = `usage: npx tsx ingest/demo/cli.ts --out DIR --records N --days D [--seed S] [--layout full|simple]
       [--domains N] [--vmtas N] [--pools N] [--jobs N] [--crlf] [--tz +hhmm] [--max-file-bytes N]
       [--follow [--rate R]]`;

class UsageError extends Error {}

function toInt(name: string, raw: string | undefined, fallback?: number, min = 1): number | undefined {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

function parseCli(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      out: { type: 'string' },
      records: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      layout: { type: 'string' },
      domains: { type: 'string' },
      vmtas: { type: 'string' },
      pools: { type: 'string' },
      jobs: { type: 'string' },
      crlf: { type: 'boolean' },
      tz: { type: 'string' },
      'max-file-bytes': { type: 'string' },
      follow: { type: 'boolean' },
      rate: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!values.out) throw new UsageError('--out is required');
  const layout = values.layout ?? 'full';
  if (layout !== 'full' && layout !== 'simple')
    throw new UsageError(`--layout must be full or simple, got "${layout}"`);
  const days = values.days === undefined ? 1 : Number(values.days);
  if (!(Number.isFinite(days) && days > 0))
    throw new UsageError(`--days must be a number > 0, got "${values.days}"`);
  const rate = values.rate === undefined ? 20 : Number(values.rate);
  if (!(Number.isFinite(rate) && rate > 0))
    throw new UsageError(`--rate must be a number > 0, got "${values.rate}"`);
  if (values.rate !== undefined && !values.follow) throw new UsageError('--rate only applies with --follow');
  if (values.tz !== undefined) {
    try {
      parseZoneOffset(values.tz);
    } catch {
      throw new UsageError(`--tz must look like +0100 or -05:30, got "${values.tz}"`);
    }
  }
  return {
    out: values.out,
    records: toInt('records', values.records, values.follow ? 0 : undefined, 0),
    days,
    seed: toInt('seed', values.seed, 42, 0) ?? 42,
    layout: layout as 'full' | 'simple',
    domains: toInt('domains', values.domains),
    vmtas: toInt('vmtas', values.vmtas),
    pools: toInt('pools', values.pools),
    jobs: toInt('jobs', values.jobs),
    crlf: values.crlf ?? false,
    timeZoneOffset: values.tz,
    maxFileBytes: toInt('max-file-bytes', values['max-file-bytes'], undefined, 1024),
    follow: values.follow ?? false,
    rate,
  };
}

async function main(): Promise<void> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(process.argv.slice(2));
    if (args.records === undefined) throw new UsageError('--records is required');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message}\n${USAGE}`);
    process.exit(2);
  }
  const started = performance.now();
  const result = await generateFiles({ ...args, records: args.records ?? 0, end: new Date() });
  const seconds = (performance.now() - started) / 1000;
  const perSecond = Math.round(result.records / Math.max(seconds, 1e-3));
  console.log(
    `generated ${result.files.length} files, ${result.records} records, ${result.bytes} bytes in ${seconds.toFixed(2)} s (${perSecond} records/s) into ${args.out}`,
  );
  if (!args.follow) return;

  console.log(
    `following: appending ~${args.rate} messages/s (~${Math.round(args.rate * 2)} records/s) to today's files in ${args.out} (Ctrl-C to stop)`,
  );
  // A different seed than the backfill so live recipients are not replays of the first ones.
  const live = startLiveGenerator({
    out: args.out,
    ratePerSecond: args.rate,
    seed: args.seed + 1,
    layout: args.layout,
  });
  const shutdown = () => {
    void live.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
