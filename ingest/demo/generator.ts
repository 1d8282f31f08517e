import { mkdir } from 'node:fs/promises';
import { createWriters } from './acct-writers.ts';
import { createTimeFormatter, parseZoneOffset } from './csv.ts';
import { DiurnalCurve } from './diurnal-curve.ts';
import { Prng } from './prng.ts';
import { type Layout, Simulator } from './simulator.ts';
import { buildWorld, DEFAULT_WORLD, type Incident, IncidentIndex } from './world.ts';

export { startLiveGenerator } from './live.ts';

export interface GenerateOptions {
  out: string;
  records: number;
  days: number;
  end?: Date /* default now */;
  seed?: number /* default 42 */;
  layout?: 'full' | 'simple';
  domains?: number;
  vmtas?: number;
  pools?: number;
  jobs?: number;
  crlf?: boolean;
  timeZoneOffset?: string;
  maxFileBytes?: number;
  /** Provider × pool incidents to simulate; default about three a day, [] for steady traffic. */
  incidents?: Incident[];
}

export interface GenerateResult {
  files: string[];
  records: number;
  bytes: number;
  countsByType: Record<string, number>;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Rows per recipient to start the budget controller with, before it has measured its own. */
const INITIAL_ROWS_PER_RECIPIENT: Record<Layout, number> = { full: 2.3, simple: 1.2 };

function requirePositiveInt(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer >= ${min} (got ${value})`);
}

function validate(opts: GenerateOptions): void {
  requirePositiveInt('records', opts.records, 0);
  if (!(Number.isFinite(opts.days) && opts.days > 0)) throw new Error(`days must be > 0 (got ${opts.days})`);
  for (const key of ['domains', 'vmtas', 'pools', 'jobs'] as const) {
    if (opts[key] !== undefined) requirePositiveInt(key, opts[key]);
  }
  if (opts.maxFileBytes !== undefined) requirePositiveInt('maxFileBytes', opts.maxFileBytes, 1024);
  if (opts.end && Number.isNaN(opts.end.getTime())) throw new Error('end is not a valid date');
}

/**
 * Writes `records` accounting rows spread over [end − days, end) as PowerMTA would have logged
 * them. Recipients are injected in time order at a rate that follows the diurnal curve and is
 * steered so the rows that land inside the window add up to exactly `records`; their rows wait
 * in time order (PendingRows: near ones in memory, later ones on disk) until they are written.
 */
export async function generateFiles(opts: GenerateOptions): Promise<GenerateResult> {
  validate(opts);
  const layout: Layout = opts.layout ?? 'full';
  const seed = opts.seed ?? 42;
  const end = (opts.end ?? new Date()).getTime();
  const start = end - opts.days * DAY;
  const world = buildWorld({
    seed,
    domains: opts.domains ?? DEFAULT_WORLD.domains,
    vmtas: opts.vmtas ?? DEFAULT_WORLD.vmtas,
    pools: opts.pools ?? DEFAULT_WORLD.pools,
    jobs: opts.jobs ?? DEFAULT_WORLD.jobs,
    window: { start, end },
  });
  const rng = new Prng(seed);
  const formatTime = createTimeFormatter(parseZoneOffset(opts.timeZoneOffset ?? '+0000'));
  const sim = new Simulator(
    world,
    new IncidentIndex(opts.incidents ?? world.incidents),
    rng,
    layout,
    end,
    formatTime,
  );
  const curve = new DiurnalCurve(start, end, new Prng(seed ^ 0x27d4eb2f));

  await mkdir(opts.out, { recursive: true });
  const writers = createWriters(opts.out, layout, opts.crlf ? '\r\n' : '\n', {
    maxFileBytes: opts.maxFileBytes,
  });
  const countsByType: Record<string, number> = {};
  const target = opts.records;
  let written = 0;
  let spawned = 0;
  let spawnedRows = 0;
  let nextArrival = start;

  try {
    while (written < target) {
      const needed = target - written - sim.pending.size;
      if (needed > 0 && nextArrival <= sim.pending.peekTime()) {
        spawnedRows += sim.spawn(nextArrival);
        spawned++;
        nextArrival = scheduleNext(nextArrival, needed, spawned, spawnedRows);
        continue;
      }
      const row = sim.pending.pop();
      if (!row) break;
      const writer = writers.get(row.kind);
      if (!writer) continue;
      writer.append(row.time, row.line);
      countsByType[row.type] = (countsByType[row.type] ?? 0) + 1;
      written++;
      if (writer.needsFlush) await writer.flush();
    }
  } finally {
    // Rows planned past the last one written (or an error) leave spill files behind otherwise.
    sim.pending.dispose();
  }

  /**
   * Next injection time: the remaining row budget spread over the remaining weighted time, with
   * exponential gaps (Poisson arrivals). Late in the window fewer follow-up rows fit before the
   * end, so the measured rows-per-recipient overestimates and the rate self-corrects upward.
   */
  function scheduleNext(now: number, needed: number, count: number, rows: number): number {
    const perRecipient = count >= 500 ? rows / count : INITIAL_ROWS_PER_RECIPIENT[layout];
    const remaining = curve.remaining(now);
    if (remaining <= 0) return Math.min(now, end - 1);
    const arrivalsLeft = Math.max(needed / Math.max(perRecipient, 1), 1);
    const ratePerMs = (arrivalsLeft * curve.weightAt(now)) / (remaining * HOUR);
    const next = now + rng.exponential(1 / Math.max(ratePerMs, 1e-12));
    return next < end ? next : Math.max(now, end - 1);
  }

  let bytes = 0;
  const files: string[] = [];
  for (const writer of writers.values()) {
    await writer.close();
    bytes += writer.bytes;
    files.push(...writer.files);
  }
  files.sort();
  return { files, records: written, bytes, countsByType };
}
