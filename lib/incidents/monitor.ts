import pg from 'pg';
import type { Logger } from 'pino';
import { getPrisma } from '../db/client.ts';
import {
  getSliceCounts,
  getSliceMinutes,
  type SliceKey,
  type SliceTotals,
  sliceId,
} from '../queries/get-slice-counts.ts';
import { type ComplaintEvidence, type Evidence, findComplaintEvidence, findEvidence } from './evidence.ts';
import {
  DEFAULT_RULES,
  goingOnAtEnd,
  judge,
  METRICS,
  type Metric,
  type MetricRule,
  onsetOf,
  type SliceCounts,
} from './rules.ts';
import { postWebhooks } from './webhooks.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface MonitorOptions {
  logger: Logger;
  /** The recent window judged against the baseline (default 30 minutes). */
  windowMinutes?: number;
  /** The baseline: the same slice over this many days before the window (default 7). */
  baselineDays?: number;
  /** Evaluation cycle (default 60 s). */
  intervalMs?: number;
  /**
   * Bounces and deferrals open an incident only while they go on: over the window's last this many
   * minutes the rate must be over the threshold too, with the events at the window's pace
   * (goingOnAtEnd; default 5; 0: the window's rate alone).
   */
  tailMinutes?: number;
  webhookUrls?: string[];
  rules?: Record<Metric, MetricRule>;
  /**
   * The database whose session advisory lock makes one monitor the judge when several workers run
   * one (DATABASE_URL by default). The others stand by and take over when its connection ends.
   */
  leaderLockUrl?: string;
}

/** The advisory lock the judging monitor holds (any constant unique to this use). */
const LEADER_LOCK = 0x6d6f6e69; // 'moni'

interface OpenRow {
  id: number;
  slice_kind: 'vmta' | 'pool';
  provider: string;
  sender: string;
  metric: Metric;
  peak_rate: number;
  threshold: number;
}

export interface EvaluationResult {
  at: string;
  opened: number[];
  updated: number[];
  resolved: number[];
}

const EMPTY: SliceCounts = { delivered: 0, bounced: 0, deferred: 0, complaints: 0 };

/**
 * Watches every provider × VirtualMTA and provider × pool: each cycle compares the recent window's
 * bounce, deferral and complaint rates with the slice's own baseline (rules.ts), opens an incident
 * when one leaves it, keeps it current while it lasts and closes it when the rate is normal again.
 * Reads rollups only; runs beside the ingest on its own timer and never blocks it.
 */
export class IncidentMonitor {
  private readonly windowMs: number;
  private readonly baselineMs: number;
  private readonly rules: Record<Metric, MetricRule>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  /** Webhook deliveries still in flight (tests and shutdown wait for them). */
  readonly deliveries = new Set<Promise<unknown>>();

  constructor(private readonly opts: MonitorOptions) {
    this.windowMs = (opts.windowMinutes ?? 30) * MINUTE;
    this.baselineMs = (opts.baselineDays ?? 7) * DAY;
    this.rules = opts.rules ?? DEFAULT_RULES;
  }

  /** The connection holding the leader lock while this monitor judges (null: standing by). */
  private leader: pg.Client | null = null;
  private standbyLogged = false;

  /**
   * Whether this monitor is the one that judges: it holds a session advisory lock on a connection
   * of its own, which PostgreSQL releases when the process or its connection ends. Several
   * following workers (one per PowerMTA host) each run a monitor; without one judge they evaluated
   * the same incidents with their own settings, reopening what another had just resolved, and
   * posted each webhook once per worker.
   */
  private async lead(): Promise<boolean> {
    if (this.leader) return true;
    const url = this.opts.leaderLockUrl ?? process.env.DATABASE_URL;
    const client = new pg.Client({ connectionString: url, application_name: 'acctscope incident monitor' });
    client.on('error', (error) => {
      this.opts.logger.warn({ err: error }, 'incident monitor lost its lock connection');
      if (this.leader === client) this.leader = null;
    });
    await client.connect();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
      LEADER_LOCK,
    ]);
    if (rows[0]?.ok) {
      this.leader = client;
      this.standbyLogged = false;
      this.opts.logger.info('incident monitor judges incidents (it holds the monitor lock)');
      return true;
    }
    await client.end();
    if (!this.standbyLogged) {
      this.standbyLogged = true;
      this.opts.logger.info("incident monitor stands by: another worker's monitor judges incidents");
    }
    return false;
  }

  start(): void {
    let busy = false;
    const cycle = () => {
      // A cycle still running (slow queries on a loaded server) is not joined by another: they
      // piled up, five at once on both cores in the soak test.
      if (busy) return;
      busy = true;
      this.running = this.lead()
        .then((leading) => (leading ? this.evaluate() : null))
        .catch((error) =>
          this.opts.logger.warn({ err: error }, 'incident evaluation failed; retrying next cycle'),
        )
        .finally(() => {
          busy = false;
        });
    };
    cycle();
    this.timer = setInterval(cycle, this.opts.intervalMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await Promise.allSettled([...this.deliveries]);
    const leader = this.leader;
    this.leader = null;
    await leader?.end().catch(() => {});
  }

  /** One cycle, judging the window that ends at the minute of `at`. */
  async evaluate(at = new Date()): Promise<EvaluationResult> {
    const end = new Date(Math.floor(at.getTime() / MINUTE) * MINUTE);
    const start = new Date(end.getTime() - this.windowMs);
    const windowMinutes = Math.round(this.windowMs / MINUTE);
    const [recent, baseline, open] = await Promise.all([
      getSliceCounts(start, end),
      getSliceCounts(new Date(start.getTime() - this.baselineMs), start),
      getPrisma().$queryRaw<OpenRow[]>`
        SELECT id, slice_kind, provider, sender, metric, peak_rate, threshold
          FROM incident WHERE resolved_at IS NULL`,
    ]);
    const openBy = new Map(
      open.map((o) => [
        `${sliceId({ kind: o.slice_kind, provider: o.provider, sender: o.sender })}\u0001${o.metric}`,
        o,
      ]),
    );
    const result: EvaluationResult = { at: end.toISOString(), opened: [], updated: [], resolved: [] };
    const slices = new Map<string, SliceKey>();
    for (const [id, s] of recent) slices.set(id, s);
    for (const o of open)
      slices.set(sliceId({ kind: o.slice_kind, provider: o.provider, sender: o.sender }), {
        kind: o.slice_kind,
        provider: o.provider,
        sender: o.sender,
      });

    for (const [id, slice] of slices) {
      const now = recent.get(id)?.counts ?? EMPTY;
      const before = baseline.get(id)?.counts ?? EMPTY;
      for (const metric of METRICS) {
        const existing = openBy.get(`${id}\u0001${metric}`);
        const v = judge(
          metric,
          now,
          before,
          this.rules[metric],
          Boolean(existing),
          existing ? Number(existing.threshold) : undefined,
        );
        if (existing) {
          if (v.firing) {
            await getPrisma().$executeRaw`
              UPDATE incident SET current_rate = ${v.current}, peak_rate = GREATEST(peak_rate, ${v.current}),
                     events = ${v.events}, volume = ${v.volume}, evaluated_at = ${end},
                     window_minutes = ${windowMinutes}
               WHERE id = ${existing.id}`;
            result.updated.push(existing.id);
          } else {
            // Normal again (or no traffic left at all in the window to keep it open).
            // Only the cycle that closes it notifies (resolved_at IS NULL): never twice.
            const closed = await getPrisma().$executeRaw`
              UPDATE incident SET current_rate = ${v.current}, events = ${v.events}, volume = ${v.volume},
                     evaluated_at = ${end}, resolved_at = ${end}, window_minutes = ${windowMinutes}
               WHERE id = ${existing.id} AND resolved_at IS NULL`;
            if (closed > 0) {
              result.resolved.push(existing.id);
              this.notify('incident.resolved', existing.id);
            }
          }
        } else if (v.firing) {
          const minutes = await getSliceMinutes(slice, start, end);
          const tail = this.opts.tailMinutes ?? 5;
          if (!goingOnAtEnd(minutes, metric, v.threshold, this.rules[metric], tail, windowMinutes)) continue;
          const startedAt = onsetOf(minutes, metric, v.threshold) ?? start;
          const evidence =
            metric === 'complaint'
              ? await findComplaintEvidence(slice, startedAt, end)
              : await findEvidence(slice, metric, startedAt, end);
          const [row] = await getPrisma().$queryRaw<{ id: number }[]>`
            INSERT INTO incident (slice_kind, provider, sender, metric, baseline_rate, current_rate, peak_rate,
                                  threshold, events, volume, started_at, detected_at, evaluated_at, evidence,
                                  window_minutes)
            VALUES (${slice.kind}, ${slice.provider}, ${slice.sender}, ${metric}, ${v.baseline}, ${v.current},
                    ${v.current}, ${v.threshold}, ${v.events}, ${v.volume}, ${startedAt}, ${end}, ${end},
                    ${JSON.stringify(evidence ?? {})}::jsonb, ${windowMinutes})
            ON CONFLICT (slice_kind, provider, sender, metric) WHERE resolved_at IS NULL DO NOTHING
            RETURNING id`;
          if (row) {
            result.opened.push(row.id);
            this.notify('incident.opened', row.id);
          }
        }
      }
    }
    if (result.opened.length || result.resolved.length) {
      this.opts.logger.info(result, 'incidents evaluated');
    }
    return result;
  }

  /** Per incident, the last notification queued: one incident's events are delivered in order. */
  private readonly lastDelivery = new Map<number, Promise<unknown>>();

  private notify(event: 'incident.opened' | 'incident.resolved', id: number) {
    const urls = this.opts.webhookUrls ?? [];
    if (urls.length === 0) return;
    // The incident as it is now, sent after any earlier event of the same incident got through.
    const snapshot = getPrisma().$queryRaw<
      Record<string, unknown>[]
    >`SELECT * FROM incident WHERE id = ${id}`;
    const previous = this.lastDelivery.get(id) ?? Promise.resolve();
    const delivery = previous
      .then(async () => {
        const [incident] = await snapshot;
        return postWebhooks(urls, { event, incident: shapeIncident(incident) }, this.opts.logger);
      })
      .catch((error) => this.opts.logger.warn({ err: error }, 'incident notification failed'));
    this.lastDelivery.set(id, delivery);
    this.deliveries.add(delivery);
    delivery.finally(() => {
      this.deliveries.delete(delivery);
      if (this.lastDelivery.get(id) === delivery) this.lastDelivery.delete(id);
    });
  }
}

/** An incident row as the API shows it (camelCase, ISO times, numbers). */
export function shapeIncident(row: Record<string, unknown>) {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v));
  return {
    id: Number(row.id),
    slice: {
      kind: row.slice_kind as SliceTotals['kind'],
      provider: String(row.provider),
      sender: String(row.sender),
    },
    metric: row.metric as Metric,
    status: row.resolved_at ? ('resolved' as const) : ('open' as const),
    baselineRate: row.baseline_rate === null ? null : Number(row.baseline_rate),
    currentRate: Number(row.current_rate),
    peakRate: Number(row.peak_rate),
    threshold: Number(row.threshold),
    events: Number(row.events),
    volume: Number(row.volume),
    startedAt: iso(row.started_at) as string,
    detectedAt: iso(row.detected_at) as string,
    evaluatedAt: iso(row.evaluated_at) as string,
    resolvedAt: iso(row.resolved_at),
    /** The length of the window the rates were judged over; null for incidents from before it was kept. */
    windowMinutes:
      row.window_minutes === null || row.window_minutes === undefined ? null : Number(row.window_minutes),
    evidence: (row.evidence && Object.keys(row.evidence as object).length ? row.evidence : null) as
      | Evidence
      | ComplaintEvidence
      | null,
  };
}
